/**
 * A minimal Registry HTTP API v2 client for the opt-in probe: ping (`GET /v2/`) → challenge,
 * Bearer token flow or Basic, then `HEAD` (falling back to `GET`) on a manifest, classified
 * into a ProbeOutcome.
 *
 * It speaks HTTP through node:http/node:https (not the global fetch) so it can take a CA
 * bundle, follow redirects itself and decide per hop whether an Authorization header may go
 * there. Safety rules:
 * - credentials (Basic) go only to the registry host or to the token realm it names, and the
 *   bearer token only to the registry host; a redirect elsewhere is followed without them;
 * - only over HTTPS, unless the host is listed as insecure (then plain HTTP is allowed there);
 * - every response body is read up to a cap or the socket is destroyed; every request has a
 *   timeout and honours the overall deadline;
 * - no password, `user:password` encoding or token ever reaches a detail string, an error
 *   or a log: details are built from metadata and scrubbed once more before they leave.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

import type { ProbeAttempt, ProbeOutcome } from '../model/finding.js';
import { tlsProblemOf, type TlsProblem } from '../model/tls.js';
import { oneLine } from '../util/text.js';

// ───────────────────────────── constants ─────────────────────────────

export const MEDIA_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const MEDIA_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const MANIFEST_ACCEPT = [MEDIA_OCI_INDEX, MEDIA_OCI_MANIFEST, MEDIA_DOCKER_LIST, MEDIA_DOCKER_MANIFEST].join(', ');

const INDEX_TYPES = new Set([MEDIA_OCI_INDEX, MEDIA_DOCKER_LIST]);
const MAX_REDIRECTS = 5;
/** Error bodies and token responses are small; anything larger is cut (and the socket closed). */
const MAX_SMALL_BODY = 64 * 1024;
/** Token responses (JWTs with long access lists can be a few tens of KiB). */
const MAX_TOKEN_BODY = 1024 * 1024;
/** An image index body (needed for its platforms). */
const MAX_MANIFEST_BODY = 4 * 1024 * 1024;
const USER_AGENT = 'pulldoctor-probe';

/** Docker Hub's names (`docker.io`, legacy `index.docker.io`) are served by registry-1.docker.io. */
export function registryHost(domain: string): string {
  const d = domain.toLowerCase();
  if (d === 'docker.io' || d === 'index.docker.io') return 'registry-1.docker.io';
  return normalizeHost(domain);
}

/** `host[:port]` as URL.host writes it (lower case, default port 443 dropped). */
export function normalizeHost(host: string): string {
  try {
    return new URL(`https://${host}`).host;
  } catch {
    return host.toLowerCase();
  }
}

/** `--insecure-registry` entries: `host[:port]`, tolerating a scheme or a trailing slash. */
export function normalizeInsecure(entries: readonly string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const raw of entries ?? []) {
    const e = raw.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
    if (!e) continue;
    out.add(e.toLowerCase());
    out.add(normalizeHost(e));
  }
  return out;
}

// ───────────────────────────── RFC 7235 challenges ─────────────────────────────

