/**
 * The engine: Snapshot → PullContexts → rule hits → Findings → Report. Pure; rules are
 * passed in (the registry lives in rules/index.ts).
 */
import { createHash } from 'node:crypto';
import type { Rule } from '../../rules/types.js';
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
import type { Snapshot } from '../model/snapshot.js';
import { toCredentialView } from '../credentials/index.js';
import { buildContexts } from './context.js';
import type { PullContext } from './types.js';

export const TOOL_VERSION = '0.1.0';

export interface PreparedScan {
  snapshot: Snapshot;
  contexts: PullContext[];
}

export function prepare(snapshot: Snapshot, now = new Date()): PreparedScan {
  return { snapshot, contexts: buildContexts(snapshot, now) };
}

/** What the registry probe needs per container (structurally the probe's ProbeTarget). */
export interface ProbeRequest {
  key: string;
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
  credentials: NonNullable<PullContext['containers'][number]['lookup']>['credentials'];
}

export const probeKey = (ctx: PullContext, container: string) =>
  `${ctx.cluster ?? ''}/${ctx.namespace}/${ctx.podName}/${container}`;

/** The images to probe: failing pulls only, or every image with mode `all`. */
export function probeRequests(prep: PreparedScan, mode: 'failing' | 'all', filter?: (ctx: PullContext) => boolean): ProbeRequest[] {
  const out: ProbeRequest[] = [];
  for (const ctx of prep.contexts) {
    if (filter && !filter(ctx)) continue;
    for (const c of ctx.containers) {
      if (!c.parse.ok || !c.lookup) continue;
      if (mode === 'failing' && !c.failure) continue;
      const { domain, path, tag, digest } = c.parse.ref;
      const r: ProbeRequest = { key: probeKey(ctx, c.name), domain, path, credentials: c.lookup.credentials };
      if (tag) r.tag = tag;
      if (digest) r.digest = digest;
      out.push(r);
    }
  }
  return out;
}

export function attachProbes(prep: PreparedScan, probes: Map<string, ContainerProbe>): void {
  for (const ctx of prep.contexts) {
    for (const c of ctx.containers) {
      const p = probes.get(probeKey(ctx, c.name));
      if (p) c.probe = p;
    }
  }
}

interface Draft {
  hit: RuleHit;
  rule: Rule;
  ctx: PullContext;
  groupKey: string;
}

function findingId(parts: (string | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => p ?? '').join('\0')).digest('hex').slice(0, 12);
}

/** Run every rule over every context; group equal hits across pods of one workload. */
export function evaluate(prep: PreparedScan, rules: readonly Rule[]): Finding[] {
  const regular = rules.filter((r) => !r.meta.fallback);
  const fallback = rules.filter((r) => r.meta.fallback);
  const drafts: Draft[] = [];
  for (const ctx of prep.contexts) {
    const explained = new Set<string>();
    const run = (rule: Rule) => {
      for (const hit of rule.check(ctx, { explainedContainers: explained })) {
        if (hit.container) explained.add(hit.container);
        const groupKey = [
          ctx.cluster,
          rule.meta.id,
          ctx.namespace,
          ctx.workload.kind,
          ctx.workload.name,
          hit.container,
          hit.secret,
          hit.image,
        ].join('\0');
        drafts.push({ hit, rule, ctx, groupKey });
      }
    };
    regular.forEach(run);
    // A finding about a pod-level cause (e.g. a poisoned keyring) explains every failing container.
    fallback.forEach(run);
  }

  const byKey = new Map<string, Finding>();
  const causes: { finding: Finding; causedBy: NonNullable<RuleHit['causedBy']>; ctx: PullContext }[] = [];
  for (const d of drafts) {
    const existing = byKey.get(d.groupKey);
    if (existing) {
      if (!existing.pods.includes(d.ctx.podName)) existing.pods.push(d.ctx.podName);
      continue;
    }
    const f: Finding = {
      id: findingId(d.groupKey.split('\0')),
      rule: d.rule.meta.id,
      title: d.rule.meta.title,
      severity: d.hit.severity ?? d.rule.meta.severity,
      confidence: d.hit.confidence ?? d.rule.meta.confidence,
      namespace: d.ctx.namespace,
      pod: d.ctx.podName,
      pods: [d.ctx.podName],
      workload: d.ctx.workload,
      message: d.hit.message,
      evidence: d.hit.evidence,
      remediation: d.hit.remediation,
      unverified: d.hit.unverified ?? [],
      related: [],
      runbook: `rules/${d.rule.meta.id}.md`,
    };
    if (d.ctx.cluster) f.cluster = d.ctx.cluster;
    if (d.hit.container) f.container = d.hit.container;
    if (d.hit.image !== undefined) f.image = d.hit.image;
    if (d.hit.secret) f.secret = d.hit.secret;
    byKey.set(d.groupKey, f);
    if (d.hit.causedBy?.length) causes.push({ finding: f, causedBy: d.hit.causedBy, ctx: d.ctx });
  }
  const findings = [...byKey.values()];

  // Link effects to causes within the same workload.
  for (const { finding, causedBy } of causes) {
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
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const workloads = new Set(findings.map((f) => `${f.cluster ?? ''}/${f.namespace}/${f.workload.kind}/${f.workload.name}`));
  const s = prep.snapshot;
  return {
    schemaVersion: 1,
    tool: { name: 'pulldoctor', version: TOOL_VERSION },
    source: s.source,
    generatedAt: generatedAt.toISOString(),
    summary: {
      podsScanned: s.pods.length,
      podsWithPullProblems: failing.size,
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

/** Convenience: the whole pipeline for one snapshot, no probes. */
export function runEngine(snapshot: Snapshot, rules: readonly Rule[], now = new Date()): Report {
  const prep = prepare(snapshot, now);
  return buildReport(prep, evaluate(prep, rules), now);
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
