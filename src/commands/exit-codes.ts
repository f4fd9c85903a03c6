/** The CLI's exit codes, and the one a scan's report gives under `--fail-on`. */
import { SEVERITY_RANK, type Report, type Severity } from '../model/finding.js';

export const EXIT = { OK: 0, FINDINGS: 1, USAGE: 2, INTERNAL: 3 } as const;

export type FailOn = Severity | 'never';

export function exitCodeFor(report: Report, failOn: FailOn): number {
  if (failOn === 'never') return EXIT.OK;
  if (report.errors.length) return EXIT.USAGE;
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? EXIT.FINDINGS : EXIT.OK;
}
