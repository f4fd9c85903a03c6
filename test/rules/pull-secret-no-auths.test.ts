import { describe, expect, it } from 'vitest';
import { ruleKit, scanDoc, scanFixture } from '../helpers/scan.js';

const ID = 'pull-secret-no-auths';
const { mine, expectQuiet, expectNeverPrinted } = ruleKit(ID);

describe(ID, () => {
  it('names the secret and the top-level registry key, and wraps it in place', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const found = mine(report);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    expect(f.severity).toBe('error');
    expect(f.secret).toBe('quay-pull');
    expect(f.message).toContain('"quay.io"');
    expect(f.message).toContain('no "auths" wrapper');
    expect(f.message).toContain('failing now: etl-runner');
    const fix = f.remediation.join('\n');
    expect(fix).toContain('get secret quay-pull -n analytics -o json');
    expect(fix).toContain('{auths: with_entries(select(.value | type == "object"))}');
    expect(fix).toContain('replace -n analytics -f -');
    expect(f.evidence.some((e) => e.detail.includes('authorization failed'))).toBe(true);
  });

  it('does not also report the secret as a credential mismatch or an empty secret', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    expect(report.findings.filter((f) => f.rule === 'registry-credentials-mismatch' || f.rule === 'pull-secret-no-credentials')).toEqual([]);
  });

  it('a config.json holding only credHelpers: nothing to wrap, so the fix writes the credentials themselves', () => {
    const config = Buffer.from(JSON.stringify({ credHelpers: { 'registry.acme.io': 'ecr-login' } })).toString('base64');
    const report = scanDoc({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'helper-cred', namespace: 'shop' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': config } },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' },
          spec: { imagePullSecrets: [{ name: 'helper-cred' }], containers: [{ name: 'web', image: 'registry.acme.io/shop/web:1.0' }] },
          status: {
            phase: 'Pending',
            containerStatuses: [{ name: 'web', image: 'registry.acme.io/shop/web:1.0', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.acme.io/shop/web:1.0"' } } }],
          },
        },
      ],
    });
    const [f] = mine(report);
    expect(f?.message).toContain('only top-level members "credHelpers" and no "auths"');
    expect(f?.message).not.toContain('legacy .dockercfg layout');
    const fix = f?.remediation.join('\n') ?? '';
    expect(fix).not.toContain('with_entries');
    expect(fix).toContain("kubectl create secret docker-registry helper-cred -n shop --docker-server=registry.acme.io --docker-username='<username>' --docker-password='<password>' --dry-run=client -o yaml | kubectl replace -n shop -f -");
  });

  it('stays quiet with the wrapper and never prints the password', async () => {
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml', 'quiet.yaml'], ['Fx-no-auths-pw1']);
  });
});
