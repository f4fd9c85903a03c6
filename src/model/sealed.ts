/**
 * Opaque handles on secret material, as types only. The model and every layer above it pass
 * sealed values around without being able to read or make one: the brand below is a symbol no
 * other module can name, so no object literal type-checks as a `Sealed<T>`, and its value has
 * no property to read. The implementation — sealing, `reveal`, and the redaction of
 * `toString`, `toJSON` and `util.inspect` — is the vault, src/credentials/vault.ts.
 */

declare const sealedBrand: unique symbol;

/** A secret value of type T that prints, serialises and inspects as a redaction marker. */
export interface Sealed<T> {
  /** Type-level only: ties the handle to T. There is no such property at run time. */
  readonly [sealedBrand]: T;
  toString(): string;
  toJSON(): string;
}

/** The docker-config data keys a pull secret may hold, as the raw base64 strings. */
export interface DockerConfigData {
  '.dockerconfigjson'?: string;
  '.dockercfg'?: string;
}

/** The part of a Secret's data the kubelet reads, sealed by the vault. */
export type SealedSecretData = Sealed<DockerConfigData>;

/** A registry credential (username and password) from a pull secret, sealed by the vault. */
export type SealedCredential = Sealed<{ username: string; password: string }>;
