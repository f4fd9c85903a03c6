/**
 * One pull secret, parsed exactly as the kubelet parses it (kubelet-semantics.md §3):
 * the type/data-key filter (§3.1), the `auths` wrapper (§3.4), Go `encoding/json` rules
 * (§3.5: case-insensitive field names, last duplicate wins, type errors fail the secret),
 * the entry fields (§3.6) and `auth` decoding with padded/unpadded base64 (§3.7).
 *
 * Sources: kubernetes `pkg/credentialprovider/secrets/secrets.go` (secretsToTrackedDockerConfigs),
 * `pkg/credentialprovider/config.go` (DockerConfigJSON, DockerConfigEntry.UnmarshalJSON,
 * dockerConfigEntryWithAuth, decodeDockerConfigFieldAuth), Go `encoding/json` (scanner.go,
 * decode.go) and `encoding/base64` (decodeQuantum).
 *
 * Error texts are the kubelet's own. Go version note: since Go 1.24 `addErrorContext` appends
 * the inner field of a nested custom unmarshaler's type error, so a bad `auth` type reads
 * `…Go struct field DockerConfigJSON.auths.auth of type string`; kubelets built with older Go
 * print `…DockerConfigJSON.auths of type string` for the same input.
 *
 * Never throws. Secret values only leave this module sealed.
 */
import type { SecretObject } from '../model/kube.js';
import { normalizeKey } from './keyring.js';
import { fingerprint, reveal, seal, type Sealed } from './vault.js';

export interface ParsedEntry {
  /** Raw key as written. */
  registryKey: string;
  /** §4; null when Go url.Parse would fail (kubelet skips it, §4.2). */
  normalizedKey: string | null;
  /** Why normalizedKey is null, human sentence. */
  skipReason?: string;
  /** After auth decoding (auth overrides username/password, §3.7). */
  username: string;
  hasPassword: boolean;
  /** A non-empty `auth` member was present (and decoded). */
  authPresent: boolean;
  /** auth decoded AND explicit username/password were also given and differ. */
  authOverrodeExplicit: boolean;
  /** Members present and ignored by the kubelet (§3.6), names as written, e.g. identitytoken. */
  ignoredFields: string[];
  /** Username or password non-empty. */
  usable: boolean;
  /** fingerprint(password): never the value. */
  fingerprint: string;
  credential: Sealed<{ username: string; password: string }>;
}

export interface ParsedPullSecret {
  name: string;
  namespace: string;
  type: string;
  createdAt?: string;
  /** Last write to the secret (newest managedFields time), when the source kept it. */
  updatedAt?: string;
  /** Names of the data keys the secret holds (values stay sealed). */
  dataKeys: string[];
  /** Which format the kubelet reads, or null when the secret is silently ignored (§3.1). */
  format: 'dockerconfigjson' | 'dockercfg' | null;
  ignoredReason?: string;
  /** The kubelet's error text when parsing fails (§3.5, §3.7, §3.8): this poisons every image of the pod. */
  error?: string;
  /** The raw registry key whose entry caused `error`, when the error is inside one entry. */
  errorKey?: string;
  /**
   * Sorted by raw key, byte-wise (the kubelet's order for duplicate normalised keys within one
   * secret is undefined). When `error` is set, this lists the entries that decoded on their own,
   * for display only: the kubelet uses none of them.
   */
  entries: ParsedEntry[];
  /** dockerconfigjson whose top level has no `auths` member (case-insensitive): legacy format pasted in, 0 credentials (§3.4). */
  missingAuthsWrapper: boolean;
  /** Other top-level members seen in a dockerconfigjson, e.g. ['credsStore','credHelpers']. */
  topLevelKeys: string[];
}

const TYPE_DOCKERCONFIGJSON = 'kubernetes.io/dockerconfigjson';
const TYPE_DOCKERCFG = 'kubernetes.io/dockercfg';

// ───────────────────────────── Go encoding/base64 ─────────────────────────────

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_DECODE: number[] = new Array<number>(256).fill(-1);
for (let i = 0; i < B64_ALPHABET.length; i++) B64_DECODE[B64_ALPHABET.charCodeAt(i)] = i;

