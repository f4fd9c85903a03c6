/**
 * What `serve` reads its cluster state from: a long-lived source of Snapshots.
 *
 * This is the interface of the list+watch layer (issue 13, `src/collect/live-source.ts`,
 * `watchCluster`). Until that lands, serve runs on `periodicSource` (periodic-source.ts), which
 * satisfies the same interface with one-shot scans; when it lands, import the type from there,
 * delete this copy and build the source with `watchCluster` in src/commands/serve.ts.
 */
import type { ApiRequestObserver, ClusterScanOptions } from '../collect/cluster.js';
import type { Snapshot } from '../model/snapshot.js';

export interface LiveSourceStatus {
  /** The initial list is done: `snapshot()` holds the whole scope. */
  synced: boolean;
  /** The API server answered the last request (or the watch is open). */
  connected: boolean;
  /** The last failure, one line (no secret material: the transport's own messages). */
  lastError?: string;
  /** When the state was last brought up to date (ISO 8601). */
  lastSyncAt?: string;
}

export interface LiveSnapshotSource {
  /** Initial (paginated) list done; rejects with a UserError if the cluster is unreachable. */
  start(): Promise<void>;
  /** The current state: same shape, coverage and access problems as a one-shot scan. */
  snapshot(): Snapshot;
  /** Coalesced change notifications; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  status(): LiveSourceStatus;
  stop(): Promise<void>;
}

/** What a live source is built from: the scan's scope, one context, the request observer. */
export type LiveSourceOptions = ClusterScanOptions & { context?: string; onRequest?: ApiRequestObserver };
