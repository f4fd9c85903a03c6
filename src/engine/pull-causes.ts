/**
 * One message's cause and sub-kind, read from the table of runtime wordings
 * (src/runtime/wordings.ts), and which message of an aggregate decides. Pure and total.
 */
import { attemptCredentials } from '../runtime/attempts.js';
import type { AttemptCredentials, Cause, Runtime, SubKind } from '../runtime/causes.js';
import { matchWording, wordingFor, type Wording } from '../runtime/wordings.js';
import { peel, stripContext } from './pull-envelopes.js';
import { detectRuntime, findRegistry, findStatus } from './pull-facts.js';

/** Private-versus-missing wordings, whatever wording matched. */
// Docker Hub answers "denied: requested access to the resource is denied" for missing and
// private repositories alike.
const AMBIGUOUS_AUTH =
  /may require (?:'docker login'|authorization)|repository does not exist or|\(or it may not exist\)|you may have invalid credentials|requested access to the resource is denied/i;

/** What one message of an aggregate says. */
export interface PartResult {
  cause: Cause;
  subKind?: SubKind;
  runtime?: Runtime;
  httpStatus?: number;
  registry?: string;
  detail: string;
  notFound?: 'manifest' | 'repository' | 'ambiguous';
  ambiguousAuth?: boolean;
  /** whether this attempt carried a credential, as far as its words say */
  credentials: AttemptCredentials;
}

/** Classify one message (an aggregate's part), given the image its envelope quotes. */
export function classifyPart(raw: string, eventImage: string | undefined): PartResult {
  const { core, grpcCode, kubeletReason } = peel(raw);
  const status = findStatus(core);

  // The kubelet's SignatureValidationFailed is a verdict whatever the text says.
  let wording: Wording | undefined =
    kubeletReason === 'SignatureValidationFailed' ? wordingFor('signature', 'rejected') : matchWording(core, status);
  // Without a known wording: the CRI's RegistryUnavailable, or a NotFound gRPC code, still say something.
  if (!wording && grpcCode === 'NotFound' && kubeletReason !== 'RegistryUnavailable') wording = wordingFor('not-found', 'ambiguous');
  const result: PartResult = { cause: wording?.cause ?? 'unknown', detail: stripContext(core), credentials: attemptCredentials(core) };
  if (wording) result.subKind = wording.subKind;
  else if (kubeletReason === 'RegistryUnavailable') {
    result.cause = 'unreachable';
    result.subKind = 'unavailable';
  }

  const runtime = detectRuntime(raw);
  if (runtime) result.runtime = runtime;
  if (status !== undefined) result.httpStatus = status;
  const registry = findRegistry(raw, eventImage);
  if (registry) result.registry = registry;
  if (result.cause === 'not-found') result.notFound = wording?.cause === 'not-found' ? wording.subKind : 'ambiguous';
  const ambiguous = wording?.ambiguousAuth === true || AMBIGUOUS_AUTH.test(core);
  if (result.cause === 'access-denied' || result.cause === 'auth-rejected') result.ambiguousAuth = ambiguous;
  else if (ambiguous && result.cause === 'not-found') result.ambiguousAuth = true;
  return result;
}

/**
 * Which part of an aggregate decides, when the credentials failed differently: the attempt that
 * got furthest through the pull tells the most about the image. Signature verification runs on a
 * fetched image, platform selection on a fetched index, unpacking after download; a not-found came
 * from a credential the registry let look; access-denied means authenticated (or anonymous) but
 * not permitted; a rate limit was hit after the registry answered; auth-rejected means the
 * credential itself was refused; TLS and network failures never reached the registry. So
 * auth-rejected wins only when no other credential got further. Ties go to the earlier part.
 */
export const PRECEDENCE: readonly Cause[] = [
  'signature',
  'short-name',
  'platform',
  'node-error',
  'not-found',
  'access-denied',
  'rate-limited',
  'auth-rejected',
  'tls',
  'unreachable',
  'unknown',
];

/**
 * The index of the part that decides. An aggregate that mixes attempts made with a credential
 * and attempts known to be anonymous is decided by the former: the anonymous attempt's refusal
 * only repeats that the registry wants a credential, which the credential's own answer already
 * says better (issue 11). Among the rest, the first whose cause comes first in PRECEDENCE.
 */
export function decisivePart(results: readonly PartResult[]): number {
  const anonymous = (r: PartResult): boolean => r.credentials === 'none';
  const mixed = results.some(anonymous) && !results.every(anonymous);
  let best = -1;
  results.forEach((r, i) => {
    if (mixed && anonymous(r)) return;
    if (best < 0 || PRECEDENCE.indexOf(r.cause) < PRECEDENCE.indexOf((results[best] as PartResult).cause)) best = i;
  });
  return Math.max(best, 0);
}
