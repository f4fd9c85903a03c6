/**
 * Node.js/OpenSSL error codes that mean a TLS handshake or certificate check failed, shared by
 * the cluster source (API server) and the registry probe, with what each one means for the user.
 */

/**
 * What a TLS failure is about: a certificate from an authority this machine does not trust,
 * an expired or not-yet-valid certificate, a certificate for another name, a server that does
 * not speak TLS at all, or anything else.
 */
export type TlsProblem = 'unknown-authority' | 'expired' | 'not-yet-valid' | 'wrong-name' | 'not-tls' | 'other';

const TLS_ERROR_CODES: ReadonlyMap<string, TlsProblem> = new Map<string, TlsProblem>([
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unknown-authority'],
  ['UNABLE_TO_GET_ISSUER_CERT', 'unknown-authority'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unknown-authority'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'unknown-authority'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'unknown-authority'],
  ['CERT_UNTRUSTED', 'unknown-authority'],
  ['INVALID_CA', 'unknown-authority'],
  ['CERT_HAS_EXPIRED', 'expired'],
  ['CERT_NOT_YET_VALID', 'not-yet-valid'],
  ['HOSTNAME_MISMATCH', 'wrong-name'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'wrong-name'],
  ['ERR_SSL_WRONG_VERSION_NUMBER', 'not-tls'],
  ['CERT_REJECTED', 'other'],
  ['CERT_REVOKED', 'other'],
  ['CERT_SIGNATURE_FAILURE', 'other'],
  ['EPROTO', 'other'],
]);

const isTlsCodeFamily = (code: string) => code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('CERT_');

export function isTlsErrorCode(code: string | undefined): boolean {
  if (!code) return false;
  return TLS_ERROR_CODES.has(code) || isTlsCodeFamily(code);
}

/** What a TLS error code is about; undefined when the code is not a TLS error. */
export function tlsProblemOf(code: string | undefined): TlsProblem | undefined {
  if (!code) return undefined;
  return TLS_ERROR_CODES.get(code) ?? (isTlsCodeFamily(code) ? 'other' : undefined);
}
