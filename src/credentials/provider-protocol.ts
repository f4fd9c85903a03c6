/**
 * The credential provider exec protocol (KEP-2133, `credentialprovider.kubelet.k8s.io`): the
 * `CredentialProviderRequest` the kubelet writes to the plugin's stdin and the way it reads the
 * `CredentialProviderResponse` from stdout (kubernetes `pkg/credentialprovider/plugin/plugin.go`
 * ExecPlugin, decodeResponse, provide; k8s.io/kubelet `pkg/apis/credentialprovider/v1/types.go`):
 *
 * 1. the apiVersion is read first (`error reading GVK from response: …`) and must equal the
 *    provider's (`apiVersion from credential plugin response did not match expected apiVersion:<a>, actual apiVersion:<b>`);
 * 2. the body is decoded strictly — unknown or duplicate fields, wrong types or a wrong kind fail
 *    it, and the kubelet logs only `error decoding credential provider plugin response from stdout`
 *    (it never logs the body, which holds credentials);
 * 3. `cacheKeyType` must be `Image`, `Registry` or `Global`, else the response is dropped with
 *    `credential provider plugin did not return a valid cacheKeyType: "<v>"`.
 *
 * Passwords are sealed the moment they are read (./vault.ts); nothing here returns one.
 */
import { goParseDuration } from '../go/duration.js';
import { readJsonValue, type JNode } from '../go/json-decode.js';
import { goJsonCheckValid } from '../go/json-scanner.js';
import { goQuote } from '../go/quote.js';
import type { SealedCredential } from '../model/sealed.js';
import { normalizeKey } from './keys.js';
import { fingerprint, seal } from './vault.js';

export const CACHE_KEY_TYPES = ['Image', 'Registry', 'Global'] as const;
export type CacheKeyType = (typeof CACHE_KEY_TYPES)[number];

/** The request body as the kubelet's JSON encoder writes it (TypeMeta first, then image; a trailing newline). */
export function encodeProviderRequest(apiVersion: string, image: string): string {
  return JSON.stringify({ kind: 'CredentialProviderRequest', apiVersion, image }) + '\n';
}

export interface ProviderAuthEntry {
  /** The key as the plugin returned it (matchImages syntax). */
  key: string;
  /** After keyring normalisation (KS §4); null when Go url.Parse rejects it (the entry is skipped). */
  normalizedKey: string | null;
  username: string;
  hasPassword: boolean;
  fingerprint: string;
  credential: SealedCredential;
}

export interface ProviderResponse {
  cacheKeyType: CacheKeyType;
  /** As returned; undefined means the provider's defaultCacheDuration applies. */
  cacheDuration?: string;
  cacheDurationNs?: number;
  auth: ProviderAuthEntry[];
}

export type DecodedResponse =
  | { ok: true; response: ProviderResponse }
  | {
      ok: false;
      /** What the kubelet logs (after `Failed getting credential from external registry credential provider: `), or its cacheKeyType line. */
      kubeletError: string;
      /** The cause the kubelet does not log (field names and kinds only, never a value), when it hides one. */
      cause?: string;
      stage: 'gvk' | 'api-version' | 'decode' | 'cache-key-type';
    };

const TOP_FIELDS = ['kind', 'apiVersion', 'cacheKeyType', 'cacheDuration', 'auth'];

function members(n: JNode): [string, JNode][] {
  return n.k === 'object' ? n.members : [];
}

