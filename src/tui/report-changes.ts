/**
 * How a new report changes what the UI shows: findings that disappeared stay as resolved for a
 * few refreshes, and a probe's findings replace those of the probed workload only.
 */
import { SEVERITY_RANK, type Report, type Severity } from '../model/finding.js';
import { findingWorkloadKey, workloadKey } from './format.js';
import type { ResolvedFinding } from './types.js';

/** How many refreshes a disappeared finding stays visible as fixed (interval rescans). */
export const RESOLVED_REFRESHES = 2;

/** How long a disappeared finding stays visible as fixed when watching a live cluster. */
export const FIXED_MS = 8_000;

/**
 * Fixed findings after `next` replaced `prev`: new ones added, old ones aged, returning ones
 * dropped. With `live` (epoch ms now) they last FIXED_MS instead of RESOLVED_REFRESHES refreshes:
 * a live cluster sends updates at any pace.
 */
export function diffResolved(prev: Report | undefined, next: Report, resolved: ResolvedFinding[], live?: { now: number }): ResolvedFinding[] {
  const nextIds = new Set(next.findings.map((f) => f.id));
  const kept = resolved
    .filter((r) => !nextIds.has(r.finding.id))
    .map((r) => (r.until !== undefined ? r : { ...r, ttl: r.ttl - 1 }))
    .filter((r) => (r.until !== undefined ? !live || r.until > live.now : r.ttl > 0));
  if (!prev) return kept;
  const known = new Set(kept.map((r) => r.finding.id));
  for (const f of prev.findings) {
    if (nextIds.has(f.id) || known.has(f.id)) continue;
    kept.push(live ? { finding: f, ttl: RESOLVED_REFRESHES, until: live.now + FIXED_MS } : { finding: f, ttl: RESOLVED_REFRESHES });
  }
  return kept;
}

/** Fixed findings still shown at `now` (epoch ms). */
export function unexpired(resolved: ResolvedFinding[], now: number): ResolvedFinding[] {
  const left = resolved.filter((r) => r.until === undefined || r.until > now);
  return left.length === resolved.length ? resolved : left;
}

/** What a probe of workload `key` answered for: the workload's findings (ids, images) in `report`. */
export function probeBasis(report: Report | undefined, key: string): string {
  if (!report) return '';
  return report.findings
    .filter((f) => findingWorkloadKey(f) === key)
    .map((f) => `${f.id}\t${f.image ?? ''}`)
    .sort()
    .join('\n');
}

/** `report` with the findings and pods of workload `key` taken from `probed`; summary recounted. */
export function mergeProbe(report: Report, key: string, probed: Report): Report {
  const findings = report.findings
    .filter((f) => findingWorkloadKey(f) !== key)
    .concat(probed.findings.filter((f) => findingWorkloadKey(f) === key));
  findings.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.namespace.localeCompare(b.namespace) || a.workload.name.localeCompare(b.workload.name),
  );
  const podKey = (p: { cluster?: string; namespace: string; workload: { kind: string; name: string } }) =>
    workloadKey({ cluster: p.cluster, namespace: p.namespace, kind: p.workload.kind, name: p.workload.name });
  const probedPods = probed.pods.filter((p) => podKey(p) === key);
  const pods = probedPods.length ? report.pods.filter((p) => podKey(p) !== key).concat(probedPods) : report.pods;
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const workloads = new Set(findings.map(findingWorkloadKey));
  return { ...report, findings, pods, summary: { ...report.summary, findings: counts, workloadsAffected: workloads.size } };
}
