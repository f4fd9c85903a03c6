/**
 * Everything asynchronous lives here, outside the components: the scan promise, the watch
 * timer, the spinner tick and probes. It only talks to the UI through the store.
 */
import type { Report } from '../model/finding.js';
import type { ProgressCallback } from '../model/progress.js';
import { errorMessage, workloadKey } from './format.js';
import { selectedItem } from './model.js';
import type { Store } from './store.js';

export interface ProbeTarget {
  namespace: string;
  kind: string;
  name: string;
  cluster?: string;
}

/**
 * A live cluster followed by list + watch (src/live-scan.ts builds it): the report of the state
 * now, and a call whenever that state changed.
 */
export interface LiveSession {
  /** The initial list; resolves with the first report. */
  start(onProgress: ProgressCallback): Promise<Report>;
  /** The report of the state now. */
  report(): Report;
  onChange(listener: () => void): () => void;
  status(): { connected: boolean; lastError?: string };
  stop(): Promise<void>;
}

export interface ControllerOptions {
  scan: (onProgress: ProgressCallback) => Promise<Report>;
  /** Watching a live cluster: list once, then follow it (instead of rescanning every interval). */
  live?: () => LiveSession;
  probe?: (workload: ProbeTarget) => Promise<Report>;
  intervalMs: number;
  /** Spinner frame interval while something runs; default 80 ms. */
  tickMs?: number;
}

export interface Controller {
  /** First scan; starts watching afterwards when the state says so. */
  start(): void;
  rescan(): void;
  setWatch(on: boolean): void;
  toggleWatch(): void;
  /** Probe the registry of the selected workload. */
  probeSelected(): void;
  /** Stop timers and ignore results still in flight. */
  dispose(): void;
  /** The running scan, if any (tests). */
  readonly pending: Promise<void> | undefined;
}

