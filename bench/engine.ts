/**
 * Engine only, in its own process: a generated cluster → SnapshotBuilder (reduce) → the
 * engine the scan runs (src/engine/analyse.ts `runEngine`: one pod at a time, PullContext → rules →
 * findings → Report) → JSON, repeated; prints one JSON line with medians. Building every
 * PullContext alone (and dropping it) is timed too, to split the engine's time.
 *
 *   node dist-bench/bench/engine.js '{"pods":10000,"seed":42,"reps":5}'
 *   node --expose-gc dist-bench/bench/engine.js '{"pods":50000,"seed":42,"memory":true}'
 */
import { RULES } from '../rules/index.js';
import { SnapshotBuilder } from '../src/collect/builder.js';
import { ContextBuilder } from '../src/engine/context.js';
import { runEngine } from '../src/engine/analyse.js';
import type { Snapshot } from '../src/model/snapshot.js';
import { renderJson } from '../src/report/json.js';
import { CLOCK, generateCluster, type Obj } from './generate.js';
import { median } from './stats.js';

export interface EngineResult {
  pods: number;
  /** Events generated, and those the snapshot kept (the others are dropped as they arrive). */
  events: number;
  eventsKept?: number;
  findings: number;
  podsWithPullProblems: number;
  reduceMs: number;
  /** Building every pod's PullContext (one at a time, dropped): part of `runMs`. */
  prepareMs: number;
  /** `runEngine`: contexts, rules, findings and the Report. */
  runMs: number;
  renderMs: number;
  /** runMs + renderMs. */
  engineMs: number;
  reps: number;
  /** Live heap after a full GC (needs --expose-gc): the snapshot alone, and with the Report. */
  heapSnapshotMB?: number;
  heapReportMB?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = (): number | undefined => {
  if (!gc) return undefined;
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

function buildSnapshot(objects: Obj[]): Snapshot {
  const b = new SnapshotBuilder({ kind: 'file', description: 'bench' }, CLOCK);
  for (const o of objects) b.addObject(o);
  return b.finishOffline();
}

/**
 * Like a live scan: every list page of 500 goes through JSON text, so the snapshot holds the
 * flat strings JSON.parse makes (the generator's own strings are concatenations that cost more).
 */
function pagedSnapshot(pods: number, seed: number): Snapshot {
  const c = generateCluster({ pods, seed });
  const b = new SnapshotBuilder({ kind: 'file', description: 'bench' }, CLOCK);
  for (const list of [c.pods, c.events, c.secrets, c.serviceAccounts, c.nodes]) {
    for (let i = 0; i < list.length; i += 500) for (const o of JSON.parse(JSON.stringify(list.slice(i, i + 500))) as Obj[]) b.addObject(o);
  }
  return b.finishOffline();
}

/** Live heap of the snapshot alone and with the Report (run with --expose-gc). */
function memory(pods: number, seed: number): Pick<EngineResult, 'heapSnapshotMB' | 'heapReportMB'> {
  const snapshot = pagedSnapshot(pods, seed);
  const heapSnapshotMB = heapMB();
  const report = runEngine(snapshot, RULES, new Date(CLOCK));
  const heapReportMB = heapMB();
  if (!report.summary.podsScanned) throw new Error('no pods');
  return { ...(heapSnapshotMB ? { heapSnapshotMB } : {}), ...(heapReportMB ? { heapReportMB } : {}) };
}

function main(): void {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as { pods: number; seed: number; reps: number; memory?: boolean };
  if (cfg.memory) {
    process.stdout.write(`${JSON.stringify(memory(cfg.pods, cfg.seed))}\n`);
    return;
  }
  const cluster = generateCluster({ pods: cfg.pods, seed: cfg.seed });
  const objects: Obj[] = [cluster.pods, cluster.events, cluster.secrets, cluster.serviceAccounts, cluster.nodes].flat();
  const now = new Date(CLOCK);
  const t: Record<'reduce' | 'prepare' | 'run' | 'render', number[]> = { reduce: [], prepare: [], run: [], render: [] };
  let findings = 0;
  let failing = 0;
  let eventsKept = 0;
  const reps = Math.max(1, Math.min(50, cfg.reps));
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    const snapshot = buildSnapshot(objects);
    let t1 = performance.now();
    t.reduce.push(t1 - t0);
    eventsKept = snapshot.events.length;

    t0 = performance.now();
    const b = new ContextBuilder(snapshot, now);
    let containers = 0;
    for (const pod of snapshot.pods) containers += b.build(pod).containers.length;
    t1 = performance.now();
    t.prepare.push(t1 - t0);
    if (!containers) throw new Error('no containers');

    t0 = performance.now();
    const report = runEngine(snapshot, RULES, now);
    t1 = performance.now();
    t.run.push(t1 - t0);
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
    eventsKept,
    findings,
    podsWithPullProblems: failing,
    reduceMs: m('reduce'),
    prepareMs: m('prepare'),
    runMs: m('run'),
    renderMs: m('render'),
    engineMs: median(t.run.map((r, i) => r + (t.render[i] ?? 0))),
    reps,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
