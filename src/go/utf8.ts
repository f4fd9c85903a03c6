/** Go `unicode/utf8`. */

/**
 * Go utf8.DecodeRune on `b[i:]`: `[rune, size]`. An invalid or truncated sequence (overlong,
 * surrogate, above U+10FFFF) gives `[0xfffd, 1]`; an empty input gives `[0xfffd, 0]`.
 */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  if (i >= b.length) return [0xfffd, 0];
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const cont = (j: number): number => {
    const c = b[i + j];
    return c !== undefined && c >= 0x80 && c <= 0xbf ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? [0xfffd, 1] : [((c0 & 0x1f) << 6) | c1, 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return [0xfffd, 1];
    const cp = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
    if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return [0xfffd, 1];
    return [cp, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return [0xfffd, 1];
    const cp = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    if (cp < 0x10000 || cp > 0x10ffff) return [0xfffd, 1];
    return [cp, 4];
  }
  return [0xfffd, 1];
}
