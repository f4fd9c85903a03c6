/**
 * Remember the results of a pure function of one string: up to `entries` of them (then start
 * over), and only for strings of at most `longest` characters (so what is kept stays small;
 * a longer string is computed each time). For work repeated with the same input on every
 * frame, such as measuring cluster text with emoji or CJK characters, which string-width does
 * one grapheme at a time.
 */
export function memoString<T>(fn: (s: string) => T, entries = 4096, longest = 512): (s: string) => T {
  const seen = new Map<string, T>();
  return (s) => {
    if (s.length > longest) return fn(s);
    const hit = seen.get(s);
    if (hit !== undefined || seen.has(s)) return hit as T;
    if (seen.size >= entries) seen.clear();
    const v = fn(s);
    seen.set(s, v);
    return v;
  };
}

/**
 * One answer per distinct input for a pure function of a string (an image reference, an event
 * message, a runtime error), for as long as its owner lives and without a bound: an owner that
 * lives for one snapshot (src/engine/context.ts) asks about that snapshot's strings only. The
 * pods of a workload repeat the same strings, and the answers are shared, read-only, by every
 * context that asks.
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
