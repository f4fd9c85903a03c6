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