export interface Challenge {
  /** Lower-cased auth scheme, e.g. `bearer`, `basic`. */
  scheme: string;
  /** Lower-cased parameter names → values (quoted-string unescaped). */
  params: Record<string, string>;
  /** A token68 credential, if the challenge carried one instead of parameters. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

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

/** `name = value` ahead (a value starts with a quote or a token character). */
const PARAM_START = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*=[ \t]*["!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** A token68 credential followed by the end or a comma. */
const TOKEN68_RE = /^([A-Za-z0-9\-._~+/]+=*)[ \t]*(?=,|$)/;

// ───────────────────────────── registry error bodies ─────────────────────────────

export interface RegistryError {
  code: string;
  message?: string;
}

/** `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…","detail":…}]}` → codes and messages. */
export function parseErrorBody(body: Buffer | string | undefined): RegistryError[] {
  if (!body || body.length === 0) return [];
  try {
    const doc = JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as unknown;
    const errors = (doc as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) return [];
    const out: RegistryError[] = [];
    for (const e of errors) {
      if (!e || typeof e !== 'object') continue;
      const code = (e as { code?: unknown }).code;
      const message = (e as { message?: unknown }).message;
      if (typeof code !== 'string') continue;
      const re: RegistryError = { code: code.toUpperCase() };
      if (typeof message === 'string') re.message = message;
      out.push(re);
    }
    return out;
  } catch {
    return [];
  }
}

/** Platforms of an OCI index / Docker manifest list body: `os/arch[/variant]`, attestations skipped. */
export function indexPlatforms(body: Buffer): string[] {
  try {
    const doc = JSON.parse(body.toString('utf8')) as { manifests?: unknown };
    if (!Array.isArray(doc.manifests)) return [];
    const out: string[] = [];
    for (const m of doc.manifests) {
      const p = (m as { platform?: { os?: unknown; architecture?: unknown; variant?: unknown } } | null)?.platform;
      if (!p || typeof p.os !== 'string' || typeof p.architecture !== 'string') continue;
      if (p.os === 'unknown' && p.architecture === 'unknown') continue; // buildx attestation manifests
      const s = `${p.os}/${p.architecture}${typeof p.variant === 'string' && p.variant ? `/${p.variant}` : ''}`;
      if (!out.includes(s)) out.push(s);
    }
    return out;
  } catch {
    return [];
  }
}

// ───────────────────────────── transport ─────────────────────────────

export type NetErrorKind = 'tls' | 'unreachable' | 'timeout' | 'deadline' | 'policy' | 'protocol';

/** A transport failure. Its message holds hosts and error codes only, never headers. */
export class NetError extends Error {
  constructor(
    readonly kind: NetErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'NetError';
  }
}

const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
]);

/** OpenSSL's words when the other side answered in something other than TLS (plain HTTP). */
const NOT_TLS_MESSAGE = /wrong version number|packet length too long|http request/i;
/** A TLS failure Node reported without one of the TLS error codes. */
const TLS_MESSAGE = /secure TLS connection|certificate|wrong version number|SSL routines/i;

