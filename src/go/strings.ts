/** Go `strings` / `unicode` helpers and Go's string ordering. */

/** Go unicode.IsSpace (what strings.TrimSpace trims). */
function isGoSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) || cp === 0x20 || cp === 0x85 || cp === 0xa0 || cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000
  );
}

/** The right-hand half of Go strings.TrimSpace: trailing unicode.IsSpace runes removed. */
export function goTrimRightSpace(s: string): string {
  const cps = [...s];
  while (cps.length > 0 && isGoSpace(cps[cps.length - 1]!.codePointAt(0)!)) cps.pop();
  return cps.join('');
}

/** Go's `<` on strings: byte-wise over the UTF-8 encoding (not UTF-16 code units). */
export function goCompareStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
