/**
 * Engine only, in its own process: a generated cluster → SnapshotBuilder (reduce) → prepare
 * (PullContexts) → rules → Report → JSON, repeated; prints one JSON line with medians.
 *
 *   node dist/bench/engine.js '{"pods":10000,"seed":42,"reps":5}'
 */
import { RULES } from '../rules/index.js';
import { SnapshotBuilder } from '../src/collect/builder.js';
import { buildReport, evaluate, prepare } from '../src/engine/run.js';
import type { Snapshot } from '../src/model/snapshot.js';
import { renderJson } from '../src/report/json.js';
import { CLOCK, generateCluster } from './generate.js';
import { median } from './stats.js';

export interface EngineResult {
  pods: number;
  events: number;
  findings: number;
  podsWithPullProblems: number;
  reduceMs: number;
  prepareMs: number;
  rulesMs: number;
  reportMs: number;
  renderMs: number;
  engineMs: number;
  reps: number;
  /** Live heap after a full GC (needs --expose-gc): the snapshot alone, and with every PullContext. */
  heapSnapshotMB?: number;
  heapContextsMB?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = (): number | undefined => {
  if (!gc) return undefined;
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** Live heap of the snapshot alone and with every PullContext (run with --expose-gc). */
/** In its own frame, so nothing of the generated cluster stays reachable after it returns. */
function buildSnapshot(pods: number, seed: number): Snapshot {
  const b = new SnapshotBuilder({ kind: 'file', description: 'bench' }, CLOCK);
  const c = generateCluster({ pods, seed });
  for (const list of [c.pods, c.events, c.secrets, c.serviceAccounts, c.nodes]) for (const o of list) b.addObject(o);
  return b.finishOffline();
}

function memory(pods: number, seed: number): { heapSnapshotMB?: number; heapContextsMB?: number } {
  const snapshot = buildSnapshot(pods, seed);
  const heapSnapshotMB = heapMB();
  const prep = prepare(snapshot, new Date(CLOCK));
  const heapContextsMB = heapMB();
  if (!prep.contexts.length) throw new Error('no contexts');
  return { ...(heapSnapshotMB ? { heapSnapshotMB } : {}), ...(heapContextsMB ? { heapContextsMB } : {}) };
}

function main(): void {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as { pods: number; seed: number; reps: number; memory?: boolean };
  if (cfg.memory) {
    process.stdout.write(`${JSON.stringify(memory(cfg.pods, cfg.seed))}\n`);
    return;
  }
  const cluster = generateCluster({ pods: cfg.pods, seed: cfg.seed });
  const objects = [cluster.pods, cluster.events, cluster.secrets, cluster.serviceAccounts, cluster.nodes].flat();
  const now = new Date(CLOCK);
  const t: Record<'reduce' | 'prepare' | 'rules' | 'report' | 'render', number[]> = { reduce: [], prepare: [], rules: [], report: [], render: [] };
  let findings = 0;
  let failing = 0;
  const reps = Math.max(1, Math.min(50, cfg.reps));
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    const b = new SnapshotBuilder({ kind: 'file', description: 'bench' }, CLOCK);
    for (const o of objects) b.addObject(o);
    const snapshot = b.finishOffline();
    let t1 = performance.now();

    t.reduce.push(t1 - t0);
    t0 = t1;
    const prep = prepare(snapshot, now);
    t1 = performance.now();
    t.prepare.push(t1 - t0);
    t0 = t1;
    const f = evaluate(prep, RULES);
    t1 = performance.now();
    t.rules.push(t1 - t0);
    t0 = t1;
    const report = buildReport(prep, f, now);
    t1 = performance.now();
    t.report.push(t1 - t0);
    t0 = t1;
    const json = renderJson(report);
    t1 = performance.now();
    t.render.push(t1 - t0);
    findings = report.findings.length;
    failing = report.summary.podsWithPullProblems;
    if (json.length === 0) throw new Error('empty report');
  }
  const m = (k: keyof typeof t) => median(t[k]);
  const result: EngineResult = {
    pods: cluster.stats.pods,
    events: cluster.stats.events,
    findings,
    podsWithPullProblems: failing,
    reduceMs: m('reduce'),
    prepareMs: m('prepare'),
    rulesMs: m('rules'),
    reportMs: m('report'),
    renderMs: m('render'),
    engineMs: median(t.prepare.map((_, i) => (t.prepare[i] ?? 0) + (t.rules[i] ?? 0) + (t.report[i] ?? 0) + (t.render[i] ?? 0))),
    reps,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
