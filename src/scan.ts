/**
 * One scan, end to end: source → Snapshot(s) → engine (+ optional registry probe) → Report.
 * This is the only module that wires sources, the probe, the engine and the rule registry.
 */
import { RULES } from '../rules/index.js';
import { collectClusters, missingPodNames, podsRead, skippedPodNames, type ClusterScanOptions } from './collect/cluster.js';
import { analyseSnapshot } from './engine/analyse.js';
import { mergeReports } from './engine/report.js';
import type { PullContext } from './engine/types.js';
import { UserError } from './model/errors.js';
import type { Report } from './model/finding.js';
import type { ProgressCallback } from './model/progress.js';
import type { Snapshot } from './model/snapshot.js';
import type { ProbeOptions } from './probe/probe.js';

export type SourceSpec =
  | { kind: 'demo' }
  | { kind: 'file'; paths: string[]; readStdin?: () => Promise<Buffer> }
  | ({ kind: 'cluster' } & ClusterScanOptions);

export interface ScanOptions {
  source: SourceSpec;
  /** Evaluate as of this time (default: now; the demo uses its recorded clock). */
  now?: Date;
  probe?: 'failing' | 'all';
  /** Platforms the pods may run on (`--platform`), instead of the nodes' platforms. */
  platforms?: string[];
  probeOptions?: ProbeOptions;
  /** Limit probing to one workload (the UI's probe key). */
  probeFilter?: (ctx: PullContext) => boolean;
  onProgress?: ProgressCallback;
}

/** `now`: the clock the source was recorded at (the demo's), when it has one. */
async function collect(opts: ScanOptions): Promise<{ snapshots: Snapshot[]; errors: { cluster: string; message: string }[]; now?: Date }> {
  const src = opts.source;
  // Each source's reader loads only when a scan reads that source.
  if (src.kind === 'demo') {
    const { collectDemo, DEMO_NOW } = await import('./collect/demo.js');
    return { snapshots: [await collectDemo(opts.onProgress)], errors: [], now: DEMO_NOW };
  }
  if (src.kind === 'file') {
    const { collectFiles } = await import('./collect/file.js');
    const snap = await collectFiles(src.paths, {
      ...(src.readStdin ? { readStdin: src.readStdin } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    return { snapshots: [snap], errors: [] };
  }
  const { kind: _kind, ...clusterOpts } = src;
  const result = await collectClusters({ ...clusterOpts, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const skipped = skippedPodNames(result.snapshots);
  const missing = missingPodNames(result.snapshots, src.podNames).filter((n) => !skipped.has(n));
  // A pod not found where pods could not be read is not missing: the report says what was not read.
  if (missing.length && result.snapshots.length && result.snapshots.every(podsRead)) {
    const where = result.snapshots[0]?.source.namespaces?.join(', ');
    throw new UserError(`${missing.map((n) => `pod "${n}"`).join(', ')} not found${where ? ` in namespace ${where}` : ''}`);
  }
  return result;
}

function analyse(snapshot: Snapshot, opts: ScanOptions, now: Date): Promise<Report> {
  return analyseSnapshot(snapshot, RULES, {
    now,
    ...(opts.probe
      ? {
          probe: {
            mode: opts.probe,
            ...(opts.probeFilter ? { filter: opts.probeFilter } : {}),
            // The probe (registry client, TLS, credentials) loads only when a scan probes.
            run: async (requests) => (await import('./probe/probe.js')).probeTargets(requests, opts.probeOptions),
          },
        }
      : {}),
  });
}

export async function scan(opts: ScanOptions): Promise<Report> {
  const { snapshots, errors, now: recordedAt } = await collect(opts);
  const now = opts.now ?? recordedAt ?? new Date();
  const reports: Report[] = [];
  for (const s of snapshots) {
    if (opts.platforms?.length) s.platforms = opts.platforms;
    reports.push(await analyse(s, opts, now));
  }
  if (reports.length === 1 && errors.length === 0 && reports[0]) return reports[0];
  return mergeReports(reports, errors);
}