/** Turn a Node socket/TLS error into a NetError with a helpful, secret-free message. */
export function classifyNodeError(err: unknown, url: URL): NetError {
  if (err instanceof NetError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  const where = `${url.protocol}//${url.host}`;
  const tls = tlsProblemOf(code);
  if (tls !== undefined || TLS_MESSAGE.test(msg)) {
    return new NetError('tls', `TLS handshake with ${where} failed${tlsHint(tls, msg, url)}${code ? ` [${code}]` : ''}`, code);
  }
  if (code && UNREACHABLE_CODES.has(code)) {
    const what: Record<string, string> = {
      ENOTFOUND: `DNS lookup for ${url.hostname} failed`,
      EAI_AGAIN: `DNS lookup for ${url.hostname} failed (temporary)`,
      ECONNREFUSED: `connection to ${where} refused`,
      ECONNRESET: `connection to ${where} reset`,
      ETIMEDOUT: `connection to ${where} timed out`,
      EHOSTUNREACH: `host ${url.hostname} unreachable`,
      ENETUNREACH: `network unreachable for ${url.hostname}`,
    };
    return new NetError('unreachable', `${what[code] ?? `cannot reach ${where}`} [${code}]`, code);
  }
  return new NetError('protocol', `request to ${where} failed: ${msg}${code ? ` [${code}]` : ''}`, code);
}

/** What a failed handshake means and what to do about it. */
function tlsHint(problem: TlsProblem | undefined, msg: string, url: URL): string {
  switch (problem) {
    case 'unknown-authority':
      return ': certificate signed by an unknown authority (pass the CA with --registry-ca FILE or NODE_EXTRA_CA_CERTS)';
    case 'expired':
      return ': the server certificate has expired';
    case 'not-yet-valid':
      return ': the server certificate is not yet valid (check the clocks)';
    case 'wrong-name':
      return `: the certificate is not valid for ${url.hostname} (${msg})`;
    default:
      if (problem === 'not-tls' || NOT_TLS_MESSAGE.test(msg)) {
        return `: the server does not speak TLS — it looks like a plain-HTTP registry (to allow that, list ${url.host} with --insecure-registry)`;
      }
      return `: ${msg}`;
  }
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every `WWW-Authenticate` value, unjoined. */
  wwwAuthenticate: string[];
  body: Buffer;
  truncated: boolean;
  url: URL;
}

export interface TransportOptions {
  /** CA certificates (PEM) replacing the default trust store; undefined → Node's defaults (incl. NODE_EXTRA_CA_CERTS). */
  ca?: string[];
  requestTimeoutMs: number;
  /** Aborts every request when the overall deadline passes. */
  signal?: AbortSignal;
  /** Hosts (`host[:port]`) that may be reached over plain HTTP. */
  insecure: Set<string>;
  maxSockets?: number;
}

export interface SendRequest {
  method: 'GET' | 'HEAD';
  url: URL;
  headers?: Record<string, string>;
  /** Sent only to hosts in `authHosts`, and only over HTTPS or to an insecure-listed host. */
  authorization?: string;
  authHosts?: ReadonlySet<string>;
  maxBody?: number;
}

/** HTTP(S) with per-request timeouts, a deadline, capped bodies and a careful redirect policy. */
export class Transport {
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;
  constructor(readonly opts: TransportOptions) {
    const maxSockets = opts.maxSockets ?? 8;
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, ...(opts.ca ? { ca: opts.ca } : {}) });
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  }

  isInsecure(host: string): boolean {
    return this.opts.insecure.has(host.toLowerCase());
  }

  /** May this URL be used at all (HTTPS, or HTTP to an insecure-listed host)? */
  allowed(url: URL): boolean {
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && this.isInsecure(url.host);
  }

  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }

  async send(req: SendRequest): Promise<RawResponse> {
    let url = req.url;
    let method = req.method;
    for (let hop = 0; ; hop++) {
      if (!this.allowed(url)) {
        throw new NetError(
          'policy',
          hop === 0
            ? `refusing plain HTTP to ${url.host} (list it with --insecure-registry to allow)`
            : `refusing a redirect to plain HTTP ${url.host} (list it with --insecure-registry to allow)`,
        );
      }
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...(req.headers ?? {}) };
      if (req.authorization !== undefined && req.authHosts?.has(url.host.toLowerCase())) headers.authorization = req.authorization;
      const res = await this.once(method, url, headers, req.maxBody ?? MAX_SMALL_BODY);
      const location = res.headers.location;
      if ([301, 302, 303, 307, 308].includes(res.status) && typeof location === 'string' && location) {
        if (hop >= MAX_REDIRECTS) throw new NetError('protocol', `too many redirects from ${req.url.host}`);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new NetError('protocol', `${url.host} redirected to an invalid location`);
        }
        if (next.username || next.password) {
          next.username = '';
          next.password = '';
        }
        if (res.status === 303 && method !== 'HEAD') method = 'GET';
        url = next;
        continue;
      }
      return res;
    }
  }

  private once(method: string, url: URL, headers: Record<string, string>, maxBody: number): Promise<RawResponse> {
    const { signal, requestTimeoutMs } = this.opts;
    return new Promise<RawResponse>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new NetError('deadline', 'the overall probe deadline passed'));
        return;
      }
      let settled = false;
      const timer = setTimeout(
        () => fail(new NetError('timeout', `no answer from ${url.protocol}//${url.host} within ${requestTimeoutMs} ms`)),
        requestTimeoutMs,
      );
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        cleanup();
        req.destroy();
        reject(classifyNodeError(err, url));
      };
      const onAbort = () => fail(new NetError('deadline', 'the overall probe deadline passed'));
      const secure = url.protocol === 'https:';
      const options: https.RequestOptions = {
        method,
        headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
      };
      const req = (secure ? https : http).request(url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const done = () => {
          if (settled) return;
          settled = true;
          cleanup();
          const raw = res.rawHeaders;
          const www: string[] = [];
          for (let k = 0; k + 1 < raw.length; k += 2) if (raw[k]!.toLowerCase() === 'www-authenticate') www.push(raw[k + 1]!);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, wwwAuthenticate: www, body: Buffer.concat(chunks), truncated, url });
        };
        res.on('data', (c: Buffer) => {
          if (settled) return;
          if (size + c.length > maxBody) {
            chunks.push(c.subarray(0, Math.max(0, maxBody - size)));
            size = maxBody;
            truncated = true;
            res.destroy(); // do not read (or hang on) the rest
            done();
            return;
          }
          chunks.push(c);
          size += c.length;
        });
        res.on('end', done);
        res.on('error', fail);
        res.on('close', () => {
          if (!settled && !res.complete) fail(new NetError('unreachable', `connection to ${url.host} closed before the response was complete`));
          else done();
        });
      });
      req.on('error', fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end();
    });
  }
}

