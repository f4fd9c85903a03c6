/**
 * The scan's engine: Snapshot → PullContext → rules → findings → Report, one pod at a time,
 * so the heap holds the snapshot plus findings, never every pod's context. Pure; rules are
 * passed in (the registry lives in rules/index.ts).
 */
import type { ContainerProbe, Report } from '../model/finding.js';
import type { Pod } from '../model/kube.js';
import type { ProbeTarget } from '../model/probe.js';
import type { Snapshot } from '../model/snapshot.js';
import { ContextBuilder } from './context.js';
import { FindingCollector } from './findings.js';
import { attachProbesTo, probeTargetsOf, type ProbeMode } from './probe-targets.js';
import { assembleReport } from './report.js';
import type { Rule } from './rule.js';
import type { PullContext } from './types.js';

export interface AnalyseOptions {
  /** Evaluate as of this time (default: now). */
  now?: Date;
  /** The registry probe: which images, and the function that probes them. */
  probe?: {
    mode: ProbeMode;
    filter?: (ctx: PullContext) => boolean;
    run: (targets: ProbeTarget[]) => Promise<Map<string, ContainerProbe>>;
  };
}

/**
 * Every pod through the rules, in snapshot order. A pod whose context is in `built` (already
 * built and probed) uses that context, which is then dropped; the others are built here.
 */
function analysePods(snapshot: Snapshot, rules: readonly Rule[], builder: ContextBuilder, now: Date, built?: Map<Pod, PullContext>): EngineResult {
  const collector = new FindingCollector(rules, true);
  for (const pod of snapshot.pods) {
    const ctx = built?.get(pod) ?? builder.build(pod);
    built?.delete(pod);
    collector.add(ctx);
  }
  const report = assembleReport(snapshot, collector.findings(), collector.pods, collector.failing.size, now);
  return { report, failingPods: collector.failing };
}

/** A report, and the pods behind its `podsWithPullProblems` count (for per-namespace counts). */
export interface EngineResult {
  report: Report;
  /** `namespace/pod` of every pod with a failing pull. */
  failingPods: ReadonlySet<string>;
}

/**
 * The probe's pass: build every pod's context, keep those with images to probe (failing pods,
 * unless mode `all`), probe them all at once and attach the answers.
 */
async function probePods(snapshot: Snapshot, builder: ContextBuilder, probe: NonNullable<AnalyseOptions['probe']>): Promise<Map<Pod, PullContext>> {
  const probed = new Map<Pod, PullContext>();
  const targets: ProbeTarget[] = [];
  for (const pod of snapshot.pods) {
    const ctx = builder.build(pod);
    const t = probeTargetsOf(ctx, probe.mode, probe.filter);
    if (!t.length) continue;
    probed.set(pod, ctx);
    targets.push(...t);
  }
  if (targets.length) {
    const results = await probe.run(targets);
    for (const ctx of probed.values()) attachProbesTo(ctx, results);
  }
  return probed;
}

/**
 * The whole pipeline for one snapshot. With a probe, a first pass keeps the contexts of the
 * pods whose images are probed, the probe runs, and the second pass evaluates those contexts
 * and builds the others again.
 */
export async function analyseSnapshot(snapshot: Snapshot, rules: readonly Rule[], opts: AnalyseOptions = {}): Promise<Report> {
  const now = opts.now ?? new Date();
  const builder = new ContextBuilder(snapshot, now);
  const probed = opts.probe ? await probePods(snapshot, builder, opts.probe) : undefined;
  return analysePods(snapshot, rules, builder, now, probed).report;
}

/** The same pipeline without a probe, synchronous. */
export function runEngine(snapshot: Snapshot, rules: readonly Rule[], now = new Date()): Report {
  return runEngineDetailed(snapshot, rules, now).report;
}

/** `runEngine`, also naming the pods with a failing pull (serve's per-namespace gauge). */
export function runEngineDetailed(snapshot: Snapshot, rules: readonly Rule[], now = new Date()): EngineResult {
  return analysePods(snapshot, rules, new ContextBuilder(snapshot, now), now);
}
