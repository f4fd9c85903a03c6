/**
 * Facts have provenance: the PullContext says what established each fact it hands to rules —
 * the API server, the dump, the kubelet's own event — and the evidence to cite for it.
 */
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../src/collect/builder.js';
import { buildContexts } from '../src/engine/context.js';
import type { Snapshot } from '../src/model/snapshot.js';
import { dropSecrets, loadFixture, podOf } from './helpers/edit.js';
import { NOW } from './helpers/scan.js';

type Doc = { items: Record<string, unknown>[] };

function snapshotOf(doc: unknown, live = false): Snapshot {
  const b = new SnapshotBuilder(live ? { kind: 'cluster', description: 'context double', cluster: 'c', context: 'double' } : { kind: 'file', description: 'test' });
  b.add(doc);
  const s = b.finishOffline();
  if (live) s.coverage.secrets = 'referenced';
  return s;
}
const ctxOf = (s: Snapshot) => buildContexts(s, NOW)[0]!;
const notFound = () => loadFixture('pull-secret-not-found', 'fires.yaml') as Doc;
const noSecrets = () => loadFixture('pull-secret-not-found', 'no-secrets.yaml') as Doc;

describe('secret references carry what established their status', () => {
  it('a dump that holds Secrets but not this one', () => {
    const s = ctxOf(snapshotOf(notFound())).pullSecrets[0];
    expect(s).toMatchObject({ name: 'regcred', status: 'missing', from: { origin: 'dump' } });
    expect(s?.from.evidence).toEqual({ source: 'secret', ref: 'Secret shop/regcred', detail: 'not found: the input holds Secrets, but none named "regcred" in namespace shop' });
    expect(s?.from.note).toBeUndefined();
  });

  it('the API server\'s 404', () => {
    const s = ctxOf(snapshotOf(notFound(), true)).pullSecrets[0];
    expect(s).toMatchObject({ status: 'missing', from: { origin: 'api' } });
    expect(s?.from.evidence.detail).toBe('not found: the API server answered 404 to GET /api/v1/namespaces/shop/secrets/regcred');
  });

  it('a 403, with the can-i line; then the pod\'s own event confirms it missing', () => {
    const snap = snapshotOf(noSecrets(), true);
    snap.accessProblems.push({ resource: 'secrets', namespace: 'shop', name: 'acme-pull', verb: 'get', status: 403, message: 'forbidden', canI: 'kubectl auth can-i get secrets -n shop' });
    const s = ctxOf(snap).pullSecrets[0];
    expect(s).toMatchObject({ status: 'missing', from: { origin: 'kubelet-event', evidence: { source: 'event', count: 31 } } });
    expect(s?.accessProblem?.canI).toBe('kubectl auth can-i get secrets -n shop');
    expect(s?.from.note).toMatch(/^Reading the secret was refused; the source is the kubelet's own FailedToRetrieveImagePullSecret event/);
    // without the event: forbidden, and the evidence says why
    snap.events = [];
    const f = ctxOf(snap).pullSecrets[0];
    expect(f).toMatchObject({ status: 'forbidden', from: { origin: 'api', evidence: { detail: 'not readable: 403 forbidden (check: kubectl auth can-i get secrets -n shop)' } } });
  });

  it('a dump without Secrets and no event: unknown', () => {
    const doc = noSecrets();
    doc.items = doc.items.filter((o) => o.reason !== 'FailedToRetrieveImagePullSecret');
    expect(ctxOf(snapshotOf(doc)).pullSecrets[0]).toMatchObject({ status: 'unknown', from: { origin: 'dump', evidence: { detail: 'not in the input, which holds no Secrets' } } });
  });

  it('found: where it was read', () => {
    const doc = loadFixture('pull-secret-not-referenced', 'quiet.yaml') as Doc;
    expect(ctxOf(snapshotOf(doc)).pullSecrets[0]?.from.evidence.detail).toBe('exists (in the input), type kubernetes.io/dockerconfigjson');
    expect(ctxOf(snapshotOf(doc, true)).pullSecrets[0]?.from.evidence.detail).toBe('exists (read from the API server), type kubernetes.io/dockerconfigjson');
  });
});

describe('other facts', () => {
  it('the ServiceAccount and the list it holds', () => {
    expect(ctxOf(snapshotOf(notFound())).serviceAccount.from).toEqual({
      origin: 'dump',
      evidence: { source: 'service-account', ref: 'ServiceAccount shop/default', detail: 'lists no imagePullSecrets' },
    });
    const doc = notFound();
    doc.items = doc.items.filter((o) => o.kind !== 'ServiceAccount');
    expect(ctxOf(snapshotOf(doc)).serviceAccount).toMatchObject({ status: 'unknown', from: { evidence: { detail: 'not in the input, which holds no ServiceAccounts' } } });
  });

  it('the node: the pod spec, else the host the kubelet reported from', () => {
    const doc = notFound();
    expect(ctxOf(snapshotOf(doc)).nodeName).toMatchObject({ value: 'worker-2', from: { origin: 'dump', evidence: { source: 'pod-spec' } } });
    delete (podOf(doc).spec as Record<string, unknown>).nodeName;
    const n = ctxOf(snapshotOf(doc)).nodeName;
    expect(n).toMatchObject({ value: 'worker-2', from: { origin: 'kubelet-event', evidence: { source: 'event' } } });
    expect(n?.from.note).toContain('the kubelet on worker-2 reported its events (source.host)');
  });

  it('the image the kubelet\'s Failed event quotes', () => {
    const c = ctxOf(snapshotOf(notFound())).containers[0];
    expect(c?.failure?.image).toMatchObject({ value: 'registry.example.com/shop/cart:1.4.2', from: { origin: 'kubelet-event', evidence: { source: 'event', count: 5 } } });
  });

  it('whether the namespace\'s other pull secrets were in view', () => {
    expect(ctxOf(snapshotOf(notFound())).namespaceSecrets).toEqual({ status: 'all' });
    const doc = notFound();
    dropSecrets(doc);
    expect(ctxOf(snapshotOf(doc)).namespaceSecrets).toEqual({ status: 'unknown' });
    const live = snapshotOf(notFound(), true);
    expect(ctxOf(live).namespaceSecrets).toEqual({ status: 'unknown' });
    live.pullSecretNamespaces = ['shop'];
    expect(ctxOf(live).namespaceSecrets).toEqual({ status: 'all' });
    live.pullSecretNamespaces = [];
    const problem = { resource: 'secrets', namespace: 'shop', verb: 'list' as const, status: 403, message: 'no', canI: 'kubectl auth can-i list secrets -n shop' };
    live.accessProblems.push(problem);
    expect(ctxOf(live).namespaceSecrets).toEqual({ status: 'forbidden', accessProblem: problem });
    // a forbidden list is not a forbidden GET: the 404'd secret stays missing
    expect(ctxOf(live).pullSecrets[0]?.status).toBe('missing');
  });
});
