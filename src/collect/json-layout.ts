/**
 * The layout of pretty-printed JSON (kubectl's `-o json`, `JSON.stringify(v, null, n)`, jq):
 * an object that opens with `{` at the start of its line, after k spaces, closes at the first
 * line that is k spaces and `}`: a raw newline never occurs inside a JSON string, and every
 * line inside the object is indented deeper. Finding that line takes a native search for `}`
 * (memchr) and a look at the k + 1 bytes before each one, where a JSON scanner written in
 * JavaScript reads every byte (and most of an indented dump is indentation).
 *
 * What is found is a guess until the text parses: src/collect/json-stream.ts parses it and
 * falls back to its byte scan when it does not.
 */

/**
 * The index in `buf` of the `}` that closes an object indented by `indent` spaces, searching
 * from `from`, the object's `{` (or 0 when the object began in earlier chunks, `before`, whose
 * bytes are looked at when the closing line starts in them); -1 when it is not in `buf`.
 * The `{` is neither a space nor a newline, so a match never reaches back past it.
 */
export function findIndentedClose(buf: Buffer, from: number, indent: number, before: readonly Buffer[]): number {
  // `{}` closes on its own line. (When the object so far is its `{` alone, `from` is 0.)
  const held = before.length === 0 ? 0 : before.reduce((n, b) => n + b.length, 0);
  const second = held === 0 ? from + 1 : held === 1 ? 0 : -1;
  if (second >= 0 && buf[second] === 0x7d) return second;
  for (let p = buf.indexOf(0x7d, from); p >= 0; p = buf.indexOf(0x7d, p + 1)) {
    if (p <= indent) {
      if (closesAcross(buf, p, indent, before)) return p;
      continue;
    }
    if (buf[p - indent - 1] !== 0x0a) continue;
    let j = p - 1;
    while (buf[j] === 0x20) j--;
    if (j === p - indent - 1) return p;
  }
  return -1;
}

/** Whether the `}` at `p` ends a line of `indent` spaces whose start is in an earlier chunk. */
function closesAcross(buf: Buffer, p: number, indent: number, before: readonly Buffer[]): boolean {
  let need = indent + 1; // bytes left to look at: the spaces, then the newline
  const ok = (b: number | undefined) => b === (need === 1 ? 0x0a : 0x20);
  for (let j = p - 1; j >= 0 && need > 0; j--, need--) if (!ok(buf[j])) return false;
  for (let x = before.length - 1; x >= 0 && need > 0; x--) {
    const piece = before[x] as Buffer;
    for (let j = piece.length - 1; j >= 0 && need > 0; j--, need--) if (!ok(piece[j])) return false;
  }
  return need === 0;
}
