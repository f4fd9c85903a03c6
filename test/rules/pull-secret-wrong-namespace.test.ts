/* eslint-disable @typescript-eslint/no-explicit-any */
import { secretMissing } from '../../src/engine/provenance.js';
import { describe, expect, it } from 'vitest';
import { b64json, secretOf } from '../helpers/edit.js';
import { chooseCopy } from '../../rules/lib/secret-helpers.js';
import type { PullContext, SecretRefState } from '../../src/engine/types.js';
import { findingsOf, fixText, ruleKit, scanDoc } from '../helpers/scan.js';

const ID = 'pull-secret-wrong-namespace';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);

/** A copy of the fixture's `regcred` in namespace `ns`, holding one entry for `registry`. */
function copyIn(doc: any, ns: string, registry: string, password: string): any {
  const base = secretOf(doc, 'regcred');
  return {
    ...base,
    metadata: { ...base.metadata, namespace: ns, uid: `uid-${ns}` },
    data: { '.dockerconfigjson': b64json({ auths: { [registry]: { username: `robot-${ns}`, password } } }) },
  };
}

/** The fixture with its copy in `default` re-keyed for `defaultRegistry`, plus extra copies. */
function withCopies(defaultRegistry: string, extra: [string, string][]): any {
  const doc = load('fires.yaml');
  const i = doc.items.indexOf(secretOf(doc, 'regcred'));
  doc.items[i] = copyIn(doc, 'default', defaultRegistry, 'Fx-wrong-ns-pw-default');
  for (const [ns, registry] of extra) doc.items.push(copyIn(doc, ns, registry, `Fx-wrong-ns-pw-${ns}`));
  return doc;
}

describe(ID, () => {
  it('copies the one copy there is, from the fixture', async () => {
    const f = await sole('fires.yaml');
    expect(f?.message).toContain('does not exist in namespace shop but does in default');
    expect(fixText(f)).toContain('kubectl get secret regcred -n default -o json');
  });

  it('among several copies, copies the one whose credentials match the image, and says why', () => {
    // "default" sorts first but holds a key for quay.io only; "team-a" holds the image's registry.
    const report = scanDoc(withCopies('quay.io', [['team-a', 'registry.example.com'], ['team-b', 'ghcr.io']]));
    const [f] = mine(report);
    expect(f?.message).toContain('but does in default, team-a and team-b');
    expect(f?.message).toContain(
      'The fix below copies the one in team-a: the kubelet matches its key "registry.example.com" against registry.example.com/shop/cart ' +
        '(the other copies: default: key "quay.io", no match; team-b: key "ghcr.io", no match).',
    );
    const fix = fixText(f);
    expect(fix).toContain('kubectl get secret regcred -n team-a -o json');
    expect(fix).not.toContain('-n default -o json');
    // The registry-access-denied finding it causes copies the same one.
    const denied = findingsOf(report, 'registry-access-denied');
    expect(denied).toHaveLength(1);
    expect(fixText(denied[0])).toContain('kubectl get secret regcred -n team-a -o json');
  });

  it('when no copy holds a credential for the image, says so and creates the secret instead of copying', () => {
    const report = scanDoc(withCopies('quay.io', []));
    const [f] = mine(report);
    expect(f?.message).toContain(
      'But that copy holds no credential the kubelet would use for registry.example.com/shop/cart (default: key "quay.io", no match): copying it would bring the name, not the access',
    );
    const fix = fixText(f);
    expect(fix).not.toContain('get secret regcred -n default');
    expect(fix).toContain("kubectl create secret docker-registry regcred -n shop --docker-server=registry.example.com --docker-username='<username>'");
    expect(fixText(findingsOf(report, 'registry-access-denied')[0])).toContain('kubectl create secret docker-registry regcred -n shop --docker-server=registry.example.com');
  });

  it('a copy the kubelet would ignore is not chosen', () => {
    // "aaa" sorts first and has the right key, but as an Opaque secret the kubelet never reads it.
    const doc = withCopies('registry.example.com', [['aaa', 'registry.example.com']]);
    doc.items.find((o: any) => o.kind === 'Secret' && o.metadata.namespace === 'aaa').type = 'Opaque';
    const [f] = mine(scanDoc(doc));
    expect(f?.message).toContain('(the other copies: aaa: ignored by the kubelet: type Opaque is not read by the kubelet)');
    expect(fixText(f)).toContain('get secret regcred -n default -o json');
  });

  it('chooseCopy judges nothing when a copy\'s content is not known: the first by name', () => {
    // An image no listed secret serves: with its copies unknown, it must not read as "no copy serves it".
    const ctx = { containers: [{ parse: { ok: true, ref: { name: 'registry.example.com/shop/cart' } } }], namespace: 'shop' } as unknown as PullContext;
    const state: SecretRefState = { name: 'regcred', status: 'missing', from: secretMissing('dump', 'shop', 'regcred'), otherNamespaces: ['ci', 'default'] };
    expect(chooseCopy(ctx, state)).toEqual({ images: [], copies: [] });
  });

  it('stays quiet when the secret is in the pod namespace, and never prints a password', async () => {
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml'], ['Fx-wrong-ns-pw-default']);
    expect(JSON.stringify(scanDoc(withCopies('quay.io', [['team-a', 'registry.example.com']])))).not.toMatch(/Fx-wrong-ns-pw/);
  });
});
