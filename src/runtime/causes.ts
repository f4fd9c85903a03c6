/**
 * What a container runtime's image-pull error can mean: the cause, and within a cause the
 * sub-kind a rule needs to give the right fix. The wordings that identify each are in
 * src/runtime/wordings.ts.
 */

export type Runtime = 'containerd' | 'cri-o' | 'docker';

export type Cause =
  | 'auth-rejected' // credentials were sent and refused: 401, bad username/password, oauth-token 401
  | 'access-denied' // refused without a usable credential, or not permitted: 403, denied, insufficient_scope
  | 'not-found' // manifest unknown, name unknown, containerd `<ref>: not found`
  | 'rate-limited' // 429 / toomanyrequests
  | 'tls' // certificate problems, or an HTTP registry addressed as HTTPS
  | 'unreachable' // DNS, TCP, timeouts, proxies, registry 5xx
  | 'platform' // no manifest for the node's OS/architecture
  | 'signature' // signature policy rejected the image (CRI-O SignatureValidationFailed)
  | 'short-name' // CRI-O / containers-image could not resolve an unqualified image name (no search registry, or an ambiguous one)
  | 'node-error' // the registry answered; the node failed (disk full, layer extraction, a broken download)
  | 'unknown';

/** The sub-kinds of each cause. */
export interface SubKinds {
  'auth-rejected':
    | 'token-refused' // containerd: the token server refused the credential (`failed to fetch oauth token: … 401`)
    | 'unauthorized'; // a 401 or its wordings (`unauthorized: authentication required`, bad username/password)
  'access-denied':
    | 'anonymous-token-refused' // containerd asked the token server without a credential and was refused
    | 'token-not-granted' // containerd: the credential was accepted but not granted pull (`failed to fetch oauth token: … 403`)
    | 'no-credentials' // Docker: `no basic auth credentials`, nothing was sent
    | 'private-or-missing' // `may require 'docker login'`, insufficient_scope: private and missing look the same
    | 'permission-wording' // a 401 worded as a permission problem (Quay, GCR)
    | 'denied'; // 403, `denied: …`, IAM `not authorized to perform`
  'not-found':
    | 'repository' // NAME_UNKNOWN
    | 'manifest' // MANIFEST_UNKNOWN, a missing tag or digest
    | 'ambiguous'; // containerd `<ref>: not found`: tag or repository
  'rate-limited': 'rate-limit';
  tls:
    | 'http-to-https' // an HTTP-only registry addressed over HTTPS
    | 'expired' // certificate expired (or the node clock is wrong)
    | 'wrong-name' // the certificate does not name the host (SAN mismatch, legacy CN only)
    | 'unknown-authority' // signed by a CA the node does not trust
    | 'other'; // any other handshake failure
  unreachable:
    | 'dns' // the host name does not resolve
    | 'proxy' // the runtime's HTTP proxy could not be reached
    | 'refused' // TCP connection refused
    | 'timeout' // connect or request timeout
    | 'network' // any other network failure: reset, no route, network unreachable
    | 'server-error' // the registry answered 5xx
    | 'unavailable'; // the kubelet's RegistryUnavailable with no more detail
  platform:
    | 'no-matching-manifest' // the index has no manifest for the node's OS/architecture
    | 'os-mismatch'; // Docker: the image's OS cannot run on the node (`image operating system "linux" cannot be used on this platform`)
  signature: 'rejected';
  'short-name':
    | 'no-search-registries' // no alias and no unqualified-search registries
    | 'ambiguous'; // short-name-mode enforcing with several search registries
  'node-error':
    | 'disk-full' // no space left on device, disk quota exceeded
    | 'io-error' // the node's storage failed: input/output error, read-only file system
    | 'transfer' // a layer arrived short or different: commit size/digest mismatch, unexpected EOF while storing a blob
    | 'extract'; // unpacking a downloaded layer failed
  unknown: never;
}

export type SubKind = SubKinds[Cause];

/** Whether one pull attempt carried a credential, as far as the runtime's words say. */
export type AttemptCredentials = 'sent' | 'none' | 'unknown';
