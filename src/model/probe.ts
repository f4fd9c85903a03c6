/**
 * What the registry probe (src/probe) is asked to check for one container: the image, from its
 * parsed reference, and the credentials the kubelet would send, in the kubelet's order. The
 * engine selects these (src/engine) and the probe answers them; both use this one type.
 */
import type { SealedCredential } from './sealed.js';

/** One credential to try, as the keyring returns it (a KeyringCredential is one). */
export interface ProbeCredential {
  secret: string;
  registryKey: string;
  username: string;
  credential: SealedCredential;
}

export interface ProbeTarget {
  /** The caller's key, e.g. `cluster/ns/pod/container`. */
  key: string;
  /** From the parsed image reference. */
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
  /** In the kubelet's order; empty → one anonymous attempt. */
  credentials: ProbeCredential[];
}
