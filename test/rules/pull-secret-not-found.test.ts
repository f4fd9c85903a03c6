/**
 * pull-secret-not-found, and the kubelet's words as evidence: when the input cannot show a secret
 * (a dump without Secrets, a forbidden read), the kubelet's FailedToRetrieveImagePullSecret event
 * names the secrets it could not get — and that confirms the finding for those names.
 */
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { loadFixture, podOf } from '../helpers/edit.js';
import { findingsOf, fixText, relatedRules, reportOf, ruleKit, scanDoc, scanFixture } from '../helpers/scan.js';

const ID = 'pull-secret-not-found';
const { load, mine, sole } = ruleKit(ID);

const SECRETS_EVENT = 'Unable to retrieve some image pull secrets (acme-pull); attempting to pull the image may not succeed.';
/** The PullContexts of an in-memory dump. */
function prepOf(doc: unknown) {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  return reportOf(b.finishOffline()).prep;
}

const withoutSecretsEvent = (doc: { items: Record<string, unknown>[] }) => {
  doc.items = doc.items.filter((o) => o.reason !== 'FailedToRetrieveImagePullSecret');
};

describe(ID, () => {
  it('fires on a dump that holds secrets but not this one (the fact comes from the dump)', async () => {
    const f = await sole('fires.yaml');
    expect(f?.secret).toBe('regcred');
    expect(f?.confidence).toBe('confirmed');
    expect(f?.evidence.map((e) => e.detail)).toEqual(
      expect.arrayContaining(['not found: the input holds Secrets, but none named "regcred" in namespace shop', expect.stringContaining('FailedToRetrieveImagePullSecret')]),
    );
    expect(f?.message).not.toContain('source is');
  });

  describe('a dump without secrets: the kubelet\'s event is the evidence', () => {
    it('confirms the name from the event; the fix creates that name; it says the source is the kubelet\'s event', async () => {
      const f = await sole('no-secrets.yaml');
      expect(f?.severity).toBe('error');
      expect(f?.confidence).toBe('confirmed');
      expect(f?.secret).toBe('acme-pull');
      expect(f?.message).toContain('imagePullSecrets names secret "acme-pull", which does not exist in namespace shop');
      expect(f?.message).toContain(
        'The input holds no Secrets; the source is the kubelet\'s own FailedToRetrieveImagePullSecret event, which names "acme-pull" (x31, last at 2026-11-28T11:54:02Z).',
      );
      const cites = f?.evidence.find((e) => e.source === 'event');
      expect(cites).toMatchObject({ ref: 'Event shop/cart-5d8f7b9c6d-q7wzt.187d1a2b3c4d5e10', detail: `Warning FailedToRetrieveImagePullSecret: ${SECRETS_EVENT}`, count: 31 });
      expect(f?.remediation[0]).toBe(
        "kubectl create secret docker-registry acme-pull -n shop --docker-server=registry.acme.io --docker-username='<username>' --docker-password='<password>'",
      );
      expect(fixText(f)).not.toContain('registry-acme-io-pull');
    });

    it('the runtime finding links to it and creates that name too, not an invented one', async () => {
      const { report } = await scanFixture(ID, 'no-secrets.yaml');
      const [denied] = findingsOf(report, 'registry-access-denied');
      expect(denied?.message).toContain('pull secret "acme-pull" does not exist');
      expect(relatedRules(report, denied!)).toEqual([ID]);
      expect(denied?.remediation[0]).toContain('kubectl create secret docker-registry acme-pull -n shop');
      expect(fixText(denied)).not.toContain('registry-acme-io-pull');
      expect(denied?.unverified.join('\n')).not.toContain('Secret shop/acme-pull was not in the input');
      expect(denied?.evidence.some((e) => e.source === 'event' && e.detail.startsWith('Warning FailedToRetrieveImagePullSecret:'))).toBe(true);
    });

    it('the pod status reads "missing", with the event as what established it', async () => {
      const { prep } = await scanFixture(ID, 'no-secrets.yaml');
      const s = prep.contexts[0]?.pullSecrets[0];
      expect(s?.status).toBe('missing');
      expect(s?.from.origin).toBe('kubelet-event');
    });

    it('the newer wording alone (reason lost) is read the same way', () => {
      const doc = load('no-secrets.yaml');
      const ev = doc.items.find((o: Record<string, unknown>) => o.reason === 'FailedToRetrieveImagePullSecret');
      ev.reason = 'Warning';
      expect(mine(scanDoc(doc))[0]?.secret).toBe('acme-pull');
    });

    it('without the event the secret stays unknown: no finding, and the runtime finding says what it could not verify', () => {
      const doc = load('no-secrets.yaml');
      withoutSecretsEvent(doc);
      const report = scanDoc(doc);
      expect(mine(report)).toEqual([]);
      const [denied] = findingsOf(report, 'registry-access-denied');
      expect(denied?.unverified.join('\n')).toContain('Secret shop/acme-pull was not in the input');
    });

    it('names only what the event names: another listed secret stays unknown', () => {
      const doc = load('no-secrets.yaml');
      podOf(doc).spec.imagePullSecrets.push({ name: 'ghcr-pull' });
      const report = scanDoc(doc);
      expect(mine(report).map((f) => f.secret)).toEqual(['acme-pull']);
      expect(prepOf(doc).contexts[0]?.pullSecrets.map((s) => `${s.name}:${s.status}`)).toEqual(['acme-pull:missing', 'ghcr-pull:unknown']);
    });

    it('another pod\'s event does not speak for this pod', () => {
      const doc = load('no-secrets.yaml');
      const ev = doc.items.find((o: Record<string, unknown>) => o.reason === 'FailedToRetrieveImagePullSecret');
      ev.involvedObject = { ...ev.involvedObject, name: 'cart-5d8f7b9c6d-zzzzz', uid: 'b0d1e2f3-0000-4000-8000-000000000000' };
      expect(mine(scanDoc(doc))).toEqual([]);
    });
  });

  it('the input wins over an old event: a secret the dump holds is found', () => {
    // the pod of no-secrets.yaml (with its event naming acme-pull) beside a dump that holds acme-pull
    const doc = load('no-secrets.yaml');
    const secret = loadFixture('pull-secret-not-referenced', 'fires.yaml').items.find((o: Record<string, unknown>) => o.kind === 'Secret');
    doc.items.push(secret);
    expect(prepOf(doc).contexts[0]?.pullSecrets[0]).toMatchObject({ name: 'acme-pull', status: 'found', from: { origin: 'dump' } });
    expect(mine(scanDoc(doc))).toEqual([]);
  });
});
