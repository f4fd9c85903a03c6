import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/finding.js';
import { b64json, dropSecrets, podOf, secretOf, setImage } from '../helpers/edit.js';
import { findingsOf, fixText, relatedRules, ruleKit, scanDoc } from '../helpers/scan.js';

const ID = 'pull-secret-not-referenced';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);
const PW = 'Fx-not-referenced-pw1';

const saOf = (doc: { items: { kind: string }[] }) => doc.items.find((o) => o.kind === 'ServiceAccount') as Record<string, unknown>;
const dockerconfig = (registry: string, user: string, pw: string) => b64json({ auths: { [registry]: { username: user, password: pw } } });
const failedMessage = (doc: { items: Record<string, unknown>[] }) => doc.items.find((o) => o.kind === 'Event' && o.reason === 'Failed') as Record<string, unknown>;

describe(ID, () => {
  it('names the existing secret, the registry it serves and that nothing references it; the fix references it', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('error');
    expect(f?.confidence).toBe('confirmed');
    expect(f?.container).toBe('cart');
    expect(f?.secret).toBe('acme-pull');
    expect(f?.message).toContain(
      'Secret "acme-pull" in namespace shop has credentials for registry.acme.io (registry key "registry.acme.io", username "acme-robot"), but neither the pod nor its ServiceAccount "default" references it',
    );
    expect(f?.message).toContain('failed to fetch anonymous token');
    const fix = fixText(f);
    expect(fix).toContain(`kubectl patch deployment cart -n shop --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"acme-pull"}]}}}}'`);
    expect(fix).toContain(`kubectl patch serviceaccount default -n shop -p '{"imagePullSecrets":[{"name":"acme-pull"}]}'`);
    expect(fix).toContain('kubectl rollout restart deployment/cart -n shop');
    expect(fix).not.toContain('create secret');
    // the Docker Hub secret and the Opaque one do not serve registry.acme.io
    expect(f?.message).not.toContain('dockerhub-mirror');
    expect(f?.evidence.map((e) => e.ref)).toEqual(
      expect.arrayContaining(['Pod shop/cart-5d8f7b9c6d-q7wzt spec.imagePullSecrets', 'ServiceAccount shop/default', 'Secret shop/acme-pull']),
    );
  });

  it('the runtime finding links to it and stops proposing a new secret', async () => {
    const doc = load('fires.yaml');
    const report = scanDoc(doc);
    const [denied] = findingsOf(report, 'registry-access-denied');
    expect(denied?.message).toContain('secret "acme-pull" (registry key "registry.acme.io", username "acme-robot") exists in namespace shop');
    expect(relatedRules(report, denied!)).toEqual([ID]);
    expect(fixText(denied)).not.toContain('create secret');
    expect(fixText(denied)).toContain('"imagePullSecrets":[{"name":"acme-pull"}]');
  });

  it('registry-credentials-mismatch: a secret for another registry listed, the right one unreferenced', () => {
    const doc = load('fires.yaml');
    podOf(doc).spec.imagePullSecrets = [{ name: 'dockerhub-mirror' }];
    const report = scanDoc(doc);
    const [f] = mine(report);
    expect(f?.message).toContain('the pod lists "dockerhub-mirror", so the kubelet pulls');
    const [mismatch] = findingsOf(report, 'registry-credentials-mismatch');
    expect(mismatch?.message).toContain('Secret "acme-pull" (registry key "registry.acme.io", username "acme-robot") in namespace shop already matches it');
    expect(relatedRules(report, mismatch!)).toContain(ID);
    expect(fixText(mismatch)).not.toContain('create secret');
    expect(fixText(mismatch)).toContain('"imagePullSecrets":[{"name":"acme-pull"}]');
    // the pod lists its own secret: the ServiceAccount route would not reach it
    expect(fixText(f)).not.toContain('patch serviceaccount');
  });

  it('registry-credentials-mismatch, near miss: re-key the listed secret, or reference the one that already matches', () => {
    const doc = load('fires.yaml');
    podOf(doc).spec.imagePullSecrets = [{ name: 'acme-typo' }];
    doc.items.push({ ...structuredClone(secretOf(doc, 'acme-pull')), metadata: { name: 'acme-typo', namespace: 'shop' } });
    secretOf(doc, 'acme-typo').data['.dockerconfigjson'] = dockerconfig('registry.acme.io:443', 'acme-robot', 'Fx-not-referenced-typo');
    const report = scanDoc(doc);
    const [mismatch] = findingsOf(report, 'registry-credentials-mismatch');
    const fix = fixText(mismatch);
    expect(fix).toContain('create secret docker-registry acme-typo -n shop --docker-server=registry.acme.io');
    expect(fix).toContain('# or reference "acme-pull", which already matches:');
    expect(relatedRules(report, mismatch!)).toContain(ID);
  });

  /** The pod lists `acme-old` (created at `created`), rejected with 401; acme-pull was created 2026-09-14. */
  function rotated(created: string) {
    const doc = load('fires.yaml');
    podOf(doc).spec.imagePullSecrets = [{ name: 'acme-old' }];
    doc.items.push({ ...structuredClone(secretOf(doc, 'acme-pull')), metadata: { name: 'acme-old', namespace: 'shop', creationTimestamp: created } });
    secretOf(doc, 'acme-old').data['.dockerconfigjson'] = dockerconfig('registry.acme.io', 'acme-robot', 'Fx-not-referenced-old');
    // containerd with a credential: the same 401, through the oauth token request
    const ev = failedMessage(doc);
    ev.message = String(ev.message).replace('fetch anonymous token', 'fetch oauth token');
    return doc;
  }

  it('registry-auth-rejected: the listed secret was rejected and a newer one holds other credentials (rotated)', () => {
    const doc = rotated('2026-01-10T09:00:00Z');
    const report = scanDoc(doc);
    const [f] = mine(report);
    expect(f?.confidence).toBe('likely');
    expect(f?.message).toContain('The registry rejected the credentials the kubelet sent');
    expect(f?.message).toContain('Secret "acme-pull" in namespace shop, written 2026-09-14T08:31:02Z after the rejected one, holds other credentials for registry.acme.io');
    const [rejected] = findingsOf(report, 'registry-auth-rejected');
    expect(rejected?.message).toContain('Secret "acme-pull" (registry key "registry.acme.io", username "acme-robot") in namespace shop holds other credentials');
    expect(relatedRules(report, rejected!)).toContain(ID);
    expect(fixText(rejected)).toContain('"imagePullSecrets":[{"name":"acme-pull"}]');
  });

  it('an older spare secret is as likely stale as the rejected one: quiet', () => {
    expect(mine(scanDoc(rotated('2026-10-01T09:00:00Z')))).toEqual([]);
  });

  it('the same credentials as the rejected ones are no way out: quiet', () => {
    const doc = load('fires.yaml');
    podOf(doc).spec.imagePullSecrets = [{ name: 'acme-copy' }];
    doc.items.push({ ...structuredClone(secretOf(doc, 'acme-pull')), metadata: { name: 'acme-copy', namespace: 'shop' } });
    const ev = failedMessage(doc);
    ev.message = String(ev.message).replace('fetch anonymous token', 'fetch oauth token');
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('uses the kubelet matching: a Docker Hub key serves a Docker Hub image through the index.docker.io fallback', () => {
    const doc = load('fires.yaml');
    setImage(podOf(doc), 'acmeshop/cart:2.3.0');
    const ev = failedMessage(doc);
    // containerd on Docker Hub, as in https://github.com/pfnet/image-pull-secrets-provisioner/issues/31 (image replaced)
    ev.message = 'Failed to pull image "acmeshop/cart:2.3.0": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/acmeshop/cart:2.3.0": failed to resolve reference "docker.io/acmeshop/cart:2.3.0": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed';
    const [f] = mine(scanDoc(doc));
    expect(f?.secret).toBe('dockerhub-mirror');
    expect(f?.message).toContain('via the Docker Hub index.docker.io fallback');
  });

  it('a key that the kubelet does not match (another port) is no candidate', () => {
    const doc = load('fires.yaml');
    secretOf(doc, 'acme-pull').data['.dockerconfigjson'] = dockerconfig('registry.acme.io:5000', 'acme-robot', PW);
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('a secret of a type the kubelet ignores is no candidate', () => {
    const doc = load('fires.yaml');
    secretOf(doc, 'acme-pull').type = 'Opaque';
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('a secret the ServiceAccount lists is service-account-pull-secrets-not-applied, not this rule', () => {
    const doc = load('fires.yaml');
    saOf(doc).imagePullSecrets = [{ name: 'acme-pull' }];
    const report = scanDoc(doc);
    expect(mine(report)).toEqual([]);
    expect(findingsOf(report, 'service-account-pull-secrets-not-applied')).toHaveLength(1);
  });

  it('an unknown runtime error (only ImagePullBackOff in the input): likely, and it says so', () => {
    const doc = load('fires.yaml');
    doc.items = doc.items.filter((o: { kind: string; reason?: string }) => !(o.kind === 'Event' && o.reason === 'Failed'));
    const [f] = mine(scanDoc(doc));
    expect(f?.confidence).toBe('likely');
    expect(f?.message).toContain('the runtime error is not in the input');
  });

  it('a failure credentials cannot fix (the registry is unreachable) stays quiet', () => {
    const doc = load('fires.yaml');
    // as in https://github.com/hjacobs/kube-ops-view/issues/176 (host replaced)
    failedMessage(doc).message =
      'Failed to pull image "registry.acme.io/shop/cart:2.3.0": rpc error: code = Unknown desc = Error response from daemon: Get https://registry.acme.io/v2/: dial tcp: lookup registry.acme.io on 127.0.0.53:53: server misbehaving';
    expect(mine(scanDoc(doc))).toEqual([]);
  });

  it('a dump without secrets cannot show it: the runtime finding says the namespace\'s secrets were not checked', () => {
    const doc = load('fires.yaml');
    dropSecrets(doc);
    const report: Report = scanDoc(doc);
    expect(mine(report)).toEqual([]);
    const [denied] = findingsOf(report, 'registry-access-denied');
    expect(denied?.unverified.join('\n')).toContain('The other pull secrets of namespace shop could not be checked (they are not in the input)');
    expect(fixText(denied)).toContain('# first check whether one of the namespace\'s pull secrets already serves the registry: kubectl get secrets -n shop --field-selector type=kubernetes.io/dockerconfigjson');
  });

  it('a bare pod: the ServiceAccount route, then recreate the pod', () => {
    const doc = load('fires.yaml');
    delete podOf(doc).metadata.ownerReferences;
    const [f] = mine(scanDoc(doc));
    const fix = fixText(f);
    expect(fix).toContain(`kubectl patch serviceaccount default -n shop -p '{"imagePullSecrets":[{"name":"acme-pull"}]}'`);
    expect(fix).toContain('kubectl delete pod cart-5d8f7b9c6d-q7wzt -n shop');
  });

  it('stays quiet when the pod references the secret and pulls', () => expectQuiet());

  it('never prints the secret values', () => expectNeverPrinted(['fires.yaml', 'quiet.yaml'], [PW, 'Fx-not-referenced-pw2']));
});
