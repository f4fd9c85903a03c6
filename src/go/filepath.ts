/**
 * Go `path/filepath.Match` on Unix: byte-wise, `*`, `?`, `[...]` classes with ranges/negation,
 * `\` escapes, and ErrBadPattern for malformed patterns (also in the part of the pattern that a
 * failed match never reaches, as Go checks it).
 */
import { decodeRune } from './utf8.js';

/** Go filepath.ErrBadPattern. */
class BadPattern extends Error {}

function scanChunk(p: Buffer): { star: boolean; chunk: Buffer; rest: Buffer } {
  let star = false;
  while (p.length > 0 && p[0] === 0x2a) {
    p = p.subarray(1);
    star = true;
  }
  let inrange = false;
  let i = 0;
  scan: for (; i < p.length; i++) {
    switch (p[i]) {
      case 0x5c:
        if (i + 1 < p.length) i++;
        break;
      case 0x5b:
        inrange = true;
        break;
      case 0x5d:
        inrange = false;
        break;
      case 0x2a:
        if (!inrange) break scan;
        break;
    }
  }
  return { star, chunk: p.subarray(0, i), rest: p.subarray(i) };
}

function getEsc(chunk: Buffer): { r: number; rest: Buffer } {
  if (chunk.length === 0 || chunk[0] === 0x2d || chunk[0] === 0x5d) throw new BadPattern();
  if (chunk[0] === 0x5c) {
    chunk = chunk.subarray(1);
    if (chunk.length === 0) throw new BadPattern();
  }
  const [r, n] = decodeRune(chunk, 0);
  if (r === 0xfffd && n === 1) throw new BadPattern();
  const rest = chunk.subarray(n);
  if (rest.length === 0) throw new BadPattern();
  return { r, rest };
}

function matchChunk(chunk: Buffer, s: Buffer): Buffer | null {
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0]!;
    if (c === 0x5b) {
      let r = 0;
      if (!failed) {
        const [rr, n] = decodeRune(s, 0);
        r = rr;
        s = s.subarray(n);
      }
      chunk = chunk.subarray(1);
      let negated = false;
      if (chunk.length > 0 && chunk[0] === 0x5e) {
        negated = true;
        chunk = chunk.subarray(1);
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === 0x5d && nrange > 0) {
          chunk = chunk.subarray(1);
          break;
        }
        const lo = getEsc(chunk);
        chunk = lo.rest;
        let hi = lo.r;
        if (chunk[0] === 0x2d) {
          const h = getEsc(chunk.subarray(1));
          hi = h.r;
          chunk = h.rest;
        }
        if (lo.r <= r && r <= hi) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (c === 0x3f) {
      if (!failed) {
        if (s[0] === 0x2f) failed = true;
        const [, n] = decodeRune(s, 0);
        s = s.subarray(n);
      }
      chunk = chunk.subarray(1);
    } else {
      if (c === 0x5c) {
        chunk = chunk.subarray(1);
        if (chunk.length === 0) throw new BadPattern();
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.subarray(1);
      }
      chunk = chunk.subarray(1);
    }
  }
  return failed ? null : s;
}

/** What makes a pattern more than its bytes: metacharacters, escapes, and a surrogate (UTF-8 of a lone one is U+FFFD's). */
const NOT_LITERAL = /[*?[\\\uD800-\uDFFF]/;

/** path/filepath.Match (Unix). Throws BadPattern where Go returns ErrBadPattern. */
function filepathMatch(patternStr: string, nameStr: string): boolean {
  // A pattern without metacharacters matches exactly its own bytes (most registry host parts).
  if (!NOT_LITERAL.test(patternStr) && !NOT_LITERAL.test(nameStr)) return patternStr === nameStr;
  let pattern: Buffer = Buffer.from(patternStr, 'utf8');
  let name: Buffer = Buffer.from(nameStr, 'utf8');
  outer: while (pattern.length > 0) {
    const sc = scanChunk(pattern);
    pattern = sc.rest;
    if (sc.star && sc.chunk.length === 0) return !name.includes(0x2f);
    const t = matchChunk(sc.chunk, name);
    if (t !== null && (t.length === 0 || pattern.length > 0)) {
      name = t;
      continue;
    }
    if (sc.star) {
      for (let i = 0; i < name.length && name[i] !== 0x2f; i++) {
        const t2 = matchChunk(sc.chunk, name.subarray(i + 1));
        if (t2 !== null) {
          if (pattern.length === 0 && t2.length > 0) continue;
          name = t2;
          continue outer;
        }
      }
    }
    while (pattern.length > 0) {
      const sc2 = scanChunk(pattern);
      pattern = sc2.rest;
      matchChunk(sc2.chunk, Buffer.alloc(0));
    }
    return false;
  }
  return name.length === 0;
}

/** filepath.Match with Go's (matched, err): a malformed pattern is reported, not thrown. */
export function goFilepathMatch(pattern: string, name: string): { matched: boolean; badPattern: boolean } {
  try {
    return { matched: filepathMatch(pattern, name), badPattern: false };
  } catch (e) {
    if (e instanceof BadPattern) return { matched: false, badPattern: true };
    throw e;
  }
}
