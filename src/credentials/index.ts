/**
 * Public API of the credentials module. `reveal` is deliberately not re-exported: only
 * src/credentials and the opt-in registry probe may read secret material.
 */
export { parsePullSecret, type ParsedEntry, type ParsedPullSecret } from './dockerconfig.js';
export {
  Keyring,
  normalizeKey,
  toCredentialView,
  urlsMatch,
  type KeyringCredential,
  type LookupResult,
} from './keyring.js';
export { explainMisses, type MissExplanation } from './miss.js';
export { fingerprint, REDACTED, sealSecretData, type Sealed } from './vault.js';
