/**
 * Streaming reader for big `kubectl get … -o json` dumps: yields the elements of a top-level
 * `List`'s `items` array (or of a top-level array) one at a time, without ever holding the
 * whole text in one string. V8 cannot make a string longer than ~512 MiB, and reading a dump
 * whole costs its size twice over (bytes + string) before parsing starts.
 *
 * How: a byte-level scanner tracks only the outer structure (top-level object keys, the
 * `items` array, string and escape state); each element's bytes are sliced out (joined across
 * chunk boundaries when needed) and given to JSON.parse, so parsing stays native. Memory is one
 * chunk plus the element being read. Other top-level fields (`kind`, `apiVersion`, `metadata`)
 * are parsed whole and returned at the end (they may come after `items`, as kubectl orders
 * keys alphabetically).
 *
 * Pretty-printed dumps (kubectl's `-o json`) take a faster way: an element that opens with `{`
 * at the start of its line ends at the first line with the same indentation and `}`, found
 * with a native search (src/collect/json-layout.ts) instead of the byte scan. The slice found
 * is parsed as it would be anyway; it parses only if it is exactly one JSON value, which is
 * then exactly the element the byte scan would find (an object's closing brace is the first
 * byte where its nesting returns to zero). When it does not parse (another layout, or bad
 * input), the element's bytes are read again by the byte scan, which then reads the rest of
 * the input: the same elements, the same errors at the same offsets, the same bound on memory.
 *
 *   const reader = new JsonItemReader((item) => builder.addObject(...));
 *   for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) reader.write(chunk);
 *   const top = reader.end();
 */
import { isJsonSpace } from '../go/json-scanner.js';
import { findIndentedClose } from './json-layout.js';