type B64Result = { ok: true; bytes: Buffer } | { ok: false; offset: number };

/**
 * Go `base64.StdEncoding` (padded) or `RawStdEncoding` (unpadded) `DecodeString`, non-strict:
 * `\r` and `\n` are skipped anywhere; the error offset is Go's `CorruptInputError`.
 */
export function goBase64Decode(src: Uint8Array, padded: boolean): B64Result {
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

const base64Error = (offset: number): string => `illegal base64 data at input byte ${offset}`;

/** Go unicode.IsSpace (what strings.TrimSpace trims). */
function isGoSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) || cp === 0x20 || cp === 0x85 || cp === 0xa0 || cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000
  );
}

function goTrimRight(s: string): string {
  const cps = [...s];
  while (cps.length > 0 && isGoSpace(cps[cps.length - 1]!.codePointAt(0)!)) cps.pop();
  return cps.join('');
}

/** config.go decodeDockerConfigFieldAuth (current: padded iff the trimmed value ends with '='). */
export function decodeAuthField(field: string): { ok: true; username: string; password: string } | { ok: false; error: string } {
  const padded = goTrimRight(field).endsWith('=');
  const r = goBase64Decode(Buffer.from(field, 'utf8'), padded);
  if (!r.ok) return { ok: false, error: base64Error(r.offset) };
  const colon = r.bytes.indexOf(0x3a);
  if (colon < 0) return { ok: false, error: 'unable to parse auth field, must be formatted as base64(username:password)' };
  // Limitation: bytes that are not valid UTF-8 become U+FFFD here (affects only fingerprints/probes).
  return { ok: true, username: r.bytes.subarray(0, colon).toString('utf8'), password: r.bytes.subarray(colon + 1).toString('utf8') };
}

// ───────────────────────────── Go encoding/json ─────────────────────────────

/** Go strconv.Quote of one byte taken as a rune (json scanner's quoteChar), without the quotes. */
function quoteByte(c: number): string {
  if (c === 0x5c) return '\\\\';
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
  if (named[c] !== undefined) return named[c];
  if (c < 0x20 || c === 0x7f) return '\\x' + c.toString(16).padStart(2, '0');
  if ((c >= 0x80 && c < 0xa1) || c === 0xad) return '\\u' + c.toString(16).padStart(4, '0');
  return String.fromCharCode(c);
}

function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  return "'" + quoteByte(c) + "'";
}

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

const MAX_NESTING = 10000;
const P_KEY = 0;
const P_VALUE = 1;
const P_ARRAY = 2;

/**
 * Go json `checkValid`: the scanner state machine of encoding/json/scanner.go, with its error
 * texts ("invalid character 'x' looking for beginning of value", "unexpected end of JSON input").
 * Returns null when the input is one valid JSON value.
 */
