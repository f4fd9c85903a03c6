/**
 * Go `%q` strings: `strconv.Quote` (what the kubelet and Go libraries print with `%q`) and its
 * inverse, for the quoted image in a kubelet event.
 *
 * A JavaScript string stands for the Go string after UTF-8 decoding. Every Go string quoted here
 * comes out of a decoder that already replaced invalid UTF-8 with U+FFFD (encoding/json for
 * secrets and the API objects, the API server for `container.image`), so Go itself holds a real
 * U+FFFD and prints it literally; a lone surrogate (which JSON can carry as `\ud800`) is held by
 * Go as U+FFFD too. Go's `\xNN` for an invalid byte therefore never arises.
 */

/** Printable in Go's sense (`unicode.IsPrint`): categories L, M, N, P, S, and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
};

/**
 * Go `strconv.Quote` (`%q`): double quotes; `"` and `\` backslashed; printable runes literal
 * (U+FFFD included); others as `\a`…`\v`, `\xHH` (below 0x20, and 0x7f), `\uHHHH` or
 * `\UHHHHHHHH`. A lone surrogate is quoted as the U+FFFD Go holds in its place.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    let cp = ch.codePointAt(0) ?? 0xfffd;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    const rune = String.fromCodePoint(cp);
    if (cp === 0x22 || cp === 0x5c) out += `\\${rune}`;
    else if (PRINTABLE.test(rune)) out += rune;
    else if (SHORT_ESCAPES[cp] !== undefined) out += SHORT_ESCAPES[cp];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * A regular-expression fragment for a Go `%q` string, capturing its body (without the quotes):
 * `"` followed by anything but an unescaped `"`, then `"`.
 */
export const GO_QUOTED = String.raw`"((?:[^"\\]|\\[\s\S])*)"`;

const UNQUOTE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b, '\\': 0x5c, '"': 0x22, "'": 0x27,
};

/**
 * Undo Go's `%q` escaping of a quoted body (without the quotes). `\x` and octal escapes are
 * bytes (Go strings are byte strings), so the result is assembled as UTF-8 and decoded; invalid
 * sequences become U+FFFD. An escape Go would not produce is kept literally. Never throws.
 */
export function goUnquote(body: string): string {
  if (!body.includes('\\')) return body;
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  const pushText = (s: string): void => {
    for (const b of encoder.encode(s)) bytes.push(b);
  };
  let i = 0;
  while (i < body.length) {
    const ch = body[i] as string;
    const next = body[i + 1];
    if (ch !== '\\' || next === undefined) {
      const cp = body.codePointAt(i) as number;
      pushText(String.fromCodePoint(cp));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const simple = UNQUOTE_ESCAPES[next];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
      continue;
    }
    const hexLen = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLen);
      const value = /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLen ? parseInt(hex, 16) : NaN;
      if (next === 'x' && !Number.isNaN(value)) bytes.push(value);
      else if (!Number.isNaN(value) && value <= 0x10ffff) pushText(String.fromCodePoint(value));
      else {
        pushText('\\' + next);
        i += 2;
        continue;
      }
      i += 2 + hexLen;
      continue;
    }
    const octal = body.slice(i + 1, i + 4);
    if (/^[0-3][0-7]{2}$/.test(octal)) {
      bytes.push(parseInt(octal, 8));
      i += 4;
      continue;
    }
    pushText('\\' + next);
    i += 2;
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}