export class JsonStreamError extends Error {
  constructor(
    message: string,
    /** Byte offset in the input where the problem was found. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonStreamError';
  }
}

/** What the input held besides the streamed items. */
export type JsonTop =
  | { kind: 'object'; fields: Record<string, unknown>; items: number; hasItems: boolean }
  | { kind: 'array'; items: number }
  | { kind: 'scalar'; value: unknown };

const enum S {
  Start,
  ObjKey,
  ObjColon,
  ObjValue,
  ObjAfter,
  ItemsValue,
  ItemsAfter,
  ArrValue,
  ArrAfter,
  Unit,
  Done,
}

const enum Target {
  Key,
  Field,
  Item,
  Top,
}

/** Default bound on one element (a Pod is a few KiB; 64 MiB means the input is not a dump). */
const MAX_ELEMENT_BYTES = 64 * 1024 * 1024;

export class JsonItemReader {
  private state = S.Start;
  /** Where the outer machine goes once the current unit is complete. */
  private target = Target.Top;
  private afterUnit = S.Done;
  // Unit scanning state.
  private unitKind: 0 | 1 | 2 = 0; // 0 container, 1 string, 2 scalar
  private unitDepth = 0;
  private inStr = false;
  private esc = false;
  private pieces: Buffer[] = [];
  private piecesLen = 0;
  private unitStart = 0; // absolute offset of the unit's first byte
  // Results.
  private top: 'object' | 'array' | 'scalar' | undefined;
  private key = '';
  private readonly fields: Record<string, unknown> = {};
  private hasItems = false;
  /** Right after `[`: a `]` closes an empty array (after `,` it would be a trailing comma). */
  private emptyOk = false;
  private count = 0;
  private scalar: unknown;
  private offset = 0; // absolute offset of the current chunk's first byte
  private first = true;
  // Fast path (see the top of this file).
  /** Still worth trying: false once the input proved to have another layout. */
  private fast: boolean;
  private fastCount = 0;
  /** Spaces since the last newline outside any unit; -1 when anything else came since. */
  private lineIndent = -1;
  /** The current element ends at a line of this many spaces and `}`; -1: the byte scan finds its end. */
  private closeIndent = -1;

  constructor(
    private readonly onItem: (item: unknown) => void,
    private readonly maxElementBytes = MAX_ELEMENT_BYTES,
    /** false: the byte scan alone (what the fast path must agree with). */
    fastPath = true,
  ) {
    this.fast = fastPath;
  }

  /** Feed the next chunk (any split is fine, including inside a multi-byte character). */
  write(chunk: Uint8Array | string): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.first && buf.length) {
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        this.offset += 3;
      }
    }
    this.feed(buf, this.offset);
    this.offset += buf.length;
  }

  /** Read `buf`, whose first byte is at `base` in the input. */
  private feed(buf: Buffer, base: number): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      if (this.state === S.Unit) {
        const start = i;
        if (this.closeIndent >= 0) {
          const close = findIndentedClose(buf, i, this.closeIndent, this.pieces);
          if (close < 0) {
            // Past the bound, the byte scan decides (it finds the end, or reports the size).
            if (this.piecesLen + (n - start) > this.maxElementBytes) return this.rescan(buf, start);
            this.keep(buf.subarray(start));
            return;
          }
          if (!this.finishFast(buf, start, close)) return this.rescan(buf, start);
          i = close + 1;
          continue;
        }
        const end = this.scanUnit(buf, i);
        if (end < 0) {
          this.keep(buf.subarray(start));
          return;
        }
        this.finishUnit(buf, start, end);
        i = this.unitKind === 2 ? end : end + 1; // a scalar ends before its delimiter
        continue;
      }
      const b = buf[i] as number;
      if (isJsonSpace(b)) {
        this.lineIndent = b === 0x0a ? 0 : b === 0x20 && this.lineIndent >= 0 ? this.lineIndent + 1 : -1;
        i++;
        continue;
      }
      this.structural(b, base + i);
      this.lineIndent = -1;
      if ((this.state as S) === S.Unit) this.unitStart = base + i;
      else i++;
    }
  }

  /** Byte offset in the input where the element being handed to `onItem` starts. */
  get itemOffset(): number {
    return this.unitStart;
  }

  /** How many elements the fast path read (the rest went through the byte scan). */
  get fastItems(): number {
    return this.fastCount;
  }

  /** The top-level value's type, once its first byte was read. */
  get topKind(): 'object' | 'array' | 'scalar' | undefined {
    return this.top;
  }

  /** The top-level object's fields read so far (e.g. a `kind` that came before `items`). */
  get fieldsSoFar(): Readonly<Record<string, unknown>> {
    return this.fields;
  }

  /** End of input: returns the top-level fields (or the array/scalar summary). */
  end(): JsonTop {
    // An element the fast path did not see the end of: the byte scan says what it is.
    if (this.state === S.Unit && this.closeIndent >= 0) this.rescan(Buffer.alloc(0), 0);
    if (this.state === S.Unit && this.unitKind === 2) {
      // A scalar running to the end of input (`42`, or `true` as the whole document).
      this.finishUnit(Buffer.alloc(0), 0, 0);
    }
    if (this.state !== S.Done) {
      throw new JsonStreamError(this.state === S.Start ? 'no JSON value in input' : 'unexpected end of JSON input', this.offset);
    }
    if (this.top === 'array') return { kind: 'array', items: this.count };
    if (this.top === 'scalar') return { kind: 'scalar', value: this.scalar };
    return { kind: 'object', fields: this.fields, items: this.count, hasItems: this.hasItems };
  }

  private fail(msg: string, at: number): never {
    throw new JsonStreamError(`${msg} at byte ${at}`, at);
  }

  /** Outer machine: one non-whitespace byte outside any unit. */
  private structural(b: number, at: number): void {
    const ch = String.fromCharCode(b);
    switch (this.state) {
      case S.Start:
        if (b === 0x7b) {
          this.top = 'object';
          this.state = S.ObjKey;
        } else if (b === 0x5b) {
          this.top = 'array';
          this.state = S.ArrValue;
          this.emptyOk = true;
        } else {
          this.top = 'scalar';
          this.beginUnit(b, Target.Top, S.Done);
        }
        return;
      case S.ObjKey:
        if (b === 0x22) this.beginUnit(b, Target.Key, S.ObjColon);
        else if (b === 0x7d && Object.keys(this.fields).length === 0 && !this.hasItems) this.state = S.Done;
        else this.fail(`expected a property name, found "${ch}"`, at);
        return;
      case S.ObjColon:
        if (b === 0x3a) this.state = S.ObjValue;
        else this.fail(`expected ":", found "${ch}"`, at);
        return;
      case S.ObjValue:
        if (this.key === 'items' && b === 0x5b) {
          this.hasItems = true;
          this.state = S.ItemsValue;
          this.emptyOk = true;
        } else this.beginUnit(b, Target.Field, S.ObjAfter);
        return;
      case S.ObjAfter:
        if (b === 0x2c) this.state = S.ObjKey;
        else if (b === 0x7d) this.state = S.Done;
        else this.fail(`expected "," or "}", found "${ch}"`, at);
        return;
      case S.ItemsValue:
      case S.ArrValue: {
        const inItems = this.state === S.ItemsValue;
        if (b === 0x5d && this.emptyOk) {
          this.state = inItems ? S.ObjAfter : S.Done;
          return;
        }
        if (b === 0x5d || b === 0x2c) this.fail(`expected a value, found "${ch}"`, at);
        this.beginUnit(b, Target.Item, inItems ? S.ItemsAfter : S.ArrAfter);
        return;
      }
      case S.ItemsAfter:
      case S.ArrAfter: {
        const inItems = this.state === S.ItemsAfter;
        if (b === 0x2c) {
          this.state = inItems ? S.ItemsValue : S.ArrValue;
          this.emptyOk = false;
        } else if (b === 0x5d) this.state = inItems ? S.ObjAfter : S.Done;
        else this.fail(`expected "," or "]", found "${ch}"`, at);
        return;
      }
      case S.Done:
        this.fail(`unexpected "${ch}" after the JSON value`, at);
    }
  }

  private beginUnit(b: number, target: Target, after: S): void {
    this.target = target;
    this.afterUnit = after;
    this.pieces = [];
    this.piecesLen = 0;
    this.inStr = false;
    this.esc = false;
    this.unitDepth = 0;
    this.unitKind = b === 0x7b || b === 0x5b ? 0 : b === 0x22 ? 1 : 2;
    this.closeIndent = this.fast && target === Target.Item && b === 0x7b ? this.lineIndent : -1;
    this.state = S.Unit;
  }

  /** Fast path: parse the element ending at `close`; false (nothing changed) when it does not parse. */
  private finishFast(buf: Buffer, start: number, close: number): boolean {
    let value: unknown;
    try {
      value = JSON.parse(this.unitText(buf, start, close + 1));
    } catch {
      return false;
    }
    this.pieces = [];
    this.piecesLen = 0;
    this.fastCount++;
    this.deliver(value);
    return true;
  }

  /**
   * The fast path does not fit: read the current element again with the byte scan, from its
   * first byte (kept pieces, then `buf` from `start`), and everything after it too.
   */
  private rescan(buf: Buffer, start: number): void {
    const bytes = this.pieces.length ? Buffer.concat([...this.pieces, buf.subarray(start)]) : buf.subarray(start);
    this.fast = false;
    this.closeIndent = -1;
    this.pieces = [];
    this.piecesLen = 0;
    this.feed(bytes, this.unitStart);
  }

  /**
   * Scan from `i` for the end of the current unit. Returns the index of its last byte (for a
   * scalar: the index of the delimiter after it), or -1 when it continues in the next chunk.
   */
  private scanUnit(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.unitKind === 2) {
      for (; i < n; i++) {
        const b = buf[i] as number;
        if (b === 0x2c || b === 0x5d || b === 0x7d || isJsonSpace(b)) return i;
      }
      return -1;
    }
    let inStr = this.inStr;
    let esc = this.esc;
    let depth = this.unitDepth;
    if (this.unitKind === 1 && this.piecesLen === 0 && !inStr && depth === 0) {
      // The opening quote of a string unit.
      inStr = true;
      depth = 1;
      i++;
    }
    for (; i < n; i++) {
      if (inStr) {
        // Most of a dump's bytes are inside strings: jump to the next quote natively (memchr)
        // instead of looking at each byte, then count the backslashes right before it.
        if (esc) {
          esc = false;
          continue;
        }
        const q = buf.indexOf(0x22, i);
        if (q === -1) {
          // The string goes on in the next chunk; a trailing odd run of backslashes escapes its first byte.
          let k = n - 1;
          while (k >= i && buf[k] === 0x5c) k--;
          esc = ((n - 1 - k) & 1) === 1;
          i = n - 1;
          continue;
        }
        let k = q - 1;
        while (k >= i && buf[k] === 0x5c) k--;
        i = q;
        if (((q - 1 - k) & 1) === 1) continue; // an escaped quote: still in the string
        inStr = false;
        if (this.unitKind === 1) {
          this.inStr = false;
          return i;
        }
        continue;
      }
      const b = buf[i] as number;
      if (b === 0x22) inStr = true;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        if (--depth === 0) {
          this.inStr = false;
          this.esc = false;
          this.unitDepth = 0;
          return i;
        }
      }
    }
    this.inStr = inStr;
    this.esc = esc;
    this.unitDepth = depth;
    return -1;
  }

  private keep(piece: Buffer): void {
    if (!piece.length) return;
    this.piecesLen += piece.length;
    if (this.piecesLen > this.maxElementBytes)
      this.fail(`one element is larger than ${Math.round(this.maxElementBytes / 2 ** 20)} MiB (not a kubectl dump?)`, this.unitStart);
    // Copy: the chunk's memory may be reused by the stream.
    this.pieces.push(Buffer.from(piece));
  }

  /** The current unit's text: its kept pieces and `buf` from `start` to `stop`. */
  private unitText(buf: Buffer, start: number, stop: number): string {
    if (this.pieces.length === 0) return buf.toString('utf8', start, stop);
    return Buffer.concat([...this.pieces, buf.subarray(start, stop)]).toString('utf8');
  }

  private finishUnit(buf: Buffer, start: number, end: number): void {
    const text = this.unitText(buf, start, this.unitKind === 2 ? end : end + 1);
    this.pieces = [];
    this.piecesLen = 0;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(msg);
      const at = this.unitStart + (pos ? Number(pos[1]) : 0);
      throw new JsonStreamError(`invalid JSON at byte ${at}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, at);
    }
    this.deliver(value);
  }

  private deliver(value: unknown): void {
    this.state = this.afterUnit;
    switch (this.target) {
      case Target.Key:
        this.key = value as string;
        break;
      case Target.Field:
        if (this.key !== '__proto__') this.fields[this.key] = value;
        break;
      case Target.Item:
        this.count++;
        this.onItem(value);
        break;
      case Target.Top:
        this.scalar = value;
        break;
    }
  }
}

/** Read a whole stream (e.g. `fs.createReadStream(file, { highWaterMark: 1 << 20 })`). */
export async function readJsonItems(source: AsyncIterable<Uint8Array | string>, onItem: (item: unknown) => void): Promise<JsonTop> {
  const reader = new JsonItemReader(onItem);
  for await (const chunk of source) reader.write(chunk);
  return reader.end();
}
