/**
 * A snapshot's events, joined to pods: each pod's events as views with their parsed message,
 * and the container each names. Built once per snapshot; a pod's events are found by its UID
 * and by its namespace and name.
 */
import type { KubeEvent, Pod } from '../model/kube.js';
import { compareText } from '../util/text.js';
import { parseImageEvent, type ImageEvent } from './classify.js';
import { Memo } from '../util/memo.js';
import { NsMap } from './ns-map.js';
import type { EventView } from './types.js';

/** A pod's event, and the container it names (`spec.containers{app}`), if any. */
export interface PodEvent {
  view: EventView;
  fieldPath?: string;
}

/** Shared by every pod without events (read, never written). */
const NO_EVENTS: readonly PodEvent[] = [];

export const byLastSeen = (a: EventView, b: EventView): number => compareText(b.lastSeen ?? '', a.lastSeen ?? '');

/** The views of the events that name this container (or, for `undefined`, no container), latest first. */
export function eventsAt(events: readonly PodEvent[], fieldPath: string | undefined): EventView[] {
  const out: EventView[] = [];
  for (const e of events) if (fieldPath === undefined ? !e.fieldPath : e.fieldPath === fieldPath) out.push(e.view);
  return out.length > 1 ? out.sort(byLastSeen) : out;
}

function eventView(e: KubeEvent, parsed: ImageEvent): EventView {
  const v: EventView = {
    ref: `Event ${e.namespace}/${e.name}`,
    count: e.count,
    parsed,
  };
  if (e.type) v.type = e.type;
  if (e.reason) v.reason = e.reason;
  if (e.message !== undefined) v.message = e.message;
  if (e.firstTimestamp) v.firstSeen = e.firstTimestamp;
  if (e.lastTimestamp) v.lastSeen = e.lastTimestamp;
  if (e.host) v.host = e.host;
  return v;
}

export class PodEvents {
  private readonly byUid = new Map<string, KubeEvent[]>();
  private readonly byName = new NsMap<KubeEvent[]>();
  /** Pod events without a UID: when there are none (a live cluster's), a pod with a UID is found by it alone. */
  private withoutUid = 0;
  /** UIDs whose events do not all name the same namespace and name. */
  private readonly mixedNames = new Set<string>();
  /** Parsed messages per event reason (`''` for none), then per message. */
  private readonly parsed = new Map<string, Memo<ImageEvent>>();

  constructor(events: readonly KubeEvent[]) {
    for (const e of events) {
      const io = e.involvedObject;
      if (io.kind && io.kind !== 'Pod') continue;
      const ns = io.namespace ?? e.namespace;
      const name = io.name ?? '';
      if (io.uid) {
        const list = this.byUid.get(io.uid);
        if (!list) this.byUid.set(io.uid, [e]);
        else {
          const first = list[0] as KubeEvent;
          if ((first.involvedObject.namespace ?? first.namespace) !== ns || (first.involvedObject.name ?? '') !== name) this.mixedNames.add(io.uid);
          list.push(e);
        }
      } else this.withoutUid++;
      const list = this.byName.get(ns, name);
      if (list) list.push(e);
      else this.byName.set(ns, name, [e]);
    }
  }

  /** The pod's events, in snapshot order. */
  of(pod: Pod): readonly PodEvent[] {
    const uid = pod.metadata.uid;
    const byUid = uid ? this.byUid.get(uid) : undefined;
    // Join by UID when both sides have one (a recreated pod with the same name is another pod),
    // otherwise by namespace/name: the events with the pod's name (without a UID, or with the
    // pod's), then those with its UID under another name. When every event has a UID and those
    // with the pod's all name one object, that is exactly the pod's UID's events.
    if (uid && this.withoutUid === 0 && !this.mixedNames.has(uid)) return byUid ? this.views(byUid) : NO_EVENTS;
    const byName = this.byName.get(pod.metadata.namespace, pod.metadata.name);
    if (!byName && !byUid) return NO_EVENTS;
    const list: KubeEvent[] = [];
    if (byName) for (const e of byName) if (!uid || !e.involvedObject.uid || e.involvedObject.uid === uid) list.push(e);
    if (byUid) for (const e of byUid) if (!list.includes(e)) list.push(e);
    return this.views(list);
  }

  private views(list: readonly KubeEvent[]): PodEvent[] {
    return list.map((e) => ({ view: eventView(e, this.parse(e)), fieldPath: e.involvedObject.fieldPath }));
  }

  /** `parseImageEvent(reason, message)`, once per distinct pair. */
  private parse(e: KubeEvent): ImageEvent {
    if (e.message === undefined) return parseImageEvent(e.reason, undefined);
    const reason = e.reason ?? '';
    let memo = this.parsed.get(reason);
    if (!memo) {
      memo = new Memo((m) => parseImageEvent(e.reason, m));
      this.parsed.set(reason, memo);
    }
    return memo.get(e.message);
  }
}
