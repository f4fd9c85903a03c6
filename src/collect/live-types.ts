/** The live source's contract (see live-source.ts), apart so the implementation can import it without a cycle. */
import type { Snapshot } from '../model/snapshot.js';
import type { ApiRequestObserver } from './api-transport.js';
import type { ClusterScanOptions } from './cluster-options.js';
import type { ReflectorTiming } from './reflector.js';

export interface LiveStatus {
  /** The first list is in and every watched collection has been listed. */
  synced: boolean;
  /** No watch is waiting to reconnect. */
  connected: boolean;
  lastError?: string;
  /** ISO time of the last list or watch event (bookmarks included). */
  lastSyncAt?: string;
}

export interface LiveSnapshotSource {
  /** List everything in scope (paginated), then watch from each list's resourceVersion. Resolves when the initial list is done. Rejects with a UserError when the cluster cannot be reached at all. */
  start(): Promise<void>;
  /** The current state as a Snapshot — same shape, coverage and accessProblems as a one-shot scan of the same scope. */
  snapshot(): Snapshot;
  /** Called after the state changed (coalesced: at most one call per `coalesceMs`, default 250 ms). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  status(): LiveStatus;
  stop(): Promise<void>;
}

export interface LiveOptions extends ClusterScanOptions {
  /** The kubeconfig context to watch (default: the first of `contexts`, else the current one). */
  context?: string;
  onRequest?: ApiRequestObserver;
  /** Reconnect, poll and timeout settings of the watches (tests shorten them). */
  timing?: Partial<ReflectorTiming>;
  /** Changes closer together than this are reported once (default 250 ms). */
  coalesceMs?: number;
  /** How long a namespace without pull trouble stays watched (default 5 minutes). */
  lingerMs?: number;
}
