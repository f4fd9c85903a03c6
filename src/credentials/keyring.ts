/**
 * The kubelet's pod-secret keyring: lookup order with the Docker Hub fallback
 * (`BasicDockerKeyring.Lookup`, §8), over keys normalised and matched as in ./keys.ts (§4, §7).
 * Source: kubernetes `pkg/credentialprovider/keyring.go`.
 */
import { isDefaultRegistryMatch } from '../image/reference.js';
import type { CredentialView, PodSecretCredentialView } from '../model/finding.js';
import { goCompareStrings } from '../go/strings.js';
import { urlsMatch } from './keys.js';
import type { ParsedPullSecret } from './pull-secret.js';
import type { SealedCredential } from '../model/sealed.js';

/** keyring.go isDefaultRegistryMatch (§8.3): one implementation, in the image module. */
export { isDefaultRegistryMatch };

// ───────────────────────────── §8 keyring ─────────────────────────────

export const DOCKER_HUB_FALLBACK_KEY = 'index.docker.io';

/** What reports may show of a credential (CredentialView), plus its namespace and the sealed secret part. */
export interface KeyringCredential extends CredentialView {
  namespace: string;
  credential: SealedCredential;
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
  static fromSecrets(secrets: readonly ParsedPullSecret[]): Keyring {
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

export function toCredentialView(c: KeyringCredential): PodSecretCredentialView {
  return {
    source: 'pod-secret',
    secret: c.secret,
    registryKey: c.registryKey,
    normalizedKey: c.normalizedKey,
    username: c.username,
    hasPassword: c.hasPassword,
    fingerprint: c.fingerprint,
    viaDockerHubFallback: c.viaDockerHubFallback,
  };
}
