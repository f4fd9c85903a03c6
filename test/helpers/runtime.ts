/** What the runtime-failure rule tests share: the rule list, the no-double-reporting check, fake probes. */
import { expect } from 'vitest';
import type { ContainerProbe, Report } from '../../src/model/finding.js';

/** Every runtime-failure rule; a failing container must get exactly one of them. */
export const RUNTIME_RULES = [
  'registry-auth-rejected',
  'registry-access-denied',
  'image-not-found',
  'registry-rate-limited',
  'registry-tls-error',
  'registry-unreachable',
  'image-platform-mismatch',
  'image-reference-invalid',
  'image-never-pull-absent',
  'image-signature-rejected',
  'image-short-name-unresolved',
  'image-pull-node-error',
  'image-pull-failed-unexplained',
];

/** One runtime finding per failing container: no double reporting across these rules. */
export function expectOneRuntimeFindingPerContainer(report: Report): void {
  const seen = new Map<string, string[]>();
  for (const f of report.findings) {
    if (!RUNTIME_RULES.includes(f.rule) || !f.container) continue;
    const key = `${f.namespace}/${f.pod}/${f.container}`;
    seen.set(key, [...(seen.get(key) ?? []), f.rule]);
  }
  for (const [key, rules] of seen) expect(rules, key).toHaveLength(1);
}

/** A registry probe result as `--probe` attaches it, run from a test workstation. */
export function probe(outcome: ContainerProbe['outcome'], attempts: ContainerProbe['attempts'], registry = 'registry'): ContainerProbe {
  return { from: 'workstation (test)', registry, attempts, outcome };
}
