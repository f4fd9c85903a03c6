/**
 * What a registry's answer means: HTTP status, distribution error codes
 * (`{"errors":[{"code":"MANIFEST_UNKNOWN",…}]}`), challenges and rate-limit headers turned into
 * a ProbeOutcome and a one-line detail. Details are built from metadata (hosts, statuses, codes,
 * the registry's own messages folded to one line) and name a credential by its username only.
 */
import type { ProbeAttempt, ProbeOutcome } from '../model/finding.js';
import { oneLine } from '../util/text.js';
import { parseChallenges } from './challenge.js';
import type { ManifestFacts } from './manifest.js';
import type { NetError } from './net-error.js';
import { referenceText, type ManifestTarget } from './target.js';
import { header, type RawResponse } from './transport.js';

/** The result of one probe (the caller adds which credential it was). */
export type AttemptResult = Omit<ProbeAttempt, 'credential' | 'registryKey' | 'username'>;

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

/** ` (MANIFEST_UNKNOWN: manifest unknown; …)`, or nothing without codes. */
const describeCodes = (errs: RegistryError[]) =>
  errs.length
    ? ' (' + errs.map((e) => (e.message ? `${e.code}: ${oneLine(e.message, 200)}` : e.code)).join('; ') + ')'
    : '';

// ───────────────────────────── any request ─────────────────────────────

