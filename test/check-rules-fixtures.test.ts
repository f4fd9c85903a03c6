/**
 * `pulldoctor check` on every rule's manifest directory, exactly: fixtures/check/<rule>/fires/ is
 * a directory of manifests (`-f`), fires.args the rest of the command line when there is one
 * (e.g. `--against` a dump of what the cluster holds); the findings must be those of
 * fires.golden — rule, severity, subject, message, remediation, unverified lines and the
 * LOCATION (file:line:column and path of the offending field), to the character. quiet/ gives
 * none of the rule's findings. Plus parity: every rule a check runs has a manifest directory
 * (image-not-found needs a registry: test/check-e2e.test.ts), and the manifest-only rules have
 * their runbook with the four sections.
 *
 * After a deliberate change of output: UPDATE_GOLDEN=1 npx vitest run test/check-rules-fixtures.test.ts
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_RULES } from '../rules/check-rules.js';
import { MANIFEST_RULES, RULES } from '../rules/index.js';
import type { Finding, Report } from '../src/model/finding.js';
import { runMain } from './helpers/cli.js';
import { expectedFindings, expectGolden } from './helpers/golden.js';
import { ROOT } from './helpers/root.js';
import { fixtureSecretValues } from './helpers/secrets.js';

const NOW = '2026-11-28T12:00:00Z';
const rel = (id: string, name = '') => path.posix.join('fixtures/check', id, name);
const abs = (id: string, name = '') => path.join(ROOT, rel(id, name));
const argsOf = (id: string, kind: 'fires' | 'quiet') => (existsSync(abs(id, `${kind}.args`)) ? readFileSync(abs(id, `${kind}.args`), 'utf8').split('\n').filter(Boolean) : []);
const header = (id: string) =>
  ` Findings of pulldoctor check -f fixtures/check/${id}/fires/ $(cat fires.args) (at ${NOW}), exactly, with their locations.\n` +
  ` Checked by test/check-rules-fixtures.test.ts; after a deliberate change of output rewrite with\n` +
  ` UPDATE_GOLDEN=1 npx vitest run test/check-rules-fixtures.test.ts and review the diff.`;

/** Rules whose check fixtures need a registry (`--probe`): covered end to end instead. */
const NEEDS_REGISTRY = new Set(['image-not-found', 'registry-access-denied', 'registry-auth-rejected', 'registry-rate-limited', 'registry-tls-error', 'registry-unreachable']);
const ids = CHECK_RULES.map((r) => r.meta.id).filter((id) => !NEEDS_REGISTRY.has(id));

export const locationText = (f: Finding) => (f.location ? `${f.location.file}:${f.location.line}:${f.location.column} ${f.location.path}` : '(none)');

async function check(id: string, kind: 'fires' | 'quiet', format = 'json') {
  return runMain(['check', '-f', rel(id, kind), ...argsOf(id, kind), '-o', format, '--now', NOW]);
}

const secrets = fixtureSecretValues();

describe.each(ids)('check: rule %s', (id) => {
  it(`fires on fixtures/check/${id}/fires/ exactly as its fires.golden says, at the field`, async () => {
    const r = await check(id, 'fires');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    const mine = report.findings.filter((f) => f.rule === id);
    expect(mine.length, `rule ${id} did not fire; findings: ${report.findings.map((f) => f.rule).join(', ')}`).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.location, `${f.rule} has no location`).toBeDefined();
      expect(f.location?.file.startsWith(rel(id, 'fires/'))).toBe(true);
      expect(f.remediation.length).toBeGreaterThan(0);
      // A check's fix is a change to the manifest, never a patch of a live object.
      expect(f.remediation.join('\n')).not.toMatch(/kubectl (--context \S+ )?(patch|set image|rollout restart)/);
    }
    expect(r.code).toBe(report.summary.findings.error > 0 ? 1 : 0);
    const golden = expectedFindings(report).map((e, i) => ({ ...e, location: locationText(report.findings[i]!) }));
    expectGolden(abs(id, 'fires.golden'), golden as never, header(id));
    const text = await check(id, 'fires', 'text');
    const sarif = await check(id, 'fires', 'sarif');
    for (const s of secrets) {
      for (const out of [r.stdout, text.stdout, sarif.stdout, readFileSync(abs(id, 'fires.golden'), 'utf8')]) expect(out.includes(s), `output of ${id} contains a secret value`).toBe(false);
    }
  });

  it(`stays quiet on fixtures/check/${id}/quiet/`, async () => {
    const r = await check(id, 'quiet');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.filter((f) => f.rule === id)).toEqual([]);
  });
});

describe('check rule catalogue', () => {
  it('every rule a check runs has a manifest directory (fires/, quiet/, fires.golden); nothing else is there', () => {
    const dirs = readdirSync(path.join(ROOT, 'fixtures/check'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(dirs.filter((d) => d !== 'scenarios').sort()).toEqual([...ids].sort());
    for (const id of ids) for (const p of ['fires', 'quiet', 'fires.golden']) expect(existsSync(abs(id, p)), `${id}/${p}`).toBe(true);
  });

  it('the manifest-only rules are not scan rules, and have their runbook with the four sections in order', () => {
    for (const r of MANIFEST_RULES) {
      expect(RULES.map((x) => x.meta.id)).not.toContain(r.meta.id);
      const md = readFileSync(path.join(ROOT, 'rules', `${r.meta.id}.md`), 'utf8');
      expect(md.startsWith(`# ${r.meta.id}\n`)).toBe(true);
      const idx = ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation'].map((h) => md.indexOf(`\n${h}\n`));
      expect(idx.every((i) => i > 0)).toBe(true);
      expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    }
  });

  it('no runtime or event rule runs in a check; the registry rules run only on probe answers (covered end to end)', () => {
    const runtime = ['image-pull-failed-unexplained', 'image-pull-node-error', 'image-never-pull-absent', 'short-lived-registry-token', 'service-account-pull-secrets-not-applied'];
    expect(CHECK_RULES.map((r) => r.meta.id).filter((id) => runtime.includes(id))).toEqual([]);
    expect(CHECK_RULES.map((r) => r.meta.id).filter((id) => id.startsWith('registry-') && id !== 'registry-credentials-mismatch')).toEqual(
      [...NEEDS_REGISTRY].filter((id) => id !== 'image-not-found'),
    );
  });
});
