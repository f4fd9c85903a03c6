/**
 * Runtime image-pull error text → cause.
 *
 * The kubelet does not interpret pull errors: it passes the container runtime's error text
 * through unchanged (kubelet-semantics.md §9.2), aggregates one error per credential it tried as
 * `[m1, m2]` (§9.1), and in newer versions appends the previous error to the back-off status text
 * (§9.3). Everything here is therefore string matching against real runtime wordings
 * (containerd, CRI-O / containers/image, Docker / dockershim), which live in one table with real
 * examples and their public sources: src/runtime/wordings.ts.
 *
 * Pure and total: no I/O, and `classifyPullError` / `parseImageEvent` never throw.
 */
import { GO_QUOTED as QUOTED, goUnquote as unquoteGo } from '../go/quote.js';
import type { Cause, Runtime, SubKind } from '../runtime/causes.js';
import { PULL_ERROR_SENTINELS, PULL_WAITING_REASONS } from '../runtime/kubelet-reasons.js';
import { matchWording, wordingFor, type Wording } from '../runtime/wordings.js';

export type { Cause, Runtime, SubKind, SubKinds } from '../runtime/causes.js';

export interface PullFailure {
  cause: Cause;
  /** what kind of that cause, as the wording table names it (src/runtime/wordings.ts) */
  subKind?: SubKind;
  runtime?: Runtime;
  httpStatus?: number;
  /** registry host named in the message (from a URL like https://host/v2/… or `docker://host/…` or `host/repo:tag`), if any */
  registry?: string;
  /** the innermost meaningful message (wrappers like `rpc error: code = … desc =` stripped) */
  detail: string;
  /** each message of an aggregate `[m1, m2]`, in order (one element when not aggregated) */
  parts: string[];
  /** for not-found: whether the text says the tag/manifest is missing vs the repository */
  notFound?: 'manifest' | 'repository' | 'ambiguous';
  /** also true when the text says 'may require authorization'/'docker login' (private vs missing is ambiguous) */
  ambiguousAuth?: boolean;
}

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

// ---------------------------------------------------------------------------------------------
// Envelopes: event / status text around the runtime error, and the kubelet aggregate
// ---------------------------------------------------------------------------------------------

/** `Failed to pull image "x": <error>` (event) — also accepted by classifyPullError. */
const FAILED_PULL = new RegExp(String.raw`^Failed to pull image ${QUOTED}: ([\s\S]*)$`);
/** `Back-off pulling image "x"` and, newer, `…: <ErrReason>: <previous message>` (status text). */
const BACKOFF = new RegExp(String.raw`^Back-off pulling image ${QUOTED}(?:: ([A-Za-z]+): ([\s\S]*))?$`);

/**
 * What may start a message inside an aggregate. apimachinery joins the messages with ", ", and
 * the messages themselves contain ", " (`authentication required, visit https://…`,
 * `certificate is valid for a, b, not c`), so a ", " only splits when a known message start follows.
 */
const PART_START = new RegExp(
  String.raw`(?:rpc error: code = |failed to (?:pull and unpack image|pull image|resolve (?:reference|image)|copy|extract layer|register layer|authorize|do request|get sandbox image)\b|Error response from daemon: |(?:Error )?reading manifest |(?:Error )?initializing source |(?:error )?pinging (?:container |docker )?registry|unable to pull image|copying system image|Error choosing an image|Source image rejected|RegistryUnavailable|SignatureValidationFailed|ErrImagePull|image pull failed for |pull access denied|manifest for \S+ not found|API error \(\d+\)|Error while pulling image|net/http: |toomanyrequests|no space left on device|no basic auth credentials)`,
  'y',
);

/** Split `m1, m2, …` (brackets already removed) at top-level ", " followed by a message start. */
function splitAggregate(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0 && inner[i + 1] === ' ') {
      PART_START.lastIndex = i + 2;
      if (PART_START.test(inner)) {
        parts.push(inner.slice(start, i));
        start = i + 2;
        i++;
      }
    }
  }
  parts.push(inner.slice(start));
  return parts.map((p) => p.trim());
}

// ---------------------------------------------------------------------------------------------
// One message: wrappers, runtime, status, registry
// ---------------------------------------------------------------------------------------------

type KubeletReason = 'RegistryUnavailable' | 'SignatureValidationFailed' | 'other';

