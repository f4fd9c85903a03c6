/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../rules/index.js';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { buildReport, evaluate, prepare } from '../../src/engine/run.js';
import type { Report } from '../../src/model/finding.js';
import { NOW, fixturePath, scanFixture } from '../helpers/fixtures.js';

const ID = 'docker-hub-credentials-shadowed';
const load = (name: string): any => parse(readFileSync(fixturePath(ID, name), 'utf8'));
const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
function scanDoc(doc: unknown): Report {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  const prep = prepare(b.finishOffline(), NOW);
  return buildReport(prep, evaluate(prep, RULES), NOW);
}
const mine = (r: Report) => r.findings.filter((f) => f.rule === ID);

describe(ID, () => {
  it('names the matching docker.io key and the index.docker.io credentials that are never tried', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const [f, ...rest] = mine(report);
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('error');
    expect(f?.container).toBe('indexer');
    expect(f?.secret).toBe('dockerhub');
    expect(f?.message).toContain('"docker.io" from secret "hub-readonly"');
    expect(f?.message).toContain('never tries the index.docker.io credentials of secret "dockerhub" (user acmesearch)');
    const fix = f?.remediation.join('\n') ?? '';
    expect(fix).toContain('create secret docker-registry dockerhub -n search --docker-server=docker.io --docker-username=acmesearch');
    expect(fix).toContain(`patch deployment indexer -n search --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"$patch":"delete","name":"hub-readonly"}]}}}}'`);
    expect(f?.evidence.some((e) => e.detail.includes('incorrect username or password'))).toBe(true);
  });

  it('is a warning for a *.io key on a running pod', () => {
    const doc = load('quiet.yaml');
    const pod = doc.items.find((o: any) => o.kind === 'Pod');
    pod.spec.imagePullSecrets = [{ name: 'hub-readonly' }, { name: 'dockerhub' }];
    doc.items.find((o: any) => o.kind === 'Secret' && o.metadata.name === 'hub-readonly').data['.dockerconfigjson'] = b64json({
      auths: { '*.io': { username: 'acme-ci-readonly', password: 'Fx-shadowed-pw2' } },
    });
    const [f] = mine(scanDoc(doc));
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('"*.io" from secret "hub-readonly"');
  });

  it('stays quiet when only the index.docker.io secret is listed, and never prints a password', async () => {
    expect(mine((await scanFixture(ID, 'quiet.yaml')).report)).toEqual([]);
    for (const name of ['fires.yaml', 'quiet.yaml']) {
      const json = JSON.stringify((await scanFixture(ID, name)).report);
      expect(json).not.toContain('Fx-shadowed-pw1');
      expect(json).not.toContain('Fx-shadowed-pw2');
    }
  });
});
