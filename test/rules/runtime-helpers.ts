/**
 * Test helpers for the runtime-failure rules: scan a fixture, or a variant of it with text
 * edits, optionally with fake registry probe results attached the way `--probe` attaches them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { RULES } from '../../rules/index.js';
import { collectFiles } from '../../src/collect/file.js';
import { attachProbes, buildReport, evaluate, prepare, type PreparedScan } from '../../src/engine/prepared.js';
import { probeKey } from '../../src/engine/probe-targets.js';
import type { ContainerProbe, Finding, Report } from '../../src/model/finding.js';
import { fixturePath, NOW } from '../helpers/fixtures.js';

/** Write a copy of a fixture with exact-text replacements (each must occur). */
export function variant(rule: string, file: string, edits: [string, string][]): string {
  let text = readFileSync(fixturePath(rule, file), 'utf8');
  for (const [from, to] of edits) {
    expect(text.includes(from), `fixture ${rule}/${file} lacks ${JSON.stringify(from)}`).toBe(true);
    text = text.split(from).join(to);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'pd-rule-'));
  const out = path.join(dir, `${rule}-${file}`);
  writeFileSync(out, text);
  return out;
}

/** Scan files; `probes` maps a container name to the probe result attached to it (every pod). */
export async function scan(paths: string[], probes: Record<string, ContainerProbe> = {}): Promise<{ report: Report; prep: PreparedScan }> {
  const snapshot = await collectFiles(paths);
  const prep = prepare(snapshot, NOW);
  const map = new Map<string, ContainerProbe>();
  for (const ctx of prep.contexts) for (const c of ctx.containers) if (probes[c.name]) map.set(probeKey(ctx, c.name), probes[c.name] as ContainerProbe);
  attachProbes(prep, map);
  return { report: buildReport(prep, evaluate(prep, RULES), NOW), prep };
}

export const fixture = (rule: string, file = 'fires.yaml') => fixturePath(rule, file);

export function only(report: Report, rule: string): Finding {
  const mine = report.findings.filter((f) => f.rule === rule);
  expect(mine, `findings: ${report.findings.map((f) => f.rule).join(', ')}`).toHaveLength(1);
  return mine[0] as Finding;
}

export const rulesOf = (report: Report) => report.findings.map((f) => f.rule).sort();

export function relatedRules(report: Report, f: Finding): string[] {
  return f.related.map((id) => report.findings.find((x) => x.id === id)?.rule ?? '?').sort();
}

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

export function probe(outcome: ContainerProbe['outcome'], attempts: ContainerProbe['attempts'], registry = 'registry'): ContainerProbe {
  return { from: 'workstation (test)', registry, attempts, outcome };
}
