/**
 * Go `encoding/json` decoding pieces (decode.go, fold.go): the decoded value tree, Go's string
 * unquoting, case-insensitive struct-field matching and `*json.UnmarshalTypeError` texts.
 * The struct-specific decoding lives with the structs (see ../dockerconfig.ts).
 */
import { isJsonSpace } from './json-scanner.js';
import { decodeRune } from './utf8.js';

/** A decoded JSON value, keeping member order and duplicates (Go decodes members in text order). */
export type JNode =
  | { k: 'object'; members: [string, JNode][] }
  | { k: 'array' }
  | { k: 'string'; v: string }
  | { k: 'number' }
  | { k: 'bool' }
  | { k: 'null' };

/**
 * Builds a JNode tree from input that goJsonCheckValid accepted (call that first). Arrays, and
 * objects nested more than four levels below the root, keep only their kind.
 */
export function readJsonValue(data: Uint8Array): JNode {
  return new JsonReader(data).value(0);
}

class JsonReader {
  i = 0;
  constructor(private readonly b: Uint8Array) {}

  private ws(): void {
    while (this.i < this.b.length && isJsonSpace(this.b[this.i]!)) this.i++;
  }

  value(depth: number): JNode {
    this.ws();
    const c = this.b[this.i]!;
    if (c === 0x7b || c === 0x5b) {
      if (c === 0x5b || depth > 4) {
        this.skipContainer();
        return c === 0x5b ? { k: 'array' } : { k: 'object', members: [] };
      }
      this.i++;
      const members: [string, JNode][] = [];
      this.ws();
      if (this.b[this.i] === 0x7d) {
        this.i++;
        return { k: 'object', members };
      }
      for (;;) {
        this.ws();
        const key = this.string();
        this.ws();
        this.i++; // ':'
        members.push([key, this.value(depth + 1)]);
        this.ws();
        if (this.b[this.i++] === 0x7d) return { k: 'object', members };
      }
    }
    if (c === 0x22) return { k: 'string', v: this.string() };
    if (c === 0x74) {
      this.i += 4;
      return { k: 'bool' };
    }
    if (c === 0x66) {
      this.i += 5;
      return { k: 'bool' };
    }
    if (c === 0x6e) {
      this.i += 4;
      return { k: 'null' };
    }
    while (this.i < this.b.length && /[0-9.eE+-]/.test(String.fromCharCode(this.b[this.i]!))) this.i++;
    return { k: 'number' };
  }

  private skipContainer(): void {
    let depth = 0;
    do {
      const c = this.b[this.i++]!;
      if (c === 0x22) {
        this.i--;
        this.string();
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) depth--;
    } while (depth > 0);
  }

  /** Go json unquote: escapes, surrogate pairs, invalid UTF-8 and lone surrogates → U+FFFD. */
  private string(): string {
    const b = this.b;
    this.i++; // opening quote
    const cps: number[] = [];
    const u4 = (at: number): number => {
      if (b[at] !== 0x5c || b[at + 1] !== 0x75) return -1;
      const hex = Buffer.from(b.subarray(at + 2, at + 6)).toString('latin1');
      return /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : -1;
    };
    for (;;) {
      const c = b[this.i]!;
      if (c === 0x22) {
        this.i++;
        break;
      }
      if (c === 0x5c) {
        const e = b[this.i + 1]!;
        const simple: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9 };
        if (simple[e] !== undefined) {
          cps.push(simple[e]);
          this.i += 2;
          continue;
        }
        let r = u4(this.i);
        this.i += 6;
        if (r >= 0xd800 && r < 0xe000) {
          const r2 = u4(this.i);
          if (r < 0xdc00 && r2 >= 0xdc00 && r2 < 0xe000) {
            this.i += 6;
            cps.push(0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00));
            continue;
          }
          r = 0xfffd;
        }
        cps.push(r);
        continue;
      }
      const [cp, size] = decodeRune(b, this.i);
      cps.push(cp);
      this.i += size;
    }
    let s = '';
    for (let k = 0; k < cps.length; k += 4096) s += String.fromCodePoint(...cps.slice(k, k + 4096));
    return s;
  }
}

/** Go's foldName for matching a JSON key to an ASCII struct field name (ſ→S and the Kelvin sign fold into ASCII). */
function foldName(s: string): string {
  return s.replace(/[a-z]/g, (ch) => ch.toUpperCase()).replace(/\u017f/g, 'S').replace(/\u212a/g, 'K');
}

/** Whether JSON object key `key` selects the struct field `field` (encoding/json's case-insensitive match). */
export const jsonFieldIs = (key: string, field: string): boolean => foldName(key) === foldName(field);

/** Go *json.UnmarshalTypeError. `value` is the JSON kind (a JNode `k`: object, array, string, number, bool). */
export interface UnmarshalTypeError {
  value: string;
  type: string;
  struct: string;
  field: string;
}

/** An error json.Unmarshal returns: a type error, or a custom UnmarshalJSON's own error text. */
export type JsonDecodeError = { type: UnmarshalTypeError } | { plain: string };

/** The error's Error() text. */
export function jsonErrorText(e: JsonDecodeError): string {
  if ('plain' in e) return e.plain;
  const t = e.type;
  return t.struct !== '' || t.field !== ''
    ? `json: cannot unmarshal ${t.value} into Go struct field ${t.struct}.${t.field} of type ${t.type}`
    : `json: cannot unmarshal ${t.value} into Go value of type ${t.type}`;
}

/** decode.go addErrorContext (Go ≥ 1.24: the inner Field is appended to the outer stack). */
export function addErrorContext(e: JsonDecodeError, struct: string, stack: string[]): JsonDecodeError {
  if ('plain' in e) return e;
  const fields = e.type.field !== '' ? [...stack, e.type.field] : stack;
  return { type: { ...e.type, struct, field: fields.join('.') } };
}