export function outcomeFromNetError(e: NetError, what: string): AttemptResult {
  const outcome: ProbeOutcome =
    e.kind === 'tls' ? 'tls-error' : e.kind === 'unreachable' || e.kind === 'timeout' ? 'unreachable' : 'error';
  return { outcome, detail: `${what}: ${e.message}` };
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

export function rateLimited(res: RawResponse, what: string): AttemptResult {
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

/** Go's net/http answer when plain HTTP reaches its TLS port. */
function looksLikeHttpToHttps(res: RawResponse): boolean {
  return res.status === 400 && /HTTP request to an HTTPS server/i.test(res.body.toString('utf8'));
}

// ───────────────────────────── GET /v2/ ─────────────────────────────

/**
 * The outcome a ping answer decides on its own; undefined for 200 (no authentication) and 401
 * (a challenge to answer). `via` says how the registry was reached (e.g. over plain HTTP).
 */
export function pingOutcome(res: RawResponse, host: string, via: string): AttemptResult | undefined {
  if (res.status === 429) return rateLimited(res, `GET /v2/ on ${host}`);
  if (looksLikeHttpToHttps(res)) {
    return { outcome: 'tls-error', httpStatus: 400, detail: `${host} expects HTTPS but the probe fell back to plain HTTP${via}` };
  }
  if (res.status === 200 || res.status === 401) return undefined;
  const errs = parseErrorBody(res.body);
  if (res.status === 403) return { outcome: 'access-denied', httpStatus: 403, detail: `GET /v2/ on ${host} answered 403${describeCodes(errs)}${via}` };
  return {
    outcome: 'error',
    httpStatus: res.status,
    detail: `GET /v2/ on ${host} answered HTTP ${res.status}; is this a Registry v2 endpoint?${describeCodes(errs)}${via}`,
  };
}

// ───────────────────────────── the token service ─────────────────────────────

/** A token service answer that carries no token. */
export function tokenRefusal(res: RawResponse, c: { where: string; who: string; scope: string; anonymous: boolean }): AttemptResult {
  const { where, who, scope } = c;
  const errs = parseErrorBody(res.body);
  if (res.status === 200) return { outcome: 'error', httpStatus: 200, detail: `${where} answered 200 without a token` };
  if (res.status === 429) return rateLimited(res, where);
  if (res.status === 401) {
    return {
      outcome: 'credentials-rejected',
      httpStatus: 401,
      detail: c.anonymous
        ? `${where} refused an anonymous token: the registry requires credentials (HTTP 401)${describeCodes(errs)}`
        : `${where} rejected the credentials of ${who} (HTTP 401)${describeCodes(errs)}`,
    };
  }
  if (res.status === 403) {
    return { outcome: 'access-denied', httpStatus: 403, detail: `${where} denied ${who} a token for ${scope} (HTTP 403)${describeCodes(errs)}` };
  }
  return { outcome: 'error', httpStatus: res.status, detail: `${where} answered HTTP ${res.status}${describeCodes(errs)}` };
}

// ───────────────────────────── the manifest ─────────────────────────────

/** Who asked for a manifest, and how. */
export interface ManifestAsker {
  target: ManifestTarget;
  /** `user "alice"` or `anonymous`. */
  who: string;
  /** True when no credential was sent or offered. */
  anonymous: boolean;
  /** How the request authenticated: `none` also when a Basic challenge found no credential. */
  authKind: 'none' | 'basic' | 'bearer';
  /** The challenge answered, e.g. `Basic realm "x"`; empty without one. */
  challengeText: string;
  via: string;
}

/** `registry/repo tag "1.0"`. */
export const manifestText = (t: ManifestTarget): string => `${t.host}/${t.path} ${referenceText(t.reference)}`;

/** A manifest the asker can pull. */
export function pulled(a: ManifestAsker, f: ManifestFacts): AttemptResult {
  const { digest, mediaType, platforms } = f;
  const r: AttemptResult = {
    outcome: 'ok',
    httpStatus: 200,
    detail: `${a.who} can pull ${manifestText(a.target)}${digest ? ` → ${digest}` : ''}${mediaType ? ` (${mediaType})` : ''}${platforms?.length ? `; platforms ${platforms.join(', ')}` : ''}${a.via}`,
  };
  if (digest) r.digest = digest;
  if (mediaType) r.mediaType = mediaType;
  if (platforms) r.platforms = platforms;
  return r;
}

/**
 * A manifest request that did not succeed. A MANIFEST_UNKNOWN (or a bare 404) does not say
 * whether the tag or the repository is missing: `tagsList` asks the registry's tags list, and
 * answers undefined when that request failed.
 */
export async function manifestFailure(res: RawResponse, a: ManifestAsker, tagsList: () => Promise<RawResponse | undefined>): Promise<AttemptResult> {
  const { host, path, reference } = a.target;
  const refText = referenceText(reference);
  const errs = parseErrorBody(res.body);
  const codes = new Set(errs.map((e) => e.code));
  const codeText = describeCodes(errs);
  const status = res.status;
  const base = { httpStatus: status };
  const repo = `${host}/${path}`;

  if (looksLikeHttpToHttps(res)) return { ...base, outcome: 'tls-error', detail: `${host} expects HTTPS but was spoken to in plain HTTP${a.via}` };
  if (codes.has('TOOMANYREQUESTS')) return rateLimited(res, `${repo} ${refText}`);
  if (codes.has('DENIED') || status === 403) {
    return { ...base, outcome: 'access-denied', detail: `${repo}: ${a.who} is not allowed to pull (HTTP ${status})${codeText}${a.via}` };
  }
  if (status === 401) {
    const challenges = parseChallenges(res.wwwAuthenticate);
    const insufficient = challenges.some((ch) => (ch.params.error ?? '').toLowerCase() === 'insufficient_scope');
    if (a.authKind === 'none') {
      return {
        ...base,
        outcome: 'credentials-rejected',
        detail: `${repo}: anonymous pull refused — the registry asks for credentials${a.challengeText ? ` (${a.challengeText})` : ''} (HTTP 401)${codeText}${a.via}`,
      };
    }
    if (insufficient || a.authKind === 'bearer') {
      if (a.anonymous) {
        return {
          ...base,
          outcome: 'credentials-rejected',
          detail: `${repo}: anonymous pull refused (HTTP 401, insufficient_scope) — the repository needs credentials, or does not exist (registries do not say which)${codeText}${a.via}`,
        };
      }
      return {
        ...base,
        outcome: 'access-denied',
        detail: `${repo}: ${a.who} authenticated but has no pull access (HTTP 401${insufficient ? ', insufficient_scope' : ''}) — or the repository does not exist (registries do not say which)${codeText}${a.via}`,
      };
    }
    return { ...base, outcome: 'credentials-rejected', detail: `${repo}: the registry rejected the credentials of ${a.who} (HTTP 401)${codeText}${a.via}` };
  }
  if (status === 404 || codes.has('MANIFEST_UNKNOWN') || codes.has('NAME_UNKNOWN')) {
    if (codes.has('NAME_UNKNOWN')) {
      return { ...base, outcome: 'repository-not-found', detail: `repository ${repo} does not exist (HTTP ${status})${codeText}${a.via}` };
    }
    // MANIFEST_UNKNOWN: is the repository there? Registries such as distribution answer
    // MANIFEST_UNKNOWN for a missing repository too; the tags list settles it.
    const tags = await tagsList();
    const tagCodes = new Set(parseErrorBody(tags?.body).map((e) => e.code));
    if (tags && (tagCodes.has('NAME_UNKNOWN') || (tags.status === 404 && !codes.has('MANIFEST_UNKNOWN')))) {
      return { ...base, outcome: 'repository-not-found', detail: `repository ${repo} does not exist (manifest HTTP ${status}${codeText}; tags list: ${[...tagCodes].join(', ') || `HTTP ${tags.status}`})${a.via}` };
    }
    if (tags?.status === 200) {
      return { ...base, outcome: 'tag-not-found', detail: `${refText} not found in ${repo}; the repository exists and ${a.who} can read it (HTTP ${status})${codeText}${a.via}` };
    }
    if (codes.has('MANIFEST_UNKNOWN')) {
      return {
        ...base,
        outcome: 'tag-not-found',
        detail: `${refText} not found in ${repo} (HTTP ${status})${codeText}; whether the repository exists could not be confirmed${tags ? ` (tags list: HTTP ${tags.status})` : ''}${a.via}`,
      };
    }
    return { ...base, outcome: 'error', detail: `${repo} ${refText}: HTTP ${status} without a registry error code${a.via}` };
  }
  return { ...base, outcome: 'error', detail: `${repo} ${refText}: HTTP ${status}${codeText}${a.via}` };
}