// ───────────────────────────── the registry protocol ─────────────────────────────

export interface Credential {
  username: string;
  password: string;
}

/** The result of one probe (the caller adds which credential it was). */
export type AttemptResult = Omit<ProbeAttempt, 'credential' | 'registryKey' | 'username'>;

interface Ping {
  base: URL; // scheme://host
  res: RawResponse;
  challenges: Challenge[];
  note?: string;
}

type TokenResult =
  | { ok: true; token: string }
  | { ok: false; result: AttemptResult };

export interface ManifestTarget {
  host: string;
  path: string;
  reference: string;
}

/** Internal cache key of a credential: a salted hash, never the credential itself. */
export function credentialKey(c: Credential | undefined): string {
  if (!c) return 'anonymous';
  return createHash('sha256').update(`pulldoctor-probe\0${c.username}\0${c.password}`).digest('hex').slice(0, 32);
}

const basicHeader = (c: Credential) => 'Basic ' + Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64');

/** Replace every secret string in `text` with a marker (defence in depth). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

function outcomeFromNetError(e: NetError, what: string): AttemptResult {
  const outcome: ProbeOutcome =
    e.kind === 'tls' ? 'tls-error' : e.kind === 'unreachable' || e.kind === 'timeout' ? 'unreachable' : 'error';
  return { outcome, detail: `${what}: ${e.message}` };
}

const describeCodes = (errs: RegistryError[]) =>
  errs.length
    ? ' (' + errs.map((e) => (e.message ? `${e.code}: ${oneLine(e.message, 200)}` : e.code)).join('; ') + ')'
    : '';

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function rateLimit(res: RawResponse): { limit?: string; remaining?: string } | undefined {
  const limit = header(res, 'ratelimit-limit');
  const remaining = header(res, 'ratelimit-remaining');
  if (limit === undefined && remaining === undefined) return undefined;
  const out: { limit?: string; remaining?: string } = {};
  if (limit !== undefined) out.limit = limit;
  if (remaining !== undefined) out.remaining = remaining;
  return out;
}

function rateLimited(res: RawResponse, what: string): AttemptResult {
  const rl = rateLimit(res);
  const parts = rl ? ` (limit ${rl.limit ?? '?'}, remaining ${rl.remaining ?? '?'})` : '';
  const retry = header(res, 'retry-after');
  const r: AttemptResult = {
    outcome: 'rate-limited',
    httpStatus: res.status,
    detail: `${what}: rate limited by ${res.url.host} (HTTP ${res.status})${parts}${retry ? `, retry after ${oneLine(retry, 40)}` : ''}${describeCodes(parseErrorBody(res.body))}`,
  };
  if (rl) r.rateLimit = rl;
  return r;
}

function looksLikeHttpToHttps(res: RawResponse): boolean {
  return res.status === 400 && /HTTP request to an HTTPS server/i.test(res.body.toString('utf8'));
}

const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** The probe builds URLs from these: refuse anything outside the reference grammar. */
export function invalidTarget(t: ManifestTarget): string | undefined {
  if (!HOST_RE.test(t.host)) return `registry host ${JSON.stringify(t.host)} is not a host[:port]`;
  if (!PATH_RE.test(t.path)) return `repository path ${JSON.stringify(t.path)} is not valid`;
  if (!(t.reference.includes(':') ? DIGEST_RE : TAG_RE).test(t.reference)) return `reference ${JSON.stringify(t.reference)} is not a valid tag or digest`;
  return undefined;
}

/**
 * Shares pings (anonymous, per host) and tokens (per realm, service, scope, credential)
 * across the attempts of one scan.
 */
