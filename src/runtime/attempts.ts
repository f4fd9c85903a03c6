/**
 * What a runtime's words say about one pull attempt's credential. The kubelet tries each
 * credential that matches the image, in order, and reports every failure as one aggregate
 * `[m1, m2, …]` (kubelet-semantics.md §9.1); an entry with an empty username and password still
 * counts as an attempt, made without a credential. So an aggregate can mix credentialed and
 * anonymous attempts (ACR on AKS: the kubelet identity's token, then the empty `*.azurecr.*`
 * entry; node-credentials.md §4.3.3, Azure/AKS#4593), and only some wordings say which is which.
 */
import type { AttemptCredentials } from './causes.js';

/**
 * containerd (core/remotes/docker/authorizer.go, `doBearerAuth`): the token fetch is wrapped as
 * `failed to fetch oauth token` only when a secret is set, and as `failed to fetch anonymous
 * token` otherwise. Docker's `no basic auth credentials`: its credential store had nothing to send.
 * Examples: the table's auth-rejected/token-refused, access-denied/anonymous-token-refused and
 * access-denied/no-credentials entries (src/runtime/wordings-access.ts).
 */
const CREDENTIAL_WORDINGS: ReadonlyArray<readonly [Exclude<AttemptCredentials, 'unknown'>, RegExp]> = [
  ['sent', /failed to fetch oauth token/i],
  ['none', /failed to fetch anonymous token|no basic auth credentials/i],
];

/** Whether the attempt that printed `text` carried a credential. */
export function attemptCredentials(text: string): AttemptCredentials {
  return CREDENTIAL_WORDINGS.find(([, re]) => re.test(text))?.[0] ?? 'unknown';
}
