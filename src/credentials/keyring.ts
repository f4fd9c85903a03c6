/**
 * The kubelet's pod-secret keyring: key normalisation (`BasicDockerKeyring.Add`, §4),
 * matching (`URLsMatchStr`/`URLsMatch`, §7) and lookup order with the Docker Hub fallback
 * (`BasicDockerKeyring.Lookup`, §8). Source: kubernetes `pkg/credentialprovider/keyring.go`.
 *
 * Go emulation (pure, no I/O):
 * - `goParseURL` follows net/url.Parse for the URLs the kubelet builds (always with an
 *   `http://`/`https://` scheme): control characters, `#fragment` and `?query` cutting, userinfo
 *   (`net/url: invalid userinfo`), host characters (`invalid character " " in host name`), ports
 *   (`invalid port ":*" after host`), `%` escapes in host/path/fragment (`invalid URL escape "%zz"`),
 *   bracketed IPv6 with `%25` zones. Limits: Go ≥ 1.25.2/1.24.8 additionally reject some malformed
 *   bracketed IPv6 hosts — not emulated; percent-decoded bytes that are not valid UTF-8 become U+FFFD.
 * - `splitHostPort` is net.SplitHostPort; `goFilepathMatch` is path/filepath.Match on Unix
 *   (byte-wise, `*`, `?`, `[...]` classes with ranges/negation, `\` escapes, ErrBadPattern).
 */
import type { CredentialView } from '../model/finding.js';
import type { ParsedPullSecret } from './dockerconfig.js';
import type { Sealed } from './vault.js';

// ───────────────────────────── Go strconv.Quote ─────────────────────────────

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go strconv.Quote (close enough: printability by Unicode category). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp < 0x80 && PRINTABLE.test(ch)) out += ch;
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 10) out += '\\n';
    else if (cp === 13) out += '\\r';
    else if (cp === 9) out += '\\t';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0x80 && PRINTABLE.test(ch) && cp !== 0xfffd) out += ch;
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

// ───────────────────────────── Go net/url ─────────────────────────────

export interface GoURL {
  /** Decoded host, with port. */
  host: string;
  /** Decoded path. */
  path: string;
}

type Mode = 'host' | 'zone' | 'path' | 'user' | 'fragment';

const isHexCh = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** net/url shouldEscape for the host/zone modes (ASCII only). */
function hostShouldEscape(c: string): boolean {
  if (/^[A-Za-z0-9]$/.test(c)) return false;
  return !"-_.~!$&'()*+,;=:[]<>\"".includes(c);
}

class UrlError extends Error {}

/** net/url unescape: validates `%` escapes (and host characters) and decodes. */
function unescape(s: string, mode: Mode): string {
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '%') {
      if (i + 2 >= s.length || !isHexCh(s[i + 1]) || !isHexCh(s[i + 2])) {
        throw new UrlError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      }
      const esc = s.slice(i, i + 3);
      if (mode === 'host' && parseInt(s[i + 1]!, 16) < 8 && esc !== '%25') {
        throw new UrlError(`invalid URL escape ${goQuote(esc)}`);
      }
      if (mode === 'zone') {
        const v = parseInt(esc.slice(1), 16);
        if (esc !== '%25' && v !== 0x20 && v < 0x80 && hostShouldEscape(String.fromCharCode(v))) {
          throw new UrlError(`invalid URL escape ${goQuote(esc)}`);
        }
      }
      i += 3;
      continue;
    }
    if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && hostShouldEscape(c)) {
      throw new UrlError(`invalid character ${goQuote(c)} in host name`);
    }
    i++;
  }
  if (!s.includes('%')) return s;
  // Decode to bytes, then UTF-8 (limitation: invalid sequences become U+FFFD).
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      return unescape(host.slice(0, zone), 'host') + unescape(host.slice(zone, i), 'zone') + unescape(host.slice(i), 'host');
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    }
  }
  return unescape(host, 'host');
}

function parseAuthority(authority: string): string {
  const i = authority.lastIndexOf('@');
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i >= 0) {
    const userinfo = authority.slice(0, i);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new UrlError('net/url: invalid userinfo');
    const colon = userinfo.indexOf(':');
    const parts = colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
    for (const part of parts) unescape(part, 'user');
  }
  return host;
}

/**
 * net/url.Parse restricted to absolute URLs (scheme + `//`), which is all the kubelet builds.
 * Returns Go's error text (`parse "<url>": <reason>`) on failure.
 */