export class RegistryClient {
  private readonly pings = new Map<string, Promise<Ping>>();
  private readonly tokens = new Map<string, Promise<TokenResult>>();
  constructor(readonly transport: Transport) {}

  /** `GET /v2/` over HTTPS; for insecure-listed hosts, plain HTTP when HTTPS fails. */
  ping(host: string): Promise<Ping> {
    let p = this.pings.get(host);
    if (!p) {
      p = this.doPing(host);
      this.pings.set(host, p);
    }
    return p;
  }

  private async doPing(host: string): Promise<Ping> {
    const secureUrl = new URL(`https://${host}/v2/`);
    try {
      const res = await this.transport.send({ method: 'GET', url: secureUrl });
      return { base: new URL(`https://${host}`), res, challenges: parseChallenges(res.wwwAuthenticate) };
    } catch (err) {
      const e = classifyNodeError(err, secureUrl);
      if (!this.transport.isInsecure(host) || !(e.kind === 'tls' || (e.kind === 'unreachable' && e.code === 'ECONNREFUSED'))) throw e;
      const plain = new URL(`http://${host}/v2/`);
      try {
        const res = await this.transport.send({ method: 'GET', url: plain });
        return {
          base: new URL(`http://${host}`),
          res,
          challenges: parseChallenges(res.wwwAuthenticate),
          note: `over plain HTTP (${host} is listed as an insecure registry; HTTPS failed: ${e.code ?? e.kind})`,
        };
      } catch (err2) {
        const e2 = classifyNodeError(err2, plain);
        throw new NetError(e2.kind, `${e2.message} (over plain HTTP: ${host} is listed as an insecure registry; HTTPS failed: ${e.code ?? e.kind})`, e2.code);
      }
    }
  }

  private token(realm: URL, service: string | undefined, scope: string, cred: Credential | undefined): Promise<TokenResult> {
    const key = [realm.href, service ?? '', scope, credentialKey(cred)].join('\0');
    let p = this.tokens.get(key);
    if (!p) {
      p = this.fetchToken(realm, service, scope, cred);
      this.tokens.set(key, p);
    }
    return p;
  }

  private async fetchToken(realm: URL, service: string | undefined, scope: string, cred: Credential | undefined): Promise<TokenResult> {
    const url = new URL(realm.href);
    if (service !== undefined) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const where = `token service ${realm.protocol}//${realm.host}${realm.pathname}`;
    const who = cred ? `user "${cred.username}"` : 'anonymous';
    let res: RawResponse;
    try {
      res = await this.transport.send({
        method: 'GET',
        url,
        headers: { accept: 'application/json' },
        maxBody: MAX_TOKEN_BODY,
        ...(cred ? { authorization: basicHeader(cred), authHosts: new Set([realm.host.toLowerCase()]) } : {}),
      });
    } catch (err) {
      return { ok: false, result: outcomeFromNetError(classifyNodeError(err, url), where) };
    }
    const errs = parseErrorBody(res.body);
    if (res.status === 200) {
      try {
        const doc = JSON.parse(res.body.toString('utf8')) as { token?: unknown; access_token?: unknown };
        const token = typeof doc.token === 'string' && doc.token ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : '';
        if (token) return { ok: true, token };
      } catch {
        // fall through
      }
      return { ok: false, result: { outcome: 'error', httpStatus: 200, detail: `${where} answered 200 without a token` } };
    }
    if (res.status === 429) return { ok: false, result: rateLimited(res, where) };
    if (res.status === 401) {
      return {
        ok: false,
        result: {
          outcome: 'credentials-rejected',
          httpStatus: 401,
          detail: cred
            ? `${where} rejected the credentials of ${who} (HTTP 401)${describeCodes(errs)}`
            : `${where} refused an anonymous token: the registry requires credentials (HTTP 401)${describeCodes(errs)}`,
        },
      };
    }
    if (res.status === 403) {
      return {
        ok: false,
        result: { outcome: 'access-denied', httpStatus: 403, detail: `${where} denied ${who} a token for ${scope} (HTTP 403)${describeCodes(errs)}` },
      };
    }
    return { ok: false, result: { outcome: 'error', httpStatus: res.status, detail: `${where} answered HTTP ${res.status}${describeCodes(errs)}` } };
  }

