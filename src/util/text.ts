/** Small text helpers shared by every layer. Pure; no imports. */

/** `1 pod`, `2 pods`; `many` for irregular plurals. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Whitespace folded to single spaces and trimmed; cut to `max` characters with an ellipsis. */
export function oneLine(s: string, max = Infinity): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** The first line of an error's message (or of any thrown value), for one-line user errors. */
export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}

/** Kubernetes names (DNS labels and subdomains) and RFC 3339 UTC times as the API server writes them. */
const DNS_TEXT = /^[a-z0-9.-]*$/;
const API_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?Z$/;

/**
 * `a.localeCompare(b)`, without setting up ICU's collator (15–40 ms, once per process) for the
 * strings a scan sorts by: equal strings; names of `[a-z0-9.-]` (where the root collation and
 * code-unit order agree: `-` < `.` < digits < letters); API server times of the same shape
 * (where the first difference is a digit). Anything else goes to `localeCompare`.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if ((DNS_TEXT.test(a) && DNS_TEXT.test(b)) || (a.length === b.length && API_TIME.test(a) && API_TIME.test(b))) return a < b ? -1 : 1;
  return a.localeCompare(b);
}
