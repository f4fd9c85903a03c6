/**
 * Offsets in an input → 1-based line numbers, for messages that point into a dump (`file:line`).
 * Done after reading, and only for the offsets asked about, so reading itself counts no lines.
 */
import type { PendingLine } from './builder.js';

/** Lines of character offsets in a text. */
export function linesInText(text: string, offsets: number[]): Map<number, number> {
  const out = new Map<number, number>();
  let line = 1;
  let pos = 0;
  for (const off of [...new Set(offsets)].sort((a, b) => a - b)) {
    for (let i = text.indexOf('\n', pos); i >= 0 && i < off; i = text.indexOf('\n', i + 1)) {
      line++;
      pos = i + 1;
    }
    out.set(off, line);
  }
  return out;
}

/** Lines of byte offsets in a stream of chunks (read once, up to the last offset). */
export async function linesInBytes(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, offsets: number[]): Promise<Map<number, number>> {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const out = new Map<number, number>();
  let line = 1;
  let seen = 0;
  let k = 0;
  for await (const c of chunks) {
    if (k >= sorted.length) break;
    const buf = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    let i = 0;
    while (k < sorted.length) {
      const target = (sorted[k] as number) - seen;
      if (target > buf.length) break;
      for (let j = buf.indexOf(0x0a, i); j >= 0 && j < target; j = buf.indexOf(0x0a, j + 1)) line++;
      i = Math.max(i, target);
      out.set(sorted[k] as number, line);
      k++;
    }
    for (let j = buf.indexOf(0x0a, i); j >= 0; j = buf.indexOf(0x0a, j + 1)) line++;
    seen += buf.length;
  }
  for (; k < sorted.length; k++) out.set(sorted[k] as number, line);
  return out;
}

/** Give skipped objects placed by offset their `file:line` source. */
export function settleLines(pending: PendingLine[], name: string, lines: Map<number, number>): void {
  for (const p of pending) {
    const line = lines.get(p.offset);
    p.entry.source = line === undefined ? name : `${name}:${line}`;
  }
}
