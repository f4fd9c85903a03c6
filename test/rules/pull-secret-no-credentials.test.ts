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

  it('a config.json stored as a kubernetes.io/dockercfg secret is a shape mistake: retype it, never --docker-server=auths', () => {
    const doc = load('fires.yaml');
    const secret = secretOf(doc, 'dockerhub-login');
    secret.type = 'kubernetes.io/dockercfg';
    const auth = Buffer.from('acmemedia:Fx-no-credentials-pw4').toString('base64');
    secret.data = { '.dockercfg': b64json({ auths: { 'https://index.docker.io/v1/': { auth } } }) };
    const report = scanDoc(doc);
    const [f, ...rest] = mine(report);
    expect(rest).toEqual([]);
    expect(f?.message).toContain(
      'Pull secret "dockerhub-login" has type kubernetes.io/dockercfg, but its .dockercfg holds a config.json: {"auths": {…}} (registry key "https://index.docker.io/v1/" under "auths").',
    );
    expect(f?.message).toContain('it sees one registry named "auths" with no username or password and never looks inside it');
    expect(f?.message).toContain('failing now: transcoder');
    expect(f?.severity).toBe('error');
    const fix = fixText(f);
    expect(fix).toContain(
      `kubectl get secret dockerhub-login -n media -o json | jq '.type = "kubernetes.io/dockerconfigjson" | .data[".dockerconfigjson"] = .data[".dockercfg"] | del(.data[".dockercfg"]) |`,
    );
    expect(fix).toContain('kubectl replace --force -n media -f -');
    const all = JSON.stringify(report);
    expect(all).not.toContain('--docker-server=auths');
    expect(all).not.toContain('Fx-no-credentials-pw4');
    // Not a key for another registry: no credentials-mismatch finding; the denied pull names the shape.
    expect(report.findings.map((x) => x.rule)).not.toContain('registry-credentials-mismatch');
    const denied = report.findings.find((x) => x.rule === 'registry-access-denied');
    expect(denied?.message).toContain('pull secret "dockerhub-login" is a config.json stored as kubernetes.io/dockercfg');
    expect(denied?.related).toContain(f?.id);
    expect(fixText(denied)).toContain('# fix secret "dockerhub-login" as the linked pull-secret-no-credentials finding says');
    expect(fixText(denied)).not.toContain('create secret docker-registry');
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
