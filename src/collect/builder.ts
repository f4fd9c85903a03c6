/**
 * Accumulates raw Kubernetes objects (any kind, `List`s included) into a Snapshot, validating
 * and reducing each object as it arrives. Shared by the file, demo and cluster sources.
 *
 * Validation happens here, where input enters: an object of a kind pulldoctor reads that does
 * not match the schema of the fields it reads (./validate.ts), or a list item that is not an
 * object at all, goes to `snapshot.skippedObjects` with its reason and where it came from, and
 * is neither reduced nor counted.
 */
import { emptySnapshot, type SkippedObject, type Snapshot, type SourceInfo } from '../model/snapshot.js';
import {
  eventMatters,
  isObj,
  poolEvent,
  readKind,
  reduceEvent,
  reduceNode,
  reduceOwner,
  reducePod,
  reduceSecret,
  reduceServiceAccount,
  StringPool,
} from './reduce.js';
import { invalidReason, type WorkloadKind } from './validate.js';
import type { KubeEvent, NodeInfo, OwnerObject, Pod, SecretObject, ServiceAccount } from '../model/kube.js';

/**
 * Where an object came from, for a skipped object's `source`: a request path (live), or a file
 * and the offset of the object in it, which the file source turns into a line (`file:line`).
 */
export type Origin = string | { file: string; offset: number };

/** A skipped object whose source is still an offset in a file. */
export interface PendingLine {
  entry: SkippedObject;
  offset: number;
}

const MAX_NAME = 253;
const clip = (s: string) => (s.length > MAX_NAME ? `${s.slice(0, MAX_NAME)}…` : s);

export interface BuilderMark {
  pods: number;
  events: number;
  secrets: number;
  serviceAccounts: number;
  owners: number;
  nodes: number;
  skipped: Record<string, number>;
  counts: Record<string, number>;
  droppedEvents: number;
  skippedObjects: number;
  pendingLines: number;
  objectsRead: number;
}

/** One object as SnapshotBuilder.prepare read it (`Event` without `obj`: one the engine never reads, dropped). */
export type PreparedObject =
  | { t: 'malformed'; entry: Omit<SkippedObject, 'source'> }
  /** Not a kind pulldoctor reads: only counted. */
  | { t: 'unread'; kind: string }
  | { t: 'Pod'; obj: Pod }
  | { t: 'Event'; obj: KubeEvent | undefined }
  | { t: 'Secret'; obj: SecretObject }
  | { t: 'ServiceAccount'; obj: ServiceAccount }
  | { t: 'owner'; kind: WorkloadKind; obj: OwnerObject }
  | { t: 'Node'; obj: NodeInfo };

export class SnapshotBuilder {
  readonly snapshot: Snapshot;
  /** How many objects of a kind were added (for coverage decisions by the source). */
  readonly counts: Record<string, number> = {};
  /** Events dropped as they arrived because the engine never reads them (see `eventMatters`). */
  droppedEvents = 0;

  private readonly keepAllEvents: boolean;
  /** Objects of the kinds pulldoctor reads that passed validation. */
  objectsRead = 0;
  /** Skipped objects whose `source` is an offset until the file source resolves it. */
  private pendingLines: PendingLine[] = [];
  /** Repeated strings of the reduced objects, one copy each (see StringPool). */
  private readonly pool = new StringPool();

  /** `keepAllEvents`: keep events the engine never reads too (tests compare with and without). */
  constructor(source: SourceInfo, collectedAt?: string, opts: { keepAllEvents?: boolean } = {}) {
    this.snapshot = emptySnapshot(source, collectedAt);
    this.keepAllEvents = opts.keepAllEvents === true;
  }

  private get skippedObjects(): SkippedObject[] {
    return (this.snapshot.skippedObjects ??= []);
  }