  /**
   * One kubelet-style pull check of a manifest with one credential (or anonymously).
   * Returns the outcome; never throws for network or protocol problems.
   */
  async probe(target: ManifestTarget, cred: Credential | undefined): Promise<AttemptResult> {
    const secrets: string[] = [];
    if (cred) secrets.push(cred.password, basicHeader(cred).slice(6), `${cred.username}:${cred.password}`);
    let result: AttemptResult;
    try {
      result = await this.probeInner(target, cred, secrets);
    } catch (err) {
      const e = err instanceof NetError ? err : classifyNodeError(err, new URL(`https://${target.host}`));
      result = outcomeFromNetError(e, target.host);
    }
    // Defence in depth: nothing secret may leave, whatever a server echoed back.
    result.detail = scrub(result.detail, secrets);
    return result;
  }

  private async probeInner(target: ManifestTarget, cred: Credential | undefined, secrets: string[]): Promise<AttemptResult> {
    const { host, path, reference } = target;
    const invalid = invalidTarget(target);
    if (invalid) return { outcome: 'error', detail: `not probed: ${invalid}` };
    const who = cred ? `user "${cred.username}"` : 'anonymous';
    let ping: Ping;
    try {
      ping = await this.ping(host);
    } catch (err) {
      return outcomeFromNetError(classifyNodeError(err, new URL(`https://${host}/v2/`)), `GET /v2/ on ${host}`);
    }
    const via = ping.note ? `; ${ping.note}` : '';
    const pr = ping.res;
    if (pr.status === 429) return rateLimited(pr, `GET /v2/ on ${host}`);
    if (looksLikeHttpToHttps(pr)) {
      return { outcome: 'tls-error', httpStatus: 400, detail: `${host} expects HTTPS but the probe fell back to plain HTTP${via}` };
    }

    let authorization: string | undefined;
    let authKind: 'none' | 'basic' | 'bearer' = 'none';
    let challengeText = '';
    if (pr.status === 401) {
      const bearer = ping.challenges.find((c) => c.scheme === 'bearer');
      const basic = ping.challenges.find((c) => c.scheme === 'basic');
      if (bearer) {
        const realmRaw = bearer.params.realm;
        if (!realmRaw) return { outcome: 'error', httpStatus: 401, detail: `${host} sent a Bearer challenge without a realm${via}` };
        let realm: URL;
        try {
          realm = new URL(realmRaw);
        } catch {
          return { outcome: 'error', httpStatus: 401, detail: `${host} sent a Bearer challenge with an invalid realm${via}` };
        }
        if (!this.transport.allowed(realm)) {
          return {
            outcome: 'error',
            httpStatus: 401,
            detail: `the token realm ${realm.protocol}//${realm.host}${realm.pathname} named by ${host} is not HTTPS; credentials were not sent (list ${realm.host} with --insecure-registry to allow it)`,
          };
        }
        const scope = `repository:${path}:pull`;
        const tok = await this.token(realm, bearer.params.service, scope, cred);
        if (!tok.ok) return { ...tok.result, detail: tok.result.detail + via };
        secrets.push(tok.token);
        authorization = `Bearer ${tok.token}`;
        authKind = 'bearer';
        challengeText = `Bearer realm ${realm.host}${bearer.params.service ? `, service ${bearer.params.service}` : ''}, scope ${scope}`;
      } else if (basic) {
        challengeText = `Basic${basic.params.realm ? ` realm "${oneLine(basic.params.realm, 80)}"` : ''}`;
        if (cred) {
          authorization = basicHeader(cred);
          authKind = 'basic';
        }
      } else {
        const schemes = ping.challenges.map((c) => c.scheme).join(', ') || 'none';
        return { outcome: 'error', httpStatus: 401, detail: `${host} asks for an authentication scheme the probe does not speak (${schemes})${via}` };
      }
    } else if (pr.status !== 200) {
      const errs = parseErrorBody(pr.body);
      if (pr.status === 403) return { outcome: 'access-denied', httpStatus: 403, detail: `GET /v2/ on ${host} answered 403${describeCodes(errs)}${via}` };
      return {
        outcome: 'error',
        httpStatus: pr.status,
        detail: `GET /v2/ on ${host} answered HTTP ${pr.status}; is this a Registry v2 endpoint?${describeCodes(errs)}${via}`,
      };
    }

    const authHosts = new Set([host.toLowerCase()]);
    const repoBase = new URL(`/v2/${path}/`, ping.base);
    const manifestUrl = new URL(`manifests/${reference}`, repoBase);
    const send = (method: 'GET' | 'HEAD', url: URL, maxBody = MAX_SMALL_BODY) =>
      this.transport.send({
        method,
        url,
        headers: { accept: MANIFEST_ACCEPT },
        maxBody,
        ...(authorization ? { authorization, authHosts } : {}),
      });
    const isDigest = reference.includes(':');
    const refText = isDigest ? `manifest ${reference}` : `tag "${reference}"`;
    const what = `${host}/${path} ${refText}`;

    const ctx = { who, authKind, cred, challengeText, via, send, repoBase };
    let res: RawResponse;
    try {
      res = await send('HEAD', manifestUrl);
    } catch (err) {
      return outcomeFromNetError(classifyNodeError(err, manifestUrl), `HEAD ${what}`);
    }
    if (res.status === 429) return rateLimited(res, `HEAD ${what}`);
    if (res.status !== 200) {
      // HEAD carries no error body (and some registries do not support HEAD): ask with GET.
      let full = res;
      try {
        full = await send('GET', manifestUrl, MAX_MANIFEST_BODY);
      } catch {
        // keep the HEAD answer
      }
      if (full.status === 429) return rateLimited(full, `GET ${what}`);
      if (full.status !== 200) return this.classify(full, target, ctx);
      res = full;
    }

    let mediaType = (header(res, 'content-type') ?? '').split(';')[0]!.trim();
    let digest = header(res, 'docker-content-digest');
    let platforms: string[] | undefined;
    const hasBody = res.body.length > 0;
    if (!hasBody && (INDEX_TYPES.has(mediaType) || !digest || !mediaType)) {
      // The index's platforms (or a missing digest/type) need the body.
      let body: RawResponse;
      try {
        body = await send('GET', manifestUrl, MAX_MANIFEST_BODY);
      } catch (err) {
        return outcomeFromNetError(classifyNodeError(err, manifestUrl), `GET ${what}`);
      }
      if (body.status === 429) return rateLimited(body, `GET ${what}`);
      if (body.status !== 200) return this.classify(body, target, ctx);
      res = body;
      mediaType = (header(res, 'content-type') ?? mediaType).split(';')[0]!.trim();
      digest = header(res, 'docker-content-digest') ?? digest;
    }
    if (res.body.length > 0) {
      if (!mediaType) {
        try {
          const m = (JSON.parse(res.body.toString('utf8')) as { mediaType?: unknown }).mediaType;
          if (typeof m === 'string') mediaType = m;
        } catch {
          // keep it empty
        }
      }
      if (!digest && !res.truncated) digest = 'sha256:' + createHash('sha256').update(res.body).digest('hex');
      if (INDEX_TYPES.has(mediaType)) platforms = indexPlatforms(res.body);
    }
    if (isDigest) digest = digest ?? reference;
    const r: AttemptResult = {
      outcome: 'ok',
      httpStatus: 200,
      detail: `${who} can pull ${what}${digest ? ` → ${digest}` : ''}${mediaType ? ` (${mediaType})` : ''}${platforms?.length ? `; platforms ${platforms.join(', ')}` : ''}${via}`,
    };
    if (digest) r.digest = digest;
    if (mediaType) r.mediaType = mediaType;
    if (platforms) r.platforms = platforms;
    return r;
  }