export function goJsonCheckValid(data: Uint8Array): string | null {
  type St =
    | 'beginValueOrEmpty' | 'beginValue' | 'beginStringOrEmpty' | 'beginString' | 'endValue' | 'endTop'
    | 'inString' | 'inStringEsc' | 'inStringEscU' | 'neg' | 'one' | 'zero' | 'dot' | 'dot0' | 'e' | 'eSign' | 'e0' | 'lit';
  let st: St = 'beginValue';
  const stack: number[] = [];
  let endTop = false;
  let err: string | null = null;
  let uCount = 0;
  let lit = '';
  let litPos = 0;
  const fail = (c: number, ctx: string): void => {
    err = `invalid character ${quoteChar(c)} ${ctx}`;
  };
  const push = (c: number, p: number): void => {
    stack.push(p);
    if (stack.length > MAX_NESTING) fail(c, 'exceeded max depth');
  };
  const pop = (): void => {
    stack.pop();
    if (stack.length === 0) {
      st = 'endTop';
      endTop = true;
    } else st = 'endValue';
  };
  const endValue = (c: number): void => {
    if (stack.length === 0) {
      st = 'endTop';
      endTop = true;
      if (!isJsonSpace(c)) fail(c, 'after top-level value');
      return;
    }
    if (isJsonSpace(c)) {
      st = 'endValue';
      return;
    }
    const top = stack[stack.length - 1];
    if (top === P_KEY) {
      if (c === 0x3a) {
        stack[stack.length - 1] = P_VALUE;
        st = 'beginValue';
      } else fail(c, 'after object key');
    } else if (top === P_VALUE) {
      if (c === 0x2c) {
        stack[stack.length - 1] = P_KEY;
        st = 'beginString';
      } else if (c === 0x7d) pop();
      else fail(c, 'after object key:value pair');
    } else {
      if (c === 0x2c) st = 'beginValue';
      else if (c === 0x5d) pop();
      else fail(c, 'after array element');
    }
  };
  const beginValue = (c: number): void => {
    if (isJsonSpace(c)) return;
    switch (c) {
      case 0x7b: st = 'beginStringOrEmpty'; push(c, P_KEY); return;
      case 0x5b: st = 'beginValueOrEmpty'; push(c, P_ARRAY); return;
      case 0x22: st = 'inString'; return;
      case 0x2d: st = 'neg'; return;
      case 0x30: st = 'zero'; return;
      case 0x74: st = 'lit'; lit = 'true'; litPos = 1; return;
      case 0x66: st = 'lit'; lit = 'false'; litPos = 1; return;
      case 0x6e: st = 'lit'; lit = 'null'; litPos = 1; return;
    }
    if (c >= 0x31 && c <= 0x39) st = 'one';
    else fail(c, 'looking for beginning of value');
  };
  const beginString = (c: number): void => {
    if (isJsonSpace(c)) return;
    if (c === 0x22) st = 'inString';
    else fail(c, 'looking for beginning of object key string');
  };
  const zero = (c: number): void => {
    if (c === 0x2e) st = 'dot';
    else if (c === 0x65 || c === 0x45) st = 'e';
    else endValue(c);
  };
  const eSign = (c: number): void => {
    if (isDigit(c)) st = 'e0';
    else fail(c, 'in exponent of numeric literal');
  };
  const step = (c: number): void => {
    switch (st) {
      case 'beginValueOrEmpty':
        if (isJsonSpace(c)) return;
        if (c === 0x5d) return endValue(c);
        return beginValue(c);
      case 'beginValue':
        return beginValue(c);
      case 'beginStringOrEmpty':
        if (isJsonSpace(c)) return;
        if (c === 0x7d) {
          stack[stack.length - 1] = P_VALUE;
          return endValue(c);
        }
        return beginString(c);
      case 'beginString':
        return beginString(c);
      case 'endValue':
        return endValue(c);
      case 'endTop':
        if (!isJsonSpace(c)) fail(c, 'after top-level value');
        return;
      case 'inString':
        if (c === 0x22) st = 'endValue';
        else if (c === 0x5c) st = 'inStringEsc';
        else if (c < 0x20) fail(c, 'in string literal');
        return;
      case 'inStringEsc':
        if ('bfnrt\\/"'.includes(String.fromCharCode(c))) st = 'inString';
        else if (c === 0x75) {
          st = 'inStringEscU';
          uCount = 0;
        } else fail(c, 'in string escape code');
        return;
      case 'inStringEscU':
        if (!isHex(c)) return fail(c, 'in \\u hexadecimal character escape');
        if (++uCount === 4) st = 'inString';
        return;
      case 'neg':
        if (c === 0x30) st = 'zero';
        else if (c >= 0x31 && c <= 0x39) st = 'one';
        else fail(c, 'in numeric literal');
        return;
      case 'one':
        if (isDigit(c)) return;
        return zero(c);
      case 'zero':
        return zero(c);
      case 'dot':
        if (isDigit(c)) st = 'dot0';
        else fail(c, 'after decimal point in numeric literal');
        return;
      case 'dot0':
        if (isDigit(c)) return;
        if (c === 0x65 || c === 0x45) st = 'e';
        else endValue(c);
        return;
      case 'e':
        if (c === 0x2b || c === 0x2d) {
          st = 'eSign';
          return;
        }
        return eSign(c);
      case 'eSign':
        return eSign(c);
      case 'e0':
        if (isDigit(c)) return;
        return endValue(c);
      case 'lit': {
        const want = lit.charCodeAt(litPos);
        if (c !== want) return fail(c, `in literal ${lit} (expecting '${lit[litPos]}')`);
        if (++litPos === lit.length) st = 'endValue';
        return;
      }
    }
  };
  for (let i = 0; i < data.length; i++) {
    step(data[i]!);
    if (err !== null) return err;
  }
  if (endTop) return null;
  step(0x20);
  if (err !== null) return err;
  if (endTop) return null;
  return 'unexpected end of JSON input';
}

