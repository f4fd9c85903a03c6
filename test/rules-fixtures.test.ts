/**
 * Every rule's fixtures, exactly: fires.yaml gives the findings written in fires.golden beside it
 * (rule, severity, confidence, subject, message, remediation, unverified lines, links — all of
 * them, to the character), quiet.yaml gives none of the rule's. Plus the catalogue's parity:
 * every rule has its source, runbook (four sections in order), fixtures and golden file.
 *
 * After a deliberate change of output: UPDATE_GOLDEN=1 npx vitest run test/rules-fixtures.test.ts
 * rewrites the golden files; review their diff like code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_RULES, RULES } from '../rules/index.js';
import { expectedFindings, expectGolden } from './helpers/golden.js';
import { findingsOf, fixturePath, ROOT, scanFixture } from './helpers/scan.js';
import { fixtureSecretValues } from './helpers/secrets.js';

const GOLDEN = 'fires.golden';
const header = (id: string) =>
  ` Findings of every rule on fixtures/${id}/fires.yaml (at 2026-11-28T12:00:00Z), exactly.\n` +
  ` Checked by test/rules-fixtures.test.ts; after a deliberate change of output rewrite with\n` +
  ` UPDATE_GOLDEN=1 npx vitest run test/rules-fixtures.test.ts and review the diff.`;

const secrets = fixtureSecretValues();

describe.each(RULES.map((r) => r.meta.id))('rule %s', (id) => {
  it(`fires on fixtures/${id}/fires.yaml exactly as its ${GOLDEN} says`, async () => {
    const { report } = await scanFixture(id, 'fires.yaml');
    const mine = findingsOf(report, id);
    expect(mine.length, `rule ${id} did not fire; findings: ${report.findings.map((f) => f.rule).join(', ')}`).toBeGreaterThan(0);
    for (const f of mine) {
      expect(f.evidence.length, `${id}: a finding without evidence`).toBeGreaterThan(0);
      expect(f.remediation.length, `${id}: a finding without remediation`).toBeGreaterThan(0);
    }
    expectGolden(fixturePath(id, GOLDEN), expectedFindings(report), header(id));
    // A golden file is a reviewed copy of output: no secret value may end up in one.
    const golden = readFileSync(fixturePath(id, GOLDEN), 'utf8');
    for (const s of secrets) expect(golden.includes(s), `${GOLDEN} of ${id} contains secret value ${s.slice(0, 3)}…`).toBe(false);
  });

  it(`stays quiet on fixtures/${id}/quiet.yaml`, async () => {
    const { report } = await scanFixture(id, 'quiet.yaml');
    expect(findingsOf(report, id)).toEqual([]);
  });
});

describe('rule catalogue parity', () => {
  it.each(RULES.map((r) => r.meta.id))('%s has runbook, fixtures, golden file, and the four sections in order', (id) => {
    expect(existsSync(path.join(ROOT, 'rules', `${id}.ts`))).toBe(true);
    expect(existsSync(fixturePath(id, 'fires.yaml'))).toBe(true);
    expect(existsSync(fixturePath(id, 'quiet.yaml'))).toBe(true);
    expect(existsSync(fixturePath(id, GOLDEN))).toBe(true);
    const md = readFileSync(path.join(ROOT, 'rules', `${id}.md`), 'utf8');
    expect(md.startsWith(`# ${id}\n`)).toBe(true);
    const idx = ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation'].map((h) => md.indexOf(`\n${h}\n`));
    expect(idx.every((i) => i > 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });

  it('ids are unique and sorted', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('every fixture directory belongs to a rule (or is the demo), and holds no stray golden file', () => {
    // Node rules (test/node-rules-fixtures.test.ts) keep fake node roots there too.
    const ids = new Set([...RULES, ...NODE_RULES].map((r) => r.meta.id));
    const dirs = readdirSync(path.join(ROOT, 'fixtures'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    // fixtures/check holds `pulldoctor check`'s manifest directories (test/check-rules-fixtures.test.ts).
    expect(dirs.filter((d) => d !== 'demo' && d !== 'check' && !ids.has(d))).toEqual([]);
    for (const d of dirs) {
      const goldens = readdirSync(path.join(ROOT, 'fixtures', d)).filter((f) => f.endsWith('.golden'));
      expect(goldens, d).toEqual(d === 'demo' || d === 'check' ? [] : [GOLDEN]);
    }
  });
});
