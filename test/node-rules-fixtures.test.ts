/**
 * Every node rule (`pulldoctor node`) on its fake node filesystems, exactly: fixtures/<rule>/fires/
 * is a node's root (--root) and fires.args the rest of the command line; the findings must be
 * those of fires.golden, to the character. quiet/ with quiet.args gives none of the rule's. Plus
 * the catalogue parity for node rules: source, runbook (four sections in order), both roots, both
 * argument files and the golden file. Node fixtures run plugins (shell scripts) with --probe,
 * hence the e2e project.
 *
 * After a deliberate change of output: UPDATE_GOLDEN=1 npx vitest run test/node-rules-fixtures.test.ts
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_RULES } from '../rules/index.js';
import type { Report } from '../src/model/finding.js';
import { runMain } from './helpers/cli.js';
import { expectedFindings, expectGolden } from './helpers/golden.js';
import { ROOT } from './helpers/root.js';

const NOW = '2026-11-28T12:00:00Z';
const dir = (id: string, name = '') => path.join(ROOT, 'fixtures', id, name);
const args = (id: string, kind: 'fires' | 'quiet') => readFileSync(dir(id, `${kind}.args`), 'utf8').split('\n').filter(Boolean);
const header = (id: string) =>
  ` Findings of every node rule on fixtures/${id}/fires/ (pulldoctor node --root fixtures/${id}/fires $(cat fires.args)), exactly.\n` +
  ` Checked by test/node-rules-fixtures.test.ts; after a deliberate change of output rewrite with\n` +
  ` UPDATE_GOLDEN=1 npx vitest run test/node-rules-fixtures.test.ts and review the diff.`;

async function nodeScan(id: string, kind: 'fires' | 'quiet', format = 'json'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runMain(['node', '--root', dir(id, kind), ...args(id, kind), '-o', format, '--now', NOW]);
}

/** Secret values planted in the node fixtures: docker config passwords and what fixture plugins return. */
function nodeFixtureSecrets(): string[] {
  const out = new Set<string>();
  const walk = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) return readdirSync(p).forEach((n) => walk(path.join(p, n)));
    const text = readFileSync(p, 'utf8');
    for (const m of text.matchAll(/"(?:password|auth)"\s*:\s*"([^"]{6,})"/g)) {
      out.add(m[1]!);
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      if (decoded.includes(':')) out.add(decoded.slice(decoded.indexOf(':') + 1));
    }
  };
  for (const r of NODE_RULES) for (const k of ['fires', 'quiet']) walk(dir(r.meta.id, k));
  return [...out];
}

const secrets = nodeFixtureSecrets();

describe.each(NODE_RULES.map((r) => r.meta.id))('node rule %s', (id) => {
  it(`fires on fixtures/${id}/fires/ exactly as its fires.golden says`, async () => {
    const r = await nodeScan(id, 'fires');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    const mine = report.findings.filter((f) => f.rule === id);
    expect(mine.length, `node rule ${id} did not fire; findings: ${report.findings.map((f) => f.rule).join(', ')}`).toBeGreaterThan(0);
    for (const f of mine) {
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.remediation.length).toBeGreaterThan(0);
      expect(f.workload).toEqual({ kind: 'Node', name: report.node?.name });
      expect(f.node).toBe(report.node?.name);
    }
    expect(r.code).toBe(mine.some((f) => f.severity === 'error') || report.summary.findings.error > 0 ? 1 : 0);
    expectGolden(dir(id, 'fires.golden'), expectedFindings(report), header(id));
    const text = await nodeScan(id, 'fires', 'text');
    for (const s of secrets) {
      expect(r.stdout.includes(s), `JSON output of ${id} contains a secret value`).toBe(false);
      expect(text.stdout.includes(s), `text output of ${id} contains a secret value`).toBe(false);
      expect(readFileSync(dir(id, 'fires.golden'), 'utf8').includes(s)).toBe(false);
    }
  });

  it(`stays quiet on fixtures/${id}/quiet/`, async () => {
    const r = await nodeScan(id, 'quiet');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.filter((f) => f.rule === id)).toEqual([]);
  });
});

describe('node rule catalogue parity', () => {
  it.each(NODE_RULES.map((r) => r.meta.id))('%s has source, runbook (four sections in order), fake node roots, arguments and golden file', (id) => {
    expect(id.startsWith('node-')).toBe(true);
    expect(existsSync(path.join(ROOT, 'rules', `${id}.ts`))).toBe(true);
    for (const f of ['fires', 'quiet']) expect(statSync(dir(id, f)).isDirectory(), `fixtures/${id}/${f}/`).toBe(true);
    for (const f of ['fires.args', 'quiet.args', 'fires.golden']) expect(existsSync(dir(id, f)), `fixtures/${id}/${f}`).toBe(true);
    const md = readFileSync(path.join(ROOT, 'rules', `${id}.md`), 'utf8');
    expect(md.startsWith(`# ${id}\n`)).toBe(true);
    const idx = ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation'].map((h) => md.indexOf(`\n${h}\n`));
    expect(idx.every((i) => i > 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });

  it('ids are unique, sorted, and not used by a cluster-scan rule', async () => {
    const { RULES } = await import('../rules/index.js');
    const ids = NODE_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.filter((id) => RULES.some((r) => r.meta.id === id))).toEqual([]);
  });
});

describe('a node file that cannot be read leaves the answer incomplete', () => {
  it('a KubeletConfiguration that does not parse: exit 2, INCOMPLETE in text, summary.skipped names the file', async () => {
    const { cpSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(path.join(tmpdir(), 'pulldoctor-node-broken-'));
    try {
      cpSync(dir('node-docker-config-shadowed', 'quiet'), root, { recursive: true });
      writeFileSync(path.join(root, 'var/lib/kubelet/config.yaml'), 'kind: KubeletConfiguration\nfeatureGates: [unclosed\n');
      const argv = ['node', '--root', root, ...args('node-docker-config-shadowed', 'quiet'), '--now', NOW];
      const json = await runMain([...argv, '-o', 'json']);
      expect(json.code).toBe(2);
      const report = JSON.parse(json.stdout) as Report;
      expect(report.summary.complete).toBe(false);
      expect(report.summary.skipped).toEqual([
        expect.objectContaining({ kind: 'NodeFile', name: '/var/lib/kubelet/config.yaml', reason: expect.stringMatching(/^cannot parse the KubeletConfiguration: /) }),
      ]);
      const text = await runMain(argv);
      expect(text.code).toBe(2);
      expect(text.stdout).toMatch(/^INCOMPLETE: .* on node .*; could not read 1 file$/m);
      expect(text.stdout).not.toContain('no image pull problems');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
