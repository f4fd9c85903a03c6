/**
 * `periodicSource`: the LiveSnapshotSource interface on top of one-shot scans — a full
 * `collectClusters` of one context every `intervalMs`, the previous Snapshot kept until the next
 * one is complete. A stand-in until the list+watch layer (issue 13) lands: its API cost is one
 * scan's budget per interval (constant, but not as low as a watch).
 *
 * A failed scan after the first keeps the last Snapshot and marks the source disconnected (with
 * the scan's one-line error) until a scan succeeds again; listeners hear of both.
 */
import { collectClusters } from '../collect/cluster.js';
import { UserError } from '../model/errors.js';
import type { Snapshot } from '../model/snapshot.js';
import { firstLine } from '../util/text.js';
import type { LiveSnapshotSource, LiveSourceOptions, LiveSourceStatus } from './source.js';

export interface PeriodicSourceOptions extends LiveSourceOptions {
  /** Time between the end of one scan and the start of the next. */
  intervalMs: number;
}

export function periodicSource(opts: PeriodicSourceOptions): LiveSnapshotSource {
  const { intervalMs, context, ...scanOpts } = opts;
  const listeners = new Set<() => void>();
  let current: Snapshot | undefined;
  let state: LiveSourceStatus = { synced: false, connected: false };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const notify = () => {
    for (const l of [...listeners]) l();
  };

  /** One scan of the context; throws the scan's UserError. */
  const scanOnce = async (): Promise<Snapshot> => {
    const result = await collectClusters({ ...scanOpts, ...(context ? { contexts: [context] } : {}), allContexts: false });
    const snap = result.snapshots[0];
    if (!snap) throw new UserError(result.errors[0]?.message ?? 'the cluster could not be scanned');
    return snap;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick(), intervalMs);
  };

  const tick = async () => {
    timer = undefined;
    try {
      const snap = await scanOnce();
      if (stopped) return;
      current = snap;
      state = { synced: true, connected: true, lastSyncAt: new Date().toISOString() };
    } catch (e) {
      if (stopped) return;
      const { lastSyncAt } = state;
      state = { synced: true, connected: false, lastError: firstLine(e), ...(lastSyncAt ? { lastSyncAt } : {}) };
    }
    notify();
    schedule();
  };

  return {
    async start() {
      if (current) return;
      current = await scanOnce();
      state = { synced: true, connected: true, lastSyncAt: new Date().toISOString() };
      if (!stopped) schedule();
    },
    snapshot() {
      if (!current) throw new Error('internal: snapshot() before start() finished');
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status() {
      return { ...state };
    },
    stop() {
      // A scan in flight is not awaited (it ends at its own deadline); its result is dropped.
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      listeners.clear();
      return Promise.resolve();
    },
  };
}
