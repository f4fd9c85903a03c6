/**
 * The UI's watch of a live cluster: one live source (list once, then watch) per selected
 * context, each state analysed as a one-shot scan's Snapshot would be, the reports merged as a
 * fleet scan merges them. Wiring only: the informer is src/collect/live-source.ts, the engine
 * src/engine/analyse.ts.
 */
import { RULES } from '../rules/index.js';
import { loadKubeconfig, resolveContexts } from './collect/kubeconfig.js';
import { watchCluster, type LiveSnapshotSource } from './collect/live-source.js';
import { runEngine } from './engine/analyse.js';
import { mergeReports } from './engine/report.js';
import { UserError } from './model/errors.js';
import type { Report } from './model/finding.js';
import type { ProgressCallback } from './model/progress.js';
import type { ScanOptions, SourceSpec } from './scan.js';
import type { LiveSession } from './tui/controller.js';
import { firstLine } from './util/text.js';

type ClusterSpec = Extract<SourceSpec, { kind: 'cluster' }>;

/** The contexts to follow: several only with --all-contexts or more than one --context. */
async function contextNames(src: ClusterSpec): Promise<(string | undefined)[]> {
  if (!src.allContexts && (src.contexts?.length ?? 0) <= 1) return [src.contexts?.[0]];
  const loaded = await loadKubeconfig({ kubeconfig: src.kubeconfig, env: src.env, serviceAccountDir: src.serviceAccountDir });
  const { contexts } = resolveContexts(loaded, { contexts: src.contexts, allContexts: src.allContexts });
  return contexts.map((c) => c.name);
}

export function liveSession(opts: ScanOptions & { source: ClusterSpec }): LiveSession {
  const { kind: _kind, ...cluster } = opts.source;
  let sources: { name: string | undefined; live: LiveSnapshotSource }[] = [];
  let errors: { cluster: string; message: string }[] = [];
  const listeners = new Set<() => void>();

  const report = (): Report => {
    const now = opts.now ?? new Date();
    const reports = sources.map(({ live }) => {
      const s = live.snapshot();
      if (opts.platforms?.length) s.platforms = opts.platforms;
      return runEngine(s, RULES, now);
    });
    if (reports.length === 1 && errors.length === 0 && reports[0]) return reports[0];
    return mergeReports(reports, errors);
  };

  return {
    async start(onProgress: ProgressCallback) {
      const names = await contextNames(opts.source);
      const all = names.map((name) => ({
        name,
        live: watchCluster({ ...cluster, ...(name !== undefined ? { context: name } : {}), onProgress }),
      }));
      const settled = await Promise.allSettled(all.map((s) => s.live.start()));
      if (all.length === 1 && settled[0]?.status === 'rejected') throw settled[0].reason;
      sources = all.filter((_, i) => settled[i]?.status === 'fulfilled');
      errors = all.flatMap((s, i) => {
        const r = settled[i];
        return r?.status === 'rejected' ? [{ cluster: s.name ?? 'current context', message: firstLine(r.reason) }] : [];
      });
      if (!sources.length) throw new UserError(errors.map((e) => `${e.cluster}: ${e.message}`).join('; ') || 'no cluster to watch');
      for (const s of sources) s.live.onChange(() => listeners.forEach((l) => l()));
      return report();
    },
    report,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status() {
      const all = sources.map((s) => s.live.status());
      const err = all.find((s) => s.lastError)?.lastError;
      return { connected: all.every((s) => s.connected), ...(err ? { lastError: err } : {}) };
    },
    async stop() {
      listeners.clear();
      await Promise.all(sources.map((s) => s.live.stop()));
    },
  };
}
