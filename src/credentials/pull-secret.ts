/**
 * A pull secret as the kubelet reads it (kubelet-semantics.md §3), the result of
 * `parsePullSecret` (./dockerconfig.ts) and the input of the keyring (./keyring.ts).
 * Credentials stay sealed; the rest is safe to show.
 */
import type { SealedCredential } from '../model/sealed.js';

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
  credential: SealedCredential;
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
