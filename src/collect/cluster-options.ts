/** What a live scan can be asked to do, what it returns, and its defaults. */
import type { ProgressCallback } from '../model/progress.js';
import type { Snapshot } from '../model/snapshot.js';
import type { ApiRequestObserver } from './api-transport.js';

export interface ClusterScanOptions {
  kubeconfig?: string;
  /** `--context`, repeatable; empty = the current context. */
  contexts?: string[];
  allContexts?: boolean;
  namespace?: string;
  /** Several namespaces (`-n a,b` or `-n a -n b`), each listed on its own; wins over `namespace`. */
  namespaces?: string[];
  allNamespaces?: boolean;
  labelSelector?: string;
  podNames?: string[];
  /**
   * Read nodes (architecture, disk pressure): `true` always, `false` never, `'auto'` (the
   * default) only when a pull message points at the node (platform or disk problems).
   */
  includeNodes?: boolean | 'auto';
  /** Per request, default 10 000. */
  requestTimeoutMs?: number;
  /** Whole scan (all clusters), default 120 000. */
  deadlineMs?: number;
  /** List page size, default 500. */
  pageSize?: number;
  /** Parallel secret GETs per cluster, default 8. */
  secretConcurrency?: number;
  onProgress?: ProgressCallback;
  /** Hears of every HTTP request to every API server (each attempt: verb, resource, code). */
  onRequest?: ApiRequestObserver;
  /** Environment for KUBECONFIG, HOME and in-cluster variables (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** In-cluster token/ca.crt/namespace directory (default /var/run/secrets/kubernetes.io/serviceaccount). */
  serviceAccountDir?: string;
  /** Retries of 429, 5xx and dropped connections per request, default 4. */
  maxRetries?: number;
}

export interface ClusterScanResult {
  snapshots: Snapshot[];
  errors: { cluster: string; message: string }[];
}

const DEFAULTS = { requestTimeoutMs: 10_000, deadlineMs: 120_000, pageSize: 500, secretConcurrency: 8, maxRetries: 4 };

export type ResolvedClusterScanOptions = ClusterScanOptions & typeof DEFAULTS;

/** The options with every default filled in (an explicit `undefined` counts as not given). */
export function withDefaults(opts: ClusterScanOptions): ResolvedClusterScanOptions {
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as Partial<ClusterScanOptions>;
  return { ...DEFAULTS, ...given };
}
