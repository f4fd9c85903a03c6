/** Load rule fixtures and run the engine on them at a fixed clock. */
import path from 'node:path';
import { RULES } from '../../rules/index.js';
import { collectFiles } from '../../src/collect/file.js';
import { prepare, evaluate, buildReport } from '../../src/engine/prepared.js';
import type { Report } from '../../src/model/finding.js';
import type { PreparedScan } from '../../src/engine/prepared.js';

import { ROOT } from './root.js';

export { ROOT };
/** The clock every fixture is written against. */
export const NOW = new Date('2026-11-28T12:00:00Z');

export const fixturePath = (rule: string, name: string) => path.join(ROOT, 'fixtures', rule, name);

export async function scanFixture(rule: string, name: string): Promise<{ report: Report; prep: PreparedScan }> {
  const snapshot = await collectFiles([fixturePath(rule, name)]);
  const prep = prepare(snapshot, NOW);
  return { report: buildReport(prep, evaluate(prep, RULES), NOW), prep };
}

export async function scanPaths(paths: string[]): Promise<Report> {
  const snapshot = await collectFiles(paths);
  const prep = prepare(snapshot, NOW);
  return buildReport(prep, evaluate(prep, RULES), NOW);
}