  /**
   * Add one parsed document: a single object or any `*List`. `kindHint` is used for list
   * items that carry no `kind` (API list pages omit it on items). `origin` says where the
   * document is, `itemOrigin` where each list item is (default: the document's origin).
   * Returns false when the value is not a Kubernetes object at all.
   */
  add(doc: unknown, kindHint?: string, origin?: Origin, itemOrigin?: (index: number) => Origin | undefined): boolean {
    if (!isObj(doc)) return false;
    const kind = typeof doc.kind === 'string' ? doc.kind : kindHint;
    if (Array.isArray(doc.items) && (kind === undefined || kind.endsWith('List'))) {
      const itemKind = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
      doc.items.forEach((item: unknown, i: number) => this.addObject(item, itemKind, itemOrigin?.(i) ?? origin));
      return true;
    }
    if (typeof kind !== 'string') return false;
    if (kind.endsWith('List') && doc.items !== undefined) {
      this.skip({ kind, reason: 'items: must be array' }, origin);
      return true;
    }
    // An object of a kind we read is one even when its metadata is broken (it is then skipped);
    // anything else needs metadata to count as a Kubernetes object at all.
    if (!isObj(doc.metadata) && !readKind(kind)) return false;
    this.addObject(doc, kind, origin);
    return true;
  }

  /**
   * Add one object (a list item, an API list page's item, a GET's body). Returns false when it
   * was skipped as malformed (a non-object, or one that fails its kind's schema).
   */
  addObject(raw: unknown, kindHint?: string, origin?: Origin): boolean {
    return this.commit(this.prepare(raw, kindHint), origin);
  }

  /**
   * What `commit` adds for one object: validated and reduced, and nothing of this builder's
   * changed (only its string pool, whose strings are the same whoever asked). So an API list
   * page's items are prepared as they arrive, and committed once the page is whole
   * (api-pager.ts `prepare`); the parsed object is garbage as soon as this returns.
   */
  prepare(raw: unknown, kindHint?: string): PreparedObject {
    if (!isObj(raw)) return { t: 'malformed', entry: { kind: kindHint ?? 'unknown', reason: `not an object (${raw === null ? 'null' : Array.isArray(raw) ? 'array' : typeof raw})` } };
    // API list items carry no `kind`: the list's stands in. (The object is not copied to carry
    // it: neither the schemas nor the reducers read an object's own `kind`.)
    const kindName = typeof raw.kind === 'string' || !kindHint ? raw.kind : kindHint;
    const kind = readKind(kindName);
    if (!kind) return { t: 'unread', kind: typeof kindName === 'string' && kindName ? kindName : 'unknown' };
    const reason = invalidReason(kind, raw);
    if (reason !== undefined) {
      const meta = isObj(raw.metadata) ? raw.metadata : {};
      const entry: Omit<SkippedObject, 'source'> = { kind, reason };
      if (typeof meta.namespace === 'string' && meta.namespace) entry.namespace = clip(meta.namespace);
      else if (kind !== 'Node') entry.namespace = 'default'; // as reduceMeta reads it
      if (typeof meta.name === 'string' && meta.name) entry.name = clip(meta.name);
      return { t: 'malformed', entry };
    }
    switch (kind) {
      case 'Pod':
        return { t: 'Pod', obj: reducePod(raw, undefined, this.pool) };
      case 'Event': {
        const ev = reduceEvent(raw);
        return { t: 'Event', obj: this.keepAllEvents || eventMatters(ev) ? poolEvent(ev, this.pool) : undefined };
      }
      case 'Secret':
        return { t: 'Secret', obj: reduceSecret(raw) };
      case 'ServiceAccount':
        return { t: 'ServiceAccount', obj: reduceServiceAccount(raw) };
      case 'ReplicaSet':
      case 'Job':
      case 'Deployment':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'CronJob':
        return { t: 'owner', kind, obj: reduceOwner(raw, undefined, kind) };
      case 'Node':
        return { t: 'Node', obj: reduceNode(raw) };
    }
  }

