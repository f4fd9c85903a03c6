/**
 * The kubelet's pod-secret keyring: key normalisation (`BasicDockerKeyring.Add`, §4),
 * matching (`URLsMatchStr`/`URLsMatch`, §7) and lookup order with the Docker Hub fallback
 * (`BasicDockerKeyring.Lookup`, §8). Source: kubernetes `pkg/credentialprovider/keyring.go`.
 * The Go standard-library behaviour it relies on (net/url.Parse, net.SplitHostPort,
 * path/filepath.Match, strconv.Quote) is emulated in ./go/.
 */
import { isDefaultRegistryMatch } from '../image/reference.js';
import type { CredentialView } from '../model/finding.js';
import type { ParsedPullSecret } from './dockerconfig.js';
import { goFilepathMatch } from '../go/filepath.js';
import { goQuote } from '../go/quote.js';
import { goCompareStrings } from '../go/strings.js';
import { goParseURL, splitHostPort } from '../go/url.js';
import type { Sealed } from './vault.js';

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

/** A schemeless key or image name split the way URLsMatchStr splits it. */
export interface SchemelessURL {
  /** Host without port (brackets of an IPv6 literal removed). */
  host: string;
  /** Port as written, '' when none. */
  port: string;
  /** Decoded path. */
  path: string;
}

/** URLsMatchStr's parseSchemelessURL: url.Parse("https://" + s), then net.SplitHostPort on the host (§7); null when url.Parse fails. */
export function parseSchemeless(s: string): SchemelessURL | null {
  const parsed = goParseURL('https://' + s);
  if (!parsed.ok) return null;
  const hp = splitHostPort(parsed.url.host);
  return { host: hp ? hp.host : parsed.url.host, port: hp ? hp.port : '', path: parsed.url.path };
}

/** `URLsMatchStr(glob, target)` (§7): ports equal, label counts equal, raw path prefix, filepath.Match per label. */
export function urlsMatch(normalizedGlob: string, repoToPull: string): boolean {
  try {
    const glob = parseSchemeless(normalizedGlob);
    const target = parseSchemeless(repoToPull);
    if (glob === null || target === null) return false;
    if (glob.port !== target.port) return false;
    const globLabels = glob.host.split('.');
    const targetLabels = target.host.split('.');
    if (globLabels.length !== targetLabels.length) return false;
    if (!target.path.startsWith(glob.path)) return false;
    for (let k = 0; k < globLabels.length; k++) {
      const m = goFilepathMatch(globLabels[k]!, targetLabels[k]!);
      if (!m.matched) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** keyring.go isDefaultRegistryMatch (§8.3): one implementation, in the image module. */
export { isDefaultRegistryMatch };

// ───────────────────────────── §8 keyring ─────────────────────────────

export const DOCKER_HUB_FALLBACK_KEY = 'index.docker.io';

/** What reports may show of a credential (CredentialView), plus its namespace and the sealed secret part. */
export interface KeyringCredential extends CredentialView {
  namespace: string;
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
    const index = [...creds.keys()].sort((a, b) => goCompareStrings(b, a));
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
