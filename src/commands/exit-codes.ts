/** The CLI's exit codes, and the one a scan's report gives under `--fail-on`. */
import { SEVERITY_RANK, type Report, type Severity } from '../model/finding.js';

export const EXIT = { OK: 0, FINDINGS: 1, USAGE: 2, INTERNAL: 3 } as const;

export type FailOn = Severity | 'never';

/**
 * 2 when the answer is incomplete (pods unreadable in a scope, a pod skipped as malformed, nothing
 * usable in the input, a cluster not scanned), whatever `--fail-on` says: an incomplete scan is
 * never a pass. Otherwise 1 when a finding is at or above `failOn`.
 */
export function exitCodeFor(report: Report, failOn: FailOn): number {
  if (!report.summary.complete || report.errors.length) return EXIT.USAGE;
  if (failOn === 'never') return EXIT.OK;
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? EXIT.FINDINGS : EXIT.OK;
}
