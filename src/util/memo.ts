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
    if (seen.has(s)) return seen.get(s) as T;
    if (seen.size >= entries) seen.clear();
    const v = fn(s);
    seen.set(s, v);
    return v;
  };
}
