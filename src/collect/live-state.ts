/**
 * The live source's state: one keyed collection per reflector, holding reduced objects
 * (src/collect/reduce.ts) only, so memory stays what a one-shot scan's Snapshot needs.
 */
import type { KubeEvent, NodeInfo, Pod, SecretObject, ServiceAccount } from '../model/kube.js';
import { emptySnapshot, type SkippedObject, type Snapshot, type SourceInfo } from '../model/snapshot.js';
import { invalidReason, type ReadKind } from './validate.js';
import type { HttpResult } from './api-transport.js';
import { accessProblem, type AccessCheck } from './can-i.js';
import { referencedSecrets, type SecretRef } from './live-scope.js';
import { isObj } from './reduce.js';
import type { ReflectorSink } from './reflector.js';
import { namespacesNeedingPullSecrets, PULL_SECRET_TYPES } from './pull-secret-scope.js';

/** A pull secret as the live source knows it. */
export type SecretState =
  | { state: 'found'; secret: SecretObject }
  | { state: 'missing' }
  | { state: 'forbidden'; res: HttpResult }
  /** Served, but not of the shape pulldoctor reads: skipped, so unknown rather than missing. */
  | { state: 'malformed'; skipped: SkippedObject };

type Raw = Record<string, unknown>;

/** `namespace/name` of a raw object (`/name` for cluster-scoped ones). */
export function rawKey(raw: Raw): string {
  const m = isObj(raw.metadata) ? raw.metadata : {};
  return `${typeof m.namespace === 'string' ? m.namespace : ''}/${typeof m.name === 'string' ? m.name : ''}`;
}

/** Where a kind's objects were read from, for its skipped entries. */
export interface SinkCheck {
  kind: ReadKind;
  /** The list's API path. */
  source: string;
}

/** The skipped entry of a malformed object (as the one-shot builder records it), or undefined when it can be read. */
export function malformedEntry(raw: unknown, check: SinkCheck): SkippedObject | undefined {
  if (!isObj(raw)) return { kind: check.kind, reason: `not an object (${raw === null ? 'null' : Array.isArray(raw) ? 'array' : typeof raw})`, source: check.source };
  const reason = invalidReason(check.kind, raw);
  if (reason === undefined) return undefined;
  const meta = isObj(raw.metadata) ? raw.metadata : {};
  const e: SkippedObject = { kind: check.kind, reason, source: check.source };
  if (typeof meta.namespace === 'string' && meta.namespace) e.namespace = meta.namespace.slice(0, 253);
  else if (check.kind !== 'Node') e.namespace = 'default';
  if (typeof meta.name === 'string' && meta.name) e.name = meta.name.slice(0, 253);
  return e;
}

/** A list item as KeyedSink.prepare read it: malformed (`bad`), reduced (`value`), or nothing to keep. */
export interface ListedItem<T> {
  key?: string;
  bad?: SkippedObject;
  value?: T;
}

/**
 * A reflector's objects by `namespace/name`. `reduce` returns undefined for an object the
 * scan does not keep (an event the engine never reads, a pod outside `--pods`): an update that
 * makes an object uninteresting removes it.
 */
export class KeyedSink<T> implements ReflectorSink<ListedItem<T>> {
  items = new Map<string, T>();
  /** Objects served malformed (validated where they enter, never half-read), by key. */
  malformed = new Map<string, SkippedObject>();
  /** The 403 answer of the last list, while it is refused. */
  refused: HttpResult | undefined;
  private next: Map<string, T> | undefined;
  private nextMalformed: Map<string, SkippedObject> | undefined;

  constructor(
    private readonly reduce: (raw: Raw) => T | undefined,
    private readonly onChange: () => void,
    private readonly check?: SinkCheck,
  ) {}

  begin(): void {
    this.next = new Map();
    this.nextMalformed = new Map();
  }
  prepare(raw: unknown): ListedItem<T> {
    const bad = this.check && malformedEntry(raw, this.check);
    if (bad) return isObj(raw) ? { key: rawKey(raw), bad } : { bad };
    if (!isObj(raw)) return {};
    const value = this.reduce(raw);
    return value === undefined ? {} : { key: rawKey(raw), value };
  }
  add(item: ListedItem<T>): void {
    if (item.bad) this.nextMalformed?.set(item.key ?? `#${this.nextMalformed.size}`, item.bad);
    else if (item.key !== undefined && item.value !== undefined) this.next?.set(item.key, item.value);
  }
  commit(): void {
    if (this.next) this.items = this.next;
    if (this.nextMalformed) this.malformed = this.nextMalformed;
    this.next = this.nextMalformed = undefined;
  }
  upsert(raw: Raw): void {
    const key = rawKey(raw);
    const bad = this.check && malformedEntry(raw, this.check);
    if (bad) {
      this.items.delete(key);
      this.malformed.set(key, bad);
      return;
    }
    this.malformed.delete(key);
    const v = this.reduce(raw);
    if (v === undefined) this.items.delete(key);
    else this.items.set(key, v);
  }
  remove(raw: Raw): void {
    this.items.delete(rawKey(raw));
    this.malformed.delete(rawKey(raw));
  }
  forbidden(res: HttpResult | undefined): void {
    this.refused = res;
  }
  changed(): void {
    this.onChange();
  }
  /** The values in key order (the order an API list returns them in). */
  sorted(): T[] {
    return [...this.items.keys()].sort().map((k) => this.items.get(k) as T);
  }
}

