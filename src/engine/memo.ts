/**
 * One answer per distinct input for a pure function of a string (an image reference, an event
 * message, a runtime error): the pods of a workload repeat the same strings, and the answers are
 * shared, read-only, by every context that asks (as keyrings, lookups and parsed secrets are).
 */
export class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly fn: (key: string) => V) {}

  get(key: string): V {
    let v = this.map.get(key);
    if (v === undefined) {
      v = this.fn(key);
      this.map.set(key, v);
    }
    return v;
  }
}
