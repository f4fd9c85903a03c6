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

export interface ControllerOptions {
  scan: (onProgress: ProgressCallback) => Promise<Report>;
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
    if (disposed || !store.getState().watch) return;
    watchTimer = setTimeout(() => {
      watchTimer = undefined;
      rescan();
    }, o.intervalMs);
  };

  function rescan(): void {
    if (disposed || inflight) return;
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
      rescan();
    },
    rescan,
    setWatch,
    toggleWatch() {
      setWatch(!store.getState().watch);
    },
    probeSelected,
    dispose() {
      disposed = true;
      clearWatch();
      if (ticker) clearInterval(ticker);
      ticker = undefined;
    },
    get pending() {
      return inflight;
    },
  };
}
