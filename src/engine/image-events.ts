/**
 * Image events and container waiting messages (kubelet-semantics.md §10): what kind of event it
 * is, the image it quotes, the runtime error it carries, and the pull secrets it says are
 * missing. Pure and total: `parseImageEvent` never throws.
 */
import { GO_QUOTED as QUOTED, goUnquote } from '../go/quote.js';
import { PULL_WAITING_REASONS } from '../runtime/kubelet-reasons.js';
import { BACKOFF, FAILED_PULL } from './pull-envelopes.js';

export interface ImageEvent {
  kind:
    | 'pulling'
    | 'pulled'
    | 'failed-pull'
    | 'backoff'
    | 'never-pull'
    | 'inspect-failed'
    | 'container-error'
    | 'secrets-missing'
    | 'other';
  image?: string; // the quoted image, Go %q unquoted
  error?: string; // runtime error after `Failed to pull image "x": `
  waitingReason?: string; // for `Error: ErrImagePull` etc., and for `Back-off …: ErrImagePull: …` status text the previous reason
  missingSecrets?: string[]; // FailedToRetrieveImagePullSecret: names from `Unable to retrieve some image pull secrets (a, b); attempting…`
}

/** Newer `kubectl describe` prefixes the involvedObject fieldPath. */
const FIELD_PATH_PREFIX = /^spec\.(?:initContainers|containers|ephemeralContainers)\{[^}]*\}: /;

const WAITING_REASONS = PULL_WAITING_REASONS;

type EventPattern = {
  kind: ImageEvent['kind'];
  re: RegExp;
  /** capture index of the quoted image body, of the error, of a reason token */
  image?: number;
  error?: number;
  reason?: number;
  /** the image is printed raw (%s), not quoted */
  rawImage?: true;
};

const EVENT_PATTERNS: readonly EventPattern[] = [
  { kind: 'pulling', re: new RegExp(String.raw`^Pulling image ${QUOTED}$`, 'i'), image: 1 },
  { kind: 'pulled', re: new RegExp(String.raw`^Successfully pulled image ${QUOTED}`), image: 1 },
  { kind: 'pulled', re: new RegExp(String.raw`^Container image ${QUOTED} already present on machine`), image: 1 },
  { kind: 'never-pull', re: new RegExp(String.raw`^Container image ${QUOTED} is not present with pull policy of Never$`), image: 1 },
  { kind: 'failed-pull', re: FAILED_PULL, image: 1, error: 2 },
  { kind: 'backoff', re: BACKOFF, image: 1, reason: 2, error: 3 },
  { kind: 'inspect-failed', re: new RegExp(String.raw`^Failed to apply default image tag ${QUOTED}: ([\s\S]*)$`), image: 1, error: 2 },
  { kind: 'inspect-failed', re: new RegExp(String.raw`^Failed to inspect image ${QUOTED}: ([\s\S]*)$`), image: 1, error: 2 },
  {
    kind: 'failed-pull',
    re: /^image pull failed for (\S+) because the (?:registry is unavailable|signature validation failed)[\s\S]*$/,
    image: 1,
    error: 0,
    rawImage: true,
  },
  { kind: 'container-error', re: /^Error: ([A-Z][A-Za-z]+)$/, reason: 1 },
  { kind: 'container-error', re: /^Error: ([\s\S]+)$/, error: 1 },
];

const SECRETS_MISSING = /^Unable to retrieve some image pull secrets \(([^)]*)\); attempting to pull the image may not succeed\.?$/;

/** Parse an event (reason + message) or a container waiting.message (waiting.reason + message). */
export function parseImageEvent(reason: string | undefined, message: string | undefined): ImageEvent {
  const why = typeof reason === 'string' ? reason.trim() : '';
  const msg = (typeof message === 'string' ? message : '').trim().replace(FIELD_PATH_PREFIX, '');

  const secrets = SECRETS_MISSING.exec(msg);
  if (secrets || why === 'FailedToRetrieveImagePullSecret') {
    const names = (secrets?.[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    return { kind: 'secrets-missing', missingSecrets: names };
  }

  for (const p of EVENT_PATTERNS) {
    const m = p.re.exec(msg);
    if (!m) continue;
    const ev: ImageEvent = { kind: p.kind };
    if (p.image !== undefined) {
      const body = m[p.image] ?? '';
      ev.image = p.rawImage ? body : goUnquote(body);
    }
    if (p.error !== undefined && m[p.error] !== undefined) ev.error = (m[p.error] as string).trim();
    if (p.reason !== undefined && m[p.reason] !== undefined) ev.waitingReason = m[p.reason];
    // A waiting.reason (not an event reason) names the state the message belongs to.
    if (ev.waitingReason === undefined && WAITING_REASONS.has(why) && p.kind !== 'backoff') ev.waitingReason = why;
    return ev;
  }

  // A waiting message that is the raw runtime error (ErrImagePull: message = the error text).
  if (WAITING_REASONS.has(why) && why !== 'ImagePullBackOff' && msg !== '') {
    return { kind: 'failed-pull', error: msg, waitingReason: why };
  }
  return { kind: 'other' };
}
