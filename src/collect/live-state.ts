/**
 * The live source's state: one keyed collection per reflector, holding reduced objects
 * (src/collect/reduce.ts) only, so memory stays what a one-shot scan's Snapshot needs.
 */
import type { HttpResult } from './api-transport.js';
import { isObj } from './reduce.js';
import type { ReflectorSink } from './reflector.js';

type Raw = Record<string, unknown>;

/** `namespace/name` of a raw object (`/name` for cluster-scoped ones). */
export function rawKey(raw: Raw): string {
  const m = isObj(raw.metadata) ? raw.metadata : {};
  return `${typeof m.namespace === 'string' ? m.namespace : ''}/${typeof m.name === 'string' ? m.name : ''}`;
}

/**
 * A reflector's objects by `namespace/name`. `reduce` returns undefined for an object the
 * scan does not keep (an event the engine never reads, a pod outside `--pods`): an update that
 * makes an object uninteresting removes it.
 */
export class KeyedSink<T> implements ReflectorSink {
  items = new Map<string, T>();
  /** The 403 answer of the last list, while it is refused. */
  refused: HttpResult | undefined;
  private next: Map<string, T> | undefined;

  constructor(
    private readonly reduce: (raw: Raw) => T | undefined,
    private readonly onChange: () => void,
  ) {}

  begin(): void {
    this.next = new Map();
  }
  add(raw: Raw): void {
    const v = this.reduce(raw);
    if (v !== undefined) this.next?.set(rawKey(raw), v);
  }
  commit(): void {
    if (this.next) this.items = this.next;
    this.next = undefined;
  }
  upsert(raw: Raw): void {
    const v = this.reduce(raw);
    if (v === undefined) this.items.delete(rawKey(raw));
    else this.items.set(rawKey(raw), v);
  }
  remove(raw: Raw): void {
    this.items.delete(rawKey(raw));
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