/** A decoded JSON value, keeping member order and duplicates (Go decodes members in text order). */
type JNode =
  | { k: 'object'; members: [string, JNode][] }
  | { k: 'array' }
  | { k: 'string'; v: string }
  | { k: 'number' }
  | { k: 'bool' }
  | { k: 'null' };

/** Go utf8.DecodeRune: [codepoint, size]; invalid → [0xfffd, 1]. */
function decodeRune(b: Uint8Array, i: number): [number, number] {
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

/** Builds a JNode tree from input that goJsonCheckValid accepted. Deep values keep only their kind. */
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
function foldKey(s: string): string {
  return s.replace(/[a-z]/g, (ch) => ch.toUpperCase()).replace(/\u017f/g, 'S').replace(/\u212a/g, 'K');
}
const fieldIs = (key: string, field: string): boolean => foldKey(key) === foldKey(field);

const kindName = (n: JNode): string => (n.k === 'null' ? 'null' : n.k);

/** Go *json.UnmarshalTypeError. */
interface TypeErr {
  value: string;
  type: string;
  struct: string;
  field: string;
}
type GoErr = { type: TypeErr } | { plain: string };

function goErrText(e: GoErr): string {
  if ('plain' in e) return e.plain;
  const t = e.type;
  return t.struct !== '' || t.field !== ''
    ? `json: cannot unmarshal ${t.value} into Go struct field ${t.struct}.${t.field} of type ${t.type}`
    : `json: cannot unmarshal ${t.value} into Go value of type ${t.type}`;
}

/** decode.go addErrorContext (Go ≥ 1.24: the inner Field is appended to the outer stack). */
function withContext(e: GoErr, struct: string, stack: string[]): GoErr {
  if ('plain' in e) return e;
  const fields = e.type.field !== '' ? [...stack, e.type.field] : stack;
  return { type: { ...e.type, struct, field: fields.join('.') } };
}

interface RawEntry {
  username: string;
  password: string;
  authPresent: boolean;
  authOverrodeExplicit: boolean;
  ignoredFields: string[];
}

const ENTRY_FIELDS = ['username', 'password', 'email', 'auth'] as const;

/** DockerConfigEntry.UnmarshalJSON: decode into dockerConfigEntryWithAuth, then decode `auth`. */
function decodeEntry(node: JNode): { ok: true; entry: RawEntry } | { ok: false; err: GoErr } {
  const tmp: Record<(typeof ENTRY_FIELDS)[number], string> = { username: '', password: '', email: '', auth: '' };
  const ignoredFields: string[] = [];
  let saved: TypeErr | null = null;
  if (node.k === 'object') {
    for (const [key, val] of node.members) {
      const f = ENTRY_FIELDS.find((name) => fieldIs(key, name));
      if (f === undefined) {
        if (!ignoredFields.includes(key)) ignoredFields.push(key);
        continue;
      }
      if (val.k === 'string') tmp[f] = val.v;
      else if (val.k !== 'null') saved ??= { value: kindName(val), type: 'string', struct: 'dockerConfigEntryWithAuth', field: f };
    }
  } else if (node.k !== 'null') {
    saved = { value: kindName(node), type: 'credentialprovider.dockerConfigEntryWithAuth', struct: '', field: '' };
  }
  if (saved !== null) return { ok: false, err: { type: saved } };
  if (tmp.auth.length === 0) {
    return {
      ok: true,
      entry: { username: tmp.username, password: tmp.password, authPresent: false, authOverrodeExplicit: false, ignoredFields },
    };
  }
  const decoded = decodeAuthField(tmp.auth);
  if (!decoded.ok) return { ok: false, err: { plain: decoded.error } };
  const explicitGiven = tmp.username !== '' || tmp.password !== '';
  return {
    ok: true,
    entry: {
      username: decoded.username,
      password: decoded.password,
      authPresent: true,
      authOverrodeExplicit: explicitGiven && (tmp.username !== decoded.username || tmp.password !== decoded.password),
      ignoredFields,
    },
  };
}

interface DecodeOutcome {
  entries: Map<string, RawEntry>;
  error?: string;
  errorKey?: string;
  missingAuthsWrapper: boolean;
  topLevelKeys: string[];
}

/**
 * json.Unmarshal into DockerConfig (legacy) or DockerConfigJSON (wrapped). Type errors at the
 * outer levels are saved (first wins, decoding continues); errors from an entry's UnmarshalJSON
 * abort the decode and win over saved ones — as in Go's decodeState.
 */
function decodeConfig(root: JNode, wrapped: boolean): DecodeOutcome {
  const out: DecodeOutcome = { entries: new Map(), missingAuthsWrapper: false, topLevelKeys: [] };
  let saved: GoErr | null = null;
  let returned: { err: GoErr; key: string } | null = null;

  const decodeMap = (node: JNode, ctx: { struct: string; stack: string[] } | null): void => {
    const mapType = 'credentialprovider.DockerConfig';
    if (node.k === 'null') {
      out.entries = new Map();
      return;
    }
    if (node.k !== 'object') {
      const e: GoErr = { type: { value: kindName(node), type: mapType, struct: '', field: '' } };
      saved ??= ctx ? withContext(e, ctx.struct, ctx.stack) : e;
      return;
    }
    for (const [key, val] of node.members) {
      const r = decodeEntry(val);
      if (!r.ok) {
        // Go stops here; keep going only to list the other entries for display.
        returned ??= { err: ctx ? withContext(r.err, ctx.struct, ctx.stack) : r.err, key };
        out.entries.delete(key);
        continue;
      }
      out.entries.set(key, r.entry);
    }
  };

  if (!wrapped) decodeMap(root, null);
  else if (root.k === 'object') {
    let sawAuths = false;
    for (const [key, val] of root.members) {
      if (fieldIs(key, 'auths')) {
        sawAuths = true;
        decodeMap(val, { struct: 'DockerConfigJSON', stack: ['auths'] });
        continue;
      }
      if (!out.topLevelKeys.includes(key)) out.topLevelKeys.push(key);
      if (fieldIs(key, 'HttpHeaders')) {
        const e = (value: string, type: string): GoErr => ({ type: { value, type, struct: 'DockerConfigJSON', field: 'HttpHeaders' } });
        if (val.k === 'object') {
          for (const [, hv] of val.members) if (hv.k !== 'string' && hv.k !== 'null') saved ??= e(kindName(hv), 'string');
        } else if (val.k !== 'null') saved ??= e(kindName(val), 'map[string]string');
      }
    }
    out.missingAuthsWrapper = !sawAuths;
  } else if (root.k === 'null') {
    out.missingAuthsWrapper = true;
  } else {
    saved = { type: { value: kindName(root), type: 'credentialprovider.DockerConfigJSON', struct: '', field: '' } };
  }

  const finalReturned = returned as { err: GoErr; key: string } | null;
  if (finalReturned !== null) {
    out.error = goErrText(finalReturned.err);
    out.errorKey = finalReturned.key;
  } else if (saved !== null) {
    out.error = goErrText(saved);
  }
  return out;
}

// ───────────────────────────── the secret ─────────────────────────────

const byteCompare = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function toParsedEntry(registryKey: string, raw: RawEntry): ParsedEntry {
  const norm = normalizeKey(registryKey);
  const entry: ParsedEntry = {
    registryKey,
    normalizedKey: norm.key,
    username: raw.username,
    hasPassword: raw.password !== '',
    authPresent: raw.authPresent,
    authOverrodeExplicit: raw.authOverrodeExplicit,
    ignoredFields: raw.ignoredFields,
    usable: raw.username !== '' || raw.password !== '',
    fingerprint: fingerprint(raw.password),
    credential: seal({ username: raw.username, password: raw.password }),
  };
  if (norm.key === null) entry.skipReason = norm.reason;
  return entry;
}

function describeKeys(keys: string[]): string {
  return keys.length > 0 ? keys.join(', ') : 'none';
}

export function parsePullSecret(secret: SecretObject): ParsedPullSecret {
  const meta = secret.metadata ?? { name: '', namespace: '' };
  // The API server defaults a missing type to Opaque.
  const type = secret.type !== undefined && secret.type !== '' ? secret.type : 'Opaque';
  const result: ParsedPullSecret = {
    name: meta.name ?? '',
    namespace: meta.namespace ?? '',
    type,
    dataKeys: [...(secret.dataKeys ?? [])],
    format: null,
    entries: [],
    missingAuthsWrapper: false,
    topLevelKeys: [],
  };
  if (meta.creationTimestamp !== undefined) result.createdAt = meta.creationTimestamp;
  if (meta.updatedAt !== undefined) result.updatedAt = meta.updatedAt;
  try {
    parseInto(secret, type, result);
  } catch (e) {
    // Defensive: parsing must never throw. Never include secret material in this text.
    result.error = `pulldoctor could not parse this secret (${e instanceof Error ? e.name : 'error'})`;
    result.entries = [];
  }
  return result;
}

function parseInto(secret: SecretObject, type: string, result: ParsedPullSecret): void {
  let data: { '.dockerconfigjson'?: string; '.dockercfg'?: string } = {};
  try {
    data = reveal(secret.sealed);
  } catch {
    data = {};
  }
  const dataKeys = secret.dataKeys ?? [];
  const has = (k: '.dockerconfigjson' | '.dockercfg'): boolean => dataKeys.includes(k) || typeof data[k] === 'string';

  let dataKey: '.dockerconfigjson' | '.dockercfg';
  if (type === TYPE_DOCKERCONFIGJSON) dataKey = '.dockerconfigjson';
  else if (type === TYPE_DOCKERCFG) dataKey = '.dockercfg';
  else {
    result.ignoredReason = `type ${type} is not read by the kubelet`;
    return;
  }
  if (!has(dataKey)) {
    result.ignoredReason = `type ${type} but no ${dataKey} data key (has: ${describeKeys(dataKeys)})`;
    return;
  }
  const encoded = data[dataKey] ?? '';
  const apiDecoded = goBase64Decode(Buffer.from(encoded, 'utf8'), true);
  if (!apiDecoded.ok) {
    result.format = dataKey === '.dockerconfigjson' ? 'dockerconfigjson' : 'dockercfg';
    result.error =
      `the ${dataKey} data is not valid base64 (${base64Error(apiDecoded.offset)}); ` +
      'the API server never stores such a value, so this object was edited outside the cluster';
    return;
  }
  if (apiDecoded.bytes.length === 0) {
    result.ignoredReason = `type ${type} but the ${dataKey} data is empty`;
    return;
  }
  const wrapped = dataKey === '.dockerconfigjson';
  result.format = wrapped ? 'dockerconfigjson' : 'dockercfg';
  const syntaxError = goJsonCheckValid(apiDecoded.bytes);
  if (syntaxError !== null) {
    result.error = syntaxError;
    return;
  }
  const root = new JsonReader(apiDecoded.bytes).value(0);
  const decoded = decodeConfig(root, wrapped);
  if (decoded.error !== undefined) result.error = decoded.error;
  if (decoded.errorKey !== undefined) result.errorKey = decoded.errorKey;
  result.missingAuthsWrapper = wrapped && decoded.error === undefined && decoded.missingAuthsWrapper;
  result.topLevelKeys = decoded.topLevelKeys;
  result.entries = [...decoded.entries.entries()]
    .sort(([a], [b]) => byteCompare(a, b))
    .map(([key, raw]) => toParsedEntry(key, raw));
}
