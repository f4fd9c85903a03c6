/**
 * Provenance of the facts the engine hands to rules (see `Provenance` in ./types.ts): which
 * source established a fact, and the Evidence a finding cites for it. One place words them, so a
 * secret that does not exist reads the same in every rule whether the API, a dump or the
 * kubelet's own event said so.
 */
import type { Evidence } from '../model/finding.js';
import type { AccessProblem, SkippedObject, Snapshot } from '../model/snapshot.js';
import type { EventView, Provenance } from './types.js';

/** An event as evidence: its reason and message, how often and when the kubelet last said it. */
export function eventEvidence(e: EventView): Evidence {
  const ev: Evidence = {
    source: 'event',
    ref: e.ref,
    detail: `${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}`.trim(),
    count: e.count,
  };
  if (e.lastSeen) ev.lastSeen = e.lastSeen;
  return ev;
}

/**
 * Objects of a live scan come from the API server; everything else from the input file (or the
 * demo's). A check against a context (`source.context` set) reads the cluster's objects from the
 * API too; objects of its manifest set carry their own origin (see `inManifest`).
 */
export function objectOrigin(snapshot: Snapshot): 'api' | 'dump' {
  const { kind, context } = snapshot.source;
  return kind === 'cluster' || (kind === 'manifest' && context !== undefined) ? 'api' : 'dump';
}

/** `pulldoctor check`: the object is in the manifest set, written at this file and line. */
export function inManifest(kind: 'Secret' | 'ServiceAccount', ns: string, name: string, at: { file: string; line: number }, detail: string): Provenance {
  return { origin: 'manifest', evidence: { source: 'manifest', ref: `${kind} ${ns}/${name}`, detail: `in the manifests (${at.file}:${at.line}), ${detail}` } };
}

const secretRef = (ns: string, name: string) => `Secret ${ns}/${name}`;

export function secretFound(origin: 'api' | 'dump', ns: string, name: string, type: string | undefined): Provenance {
  const where = origin === 'api' ? 'read from the API server' : 'in the input';
  return { origin, evidence: { source: 'secret', ref: secretRef(ns, name), detail: `exists (${where}), type ${type || '(none)'}` } };
}

/** Absent: the API server answered 404, or the input holds Secrets and not this one. */
export function secretMissing(origin: 'api' | 'dump', ns: string, name: string, snapshot?: Snapshot): Provenance {
  const check = snapshot?.source.kind === 'manifest' ? 'not in the manifests; ' : '';
  const detail =
    check +
    (origin === 'api'
      ? `not found: the API server answered 404 to GET /api/v1/namespaces/${ns}/secrets/${name}`
      : `not found: the input holds Secrets, but none named "${name}" in namespace ${ns}`);
  return { origin, evidence: { source: 'secret', ref: secretRef(ns, name), detail } };
}

export function secretForbidden(ns: string, name: string, p: AccessProblem): Provenance {
  return {
    origin: 'api',
    evidence: { source: 'secret', ref: secretRef(ns, name), detail: `not readable: ${p.status} ${p.message} (check: ${p.canI})` },
  };
}

/** A secret the source could not read (malformed, or its read failed): unknown, not missing. */
export function secretUnread(origin: 'api' | 'dump', ns: string, name: string, unread: SkippedObject): Provenance {
  return { origin, evidence: { source: 'secret', ref: secretRef(ns, name), detail: `could not be read: ${unread.reason}` } };
}

export function secretNotCollected(ns: string, name: string, snapshot?: Snapshot): Provenance {
  const detail =
    snapshot?.source.kind === 'manifest'
      ? 'not in the manifests; whether the cluster has it was not checked (check against it with --context or --against)'
      : 'not in the input, which holds no Secrets';
  return { origin: 'dump', evidence: { source: 'secret', ref: secretRef(ns, name), detail } };
}

/**
 * The kubelet's FailedToRetrieveImagePullSecret event names the secret (kubelet-semantics §2.4):
 * it could not get it, on this pod's last syncs. What the input could not show, the kubelet did.
 */
export function kubeletCouldNotRetrieve(name: string, unseen: Provenance, e: EventView): Provenance {
  const why = unseen.origin === 'api' ? 'Reading the secret was refused' : 'The input holds no Secrets';
  const when = e.lastSeen ? `, last at ${e.lastSeen}` : '';
  return {
    origin: 'kubelet-event',
    evidence: eventEvidence(e),
    note: `${why}; the source is the kubelet's own FailedToRetrieveImagePullSecret event, which names "${name}" (x${e.count}${when}).`,
  };
}

export function serviceAccountProvenance(
  origin: 'api' | 'dump',
  ns: string,
  name: string,
  status: 'found' | 'missing' | 'forbidden' | 'unknown',
  pullSecrets: string[],
  problem?: AccessProblem,
  unread?: SkippedObject,
  check = false,
): Provenance {
  const ref = `ServiceAccount ${ns}/${name}`;
  if (status === 'unknown' && unread) return { origin, evidence: { source: 'service-account', ref, detail: `could not be read: ${unread.reason}` } };
  const detail =
    status === 'found'
      ? pullSecrets.length
        ? `imagePullSecrets: ${pullSecrets.join(', ')}`
        : 'lists no imagePullSecrets'
      : status === 'missing'
        ? origin === 'api'
          ? 'not found: the API server lists no ServiceAccount of that name'
          : 'not found: the input holds ServiceAccounts, but not this one'
        : status === 'forbidden'
          ? `not readable: ${problem ? `${problem.status} ${problem.message} (check: ${problem.canI})` : 'forbidden'}`
          : check
            ? 'not in the manifests; whether the cluster has it, and which pull secrets it lists, was not checked (check against it with --context or --against)'
            : 'not in the input, which holds no ServiceAccounts';
  if (check && status === 'missing') {
    return { origin, evidence: { source: 'service-account', ref, detail: `not in the manifests; ${detail}` } };
  }
  return { origin: status === 'forbidden' ? 'api' : origin, evidence: { source: 'service-account', ref, detail } };
}
