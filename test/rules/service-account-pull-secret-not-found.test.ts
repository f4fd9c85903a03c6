/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../rules/index.js';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { buildReport, evaluate, prepare } from '../../src/engine/run.js';
import type { Report } from '../../src/model/finding.js';
import { NOW, fixturePath, scanFixture } from '../helpers/fixtures.js';

const ID = 'service-account-pull-secret-not-found';
const load = (name: string): any => parse(readFileSync(fixturePath(ID, name), 'utf8'));
function scanDoc(doc: unknown): Report {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  const prep = prepare(b.finishOffline(), NOW);
  return buildReport(prep, evaluate(prep, RULES), NOW);
}
const mine = (r: Report) => r.findings.filter((f) => f.rule === ID);

describe(ID, () => {
  it('names the dangling secret and drops it from the ServiceAccount, keeping the valid one', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const [f, ...rest] = mine(report);
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('warning');
    expect(f?.secret).toBe('harbor-legacy');
    expect(f?.message).toContain('ServiceAccount "stock-sync" lists pull secret "harbor-legacy", which does not exist in namespace inventory');
    expect(f?.remediation.join('\n')).toContain(`kubectl patch serviceaccount stock-sync -n inventory -p '{"imagePullSecrets":[{"name":"nexus-pull"}]}'`);
  });

  it('is an error, linked to pull-secret-not-found, when a pod inherited the name and its pull fails', () => {
    const doc = load('fires.yaml');
    const pod = doc.items.find((o: any) => o.kind === 'Pod');
    pod.spec.imagePullSecrets = [{ name: 'nexus-pull' }, { name: 'harbor-legacy' }];
    pod.status.containerStatuses[0].state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${pod.spec.containers[0].image}"` } };
    pod.status.containerStatuses[0].ready = false;
    const report = scanDoc(doc);
    const [f] = mine(report);
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('This pod inherited the name');
    const notFound = report.findings.find((x) => x.rule === 'pull-secret-not-found');
    expect(notFound && f?.related).toContain(notFound?.id);
  });

  it('does not guess when the namespace\'s secrets were not collected', () => {
    const doc = load('fires.yaml');
    doc.items = doc.items.filter((o: any) => o.kind !== 'Secret');
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('stays quiet when every ServiceAccount pull secret exists, and never prints a password', async () => {
    expect(mine((await scanFixture(ID, 'quiet.yaml')).report)).toEqual([]);
    expect(JSON.stringify((await scanFixture(ID, 'fires.yaml')).report)).not.toContain('Fx-sa-secret-not-found-pw1');
  });
});