export function createController(store: Store, o: ControllerOptions): Controller {
  let disposed = false;
  let inflight: Promise<void> | undefined;
  let probing: Promise<void> | undefined;
  let watchTimer: ReturnType<typeof setTimeout> | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const tickMs = o.tickMs ?? 80;

  let session: LiveSession | undefined;
  let offChange: (() => void) | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let expireTimer: ReturnType<typeof setTimeout> | undefined;
  let statusTimer: ReturnType<typeof setInterval> | undefined;
  /** The earliest time of the next live refresh: analysing a big cluster takes a while, so never more than half the time. */
  let nextRefreshAt = 0;

  const busy = () => inflight !== undefined || probing !== undefined;
  const startTicker = () => {
    if (!ticker) ticker = setInterval(() => store.dispatch({ type: 'tick' }), tickMs);
  };
  const stopTicker = () => {
    if (ticker && !busy()) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };
  const clearWatch = () => {
    if (watchTimer) clearTimeout(watchTimer);
    watchTimer = undefined;
  };
  const scheduleWatch = () => {
    clearWatch();
    // A live cluster is followed, never rescanned on the interval.
    if (disposed || !store.getState().watch || o.live) return;
    watchTimer = setTimeout(() => {
      watchTimer = undefined;
      rescan();
    }, o.intervalMs);
  };

  const scheduleExpire = () => {
    if (expireTimer) clearTimeout(expireTimer);
    expireTimer = undefined;
    const untils = store.getState().resolved.flatMap((r) => (r.until !== undefined ? [r.until] : []));
    if (!untils.length || disposed) return;
    expireTimer = setTimeout(() => {
      expireTimer = undefined;
      store.dispatch({ type: 'expireFixed', at: Date.now() });
      scheduleExpire();
    }, Math.max(10, Math.min(...untils) - Date.now()));
  };

  /** The live state as a report now; at most twice as often as one analysis takes. */
  function refresh(): void {
    if (disposed || !session || refreshTimer) return;
    const wait = nextRefreshAt - Date.now();
    if (wait > 0) {
      refreshTimer = setTimeout(() => {
        refreshTimer = undefined;
        refresh();
      }, wait);
      return;
    }
    const t0 = Date.now();
    let report: Report;
    try {
      report = session.report();
    } catch (e) {
      store.dispatch({ type: 'scanFailed', message: errorMessage(e) });
      return;
    }
    const took = Date.now() - t0;
    nextRefreshAt = Date.now() + Math.max(took, 100);
    store.dispatch({ type: 'scanDone', report, live: true });
    scheduleExpire();
  }

  const liveStatus = () => {
    if (!session) return;
    const st = session.status();
    const cur = store.getState().live;
    if (cur && cur.connected === st.connected && cur.lastError === st.lastError) return;
    store.dispatch({ type: 'live', live: { ...st } });
    // Say why once the watch lost its connection (the footer sanitises the server's words).
    if (!st.connected && st.lastError && cur?.connected !== false) {
      store.dispatch({ type: 'notice', notice: { text: `watch interrupted: ${st.lastError}; reconnecting`, tone: 'error' } });
    }
    if (st.connected && cur?.connected === false) store.dispatch({ type: 'notice', notice: { text: 'watch reconnected', tone: 'ok' } });
  };

  function startLive(): void {
    if (disposed || session || !o.live) return;
    clearWatch();
    const s = o.live();
    session = s;
    store.dispatch({ type: 'live', live: { connected: true } });
    store.dispatch({ type: 'scanStart' });
    startTicker();
    const onProgress: ProgressCallback = (update) => {
      if (!disposed && session === s) store.dispatch({ type: 'progress', update });
    };
    inflight = s.start(onProgress).then(
      (report) => {
        if (disposed || session !== s) return;
        store.dispatch({ type: 'scanDone', report, live: true });
        offChange = s.onChange(refresh);
        statusTimer = setInterval(liveStatus, 1000);
      },
      (e: unknown) => {
        if (disposed || session !== s) return;
        session = undefined;
        void s.stop();
        store.dispatch({ type: 'live', live: undefined });
        store.dispatch({ type: 'scanFailed', message: errorMessage(e) });
      },
    );
    inflight = inflight.finally(() => {
      inflight = undefined;
      stopTicker();
    });
  }

  function stopLive(): void {
    offChange?.();
    offChange = undefined;
    if (refreshTimer) clearTimeout(refreshTimer);
    if (statusTimer) clearInterval(statusTimer);
    refreshTimer = statusTimer = undefined;
    const s = session;
    session = undefined;
    void s?.stop();
  }

  function rescan(): void {
    if (disposed || inflight) return;
    if (session) {
      nextRefreshAt = 0;
      refresh();
      return;
    }
    if (o.live && store.getState().watch) {
      // Watching, but the live start failed: try it again.
      startLive();
      return;
    }
    clearWatch();
    store.dispatch({ type: 'scanStart' });
    startTicker();
    const onProgress: ProgressCallback = (update) => {
      if (!disposed) store.dispatch({ type: 'progress', update });
    };
    let run: Promise<Report>;
    try {
      run = o.scan(onProgress);
    } catch (e) {
      run = Promise.reject(e);
    }
    inflight = run.then(
      (report) => {
        if (!disposed) store.dispatch({ type: 'scanDone', report });
      },
      (e: unknown) => {
        if (!disposed) store.dispatch({ type: 'scanFailed', message: errorMessage(e) });
      },
    );
    inflight = inflight.finally(() => {
      inflight = undefined;
      stopTicker();
      scheduleWatch();
    });
  }

  function setWatch(on: boolean): void {
    if (disposed) return;
    if (o.live) {
      store.dispatch({ type: 'setWatch', on, live: true });
      if (on) startLive();
      else stopLive();
      return;
    }
    store.dispatch({ type: 'setWatch', on });
    if (!on) clearWatch();
    else if (!inflight) scheduleWatch();
  }

  function probeSelected(): void {
    if (disposed) return;
    const s = store.getState();
    if (!o.probe) {
      store.dispatch({ type: 'notice', notice: { text: 'registry probing is not available here', tone: 'info' } });
      return;
    }
    const item = selectedItem(s.model, s.selected);
    if (!item || item.kind !== 'workload') {
      store.dispatch({ type: 'notice', notice: { text: 'select a workload to probe its registry', tone: 'info' } });
      return;
    }
    if (probing) return;
    const target: ProbeTarget = { namespace: item.namespace, kind: item.workloadKind, name: item.name };
    if (item.cluster) target.cluster = item.cluster;
    const key = workloadKey(target);
    store.dispatch({ type: 'probeStart', key });
    startTicker();
    let run: Promise<Report>;
    try {
      run = o.probe(target);
    } catch (e) {
      run = Promise.reject(e);
    }
    probing = run
      .then(
        (report) => {
          if (!disposed) store.dispatch({ type: 'probeDone', key, report });
        },
        (e: unknown) => {
          if (!disposed) store.dispatch({ type: 'probeFailed', key, message: errorMessage(e) });
        },
      )
      .finally(() => {
        probing = undefined;
        stopTicker();
      });
  }

  return {
    start() {
      if (o.live && store.getState().watch) startLive();
      else rescan();
    },
    rescan,
    setWatch,
    toggleWatch() {
      setWatch(!store.getState().watch);
    },
    probeSelected,
    dispose() {
      disposed = true;
      stopLive();
      if (expireTimer) clearTimeout(expireTimer);
      expireTimer = undefined;
      clearWatch();
      if (ticker) clearInterval(ticker);
      ticker = undefined;
    },
    get pending() {
      return inflight;
    },
  };
}
