/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../rules/index.js';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { buildReport, evaluate, prepare } from '../../src/engine/run.js';
import type { Report } from '../../src/model/finding.js';
import { NOW, fixturePath, scanFixture } from '../helpers/fixtures.js';

const ID = 'service-account-pull-secrets-not-applied';
const load = (name: string): any => parse(readFileSync(fixturePath(ID, name), 'utf8'));
function scanDoc(doc: unknown): Report {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  const prep = prepare(b.finishOffline(), NOW);
  return buildReport(prep, evaluate(prep, RULES), NOW);
}
const mine = (r: Report) => r.findings.filter((f) => f.rule === ID);

describe(ID, () => {
  it('explains that a pod created before the ServiceAccount change lacks its pull secret', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const [f, ...rest] = mine(report);
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('error');
    expect(f?.secret).toBe('gitlab-deploy-token');
    expect(f?.message).toContain('ServiceAccount "catalog-api" lists pull secret "gitlab-deploy-token"');
    expect(f?.message).toContain('copied into a pod only when it is created');
    expect(f?.remediation.join('\n')).toContain('kubectl rollout restart deployment/catalog-api -n catalog');
    expect(f?.evidence.some((e) => e.ref === 'ServiceAccount catalog/catalog-api')).toBe(true);
  });

  it('explains that a pod listing its own pull secrets gets none of the ServiceAccount\'s', async () => {
    const { report } = await scanFixture(ID, 'own-secrets.yaml');
    const [f] = mine(report);
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('the pod lists its own imagePullSecrets (dockerhub-mirror)');
    const fix = f?.remediation.join('\n') ?? '';
    // strategic merge patch: keeps dockerhub-mirror, adds the ServiceAccount's secret
    expect(fix).toContain(`kubectl patch deployment catalog-api -n catalog --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"gitlab-deploy-token"}]}}}}'`);
    expect(fix).not.toContain('--type=merge');
  });

  it('stays quiet when the ServiceAccount secret would not serve any image of the pod', () => {
    const doc = load('fires.yaml');
    const pod = doc.items.find((o: any) => o.kind === 'Pod');
    pod.spec.containers[0].image = 'nginx:1.27.3';
    pod.status.containerStatuses[0].image = 'nginx:1.27.3';
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('does not guess about a ServiceAccount secret it could not read', () => {
    const doc = load('fires.yaml');
    doc.items = doc.items.filter((o: any) => o.kind !== 'Secret');
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('stays quiet on a pod created after the change, and never prints a password', async () => {
    expect(mine((await scanFixture(ID, 'quiet.yaml')).report)).toEqual([]);
    for (const name of ['fires.yaml', 'quiet.yaml', 'own-secrets.yaml']) {
      const json = JSON.stringify((await scanFixture(ID, name)).report);
      expect(json).not.toContain('Fx-sa-not-applied-pw1');
      expect(json).not.toContain('Fx-sa-not-applied-pw2');
    }
  });
});
