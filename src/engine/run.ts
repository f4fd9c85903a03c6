/**
 * The engine: Snapshot → PullContexts → rule hits → Findings → Report. Pure; rules are
 * passed in (the registry lives in rules/index.ts).
 */
import { createHash } from 'node:crypto';
import {
  SEVERITY_RANK,
  type ContainerProbe,
  type ContainerReport,
  type Finding,
  type PodReport,
  type Report,
  type RuleHit,
  type Severity,
} from '../model/finding.js';
import type { Pod } from '../model/kube.js';
import type { ProbeTarget } from '../model/probe.js';
import type { Snapshot } from '../model/snapshot.js';
import { toCredentialView } from '../credentials/index.js';
import { buildContexts, ContextBuilder } from './context.js';
import type { Rule } from './rule.js';
import type { PullContext } from './types.js';

export const TOOL_VERSION = '0.1.0';

export interface PreparedScan {
  snapshot: Snapshot;
  contexts: PullContext[];
}

/**
 * Every pod's PullContext at once. For tests and tools that inspect contexts; a scan goes
 * through `analyseSnapshot`/`runEngine`, which hold one context at a time.
 */
export function prepare(snapshot: Snapshot, now = new Date()): PreparedScan {
  return { snapshot, contexts: buildContexts(snapshot, now) };
}

export const probeKey = (ctx: PullContext, container: string) =>
  `${ctx.cluster ?? ''}/${ctx.namespace}/${ctx.podName}/${container}`;

export type ProbeMode = 'failing' | 'all';

/** The images of one pod to probe: failing pulls only, or every image with mode `all`. */
export function probeRequestsOf(ctx: PullContext, mode: ProbeMode, filter?: (ctx: PullContext) => boolean): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  if (filter && !filter(ctx)) return out;
  for (const c of ctx.containers) {
    if (!c.parse.ok || !c.lookup) continue;
    if (mode === 'failing' && !c.failure) continue;
    const { domain, path, tag, digest } = c.parse.ref;
    const r: ProbeTarget = { key: probeKey(ctx, c.name), domain, path, credentials: c.lookup.credentials };
    if (tag) r.tag = tag;
    if (digest) r.digest = digest;
    out.push(r);
  }
  return out;
}

/** The images to probe: failing pulls only, or every image with mode `all`. */
export function probeRequests(prep: PreparedScan, mode: ProbeMode, filter?: (ctx: PullContext) => boolean): ProbeTarget[] {
  return prep.contexts.flatMap((ctx) => probeRequestsOf(ctx, mode, filter));
}

function attachProbesTo(ctx: PullContext, probes: Map<string, ContainerProbe>): void {
  for (const c of ctx.containers) {
    const p = probes.get(probeKey(ctx, c.name));
    if (p) c.probe = p;
  }
}

export function attachProbes(prep: PreparedScan, probes: Map<string, ContainerProbe>): void {
  for (const ctx of prep.contexts) attachProbesTo(ctx, probes);
}

function findingId(parts: (string | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => p ?? '').join('\0')).digest('hex').slice(0, 12);
}

/**
 * Runs the rules over one pod's context at a time and turns hits into findings as they come,
 * grouping equal hits across pods of one workload. Nothing of a context is kept but its
 * findings (and, for pods with findings, the pod's report entry when `keepPods` is set).
 */