interface Peeled {
  /** the message with transport/kubelet wrappers removed; rules match against this */
  core: string;
  grpcCode?: string;
  kubeletReason?: KubeletReason;
}

/**
 * Wrappers that only transport the runtime's error, outermost first. Each is tried repeatedly
 * until none applies. `rest` is the capture that carries on.
 */
const WRAPPERS: ReadonlyArray<{ re: RegExp; grpc?: boolean; reason?: true | KubeletReason }> = [
  // gRPC status from the CRI call; old kubelets print numeric codes (`code = 2`).
  { re: /^rpc error: code = (\w+) desc = ([\s\S]*)$/, grpc: true },
  { re: /^Error response from daemon: ([\s\S]*)$/ },
  // Docker Engine API error body, as printed by old dockershim.
  { re: /^\{"message":"([\s\S]*)"\}\s*$/ },
  // CRI error prefixes and kubelet waiting reasons (status text: `Back-off …: ErrImagePull: …`).
  { re: new RegExp(String.raw`^(${PULL_ERROR_SENTINELS.join('|')}): ?([\s\S]*)$`), reason: true },
  // kubelet's rewrite for the waiting message (§9.2).
  { re: /^image pull failed for \S+ because the (registry is unavailable|signature validation failed)[:.]?\s*([\s\S]*)$/, reason: true },
  // Old dockershim wrapper. Its "no credentials" wording is a guess by the kubelet, not a cause.
  { re: /^image pull failed for [\s\S]*?, this may be because there are no credentials on this request\.\s+details: \(([\s\S]*?)\)?\s*$/ },
  // kubelet's image status (inspect) failure, as an event or waiting message (`Failed to inspect image "x": …`).
  { re: /^Failed to inspect image "(?:[^"\\]|\\[\s\S])*": ([\s\S]*)$/ },
  // CRI-O 1.3x (image or OCI artifact): keep the image error, drop the artifact retry.
  { re: /^unable to pull image or OCI artifact: pull image err: ([\s\S]*?)(?:; artifact err: [\s\S]*)?$/ },
];

function reasonOf(token: string): KubeletReason {
  if (token === 'RegistryUnavailable' || token === 'registry is unavailable') return 'RegistryUnavailable';
  if (token === 'SignatureValidationFailed' || token === 'signature validation failed') return 'SignatureValidationFailed';
  return 'other';
}

function peel(text: string): Peeled {
  const out: Peeled = { core: text.trim() };
  for (let guard = 0; guard < 32; guard++) {
    let changed = false;
    for (const w of WRAPPERS) {
      const m = w.re.exec(out.core);
      if (!m) continue;
      if (w.grpc) {
        out.grpcCode ??= m[1];
        out.core = (m[2] ?? '').trim();
      } else if (w.reason) {
        const reason = reasonOf(m[1] ?? '');
        if (reason !== 'other' || out.kubeletReason === undefined) out.kubeletReason = reason;
        out.core = (m[2] ?? '').trim();
      } else {
        out.core = (m[1] ?? '').trim();
      }
      changed = true;
      break;
    }
    if (!changed) break;
  }
  return out;
}

/**
 * The runtime's own context prefixes, which only repeat the image. Stripped for `detail`
 * (not for matching), so the detail reads e.g. `cr.example/app:1: not found`.
 */
const CONTEXT_PREFIXES: readonly RegExp[] = [
  new RegExp(String.raw`^failed to (?:get sandbox image|pull image|pull and unpack image|resolve (?:reference|image)) ${QUOTED}: `),
  /^(?:Error )?initializing source docker:\/\/\S+?: /,
  /^copying system image from manifest list: /,
  /^no available registry endpoint: /,
];

function stripContext(core: string): string {
  let s = core;
  for (let guard = 0; guard < 16; guard++) {
    const re = CONTEXT_PREFIXES.find((p) => p.test(s));
    if (!re) break;
    s = s.replace(re, '');
  }
  return s;
}

