/**
 * `WWW-Authenticate` challenges (RFC 7235 §4.1), as a registry's `GET /v2/` or a refused
 * manifest request sends them: `Bearer realm="…",service="…"`, `Basic realm="…"`, or several
 * at once.
 */

export interface Challenge {
  /** Lower-cased auth scheme, e.g. `bearer`, `basic`. */
  scheme: string;
  /** Lower-cased parameter names → values (quoted-string unescaped). */
  params: Record<string, string>;
  /** A token68 credential, if the challenge carried one instead of parameters. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** `name = value` ahead (a value starts with a quote or a token character). */
const PARAM_START = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*=[ \t]*["!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** A token68 credential followed by the end or a comma. */
const TOKEN68_RE = /^([A-Za-z0-9\-._~+/]+=*)[ \t]*(?=,|$)/;

/**
 * Parse one or more `WWW-Authenticate` header values (RFC 7235 §4.1):
 * `challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`, challenges separated by commas.
 */
export function parseChallenges(values: string | readonly string[] | undefined): Challenge[] {
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  const out: Challenge[] = [];
  for (const v of list) out.push(...parseOne(v));
  return out;
}

function parseOne(s: string): Challenge[] {
  const out: Challenge[] = [];
  const n = s.length;
  let i = 0;
  const isWs = (c: string | undefined) => c === ' ' || c === '\t';
  const token = (): string => {
    const start = i;
    while (i < n && TCHAR.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  const value = (): string => {
    if (s[i] !== '"') return token();
    i++;
    let v = '';
    while (i < n && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < n) i++;
      v += s[i];
      i++;
    }
    i++; // the closing quote
    return v;
  };
  let current: Challenge | undefined;
  while (i < n) {
    while (i < n && (isWs(s[i]) || s[i] === ',')) i++;
    if (i >= n) break;
    const name = token();
    if (!name) {
      i++; // not a token character: skip it
      continue;
    }
    while (isWs(s[i])) i++;
    if (current && s[i] === '=') {
      i++;
      while (isWs(s[i])) i++;
      current.params[name.toLowerCase()] = value();
      continue;
    }
    // A new challenge. Its first auth-param (if any) is read by the loop; a token68 here.
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
    const rest = s.slice(i);
    if (!PARAM_START.test(rest)) {
      const m = TOKEN68_RE.exec(rest);
      if (m) {
        current.token68 = m[1]!;
        i += m[0].length;
      }
    }
  }
  return out;
}
