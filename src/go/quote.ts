/**
 * Go `strconv.Quote`, as the kubelet's `%q` prints it.
 *
 * Printability is decided by Unicode category (L, M, N, P, S and ASCII space), which is close to
 * Go's `unicode.IsPrint`. Known differences from Go: U+FFFD is always escaped as `\ufffd` (Go
 * prints a real U+FFFD literally and an invalid UTF-8 byte as `\xNN`), and a lone surrogate is
 * escaped as `\uDxxx`.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const SHORT_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

/** Go strconv.Quote: `"…"` with Go's escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp < 0x80 && PRINTABLE.test(ch)) out += ch;
    else if (SHORT_ESCAPES[cp] !== undefined) out += SHORT_ESCAPES[cp];
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0x80 && PRINTABLE.test(ch) && cp !== 0xfffd) out += ch;
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}
