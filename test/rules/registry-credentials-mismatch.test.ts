import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/finding.js';
import { b64json, podOf, secretOf, setImage } from '../helpers/edit.js';
import { fixText, ruleKit, scanDoc, scanFixture } from '../helpers/scan.js';

const ID = 'registry-credentials-mismatch';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);
const PW = 'Fx-credentials-mismatch-pw1';

/** The fires/quiet pod with the secret keyed `key`, and optionally another image. */
function variant(base: 'fires.yaml' | 'quiet.yaml', key: string, image?: string): Report {
  const doc = load(base);
  secretOf(doc).data['.dockerconfigjson'] = b64json({ auths: { [key]: { username: 'orders-deployer', password: PW } } });
  if (image) setImage(podOf(doc), image);
  return scanDoc(doc);
}

describe(ID, () => {
  it('the linked registry-access-denied re-keys with the same known username, not a placeholder', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const denied = report.findings.find((x) => x.rule === 'registry-access-denied');
    const fix = fixText(denied);
    expect(fix).toContain(
      'create secret docker-registry orders-registry -n orders --docker-server=registry.orders.example:5000 --docker-username=orders-deployer --docker-password=\'<password>\'',
    );
    expect(fix).toContain("skopeo inspect --creds 'orders-deployer:<password>' docker://registry.orders.example:5000/orders/api:5.1.0");
    expect(fix).not.toContain('<username>');
  });

  it('explains a key without the port and gives the key that matches', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('error');
    expect(f?.container).toBe('orders-api');
    expect(f?.secret).toBe('orders-registry');
    expect(f?.message).toContain('registry.orders.example:5000/orders/api');
    expect(f?.message).toContain('has no port');
    expect(f?.message).toContain('The key that would match is "registry.orders.example:5000"');
    const fix = fixText(f);
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
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml', 'quiet.yaml', 'public-image.yaml'], [PW]);
    expect(JSON.stringify(variant('fires.yaml', 'HTTPS://registry.orders.example:5000'))).not.toContain(PW);
  });
});
