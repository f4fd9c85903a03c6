/**
 * Rule hits → Findings: the rules run over one pod's context at a time, equal hits across the
 * pods of one workload become one finding (a message that names per-pod facts is rendered
 * after grouping, from every pod's facts), effects are linked to their causes, and the
 * findings come out in report order.
 */
import { createHash } from 'node:crypto';
import { SEVERITY_RANK, type Finding, type PodReport, type RuleHit } from '../model/finding.js';
import { hitLocation } from './locations.js';
import { hasFailingPull, podReport } from './pod-report.js';
import type { Hit, PerPodMessage, PodFacts, Rule } from './rule.js';
import type { PullContext } from './types.js';
import { compareText } from '../util/text.js';

function findingId(parts: (string | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => p ?? '').join('\0')).digest('hex').slice(0, 12);
}

/** The containers other rules explained, for a pod no hit named a container of yet (never written). */
const NONE_EXPLAINED: Set<string> = new Set();

/**
 * Runs the rules over one pod's context at a time and turns hits into findings as they come,
 * grouping equal hits across pods of one workload. Nothing of a context is kept but its
 * findings (and, for pods with findings, the pod's report entry when `keepPods` is set).
 */
export class FindingCollector {
  private readonly regular: Rule[];
  private readonly fallback: Rule[];
  private readonly byKey = new Map<string, Finding>();
  private readonly causes: { finding: Finding; causedBy: NonNullable<RuleHit['causedBy']> }[] = [];
  /** Findings whose message is rendered from every grouped pod's facts (rule.ts PerPodMessage). */
  private readonly perPod = new Map<Finding, { render: PerPodMessage['render']; pods: PodFacts[] }>();
  /** Report entries of pods with at least one hit, in scan order. */
  readonly pods: PodReport[] = [];
  /** `namespace/pod` of pods with a failing pull. */
  readonly failing = new Set<string>();

  constructor(
    rules: readonly Rule[],
    private readonly keepPods: boolean,
  ) {
    this.regular = rules.filter((r) => !r.meta.fallback);
    this.fallback = rules.filter((r) => r.meta.fallback);
  }

  add(ctx: PullContext): void {
    if (hasFailingPull(ctx)) this.failing.add(`${ctx.namespace}/${ctx.podName}`);
    // One state for the pod's rules; its set is made when a hit first names a container.
    const state: { explainedContainers: Set<string> } = { explainedContainers: NONE_EXPLAINED };
    let hits = 0;
    for (const rule of this.regular) hits += this.run(rule, ctx, state);
    // A finding about a pod-level cause (e.g. a poisoned keyring) explains every failing container.
    for (const rule of this.fallback) hits += this.run(rule, ctx, state);
    if (hits && this.keepPods) this.pods.push(podReport(ctx));
  }

  /** One rule over one pod: its hits recorded, the containers they name marked explained. */
  private run(rule: Rule, ctx: PullContext, state: { explainedContainers: Set<string> }): number {
    const hits = rule.check(ctx, state);
    for (const hit of hits) {
      if (hit.container) {
        if (state.explainedContainers === NONE_EXPLAINED) state.explainedContainers = new Set();
        state.explainedContainers.add(hit.container);
      }
      this.record(ctx, rule, hit);
    }
    return hits.length;
  }

  private record(ctx: PullContext, rule: Rule, hit: Hit): void {
    const parts = [ctx.cluster, rule.meta.id, ctx.namespace, ctx.workload.kind, ctx.workload.name, hit.container, hit.secret, hit.image];
    const groupKey = parts.join('\0');
    const existing = this.byKey.get(groupKey);
    if (existing) {
      if (existing.pods.includes(ctx.podName)) return;
      existing.pods.push(ctx.podName);
      if (hit.perPod) this.perPod.get(existing)?.pods.push({ pod: ctx.podName, facts: hit.perPod.facts });
      return;
    }
    const f: Finding = {
      id: findingId(groupKey.split('\0')),
      rule: rule.meta.id,
      title: rule.meta.title,
      severity: hit.severity ?? rule.meta.severity,
      confidence: hit.confidence ?? rule.meta.confidence,
      namespace: ctx.namespace,
      pod: ctx.podName,
      pods: [ctx.podName],
      workload: ctx.workload,
      message: hit.message,
      evidence: hit.evidence,
      remediation: hit.remediation,
      unverified: hit.unverified ?? [],
      related: [],
      runbook: `rules/${rule.meta.id}.md`,
    };
    if (ctx.cluster) f.cluster = ctx.cluster;
    if (hit.container) f.container = hit.container;
    if (hit.image !== undefined) f.image = hit.image;
    if (hit.secret) f.secret = hit.secret;
    const location = hitLocation(ctx, hit);
    if (location) f.location = location;
    this.byKey.set(groupKey, f);
    if (hit.perPod) this.perPod.set(f, { render: hit.perPod.render, pods: [{ pod: ctx.podName, facts: hit.perPod.facts }] });
    if (hit.causedBy?.length) this.causes.push({ finding: f, causedBy: hit.causedBy });
  }

  /** Link effects to causes within the same workload; sorted findings. */
  findings(): Finding[] {
    const findings = [...this.byKey.values()];
    for (const [f, { render, pods }] of this.perPod) f.message = render(pods);
    for (const { finding, causedBy } of this.causes) {
      for (const c of causedBy) {
        for (const other of findings) {
          if (other === finding || other.rule !== c.rule) continue;
          if (other.cluster !== finding.cluster || other.namespace !== finding.namespace) continue;
          if (other.workload.kind !== finding.workload.kind || other.workload.name !== finding.workload.name) continue;
          if (c.secret !== undefined && other.secret !== c.secret) continue;
          if (c.container !== undefined && other.container !== undefined && other.container !== c.container) continue;
          if (!finding.related.includes(other.id)) finding.related.push(other.id);
          if (!other.related.includes(finding.id)) other.related.push(finding.id);
        }
      }
    }
    return sortFindings(findings);
  }
}

/** Report order: most severe first, then cluster, namespace, workload, rule, container, secret. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      compareText(a.cluster ?? '', b.cluster ?? '') ||
      compareText(a.namespace, b.namespace) ||
      compareText(a.workload.name, b.workload.name) ||
      compareText(a.workload.kind, b.workload.kind) ||
      compareText(a.rule, b.rule) ||
      compareText(a.container ?? '', b.container ?? '') ||
      compareText(a.secret ?? '', b.secret ?? ''),
  );
}
