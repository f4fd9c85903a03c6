/**
 * Accumulates raw Kubernetes objects (any kind, `List`s included) into a Snapshot, reducing
 * each object as it arrives. Shared by the file, demo and cluster sources.
 */
import { emptySnapshot, type Snapshot, type SourceInfo } from '../model/snapshot.js';
import {
  eventMatters,
  isObj,
  readKindOf,
  reduceEvent,
  reduceNode,
  reduceOwner,
  reducePod,
  reduceSecret,
  reduceServiceAccount,
  StringPool,
} from './reduce.js';

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
}

export class SnapshotBuilder {
  readonly snapshot: Snapshot;
  /** How many objects of a kind were added (for coverage decisions by the source). */
  readonly counts: Record<string, number> = {};
  /** Events dropped as they arrived because the engine never reads them (see `eventMatters`). */
  droppedEvents = 0;

  private readonly keepAllEvents: boolean;
  /** Repeated strings of the reduced objects, one copy each (see StringPool). */
  private readonly pool = new StringPool();

  /** `keepAllEvents`: keep events the engine never reads too (tests compare with and without). */
  constructor(source: SourceInfo, collectedAt?: string, opts: { keepAllEvents?: boolean } = {}) {
    this.snapshot = emptySnapshot(source, collectedAt);
    this.keepAllEvents = opts.keepAllEvents === true;
  }

  /**
   * Add one parsed document: a single object or any `*List`. `kindHint` is used for list
   * items that carry no `kind` (API list pages omit it on items).
   * Returns false when the value is not a Kubernetes object at all.
   */
  add(doc: unknown, kindHint?: string): boolean {
    if (!isObj(doc)) return false;
    const kind = typeof doc.kind === 'string' ? doc.kind : kindHint;
    if (Array.isArray(doc.items) && (kind === undefined || kind.endsWith('List'))) {
      const itemKind = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
      for (const item of doc.items) {
        if (isObj(item)) this.addObject(item, itemKind);
      }
      return true;
    }
    if (typeof kind !== 'string' || !isObj(doc.metadata)) return false;
    this.addObject(doc, kind);
    return true;
  }

  addObject(raw: Record<string, unknown>, kindHint?: string): void {
    const obj = typeof raw.kind === 'string' || !kindHint ? raw : { ...raw, kind: kindHint };
    const kind = readKindOf(obj);
    const s = this.snapshot;
    if (!kind) {
      const k = typeof obj.kind === 'string' && obj.kind ? obj.kind : 'unknown';
      s.skipped[k] = (s.skipped[k] ?? 0) + 1;
      return;
    }
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    switch (kind) {
      case 'Pod':
        s.pods.push(reducePod(obj, undefined, this.pool));
        break;
      case 'Event': {
        const ev = reduceEvent(obj, undefined, this.pool);
        if (this.keepAllEvents || eventMatters(ev)) s.events.push(ev);
        else this.droppedEvents++;
        break;
      }
      case 'Secret':
        s.secrets.push(reduceSecret(obj));
        break;
      case 'ServiceAccount':
        s.serviceAccounts.push(reduceServiceAccount(obj));
        break;
      case 'ReplicaSet':
      case 'Job':
      case 'Deployment':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'CronJob':
        s.owners.push(reduceOwner(obj));
        break;
      case 'Node':
        s.nodes.push(reduceNode(obj));
        break;
    }
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
    return s;
  }
}
