/**
 * Transport failures: a Node socket, DNS or TLS error turned into a NetError whose message says
 * what went wrong and what to do, from hosts and error codes only (never headers or secrets).
 */
import { tlsProblemOf, type TlsProblem } from '../model/tls.js';

export type NetErrorKind = 'tls' | 'unreachable' | 'timeout' | 'deadline' | 'policy' | 'protocol';

/** A transport failure. Its message holds hosts and error codes only, never headers. */
export class NetError extends Error {
  constructor(
    readonly kind: NetErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'NetError';
  }
}

const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
]);

/** OpenSSL's words when the other side answered in something other than TLS (plain HTTP). */
const NOT_TLS_MESSAGE = /wrong version number|packet length too long|http request/i;
/** A TLS failure Node reported without one of the TLS error codes. */
const TLS_MESSAGE = /secure TLS connection|certificate|wrong version number|SSL routines/i;

/** Turn a Node socket/TLS error into a NetError with a helpful, secret-free message. */
export function classifyNodeError(err: unknown, url: URL): NetError {
  if (err instanceof NetError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  const where = `${url.protocol}//${url.host}`;
  const tls = tlsProblemOf(code);
  if (tls !== undefined || TLS_MESSAGE.test(msg)) {
    return new NetError('tls', `TLS handshake with ${where} failed${tlsHint(tls, msg, url)}${code ? ` [${code}]` : ''}`, code);
  }
  if (code && UNREACHABLE_CODES.has(code)) {
    const what: Record<string, string> = {
      ENOTFOUND: `DNS lookup for ${url.hostname} failed`,
      EAI_AGAIN: `DNS lookup for ${url.hostname} failed (temporary)`,
      ECONNREFUSED: `connection to ${where} refused`,
      ECONNRESET: `connection to ${where} reset`,
      ETIMEDOUT: `connection to ${where} timed out`,
      EHOSTUNREACH: `host ${url.hostname} unreachable`,
      ENETUNREACH: `network unreachable for ${url.hostname}`,
    };
    return new NetError('unreachable', `${what[code] ?? `cannot reach ${where}`} [${code}]`, code);
  }
  return new NetError('protocol', `request to ${where} failed: ${msg}${code ? ` [${code}]` : ''}`, code);
}

/** What a failed handshake means and what to do about it. */
function tlsHint(problem: TlsProblem | undefined, msg: string, url: URL): string {
  switch (problem) {
    case 'unknown-authority':
      return ': certificate signed by an unknown authority (pass the CA with --registry-ca FILE or NODE_EXTRA_CA_CERTS)';
    case 'expired':
      return ': the server certificate has expired';
    case 'not-yet-valid':
      return ': the server certificate is not yet valid (check the clocks)';
    case 'wrong-name':
      return `: the certificate is not valid for ${url.hostname} (${msg})`;
    default:
      if (problem === 'not-tls' || NOT_TLS_MESSAGE.test(msg)) {
        return `: the server does not speak TLS — it looks like a plain-HTTP registry (to allow that, list ${url.host} with --insecure-registry)`;
      }
      return `: ${msg}`;
  }
}
