/**
 * The two node-side keyrings the kubelet unions after the pod's secrets (KS §8.5):
 * - the node docker config keyring (`.dockercfg` provider: one file, the first valid one in the
 *   search order, node-credentials.md §3), with its own Docker Hub fallback;
 * - the credential provider plugins' keyring: every matching plugin's `auth` map added to one
 *   BasicDockerKeyring in config order, then looked up with the image again (§2.2).
 * Both are the pod-secret Keyring (./keyring.ts) fed with other sources.
 */
import { Keyring } from './keyring.js';
import type { ParsedEntry, ParsedPullSecret } from './pull-secret.js';
import type { ProviderAuthEntry } from './provider-protocol.js';

function source(name: string, format: ParsedPullSecret['format'], entries: ParsedEntry[]): ParsedPullSecret {
  return { name, namespace: '', type: 'node', dataKeys: [], format, entries, missingAuthsWrapper: false, topLevelKeys: [] };
}

/** The keyring of the node docker config file that won the search (`file` names its credentials). */
export function nodeConfigKeyring(file: string, entries: ParsedEntry[]): Keyring {
  return Keyring.fromSecrets([source(file, 'dockerconfigjson', entries)]);
}

/** One keyring of every provider's returned auth, providers in config order (`secret` = provider name). */
export function providerKeyring(responses: { provider: string; auth: ProviderAuthEntry[] }[]): Keyring {
  return Keyring.fromSecrets(
    responses.map((r) =>
      source(
        r.provider,
        'dockerconfigjson',
        r.auth.map(
          (a): ParsedEntry => ({
            registryKey: a.key,
            normalizedKey: a.normalizedKey,
            username: a.username,
            hasPassword: a.hasPassword,
            authPresent: false,
            authOverrodeExplicit: false,
            ignoredFields: [],
            usable: a.username !== '' || a.hasPassword,
            fingerprint: a.fingerprint,
            credential: a.credential,
          }),
        ),
      ),
    ),
  );
}
