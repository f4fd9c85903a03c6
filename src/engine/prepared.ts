/**
 * The engine with every pod's PullContext held at once, for tests and tools that inspect or
 * modify contexts (e.g. attach recorded probe answers) before the rules run. A scan goes
 * through ./analyse.ts, which holds one context at a time; both give the same report.
 */
import type { ContainerProbe, Finding, Report } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { buildContexts } from './context.js';
import { FindingCollector } from './findings.js';
import { hasFailingPull, podReport } from './pod-report.js';
import { attachProbesTo } from './probe-targets.js';
import { assembleReport } from './report.js';
import type { Rule } from './rule.js';
import type { PullContext } from './types.js';

export interface PreparedScan {
  snapshot: Snapshot;
  contexts: PullContext[];
}

/** Every pod's PullContext at once. */
export function prepare(snapshot: Snapshot, now = new Date()): PreparedScan {
  return { snapshot, contexts: buildContexts(snapshot, now) };
}

/** Put probe answers (keyed by probeKey) on the contexts' containers. */
export function attachProbes(prep: PreparedScan, probes: Map<string, ContainerProbe>): void {
  for (const ctx of prep.contexts) attachProbesTo(ctx, probes);
}

/** Run every rule over every context; group equal hits across pods of one workload. */
export function evaluate(prep: PreparedScan, rules: readonly Rule[]): Finding[] {
  const collector = new FindingCollector(rules, false);
  for (const ctx of prep.contexts) collector.add(ctx);
  return collector.findings();
}

/** The report of the prepared scan with these findings (pod entries for the pods they name). */
export function buildReport(prep: PreparedScan, findings: Finding[], generatedAt = new Date()): Report {
  const withFindings = new Set(findings.flatMap((f) => f.pods.map((p) => `${f.cluster ?? ''}/${f.namespace}/${p}`)));
  const pods = prep.contexts
    .filter((c) => withFindings.has(`${c.cluster ?? ''}/${c.namespace}/${c.podName}`))
    .map(podReport);
  const failing = new Set(prep.contexts.filter(hasFailingPull).map((c) => `${c.namespace}/${c.podName}`));
  return assembleReport(prep.snapshot, findings, pods, failing.size, generatedAt);
}
