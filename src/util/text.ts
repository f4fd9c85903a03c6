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