export function goParseURL(rawURL: string): { ok: true; url: GoURL } | { ok: false; error: string } {
  const hash = rawURL.indexOf('#');
  const u = hash >= 0 ? rawURL.slice(0, hash) : rawURL;
  const frag = hash >= 0 ? rawURL.slice(hash + 1) : '';
  let url: GoURL;
  try {
    url = parseNoFragment(u);
  } catch (e) {
    return { ok: false, error: `parse ${goQuote(u)}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (frag !== '') {
    try {
      unescape(frag, 'fragment');
    } catch (e) {
      return { ok: false, error: `parse ${goQuote(rawURL)}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { ok: true, url };
}

function parseNoFragment(raw: string): GoURL {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new UrlError('net/url: invalid control character in URL');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw);
  let rest = m ? raw.slice(m[0].length) : raw;
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  let host = '';
  if (rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    host = parseAuthority(authority);
  }
  return { host, path: unescape(rest, 'path') };
}

/** net.SplitHostPort; on error the kubelet uses the whole host and an empty port. */
export function splitHostPort(hostport: string): { host: string; port: string } | null {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return null;
  let j = 0;
  let k = 0;
  let host: string;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) return null;
    if (end + 1 === hostport.length) return null;
    if (end + 1 !== i) return null;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return null;
  }
  if (hostport.slice(j).includes('[')) return null;
  if (hostport.slice(k).includes(']')) return null;
  return { host, port: hostport.slice(i + 1) };
}

// ───────────────────────────── Go path/filepath.Match ─────────────────────────────

class BadPattern extends Error {}

/** utf8.DecodeRune on a byte array: [rune, size]. */
function runeAt(b: Buffer, i: number): [number, number] {
  if (i >= b.length) return [0xfffd, 0];
  const s = b.subarray(i, Math.min(i + 4, b.length)).toString('utf8');
  const cp = s.codePointAt(0)!;
  if (cp === 0xfffd) {
    // Either a real U+FFFD (3 bytes EF BF BD) or an invalid byte (size 1).
    const real = b[i] === 0xef && b[i + 1] === 0xbf && b[i + 2] === 0xbd;
    return [0xfffd, real ? 3 : 1];
  }
  return [cp, Buffer.byteLength(String.fromCodePoint(cp), 'utf8')];
}

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
  const [r, n] = runeAt(chunk, 0);
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
        const [rr, n] = runeAt(s, 0);
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
        const [, n] = runeAt(s, 0);
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