/** What the live source holds, for `liveSnapshot`. */
export interface LiveParts {
  source: SourceInfo;
  /** The context the user named (can-i lines then carry `--context`). */
  explicitContext?: string;
  namespace?: string;
  /** `--pods` or `-l`: events are kept for the pods in scope only. */
  narrowed: boolean;
  pods: KeyedSink<Pod> | undefined;
  sas: KeyedSink<ServiceAccount> | undefined;
  eventsRefused: HttpResult | undefined;
  events: Iterable<KubeEvent>;
  secretState(key: string): SecretState | undefined;
  missingNames(refs: ReadonlyMap<string, SecretRef>): string[];
  lookups: ReadonlyMap<string, { sink: KeyedSink<SecretObject> }>;
  /** A namespace's watched secrets, once listed (or refused); undefined when not watched or not yet listed. */
  namespaceSecrets(namespace: string): { items: Iterable<SecretObject>; refused: HttpResult | undefined } | undefined;
  nodes: { sink: KeyedSink<NodeInfo>; synced: boolean } | undefined;
  /** Objects served malformed by any list, watch or GET in scope (skipped, listed in the report). */
  malformed: Iterable<SkippedObject>;
}

const byNamespaceAndName = (a: KubeEvent, b: KubeEvent) =>
  a.namespace === b.namespace ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.namespace < b.namespace ? -1 : 1;

/**
 * The live state as the Snapshot a one-shot scan of the same scope reads (scan-plan.ts): the
 * same objects in list order, referenced secrets plus the missing-name lookups, the same
 * coverage and access problems (with their can-i lines).
 */
export function liveSnapshot(p: LiveParts): Snapshot {
  const s = emptySnapshot(p.source);
  const problem = (res: HttpResult | undefined, check: AccessCheck) => {
    if (res) s.accessProblems.push(accessProblem(res, check, p.explicitContext));
  };
  const scope = p.namespace ? { namespace: p.namespace } : {};
  s.pods = p.pods?.sorted() ?? [];
  s.serviceAccounts = p.sas?.sorted() ?? [];
  problem(p.pods?.refused, { resource: 'pods', verb: 'list', ...scope });
  problem(p.sas?.refused, { resource: 'serviceaccounts', verb: 'list', ...scope });
  problem(p.eventsRefused, { resource: 'events', verb: 'list', ...scope });
  let evs = [...p.events];
  if (p.narrowed) {
    const inScope = new Set(s.pods.map((x) => `${x.metadata.namespace}/${x.metadata.name}`));
    evs = evs.filter((e) => e.involvedObject.kind !== 'Pod' || inScope.has(`${e.involvedObject.namespace ?? e.namespace}/${e.involvedObject.name}`));
  }
  s.events = evs.sort(byNamespaceAndName);

  const refs = referencedSecrets(s.pods, p.sas?.items ?? new Map<string, ServiceAccount>());
  const secrets = new Map<string, SecretObject>();
  for (const key of [...refs.keys()].sort()) {
    const st = p.secretState(key);
    if (st?.state === 'found') secrets.set(key, st.secret);
    else if (st?.state === 'malformed') s.skippedObjects?.push(st.skipped);
    else if (st?.state === 'forbidden') {
      const ref = refs.get(key) as SecretRef;
      problem(st.res, { resource: 'secrets', verb: 'get', namespace: ref.namespace, name: ref.name });
    }
  }
  for (const name of p.missingNames(refs)) {
    const w = p.lookups.get(name);
    if (!w) continue;
    if (w.sink.refused) {
      problem(w.sink.refused, { resource: 'secrets', verb: 'list', namespaced: true });
      continue;
    }
    for (const [key, sec] of w.sink.items) if (!secrets.has(key)) secrets.set(key, sec);
  }
  // The namespace's own pull secrets where a failing pull got no credential (the one-shot scan's
  // typed lists, pull-secret-scope.ts): the live source watches every secret there.
  s.secrets = [...secrets.values()];
  const listed: string[] = [];
  for (const namespace of namespacesNeedingPullSecrets(s)) {
    const w = p.namespaceSecrets(namespace);
    if (!w) continue;
    if (w.refused) {
      problem(w.refused, { resource: 'secrets', verb: 'list', namespace });
      continue;
    }
    for (const sec of w.items) {
      const key = `${sec.metadata.namespace}/${sec.metadata.name}`;
      if (!secrets.has(key) && (PULL_SECRET_TYPES as readonly (string | undefined)[]).includes(sec.type)) secrets.set(key, sec);
    }
    listed.push(namespace);
  }
  s.secrets = [...secrets.values()];
  if (listed.length) s.pullSecretNamespaces = listed.sort();
  if (p.nodes) {
    s.nodes = p.nodes.sink.sorted();
    problem(p.nodes.sink.refused, { resource: 'nodes', verb: 'list', namespaced: false });
  }
  // Once per object: a secret both referenced and in a watched namespace is one skipped entry.
  const seen = new Set((s.skippedObjects ?? []).map((e) => `${e.kind}/${e.namespace ?? ''}/${e.name ?? ''}`));
  for (const e of p.malformed) {
    const key = `${e.kind}/${e.namespace ?? ''}/${e.name ?? ''}`;
    if (e.name !== undefined && seen.has(key)) continue;
    seen.add(key);
    s.skippedObjects?.push(e);
  }
  s.coverage = {
    secrets: 'referenced',
    serviceAccounts: p.sas && !p.sas.refused ? 'all' : 'none',
    events: p.eventsRefused ? 'none' : 'all',
    nodes: p.nodes && !p.nodes.sink.refused && p.nodes.synced ? 'all' : 'none',
  };
  return s;
}
