import { describe, expect, it } from 'vitest';
import { b64json, secretOf } from '../helpers/edit.js';
import { fixText, ruleKit, scanDoc } from '../helpers/scan.js';

const ID = 'pull-secret-no-credentials';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);

describe(ID, () => {
  it('explains a Docker Desktop config.json (credsStore, empty auths entries)', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('error');
    expect(f?.secret).toBe('dockerhub-login');
    expect(f?.message).toContain('credsStore');
    expect(f?.message).toContain('"https://index.docker.io/v1/" is empty');
    expect(f?.message).toContain('failing now: transcoder');
    const fix = fixText(f);
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
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml', 'quiet.yaml'], ['Fx-no-credentials-pw1']);
  });
});