/** path/filepath.Match (Unix). Throws BadPattern where Go returns ErrBadPattern. */
function filepathMatch(patternStr: string, nameStr: string): boolean {
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

// ───────────────────────────── §4 normalisation ─────────────────────────────

/** `BasicDockerKeyring.Add`: scheme, url.Parse, `/v1/`/`/v2/` trim, host[+path] (§4). */
export function normalizeKey(raw: string): { key: string } | { key: null; reason: string } {
  const value = raw.startsWith('https://') || raw.startsWith('http://') ? raw : 'https://' + raw;
  const parsed = goParseURL(value);
  if (!parsed.ok) {
    return {
      key: null,
      reason: `Go url.Parse rejects it (${parsed.error}), so the kubelet only logs "Entry ${goQuote(raw)} in dockercfg invalid" and skips it`,
    };
  }
  let path = parsed.url.path;
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  return { key: path.length > 0 && path !== '/' ? parsed.url.host + path : parsed.url.host };
}

// ───────────────────────────── §7 matching ─────────────────────────────

interface SplitURL {
  labels: string[];
  port: string;
  path: string;
}

function parseSchemeless(s: string): SplitURL | null {
  const parsed = goParseURL('https://' + s);
  if (!parsed.ok) return null;
  const hp = splitHostPort(parsed.url.host);
  const host = hp ? hp.host : parsed.url.host;
  return { labels: host.split('.'), port: hp ? hp.port : '', path: parsed.url.path };
}

/** `URLsMatchStr(glob, target)` (§7): ports equal, label counts equal, raw path prefix, filepath.Match per label. */
export function urlsMatch(normalizedGlob: string, repoToPull: string): boolean {
  try {
    const glob = parseSchemeless(normalizedGlob);
    const target = parseSchemeless(repoToPull);
    if (glob === null || target === null) return false;
    if (glob.port !== target.port) return false;
    if (glob.labels.length !== target.labels.length) return false;
    if (!target.path.startsWith(glob.path)) return false;
    for (let k = 0; k < glob.labels.length; k++) {
      const m = goFilepathMatch(glob.labels[k]!, target.labels[k]!);
      if (!m.matched) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** keyring.go isDefaultRegistryMatch (§8.3). */
export function isDefaultRegistryMatch(image: string): boolean {
  const slash = image.indexOf('/');
  const first = slash < 0 ? image : image.slice(0, slash);
  if (first === '') return false;
  if (slash < 0) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

// ───────────────────────────── §8 keyring ─────────────────────────────

export const DOCKER_HUB_FALLBACK_KEY = 'index.docker.io';

export interface KeyringCredential {
  secret: string;
  namespace: string;
  registryKey: string;
  normalizedKey: string;
  username: string;
  hasPassword: boolean;
  fingerprint: string;
  viaDockerHubFallback: boolean;
  credential: Sealed<{ username: string; password: string }>;
}

export interface LookupResult {
  /** Exactly the kubelet's order (§8.1): reverse byte-wise sorted index, all matching keys, secrets in imagePullSecrets order within a key. */
  credentials: KeyringCredential[];
  /** Normalised keys whose credentials were returned (`index.docker.io` when the fallback applied). */
  matchedKeys: string[];
  usedDockerHubFallback: boolean;
  /** index.docker.io credentials present but not tried because another key matched (§8.4). */
  shadowedDockerHub: KeyringCredential[];
}

const byteCompare = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export class Keyring {
  private constructor(
    private readonly index: string[],
    private readonly creds: Map<string, KeyringCredential[]>,
  ) {}

  /** In imagePullSecrets order; secrets with format null or an error contribute nothing. */
  static fromSecrets(secrets: ParsedPullSecret[]): Keyring {
    const creds = new Map<string, KeyringCredential[]>();
    for (const s of secrets) {
      if (s.format === null || s.error !== undefined) continue;
      for (const e of s.entries) {
        if (e.normalizedKey === null) continue;
        const list = creds.get(e.normalizedKey) ?? [];
        list.push({
          secret: s.name,
          namespace: s.namespace,
          registryKey: e.registryKey,
          normalizedKey: e.normalizedKey,
          username: e.username,
          hasPassword: e.hasPassword,
          fingerprint: e.fingerprint,
          viaDockerHubFallback: false,
          credential: e.credential,
        });
        creds.set(e.normalizedKey, list);
      }
    }
    const index = [...creds.keys()].sort((a, b) => byteCompare(b, a));
    return new Keyring(index, creds);
  }

  lookup(repoToPull: string): LookupResult {
    const credentials: KeyringCredential[] = [];
    const matchedKeys: string[] = [];
    for (const k of this.index) {
      if (!urlsMatch(k, repoToPull)) continue;
      matchedKeys.push(k);
      credentials.push(...(this.creds.get(k) ?? []).map((c) => ({ ...c })));
    }
    const hub = this.creds.get(DOCKER_HUB_FALLBACK_KEY) ?? [];
    const defaultRegistry = isDefaultRegistryMatch(repoToPull);
    if (credentials.length > 0) {
      const shadowed = defaultRegistry && !matchedKeys.includes(DOCKER_HUB_FALLBACK_KEY) ? hub.map((c) => ({ ...c })) : [];
      return { credentials, matchedKeys, usedDockerHubFallback: false, shadowedDockerHub: shadowed };
    }
    if (defaultRegistry && hub.length > 0) {
      return {
        credentials: hub.map((c) => ({ ...c, viaDockerHubFallback: true })),
        matchedKeys: [DOCKER_HUB_FALLBACK_KEY],
        usedDockerHubFallback: true,
        shadowedDockerHub: [],
      };
    }
    return { credentials: [], matchedKeys: [], usedDockerHubFallback: false, shadowedDockerHub: [] };
  }

  /** Normalised index in kubelet order (reverse byte-wise). */
  keys(): string[] {
    return [...this.index];
  }
}

export function toCredentialView(c: KeyringCredential): CredentialView {
  return {
    secret: c.secret,
    registryKey: c.registryKey,
    normalizedKey: c.normalizedKey,
    username: c.username,
    hasPassword: c.hasPassword,
    fingerprint: c.fingerprint,
    viaDockerHubFallback: c.viaDockerHubFallback,
  };
}
