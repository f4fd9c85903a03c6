/** Shared steps of the runtime-failure rule tests, on top of test/rules/runtime-helpers.ts. */
import { expect } from 'vitest';
import type { ContainerProbe, Finding, Report } from '../../src/model/finding.js';
import { fixture, only, rulesOf, scan } from '../rules/runtime-helpers.js';

/** Scan `paths` (the rule's fires fixture by default) and return the report with the rule's one finding. */
export async function scanOnly(rule: string, paths: string[] = [fixture(rule)], probes: Record<string, ContainerProbe> = {}): Promise<{ report: Report; f: Finding }> {
  const { report } = await scan(paths, probes);
  return { report, f: only(report, rule) };
}

/** The rule does not fire on its healthy twin (quiet.yaml). */
export async function expectQuietTwin(rule: string): Promise<void> {
  const { report } = await scan([fixture(rule, 'quiet.yaml')]);
  expect(rulesOf(report)).not.toContain(rule);
}