  private async classify(
    res: RawResponse,
    target: ManifestTarget,
    c: {
      who: string;
      authKind: 'none' | 'basic' | 'bearer';
      cred: Credential | undefined;
      challengeText: string;
      via: string;
      send: (method: 'GET' | 'HEAD', url: URL, maxBody?: number) => Promise<RawResponse>;
      repoBase: URL;
    },
  ): Promise<AttemptResult> {
    const { host, path, reference } = target;
    const isDigest = reference.includes(':');
    const refText = isDigest ? `manifest ${reference}` : `tag "${reference}"`;
    const errs = parseErrorBody(res.body);
    const codes = new Set(errs.map((e) => e.code));
    const codeText = describeCodes(errs);
    const status = res.status;
    const base = { httpStatus: status };
    const repo = `${host}/${path}`;

    if (looksLikeHttpToHttps(res)) return { ...base, outcome: 'tls-error', detail: `${host} expects HTTPS but was spoken to in plain HTTP${c.via}` };
    if (codes.has('TOOMANYREQUESTS')) return rateLimited(res, `${repo} ${refText}`);
    if (codes.has('DENIED') || status === 403) {
      return { ...base, outcome: 'access-denied', detail: `${repo}: ${c.who} is not allowed to pull (HTTP ${status})${codeText}${c.via}` };
    }
    if (status === 401) {
      const challenges = parseChallenges(res.wwwAuthenticate);
      const insufficient = challenges.some((ch) => (ch.params.error ?? '').toLowerCase() === 'insufficient_scope');
      if (c.authKind === 'none') {
        return {
          ...base,
          outcome: 'credentials-rejected',
          detail: `${repo}: anonymous pull refused — the registry asks for credentials${c.challengeText ? ` (${c.challengeText})` : ''} (HTTP 401)${codeText}${c.via}`,
        };
      }
      if (insufficient || c.authKind === 'bearer') {
        if (!c.cred) {
          return {
            ...base,
            outcome: 'credentials-rejected',
            detail: `${repo}: anonymous pull refused (HTTP 401, insufficient_scope) — the repository needs credentials, or does not exist (registries do not say which)${codeText}${c.via}`,
          };
        }
        return {
          ...base,
          outcome: 'access-denied',
          detail: `${repo}: ${c.who} authenticated but has no pull access (HTTP 401${insufficient ? ', insufficient_scope' : ''}) — or the repository does not exist (registries do not say which)${codeText}${c.via}`,
        };
      }
      return { ...base, outcome: 'credentials-rejected', detail: `${repo}: the registry rejected the credentials of ${c.who} (HTTP 401)${codeText}${c.via}` };
    }
    if (status === 404 || codes.has('MANIFEST_UNKNOWN') || codes.has('NAME_UNKNOWN')) {
      if (codes.has('NAME_UNKNOWN')) {
        return { ...base, outcome: 'repository-not-found', detail: `repository ${repo} does not exist (HTTP ${status})${codeText}${c.via}` };
      }
      // MANIFEST_UNKNOWN: is the repository there? Registries such as distribution answer
      // MANIFEST_UNKNOWN for a missing repository too; the tags list settles it.
      const tagsUrl = new URL('tags/list?n=1', c.repoBase);
      let tags: RawResponse | undefined;
      try {
        tags = await c.send('GET', tagsUrl);
      } catch {
        tags = undefined;
      }
      const tagCodes = new Set(parseErrorBody(tags?.body).map((e) => e.code));
      if (tags && (tagCodes.has('NAME_UNKNOWN') || (tags.status === 404 && !codes.has('MANIFEST_UNKNOWN')))) {
        return { ...base, outcome: 'repository-not-found', detail: `repository ${repo} does not exist (manifest HTTP ${status}${codeText}; tags list: ${[...tagCodes].join(', ') || `HTTP ${tags.status}`})${c.via}` };
      }
      if (tags?.status === 200) {
        return { ...base, outcome: 'tag-not-found', detail: `${refText} not found in ${repo}; the repository exists and ${c.who} can read it (HTTP ${status})${codeText}${c.via}` };
      }
      if (codes.has('MANIFEST_UNKNOWN')) {
        return {
          ...base,
          outcome: 'tag-not-found',
          detail: `${refText} not found in ${repo} (HTTP ${status})${codeText}; whether the repository exists could not be confirmed${tags ? ` (tags list: HTTP ${tags.status})` : ''}${c.via}`,
        };
      }
      return { ...base, outcome: 'error', detail: `${repo} ${refText}: HTTP ${status} without a registry error code${c.via}` };
    }
    return { ...base, outcome: 'error', detail: `${repo} ${refText}: HTTP ${status}${codeText}${c.via}` };
  }
}
