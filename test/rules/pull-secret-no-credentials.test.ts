/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../rules/index.js';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { buildReport, evaluate, prepare } from '../../src/engine/run.js';
import type { Report } from '../../src/model/finding.js';
import { NOW, fixturePath, scanFixture } from '../helpers/fixtures.js';

const ID = 'pull-secret-no-credentials';
const load = (name: string): any => parse(readFileSync(fixturePath(ID, name), 'utf8'));
const secretOf = (doc: any, name: string): any => doc.items.find((o: any) => o.kind === 'Secret' && o.metadata.name === name);
const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
function scanDoc(doc: unknown): Report {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  const prep = prepare(b.finishOffline(), NOW);
  return buildReport(prep, evaluate(prep, RULES), NOW);
}
const mine = (r: Report) => r.findings.filter((f) => f.rule === ID);

describe(ID, () => {
  it('explains a Docker Desktop config.json (credsStore, empty auths entries)', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const [f, ...rest] = mine(report);
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('error');
    expect(f?.secret).toBe('dockerhub-login');
    expect(f?.message).toContain('credsStore');
    expect(f?.message).toContain('"https://index.docker.io/v1/" is empty');
    expect(f?.message).toContain('failing now: transcoder');
    const fix = f?.remediation.join('\n') ?? '';
    expect(fix).toContain('create secret docker-registry dockerhub-login -n media --docker-server=https://index.docker.io/v1/');
    expect(fix).toContain('replace -n media -f -');
    expect(f?.evidence.some((e) => e.detail.includes('insufficient_scope'))).toBe(true);
  });

  it('says identitytoken is ignored by the kubelet', () => {
    const doc = load('fires.yaml');
    secretOf(doc, 'dockerhub-login').data['.dockerconfigjson'] = b64json({
      auths: { 'https://index.docker.io/v1/': { identitytoken: 'Fx-no-credentials-pw2' } },
    });
    const [f] = mine(scanDoc(doc));
    expect(f?.message).toContain('has only identitytoken, which the kubelet ignores');
    expect(f?.severity).toBe('error');
    expect(JSON.stringify(scanDoc(doc))).not.toContain('Fx-no-credentials-pw2');
  });

  it('is a warning for an empty entry next to a usable one while the pod runs', () => {
    const doc = load('quiet.yaml');
    secretOf(doc, 'dockerhub-login').data['.dockerconfigjson'] = b64json({
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from('acmemedia:Fx-no-credentials-pw1').toString('base64') },
        'ghcr.io': {},
      },
    });
    const [f] = mine(scanDoc(doc));
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('1 of its 2 entries');
    expect(f?.message).toContain('"ghcr.io" is empty');
  });

  it('stays quiet with real credentials and never prints the password', async () => {
    expect(mine((await scanFixture(ID, 'quiet.yaml')).report)).toEqual([]);
    for (const name of ['fires.yaml', 'quiet.yaml']) {
      expect(JSON.stringify((await scanFixture(ID, name)).report)).not.toContain('Fx-no-credentials-pw1');
    }
  });
});
