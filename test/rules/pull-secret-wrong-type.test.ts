/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../rules/index.js';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { buildReport, evaluate, prepare } from '../../src/engine/run.js';
import type { Report } from '../../src/model/finding.js';
import { NOW, fixturePath, scanFixture } from '../helpers/fixtures.js';

const ID = 'pull-secret-wrong-type';
const load = (name: string): any => parse(readFileSync(fixturePath(ID, name), 'utf8'));
const secretOf = (doc: any, name: string): any => doc.items.find((o: any) => o.kind === 'Secret' && o.metadata.name === name);
function scanDoc(doc: unknown): Report {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  const prep = prepare(b.finishOffline(), NOW);
  return buildReport(prep, evaluate(prep, RULES), NOW);
}
const mine = (r: Report) => r.findings.filter((f) => f.rule === ID);
const PASSWORDS = ['Fx-wrong-type-pw1', 'Fx-wrong-type-pw2'];

describe(ID, () => {
  it('reports an Opaque pull secret as ignored, as an error while the pull fails', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const [f, ...rest] = mine(report);
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('error');
    expect(f?.secret).toBe('harbor-pull');
    expect(f?.message).toContain('"harbor-pull"');
    expect(f?.message).toContain('type Opaque');
    expect(f?.message).toContain('failing now: invoicer');
    const fix = f?.remediation.join('\n') ?? '';
    expect(fix).toContain('harbor-pull');
    expect(fix).toContain('-n billing');
    expect(fix).toContain('kubernetes.io/dockerconfigjson');
    expect(fix).toContain('replace --force');
    expect(f?.evidence.some((e) => e.ref === 'Secret billing/harbor-pull')).toBe(true);
    expect(f?.evidence.some((e) => e.detail.includes('401 Unauthorized'))).toBe(true);
  });

  it('reports a dockerconfigjson-typed secret holding only .dockercfg as a latent warning', async () => {
    const { report } = await scanFixture(ID, 'dockercfg-key.yaml');
    const [f] = mine(report);
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('kubernetes.io/dockerconfigjson but not the .dockerconfigjson data key');
    expect(f?.evidence.map((e) => e.detail).join('\n')).toContain('.dockercfg');
    expect(f?.remediation.join('\n')).toContain('kubernetes.io/dockercfg');
  });

  it('reports an empty .dockerconfigjson', () => {
    const doc = load('quiet.yaml');
    secretOf(doc, 'harbor-pull').data['.dockerconfigjson'] = '';
    const [f] = mine(scanDoc(doc));
    expect(f?.message).toContain('data is empty');
  });

  it('stays quiet on the properly typed secret and never prints a password', async () => {
    const quiet = await scanFixture(ID, 'quiet.yaml');
    expect(mine(quiet.report)).toEqual([]);
    for (const name of ['fires.yaml', 'dockercfg-key.yaml']) {
      const json = JSON.stringify((await scanFixture(ID, name)).report);
      for (const pw of PASSWORDS) expect(json).not.toContain(pw);
    }
  });
});