/** Ordered: Docker first, because dockerd with the containerd image store quotes containerd. */
const RUNTIME_HINTS: ReadonlyArray<readonly [Runtime, RegExp]> = [
  ['docker', /Error response from daemon|API error \(\d+\)|this may be because there are no credentials on this request|failed to register layer|Error while pulling image|Status \d{3} trying to pull repository|may require 'docker login'|pull access denied for |manifest for \S+ not found|no matching manifest for [^\n]+? in the manifest list|image operating system "[^"]*" cannot be used on this platform|filesystem layer verification failed/],
  ['cri-o', /(?:Error )?reading manifest \S+ in |initializing source docker:\/\/|pinging (?:container |docker )?registry|choosing an image from manifest list|Source image rejected|copying system image|unable to pull image or OCI artifact|short-name "[^"]*" did not resolve to an alias|short name mode is enforcing|no registries configured while trying to pull an unqualified image|Digest did not match, expected/i],
  ['containerd', /failed to pull and unpack image|failed to resolve (?:reference|image)|no available registry endpoint|httpRead(?:er)?Seeker|failed to extract layer|failed to do request|pulling from host \S+ failed|failed to authorize|failed to fetch (?:anonymous|oauth) token|no match for platform in manifest|failed to copy: |failed commit on ref|failed to unpack image on snapshotter/i],
];

function detectRuntime(text: string): Runtime | undefined {
  return RUNTIME_HINTS.find(([, re]) => re.test(text))?.[0];
}

/** HTTP statuses as the runtimes print them; `API error (500)` is dockerd's own status, not the registry's. */
const STATUS_PATTERNS: readonly RegExp[] = [
  /\b([1-5]\d\d) (?:Unauthorized|Forbidden|Not Found|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout|Bad Request|Request Timeout|Method Not Allowed)\b/i,
  /\b([1-5]\d\d) \((?:Unauthorized|Forbidden|Not Found|Too Many Requests)\)/i,
  /\bStatus ([1-5]\d\d) trying\b/,
  /\bHTTP code ([1-5]\d\d)\b/,
  /\bstatus code ([1-5]\d\d)\b/i,
];

function findStatus(text: string): number | undefined {
  for (const re of STATUS_PATTERNS) {
    const m = re.exec(text);
    if (m?.[1]) return Number(m[1]);
  }
  return undefined;
}

const HOST = String.raw`((?:\[[0-9A-Fa-f:]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::\d+)?)`;
const HOST_RE = new RegExp(`^${HOST}$`);
/** Docker's rule for "is the first component a registry host" (§5): a dot, a port, or localhost. */
const looksLikeHost = (h: string): boolean =>
  HOST_RE.test(h) && (h.includes('.') || h.includes(':') || h === 'localhost');
/** A reference without a slash: a Docker Hub library image (`nginx`, `nginx:1.25`, `nginx@sha256:…`). */
const BARE_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[\w][\w.-]*)?(?:@[\w+.-]+:[0-9a-fA-F]+)?$/;

