/** The rule registry, sorted by id. Ids are public API. */
import dockerHubCredentialsShadowed from './docker-hub-credentials-shadowed.js';
import imageNeverPullAbsent from './image-never-pull-absent.js';
import imageNotFound from './image-not-found.js';
import imagePlatformMismatch from './image-platform-mismatch.js';
import imagePullFailedUnexplained from './image-pull-failed-unexplained.js';
import imagePullNodeError from './image-pull-node-error.js';
import imagePullPolicyMutableTag from './image-pull-policy-mutable-tag.js';
import imageReferenceInvalid from './image-reference-invalid.js';
import imageShortNameUnresolved from './image-short-name-unresolved.js';
import imageSignatureRejected from './image-signature-rejected.js';
import nodeIdentityDenied from './node-identity-denied.js';
import nodeProviderNotCovering from './node-provider-not-covering.js';
import imageTagMutable from './image-tag-mutable.js';
import pullSecretMalformed from './pull-secret-malformed.js';
import pullSecretMisplaced from './pull-secret-misplaced.js';
import pullSecretNoAuths from './pull-secret-no-auths.js';
import pullSecretNoCredentials from './pull-secret-no-credentials.js';
import pullSecretNotFound from './pull-secret-not-found.js';
import pullSecretNotReferenced from './pull-secret-not-referenced.js';
import pullSecretWrongNamespace from './pull-secret-wrong-namespace.js';
import pullSecretWrongType from './pull-secret-wrong-type.js';
import registryAccessDenied from './registry-access-denied.js';
import registryAuthRejected from './registry-auth-rejected.js';
import registryCredentialsMismatch from './registry-credentials-mismatch.js';
import registryRateLimited from './registry-rate-limited.js';
import registryTlsError from './registry-tls-error.js';
import registryUnreachable from './registry-unreachable.js';
import serviceAccountPullSecretNotFound from './service-account-pull-secret-not-found.js';
import serviceAccountPullSecretsNotApplied from './service-account-pull-secrets-not-applied.js';
import shortLivedRegistryToken from './short-lived-registry-token.js';
import type { NodeRule } from '../src/engine/node-rule.js';
import type { Rule } from '../src/engine/rule.js';
import { NODE_RULES } from './node-rules.js';

export { NODE_RULES };

export const RULES: readonly Rule[] = [
  dockerHubCredentialsShadowed,
  imageNeverPullAbsent,
  imageNotFound,
  imagePlatformMismatch,
  imagePullFailedUnexplained,
  imagePullNodeError,
  imageReferenceInvalid,
  imageShortNameUnresolved,
  imageSignatureRejected,
  nodeIdentityDenied,
  nodeProviderNotCovering,
  pullSecretMalformed,
  pullSecretMisplaced,
  pullSecretNoAuths,
  pullSecretNoCredentials,
  pullSecretNotFound,
  pullSecretNotReferenced,
  pullSecretWrongNamespace,
  pullSecretWrongType,
  registryAccessDenied,
  registryAuthRejected,
  registryCredentialsMismatch,
  registryRateLimited,
  registryTlsError,
  registryUnreachable,
  serviceAccountPullSecretNotFound,
  serviceAccountPullSecretsNotApplied,
  shortLivedRegistryToken,
  // Ids are ASCII kebab-case: code-unit order is their order, and it spares every start the
  // ICU collator that the first `localeCompare` on such strings sets up (~10 ms).
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));

/**
 * Rules only `pulldoctor check` runs: about what a manifest asks for, not a failing pull (the
 * catalogue rules a check also runs are in check-rules.ts).
 */
export const MANIFEST_RULES: readonly Rule[] = [imagePullPolicyMutableTag, imageTagMutable];

/** A rule of the cluster scan, of `pulldoctor check` or of `pulldoctor node` (one id namespace). */
export function findRule(id: string): Rule | NodeRule | undefined {
  return RULES.find((r) => r.meta.id === id) ?? MANIFEST_RULES.find((r) => r.meta.id === id) ?? NODE_RULES.find((r) => r.meta.id === id);
}
