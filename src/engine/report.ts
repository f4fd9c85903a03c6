/** The Report: one snapshot's findings and pod entries with their summary, and fleet merging. */
import type { Finding, PodReport, Report, Severity } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { packageVersion } from '../paths.js';
import { annotateFindings, isComplete, skippedOf } from './completeness.js';
import { sortFindings } from './findings.js';

function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/**
 * One snapshot's report from its sorted findings, the entries of pods with findings and the count
 * of pods with a failing pull. Completeness is decided here, from the snapshot, for every source;
 * findings that needed an input the source could not read say so.
 */
export function assembleReport(s: Snapshot, findings: Finding[], pods: PodReport[], failingPods: number, generatedAt: Date): Report {
  const skipped = skippedOf(s);
  annotateFindings(findings, pods, skipped);
  const cluster = s.source.cluster;
  const workloads = new Set(findings.map((f) => `${f.cluster ?? ''}/${f.namespace}/${f.workload.kind}/${f.workload.name}`));
  return {
    schemaVersion: 1,
    tool: { name: 'pulldoctor', version: packageVersion() },
    source: s.source,
    generatedAt: generatedAt.toISOString(),
    summary: {
      podsScanned: s.pods.length,
      podsWithPullProblems: failingPods,
      workloadsAffected: workloads.size,
      findings: countBySeverity(findings),
      complete: isComplete(s, skipped),
      skipped: cluster ? skipped.map((e) => ({ ...e, cluster })) : skipped,
    },
    findings,
    pods,
    accessProblems: s.source.cluster ? s.accessProblems.map((a) => ({ ...a, cluster: s.source.cluster })) : s.accessProblems,
    skipped: s.skipped,
    errors: [],
  };
}

/** Fleet mode: one report for several clusters. */
export function mergeReports(reports: Report[], errors: { cluster: string; message: string }[] = []): Report {
  const first = reports[0];
  const findings = sortFindings(reports.flatMap((r) => r.findings));
  const clusters = reports.map((r) => r.source.cluster ?? r.source.context ?? '').filter(Boolean);
  return {
    schemaVersion: 1,
    tool: { name: 'pulldoctor', version: packageVersion() },
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
      findings: countBySeverity(findings),
      complete: errors.length === 0 && reports.every((r) => r.summary.complete && r.errors.length === 0),
      skipped: reports.flatMap((r) => r.summary.skipped),
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
