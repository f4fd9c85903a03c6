/**
 * Public API of the credentials module. `reveal` is deliberately not re-exported: only
 * src/credentials and the opt-in registry probe may read secret material.
 */
export { parsePullSecret } from './dockerconfig.js';
export type { ParsedEntry, ParsedPullSecret } from './pull-secret.js';
export { normalizeKey, urlsMatch } from './keys.js';
export { Keyring, toCredentialView, type KeyringCredential, type LookupResult } from './keyring.js';
export { explainMisses, type MissExplanation } from './miss.js';
export { fingerprint, REDACTED, sealSecretData } from './vault.js';
export { parseDockerConfigBytes } from './dockerconfig.js';
// The provider config reader and its validation (provider-config.ts, provider-validate.ts) are
// imported from their modules by the node reader only: they load the YAML parser, which a scan
// of a JSON dump must not pay for.
export type { CredentialProvider, TokenAttributes } from './provider-config.js';
export { matchingImagePattern, providersFor, nearMatchImages, cacheRegistryKey, type MatchImageMiss } from './provider-match.js';
export { encodeProviderRequest, decodeProviderResponse, CACHE_KEY_TYPES, type ProviderResponse, type ProviderAuthEntry, type DecodedResponse } from './provider-protocol.js';
export { nodeConfigKeyring, providerKeyring } from './node-keyring.js';
export { PLATFORM_PROVIDERS, platformDefaultsFor, type Platform, type PlatformProvider } from './platform-providers.js';
export { cloudRegistryOf, googleRepositoryOf, hostOf, REGISTRY_PRODUCT, type CloudRegistry, type CloudRegistryKind } from './cloud-registry.js';
export { aksClusterOf, clusterIdentity, PLATFORM_NAME, recognisePlatform, type ClusterIdentity, type NodePlatform, type NodePlatformKind } from './node-platform.js';
export { nodeProviderCoverage, sameCloud, type ProviderCoverage } from './provider-coverage.js';
