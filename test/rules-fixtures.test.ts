import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { ROOT, scanFixture } from './helpers/scan.js';

describe.each(RULES.map((r) => [r.meta.id, r] as const))('rule %s', (id) => {
  it('fires on fixtures/<id>/fires.yaml', async () => {
    const { report } = await scanFixture(id, 'fires.yaml');
    const mine = report.findings.filter((f) => f.rule === id);
    expect(mine.length, `rule ${id} did not fire; findings: ${report.findings.map((f) => f.rule).join(', ')}`).toBeGreaterThan(0);
    for (const f of mine) {
      expect(f.message.length).toBeGreaterThan(20);
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.remediation.length).toBeGreaterThan(0);
    }
  });

  it('stays quiet on fixtures/<id>/quiet.yaml', async () => {
    const { report } = await scanFixture(id, 'quiet.yaml');
    expect(report.findings.filter((f) => f.rule === id)).toEqual([]);
  });
});

describe('rule catalogue parity', () => {
  it.each(RULES.map((r) => r.meta.id))('%s has runbook, fixtures, and the four sections in order', (id) => {
    expect(existsSync(path.join(ROOT, 'rules', `${id}.ts`))).toBe(true);
    expect(existsSync(path.join(ROOT, 'fixtures', id, 'fires.yaml'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'fixtures', id, 'quiet.yaml'))).toBe(true);
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
});