  /** Add what `prepare` read. Returns false when the object was skipped as malformed. */
  commit(p: PreparedObject, origin?: Origin): boolean {
    const s = this.snapshot;
    switch (p.t) {
      case 'malformed':
        this.skip(p.entry, origin);
        return false;
      case 'unread':
        s.skipped[p.kind] = (s.skipped[p.kind] ?? 0) + 1;
        return true;
    }
    const kind = p.t === 'owner' ? p.kind : p.t;
    this.objectsRead++;
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    switch (p.t) {
      case 'Pod':
        s.pods.push(p.obj);
        break;
      case 'Event':
        if (p.obj) s.events.push(p.obj);
        else this.droppedEvents++;
        break;
      case 'Secret':
        s.secrets.push(p.obj);
        break;
      case 'ServiceAccount':
        s.serviceAccounts.push(p.obj);
        break;
      case 'owner':
        s.owners.push(p.obj);
        break;
      case 'Node':
        s.nodes.push(p.obj);
        break;
    }
    return true;
  }

  /**
   * Record something that could not be read. With a file offset as origin, `source` is the file
   * name until `takePendingLines` hands the offset to the file source to resolve.
   */
  skip(entry: Omit<SkippedObject, 'source'>, origin?: Origin): void {
    const { kind, namespace, name, reason, status, check } = entry;
    const full: SkippedObject = {
      kind,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(name !== undefined ? { name } : {}),
      reason,
      source: typeof origin === 'string' ? origin : (origin?.file ?? 'input'),
      ...(status !== undefined ? { status } : {}),
      ...(check !== undefined ? { check } : {}),
    };
    this.skippedObjects.push(full);
    if (origin !== undefined && typeof origin !== 'string') this.pendingLines.push({ entry: full, offset: origin.offset });
  }

  /** Skipped objects added since the last call whose source is a file offset, to be resolved to lines. */
  takePendingLines(): PendingLine[] {
    const out = this.pendingLines;
    this.pendingLines = [];
    return out;
  }

  /** Forget what was skipped from one source (a list restarted after 410 Gone reads it again). */
  forgetSkipped(source: string): void {
    const s = this.snapshot;
    if (s.skippedObjects?.some((e) => e.source === source)) s.skippedObjects = s.skippedObjects.filter((e) => e.source !== source);
  }

  /** The builder's state now, to undo a partly read input with `rollback`. */
  mark(): BuilderMark {
    const s = this.snapshot;
    return {
      pods: s.pods.length,
      events: s.events.length,
      secrets: s.secrets.length,
      serviceAccounts: s.serviceAccounts.length,
      owners: s.owners.length,
      nodes: s.nodes.length,
      skipped: { ...s.skipped },
      counts: { ...this.counts },
      droppedEvents: this.droppedEvents,
      skippedObjects: this.skippedObjects.length,
      pendingLines: this.pendingLines.length,
      objectsRead: this.objectsRead,
    };
  }

  /** Forget everything added since `mark()` (a streamed file that must be read another way). */
  rollback(m: BuilderMark): void {
    const s = this.snapshot;
    s.pods.length = m.pods;
    s.events.length = m.events;
    s.secrets.length = m.secrets;
    s.serviceAccounts.length = m.serviceAccounts;
    s.owners.length = m.owners;
    s.nodes.length = m.nodes;
    s.skipped = { ...m.skipped };
    for (const k of Object.keys(this.counts)) delete this.counts[k];
    Object.assign(this.counts, m.counts);
    this.droppedEvents = m.droppedEvents;
    this.skippedObjects.length = m.skippedObjects;
    this.pendingLines.length = m.pendingLines;
    this.objectsRead = m.objectsRead;
  }

  /** Coverage for an offline dump: a kind counts as fully present when the dump has any of it. */
  finishOffline(): Snapshot {
    const s = this.snapshot;
    const has = (k: string) => (this.counts[k] ?? 0) > 0;
    s.coverage = {
      secrets: has('Secret') ? 'all' : 'none',
      serviceAccounts: has('ServiceAccount') ? 'all' : 'none',
      events: has('Event') ? 'all' : 'none',
      nodes: has('Node') ? 'all' : 'none',
    };
    s.objectsRead = this.objectsRead;
    return s;
  }
}
