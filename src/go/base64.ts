/** Go `encoding/base64`, decoding only, with Go's exact `CorruptInputError` offsets. */

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_DECODE: number[] = new Array<number>(256).fill(-1);
for (let i = 0; i < B64_ALPHABET.length; i++) B64_DECODE[B64_ALPHABET.charCodeAt(i)] = i;

export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; offset: number };

/** Go `base64.CorruptInputError.Error()`. */
export const base64CorruptInputError = (offset: number): string => `illegal base64 data at input byte ${offset}`;

/**
 * Go `base64.StdEncoding` (padded) or `RawStdEncoding` (unpadded) `DecodeString`, non-strict:
 * `\r` and `\n` are skipped anywhere; the error offset is Go's `CorruptInputError`
 * (decodeQuantum).
 */
export function goBase64Decode(src: Uint8Array, padded: boolean): Base64Result {
  const out: number[] = [];
  let si = 0;
  const isNl = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing: number | null = null;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, bytes: Buffer.from(out) };
        if (j === 1 || padded) return { ok: false, offset: si - j };
        dlen = j;
        break;
      }
      const c = src[si]!;
      si++;
      const v = B64_DECODE[c]!;
      if (v !== -1) {
        dbuf[j] = v;
        continue;
      }
      if (isNl(c)) {
        j--;
        continue;
      }
      if (!padded || c !== 0x3d) return { ok: false, offset: si - 1 };
      // Padding reached.
      if (j === 0 || j === 1) return { ok: false, offset: si - 1 };
      if (j === 2) {
        while (si < src.length && isNl(src[si])) si++;
        if (si === src.length) return { ok: false, offset: src.length };
        if (src[si] !== 0x3d) return { ok: false, offset: si - 1 };
        si++;
      }
      while (si < src.length && isNl(src[si])) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    if (dlen >= 2) out.push((val >> 16) & 0xff);
    if (dlen >= 3) out.push((val >> 8) & 0xff);
    if (dlen === 4) out.push(val & 0xff);
    if (trailing !== null) return { ok: false, offset: trailing };
  }
  return { ok: true, bytes: Buffer.from(out) };
}
