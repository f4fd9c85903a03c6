/** The rule registry, sorted by id. Ids are public API. */
import dockerHubCredentialsShadowed from './docker-hub-credentials-shadowed.js';
import imageNeverPullAbsent from './image-never-pull-absent.js';
import imageNotFound from './image-not-found.js';
import imagePlatformMismatch from './image-platform-mismatch.js';
import imagePullFailedUnexplained from './image-pull-failed-unexplained.js';
import imagePullNodeError from './image-pull-node-error.js';
import imageReferenceInvalid from './image-reference-invalid.js';
import imageShortNameUnresolved from './image-short-name-unresolved.js';
import imageSignatureRejected from './image-signature-rejected.js';
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
import type { Rule } from '../src/engine/rule.js';

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
].sort((a, b) => a.meta.id.localeCompare(b.meta.id));

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
