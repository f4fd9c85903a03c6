/**
 * Go `net/url.Parse` for the URLs the kubelet builds (always with an `http://`/`https://`
 * scheme), and `net.SplitHostPort`.
 *
 * Emulated: control characters, `#fragment` and `?query` cutting, userinfo
 * (`net/url: invalid userinfo`), host characters (`invalid character " " in host name`), ports
 * (`invalid port ":*" after host`), `%` escapes in host/path/fragment (`invalid URL escape "%zz"`),
 * bracketed IPv6 with `%25` zones. Limits: Go ≥ 1.25.2/1.24.8 additionally reject some malformed
 * bracketed IPv6 hosts — not emulated; percent-decoded bytes that are not valid UTF-8 become U+FFFD.
 */
import { goQuote } from './quote.js';

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