/** Strict decoding of the body (after the apiVersion matched). Returns the cause of a failure, or the fields. */
function strictDecode(root: JNode): { error: string } | { cacheKeyType: string; cacheDuration?: string; auth: [string, JNode][] } {
  const problems: string[] = [];
  const seen = new Set<string>();
  let kind = '';
  let cacheKeyType = '';
  let cacheDuration: string | undefined;
  let auth: [string, JNode][] = [];
  for (const [k, v] of members(root)) {
    if (seen.has(k)) problems.push(`duplicate field ${goQuote(k)}`);
    seen.add(k);
    if (!TOP_FIELDS.includes(k)) {
      problems.push(`unknown field ${goQuote(k)}`);
      continue;
    }
    if (k === 'kind') kind = v.k === 'string' ? v.v : '';
    else if (k === 'cacheKeyType') {
      if (v.k === 'string') cacheKeyType = v.v;
      else if (v.k !== 'null') return { error: `cacheKeyType is a JSON ${v.k}, not a string` };
    } else if (k === 'cacheDuration') {
      if (v.k === 'string') {
        const d = goParseDuration(v.v);
        if (!d.ok) return { error: `cacheDuration: ${d.error}` };
        cacheDuration = v.v;
      } else if (v.k !== 'null') return { error: `cacheDuration is a JSON ${v.k}, not a duration string` };
    } else if (k === 'auth') {
      if (v.k !== 'object' && v.k !== 'null') return { error: `auth is a JSON ${v.k}, not an object` };
      auth = members(v);
    }
  }
  if (kind !== 'CredentialProviderResponse') return { error: `kind is ${goQuote(kind)}, not "CredentialProviderResponse"` };
  const keys = new Set<string>();
  for (const [key, entry] of auth) {
    if (keys.has(key)) problems.push(`duplicate field ${goQuote(`auth.${key}`)}`);
    keys.add(key);
    if (entry.k !== 'object' && entry.k !== 'null') return { error: `auth[${goQuote(key)}] is a JSON ${entry.k}, not an object` };
    const fields = new Set<string>();
    for (const [f, fv] of members(entry)) {
      if (fields.has(f)) problems.push(`duplicate field ${goQuote(`auth.${key}.${f}`)}`);
      fields.add(f);
      if (f !== 'username' && f !== 'password') problems.push(`unknown field ${goQuote(`auth.${key}.${f}`)}`);
      else if (fv.k !== 'string' && fv.k !== 'null') return { error: `auth[${goQuote(key)}].${f} is a JSON ${fv.k}, not a string` };
    }
  }
  if (problems.length) return { error: `strict decoding error: ${problems.join(', ')}` };
  return { cacheKeyType, ...(cacheDuration !== undefined ? { cacheDuration } : {}), auth };
}

function apiVersionOf(root: JNode): string {
  // encoding/json into struct{APIVersion; Kind}: case-insensitive field names, last one wins.
  let v = '';
  for (const [k, x] of members(root)) if (k.toLowerCase() === 'apiversion' && x.k === 'string') v = x.v;
  return v;
}

/**
 * Decode a plugin's stdout as the kubelet does. `stdout` is read, never kept: the caller should
 * clear its buffer afterwards.
 */
export function decodeProviderResponse(stdout: Uint8Array, expectedApiVersion: string): DecodedResponse {
  const syntax = goJsonCheckValid(stdout);
  if (syntax !== null) {
    return { ok: false, stage: 'gvk', kubeletError: `error reading GVK from response: couldn't get version/kind; json parse error: ${syntax}` };
  }
  const root = readJsonValue(stdout);
  if (root.k !== 'object') {
    return {
      ok: false,
      stage: 'gvk',
      kubeletError: `error reading GVK from response: couldn't get version/kind; json parse error: json: cannot unmarshal ${root.k} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    };
  }
  const actual = apiVersionOf(root);
  if (actual.split('/').length > 2) {
    return { ok: false, stage: 'gvk', kubeletError: `error reading GVK from response: unexpected GroupVersion string: ${actual}` };
  }
  if (actual !== expectedApiVersion) {
    return {
      ok: false,
      stage: 'api-version',
      kubeletError: `apiVersion from credential plugin response did not match expected apiVersion:${expectedApiVersion}, actual apiVersion:${actual}`,
    };
  }
  const decoded = strictDecode(root);
  if ('error' in decoded) {
    return { ok: false, stage: 'decode', kubeletError: 'error decoding credential provider plugin response from stdout', cause: decoded.error };
  }
  if (!(CACHE_KEY_TYPES as readonly string[]).includes(decoded.cacheKeyType)) {
    return { ok: false, stage: 'cache-key-type', kubeletError: `credential provider plugin did not return a valid cacheKeyType: ${goQuote(decoded.cacheKeyType)}` };
  }
  const auth: ProviderAuthEntry[] = decoded.auth.map(([key, entry]) => {
    let username = '';
    let password = '';
    for (const [f, v] of members(entry)) {
      if (v.k !== 'string') continue;
      if (f === 'username') username = v.v;
      else if (f === 'password') password = v.v;
    }
    const norm = normalizeKey(key);
    const out: ProviderAuthEntry = {
      key,
      normalizedKey: norm.key,
      username,
      hasPassword: password !== '',
      fingerprint: fingerprint(password),
      credential: seal({ username, password }),
    };
    password = '';
    return out;
  });
  const response: ProviderResponse = { cacheKeyType: decoded.cacheKeyType as CacheKeyType, auth };
  if (decoded.cacheDuration !== undefined) {
    response.cacheDuration = decoded.cacheDuration;
    const d = goParseDuration(decoded.cacheDuration);
    if (d.ok) response.cacheDurationNs = d.ns;
  }
  return { ok: true, response };
}