/** Registry host of an image reference: the first path component if it looks like a host (§5). */
function refHost(ref: string): string | undefined {
  const cleaned = ref.replace(/^docker:\/\//, '').replace(/:$/, '');
  const slash = cleaned.indexOf('/');
  if (slash < 0) return BARE_NAME.test(cleaned) ? 'docker.io' : undefined;
  const first = cleaned.slice(0, slash);
  if (looksLikeHost(first)) return first;
  return /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(first) ? 'docker.io' : undefined;
}

type RegistryPattern = { re: RegExp; ref?: true };

/** Where messages name the registry, most specific first. */
const REGISTRY_PATTERNS: readonly RegistryPattern[] = [
  { re: new RegExp(String.raw`failed to (?:pull and unpack image|pull image|resolve (?:reference|image)|get sandbox image) "([^"]+)"`), ref: true },
  { re: /docker:\/\/([^\s"]+)/, ref: true },
  { re: /reading manifest \S+ in (\S+?)(?::\s|:?$|\s)/, ref: true },
  { re: new RegExp(String.raw`pulling from host ${HOST} failed`) },
  { re: /(?:manifest for|pull access denied for|not found in repository|image pull failed for) ([^\s,)]+)/, ref: true },
  { re: new RegExp(String.raw`pinging (?:container |docker )?registry ${HOST}`) },
  { re: new RegExp(String.raw`https?://${HOST}/v[12]/`) },
];
/** Weaker hints, used only when neither the message nor the event names the image's registry:
 * other URLs may be a token service or a documentation link. */
const REGISTRY_FALLBACKS: readonly RegistryPattern[] = [
  { re: new RegExp(String.raw`lookup ${HOST}(?: on |: )`) },
  { re: new RegExp(String.raw`https?://${HOST}`) },
];

function matchRegistry(text: string, patterns: readonly RegistryPattern[]): string | undefined {
  for (const { re, ref } of patterns) {
    const m = re.exec(text);
    if (!m?.[1]) continue;
    const host = ref ? refHost(m[1]) : looksLikeHost(m[1]) ? m[1] : undefined;
    if (host) return host;
  }
  return undefined;
}

function findRegistry(text: string, eventImage: string | undefined): string | undefined {
  return (
    matchRegistry(text, REGISTRY_PATTERNS) ??
    (eventImage === undefined ? undefined : refHost(eventImage)) ??
    matchRegistry(text, REGISTRY_FALLBACKS)
  );
}

// ---------------------------------------------------------------------------------------------
// Cause and sub-kind: the wording table (src/runtime/wordings.ts), first match wins
// ---------------------------------------------------------------------------------------------

/** Private-versus-missing wordings, whatever rule matched. */
// Docker Hub answers "denied: requested access to the resource is denied" for missing and
// private repositories alike.
const AMBIGUOUS_AUTH =
  /may require (?:'docker login'|authorization)|repository does not exist or|\(or it may not exist\)|you may have invalid credentials|requested access to the resource is denied/i;

interface PartResult {
  cause: Cause;
  subKind?: SubKind;
  runtime?: Runtime;
  httpStatus?: number;
  registry?: string;
  detail: string;
  notFound?: 'manifest' | 'repository' | 'ambiguous';
  ambiguousAuth?: boolean;
}

function classifyPart(raw: string, eventImage: string | undefined): PartResult {
  const { core, grpcCode, kubeletReason } = peel(raw);
  const status = findStatus(core);

  // The kubelet's SignatureValidationFailed is a verdict whatever the text says.
  let wording: Wording | undefined =
    kubeletReason === 'SignatureValidationFailed' ? wordingFor('signature', 'rejected') : matchWording(core, status);
  // Without a known wording: the CRI's RegistryUnavailable, or a NotFound gRPC code, still say something.
  if (!wording && grpcCode === 'NotFound' && kubeletReason !== 'RegistryUnavailable') wording = wordingFor('not-found', 'ambiguous');
  const result: PartResult = { cause: wording?.cause ?? 'unknown', detail: stripContext(core) };
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
const PRECEDENCE: readonly Cause[] = [
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

/** Classify a runtime pull error (or a whole `Failed to pull image …` / back-off status text). */
export function classifyPullError(text: string): PullFailure {
  let body = typeof text === 'string' ? text.trim() : '';
  let eventImage: string | undefined;
  /** the previous reason of a back-off status text, e.g. `SignatureValidationFailed` */
  let previousReason: string | undefined;

  const failed = FAILED_PULL.exec(body);
  const backoff = failed ? null : BACKOFF.exec(body);
  if (failed) {
    eventImage = unquoteGo(failed[1] ?? '');
    body = (failed[2] ?? '').trim();
  } else if (backoff) {
    eventImage = unquoteGo(backoff[1] ?? '');
    previousReason = backoff[2];
    body = (backoff[3] ?? '').trim();
  }

  const aggregated = body.length >= 2 && body.startsWith('[') && body.endsWith(']');
  const parts = aggregated ? splitAggregate(body.slice(1, -1)) : [body];
  const results = parts.map((p) => classifyPart(previousReason ? `${previousReason}: ${p}` : p, eventImage));

  let decisive = results[0] as PartResult;
  for (const r of results) {
    if (PRECEDENCE.indexOf(r.cause) < PRECEDENCE.indexOf(decisive.cause)) decisive = r;
  }

  const out: PullFailure = { cause: decisive.cause, detail: decisive.detail, parts };
  if (decisive.subKind !== undefined) out.subKind = decisive.subKind;
  const runtime = decisive.runtime ?? results.find((r) => r.runtime)?.runtime;
  if (runtime) out.runtime = runtime;
  if (decisive.httpStatus !== undefined) out.httpStatus = decisive.httpStatus;
  const registry = decisive.registry ?? results.find((r) => r.registry)?.registry;
  if (registry) out.registry = registry;
  if (decisive.notFound) out.notFound = decisive.notFound;
  if (decisive.ambiguousAuth !== undefined) out.ambiguousAuth = decisive.ambiguousAuth;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Events and waiting messages (§10)
// ---------------------------------------------------------------------------------------------

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
      ev.image = p.rawImage ? body : unquoteGo(body);
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