class FindingCollector {
  private readonly regular: Rule[];
  private readonly fallback: Rule[];
  private readonly byKey = new Map<string, Finding>();
  private readonly causes: { finding: Finding; causedBy: NonNullable<RuleHit['causedBy']> }[] = [];
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
    if (ctx.containers.some((x) => x.failure)) this.failing.add(`${ctx.namespace}/${ctx.podName}`);
    const explained = new Set<string>();
    let hits = 0;
    const run = (rule: Rule) => {
      for (const hit of rule.check(ctx, { explainedContainers: explained })) {
        if (hit.container) explained.add(hit.container);
        hits++;
        this.record(ctx, rule, hit);
      }
    };
    this.regular.forEach(run);
    // A finding about a pod-level cause (e.g. a poisoned keyring) explains every failing container.
    this.fallback.forEach(run);
    if (hits && this.keepPods) this.pods.push(podReport(ctx));
  }

  private record(ctx: PullContext, rule: Rule, hit: RuleHit): void {
    const parts = [ctx.cluster, rule.meta.id, ctx.namespace, ctx.workload.kind, ctx.workload.name, hit.container, hit.secret, hit.image];
    const groupKey = parts.join('\0');
    const existing = this.byKey.get(groupKey);
    if (existing) {
      if (!existing.pods.includes(ctx.podName)) existing.pods.push(ctx.podName);
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
    this.byKey.set(groupKey, f);
    if (hit.causedBy?.length) this.causes.push({ finding: f, causedBy: hit.causedBy });
  }

  /** Link effects to causes within the same workload; sorted findings. */
  findings(): Finding[] {
    const findings = [...this.byKey.values()];
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

/** Run every rule over every context; group equal hits across pods of one workload. */
export function evaluate(prep: PreparedScan, rules: readonly Rule[]): Finding[] {
  const collector = new FindingCollector(rules, false);
  for (const ctx of prep.contexts) collector.add(ctx);
  return collector.findings();
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      (a.cluster ?? '').localeCompare(b.cluster ?? '') ||
      a.namespace.localeCompare(b.namespace) ||
      a.workload.name.localeCompare(b.workload.name) ||
      a.workload.kind.localeCompare(b.workload.kind) ||
      a.rule.localeCompare(b.rule) ||
      (a.container ?? '').localeCompare(b.container ?? '') ||
      (a.secret ?? '').localeCompare(b.secret ?? ''),
  );
}

function podReport(ctx: PullContext): PodReport {
  const containers: ContainerReport[] = ctx.containers.map((c) => {
    const r: ContainerReport = {
      name: c.name,
      kind: c.kind,
      image: c.image,
      pullPolicy: c.pullPolicy,
      credentials: (c.lookup?.credentials ?? []).map(toCredentialView),
    };
    if (c.parse.ok) {
      const { domain, path, tag, digest } = c.parse.ref;
      r.reference = { domain, path };
      if (tag) r.reference.tag = tag;
      if (digest) r.reference.digest = digest;
      r.lookup = c.parse.ref.name;
    } else {
      r.referenceError = c.parse.error;
    }
    if (c.waiting) r.waiting = { ...c.waiting };
    if (c.probe) r.probe = c.probe;
    return r;
  });
  const p: PodReport = {
    namespace: ctx.namespace,
    name: ctx.podName,
    workload: ctx.workload,
    serviceAccount: ctx.serviceAccount.name,
    imagePullSecrets: ctx.pullSecrets.map((s) => ({ name: s.name, status: s.status })),
    containers,
    accessProblems: ctx.accessProblems,
  };
  if (ctx.cluster) p.cluster = ctx.cluster;
  if (ctx.pod.spec.nodeName) p.node = ctx.pod.spec.nodeName;
  return p;
}

export function buildReport(prep: PreparedScan, findings: Finding[], generatedAt = new Date()): Report {
  const withFindings = new Set(findings.flatMap((f) => f.pods.map((p) => `${f.cluster ?? ''}/${f.namespace}/${p}`)));
  const pods = prep.contexts
    .filter((c) => withFindings.has(`${c.cluster ?? ''}/${c.namespace}/${c.podName}`))
    .map(podReport);
  const failing = new Set(
    prep.contexts.filter((c) => c.containers.some((x) => x.failure)).map((c) => `${c.namespace}/${c.podName}`),
  );
  return assembleReport(prep.snapshot, findings, pods, failing.size, generatedAt);
}

function assembleReport(s: Snapshot, findings: Finding[], pods: PodReport[], failingPods: number, generatedAt: Date): Report {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const workloads = new Set(findings.map((f) => `${f.cluster ?? ''}/${f.namespace}/${f.workload.kind}/${f.workload.name}`));
  return {
    schemaVersion: 1,
    tool: { name: 'pulldoctor', version: TOOL_VERSION },
    source: s.source,
    generatedAt: generatedAt.toISOString(),
    summary: {
      podsScanned: s.pods.length,
      podsWithPullProblems: failingPods,
      workloadsAffected: workloads.size,
      findings: counts,
    },
    findings,
    pods,
    accessProblems: s.source.cluster ? s.accessProblems.map((a) => ({ ...a, cluster: s.source.cluster })) : s.accessProblems,
    skipped: s.skipped,
    errors: [],
  };
}

export interface AnalyseOptions {
  /** Evaluate as of this time (default: now). */
  now?: Date;
  /** The registry probe: which images, and the function that probes them. */
  probe?: {
    mode: ProbeMode;
    filter?: (ctx: PullContext) => boolean;
    run: (requests: ProbeTarget[]) => Promise<Map<string, ContainerProbe>>;
  };
}

/**
 * The scan's engine: one pod at a time, Snapshot → PullContext → rules → findings, so the heap
 * holds the snapshot plus findings, never every pod's context. With a probe, a first pass keeps
 * the contexts of the pods whose images are probed (failing pods, unless mode `all`), the probe
 * runs, and the second pass evaluates those contexts and builds the others again.
 */
export async function analyseSnapshot(snapshot: Snapshot, rules: readonly Rule[], opts: AnalyseOptions = {}): Promise<Report> {
  const now = opts.now ?? new Date();
  const builder = new ContextBuilder(snapshot, now);
  const probe = opts.probe;
  let probed: Map<Pod, PullContext> | undefined;
  if (probe) {
    probed = new Map();
    const requests: ProbeTarget[] = [];
    for (const pod of snapshot.pods) {
      const ctx = builder.build(pod);
      const reqs = probeRequestsOf(ctx, probe.mode, probe.filter);
      if (!reqs.length) continue;
      probed.set(pod, ctx);
      requests.push(...reqs);
    }
    if (requests.length) {
      const results = await probe.run(requests);
      for (const ctx of probed.values()) attachProbesTo(ctx, results);
    }
  }
  const collector = new FindingCollector(rules, true);
  for (const pod of snapshot.pods) {
    const ctx = probed?.get(pod) ?? builder.build(pod);
    probed?.delete(pod);
    collector.add(ctx);
  }
  return assembleReport(snapshot, collector.findings(), collector.pods, collector.failing.size, now);
}

/** Convenience: the whole pipeline for one snapshot, no probes. */
export function runEngine(snapshot: Snapshot, rules: readonly Rule[], now = new Date()): Report {
  const builder = new ContextBuilder(snapshot, now);
  const collector = new FindingCollector(rules, true);
  for (const pod of snapshot.pods) collector.add(builder.build(pod));
  return assembleReport(snapshot, collector.findings(), collector.pods, collector.failing.size, now);
}

/** Fleet mode: one report for several clusters. */
export function mergeReports(reports: Report[], errors: { cluster: string; message: string }[] = []): Report {
  const first = reports[0];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const findings = sortFindings(reports.flatMap((r) => r.findings));
  for (const f of findings) counts[f.severity]++;
  const clusters = reports.map((r) => r.source.cluster ?? r.source.context ?? '').filter(Boolean);
  return {
    schemaVersion: 1,
    tool: { name: 'pulldoctor', version: TOOL_VERSION },
    source: {
      kind: first?.source.kind ?? 'cluster',
      description: reports.map((r) => r.source.description).join('; ') || 'no cluster could be scanned',
      clusters,
    },
    generatedAt: first?.generatedAt ?? new Date().toISOString(),
    summary: {
      podsScanned: reports.reduce((n, r) => n + r.summary.podsScanned, 0),
      podsWithPullProblems: reports.reduce((n, r) => n + r.summary.podsWithPullProblems, 0),
      workloadsAffected: reports.reduce((n, r) => n + r.summary.workloadsAffected, 0),
      findings: counts,
    },
    findings,
    pods: reports.flatMap((r) => r.pods),
    accessProblems: reports.flatMap((r) => r.accessProblems),
    skipped: reports.reduce<Record<string, number>>((acc, r) => {
      for (const [k, v] of Object.entries(r.skipped)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {}),
    errors: [...reports.flatMap((r) => r.errors), ...errors],
  };
}
