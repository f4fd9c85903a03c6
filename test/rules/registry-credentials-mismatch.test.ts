/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../rules/index.js';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { buildReport, evaluate, prepare } from '../../src/engine/run.js';
import type { Report } from '../../src/model/finding.js';
import { NOW, fixturePath, scanFixture } from '../helpers/fixtures.js';

const ID = 'registry-credentials-mismatch';
const PW = 'Fx-credentials-mismatch-pw1';
const load = (name: string): any => parse(readFileSync(fixturePath(ID, name), 'utf8'));
const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
function scanDoc(doc: unknown): Report {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  const prep = prepare(b.finishOffline(), NOW);
  return buildReport(prep, evaluate(prep, RULES), NOW);
}
const mine = (r: Report) => r.findings.filter((f) => f.rule === ID);

/** The fires/quiet pod with the secret keyed `key`, and optionally another image. */
function variant(base: 'fires.yaml' | 'quiet.yaml', key: string, image?: string): Report {
  const doc = load(base);
  const secret = doc.items.find((o: any) => o.kind === 'Secret');
  secret.data['.dockerconfigjson'] = b64json({ auths: { [key]: { username: 'orders-deployer', password: PW } } });
  if (image) {
    const pod = doc.items.find((o: any) => o.kind === 'Pod');
    pod.spec.containers[0].image = image;
    pod.status.containerStatuses[0].image = image;
  }
  return scanDoc(doc);
}

describe(ID, () => {
  it('explains a key without the port and gives the key that matches', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const [f, ...rest] = mine(report);
    expect(rest).toEqual([]);
    expect(f?.severity).toBe('error');
    expect(f?.container).toBe('orders-api');
    expect(f?.secret).toBe('orders-registry');
    expect(f?.message).toContain('registry.orders.example:5000/orders/api');
    expect(f?.message).toContain('has no port');
    expect(f?.message).toContain('The key that would match is "registry.orders.example:5000"');
    const fix = f?.remediation.join('\n') ?? '';
    expect(fix).toContain(
      'create secret docker-registry orders-registry -n orders --docker-server=registry.orders.example:5000 --docker-username=orders-deployer',
    );
    expect(f?.evidence.some((e) => e.detail.includes('no basic auth credentials'))).toBe(true);
  });

  it.each([
    ['scheme', 'HTTPS://registry.orders.example:5000', undefined, 'only strips a lower-case', 'registry.orders.example:5000'],
    ['/v1 without slash', 'registry.orders.example:5000/v1', undefined, 'without a trailing slash', 'registry.orders.example:5000'],
    ['path prefix', 'registry.orders.example:5000/billing', undefined, 'whose path starts with `/billing`', 'registry.orders.example:5000'],
    ['wildcard depth', '*.example:5000', undefined, 'matches exactly one DNS label', '*.*.example:5000'],
    ['letter case', 'Registry.Orders.example:5000', undefined, 'only in letter case', 'registry.orders.example:5000'],
    ['typo', 'registry.order.example:5000', undefined, '1 edit away', 'registry.orders.example:5000'],
    ['registry-1.docker.io', 'registry-1.docker.io', 'acmeorders/api:5.1.0', 'only matches images written as `registry-1.docker.io/', 'https://index.docker.io/v1/'],
  ])('explains a %s miss', (_kind, key, image, detail, suggested) => {
    const [f] = mine(variant('fires.yaml', key, image));
    expect(f?.message).toContain(detail);
    expect(f?.message).toContain(`The key that would match is "${suggested}"`);
    expect(f?.remediation.join('\n')).toContain(`--docker-server=${suggested.includes('*') ? `'${suggested}'` : suggested}`);
  });

  it('is a warning for a near miss on a running pod (works only while cached)', () => {
    const [f] = mine(variant('quiet.yaml', 'registry.orders.example:443', 'registry.orders.example/orders/api:5.1.0'));
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain(':443 is not treated as the HTTPS default');
  });

  it('fires for a failing private pull with a secret for another registry only', () => {
    const [f] = mine(variant('fires.yaml', 'ghcr.io'));
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('keys for other registries only');
    expect(f?.message).toContain('"registry.orders.example:5000"');
  });

  it('stays quiet for a public image next to an unrelated private-registry secret', async () => {
    const { report } = await scanFixture(ID, 'public-image.yaml');
    expect(mine(report)).toEqual([]);
    expect(mine(variant('quiet.yaml', 'ghcr.io'))).toEqual([]);
  });

  it('stays quiet on the matching key and never prints the password', async () => {
    expect(mine((await scanFixture(ID, 'quiet.yaml')).report)).toEqual([]);
    for (const name of ['fires.yaml', 'quiet.yaml', 'public-image.yaml']) {
      expect(JSON.stringify((await scanFixture(ID, name)).report)).not.toContain(PW);
    }
    expect(JSON.stringify(variant('fires.yaml', 'HTTPS://registry.orders.example:5000'))).not.toContain(PW);
  });
});
