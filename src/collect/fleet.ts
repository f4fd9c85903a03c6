/**
 * Several clusters at once: every selected kubeconfig context is scanned concurrently (at most
 * CLUSTER_CONCURRENCY at a time), one Snapshot each, under one overall deadline. With exactly
 * one context a failure is thrown; with several, failures are collected per cluster and the
 * other clusters are still scanned.
 */
import { UserError } from '../model/errors.js';
import type { Snapshot } from '../model/snapshot.js';
import { mapLimit } from '../util/concurrency.js';
import { firstLine } from '../util/text.js';
import { withDefaults, type ClusterScanOptions, type ClusterScanResult } from './cluster-options.js';
import { loadKubeconfig, resolveContexts } from './kubeconfig.js';
import { ClusterScan } from './scan-plan.js';

/** Clusters scanned at the same time in fleet mode. */
const CLUSTER_CONCURRENCY = 8;

export async function scanFleet(opts: ClusterScanOptions): Promise<ClusterScanResult> {
  const o = withDefaults(opts);
  const deadlineAt = Date.now() + o.deadlineMs;
  const loaded = await loadKubeconfig({ kubeconfig: o.kubeconfig, env: o.env, serviceAccountDir: o.serviceAccountDir });
  const { contexts, problems } = resolveContexts(loaded, { contexts: o.contexts, allContexts: o.allContexts });
  const single = contexts.length + problems.length === 1;
  if (single && problems[0]) throw new UserError(problems[0].message);
  const results = await mapLimit(contexts, CLUSTER_CONCURRENCY, async (ctx) => {
    const scan = new ClusterScan(ctx, o, deadlineAt);
    try {
      return await scan.run();
    } catch (e) {
      if (single) throw e;
      return { cluster: ctx.cluster, message: firstLine(e) };
    } finally {
      scan.t.close();
    }
  });
  // Both lists keep the order the contexts were given in.
  const errors = problems.map((p) => ({ cluster: p.cluster, message: p.message }));
  const snapshots: Snapshot[] = [];
  for (const r of results) {
    if ('source' in r) snapshots.push(r);
    else errors.push(r);
  }
  return { snapshots, errors };
}
