/**
 * Live source: scans one or more clusters (kubeconfig contexts) into one Snapshot each.
 *
 * This module is what the CLI imports; the scan itself loads on first use, so a start-up that
 * never scans a cluster (`--version`, `rules`, `-f`, `--demo`) pays for none of it (and
 * @kubernetes/client-node loads later still, with the kubeconfig). The parts:
 * - fleet.ts: the selected contexts, concurrently, failures per cluster;
 * - scan-plan.ts: what one cluster's scan reads — the request budget;
 * - api-pager.ts: paginated lists (`limit`, `continue`, restart on 410 Gone);
 * - api-transport.ts: auth and TLS through client-node, retries, timeouts, one-line errors,
 *   and the one place every request passes (`onRequest`);
 * - api-protocol.ts: request paths and Status bodies; can-i.ts: access problems and their
 *   `kubectl auth can-i` lines; kubeconfig.ts: loading like kubectl.
 */
import type { Snapshot } from '../model/snapshot.js';
import type { ClusterScanOptions, ClusterScanResult } from './cluster-options.js';

export type { ClusterScanOptions, ClusterScanResult } from './cluster-options.js';
export type { ApiRequestEvent, ApiRequestObserver } from './api-transport.js';

/**
 * Scan the selected contexts concurrently: one Snapshot per context. With exactly one context,
 * a failure (unreachable, TLS, 401, deadline) throws a UserError naming the context and server;
 * with several, failures come back in `errors` and the other clusters are still scanned.
 */
export async function collectClusters(opts: ClusterScanOptions): Promise<ClusterScanResult> {
  const { scanFleet } = await import('./fleet.js');
  return scanFleet(opts);
}

/** Pod names given on the command line that no scanned cluster has (for a `not found` message). */
export function missingPodNames(snapshots: Snapshot[], podNames: string[] | undefined): string[] {
  if (!podNames?.length) return [];
  const seen = new Set(snapshots.flatMap((s) => s.pods.map((p) => p.metadata.name)));
  return podNames.filter((n) => !seen.has(n));
}

/**
 * Whether the snapshot knows every pod in its scope by name: no pod list refused, failed or
 * unanswered, and no pod skipped as malformed without a name.
 */
export function podsRead(s: Snapshot): boolean {
  if (s.accessProblems.some((a) => a.resource === 'pods')) return false;
  return !(s.skippedObjects ?? []).some((e) => e.kind === 'Pod' && (e.status !== undefined || e.name === undefined));
}

/** Names of the pods a snapshot skipped as malformed: they exist, they were just not read. */
export function skippedPodNames(snapshots: Snapshot[]): Set<string> {
  return new Set(snapshots.flatMap((s) => (s.skippedObjects ?? []).flatMap((e) => (e.kind === 'Pod' && e.name !== undefined ? [e.name] : []))));
}
