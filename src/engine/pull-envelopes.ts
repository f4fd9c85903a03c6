/**
 * The text around a runtime's image-pull error (kubelet-semantics.md §9–10): the kubelet's event
 * and status envelopes (`Failed to pull image "x": …`, `Back-off pulling image "x": <Reason>: …`),
 * its aggregate of one error per credential tried (`[m1, m2]`), and the wrappers that only
 * transport the runtime's words (gRPC status, Docker daemon, kubelet sentinels and rewrites).
 * Pure and total.
 */
import { GO_QUOTED as QUOTED, goUnquote } from '../go/quote.js';
import { PULL_ERROR_SENTINELS } from '../runtime/kubelet-reasons.js';

/**
 * `Failed to pull image "x": <error>` (event) — also accepted by classifyPullError. The kubelet
 * prints `: `; pasted reports sometimes lose the space (`"x":[rpc error: …]`, Azure/AKS#4593).
 */
export const FAILED_PULL = new RegExp(String.raw`^Failed to pull image ${QUOTED}: ?([\s\S]*)$`);
/** `Back-off pulling image "x"` and, newer, `…: <ErrReason>: <previous message>` (status text). */
export const BACKOFF = new RegExp(String.raw`^Back-off pulling image ${QUOTED}(?:: ([A-Za-z]+): ([\s\S]*))?$`);

/** An event or status text opened: the runtime error(s) inside, and what the envelope said. */
export interface Opened {
  /** the runtime error text, still possibly an aggregate `[m1, m2]` */
  body: string;
  /** the image the envelope quotes (Go %q unquoted) */
  eventImage?: string;
  /** the previous reason of a back-off status text, e.g. `SignatureValidationFailed` */
  previousReason?: string;
}

/** Open a `Failed to pull image …` event or back-off status text; anything else is the body itself. */
export function openEnvelope(text: string): Opened {
  const body = typeof text === 'string' ? text.trim() : '';
  const failed = FAILED_PULL.exec(body);
  if (failed) return { body: (failed[2] ?? '').trim(), eventImage: goUnquote(failed[1] ?? '') };
  const backoff = BACKOFF.exec(body);
  if (!backoff) return { body };
  const out: Opened = { body: (backoff[3] ?? '').trim(), eventImage: goUnquote(backoff[1] ?? '') };
  if (backoff[2] !== undefined) out.previousReason = backoff[2];
  return out;
}

/**
 * What may start a message inside an aggregate. apimachinery joins the messages with ", ", and
 * the messages themselves contain ", " (`authentication required, visit https://…`,
 * `certificate is valid for a, b, not c`), so a ", " only splits when a known message start follows.
 */
const PART_START = new RegExp(
  String.raw`(?:rpc error: code = |failed to (?:pull and unpack image|pull image|resolve (?:reference|image)|copy|extract layer|register layer|authorize|do request|get sandbox image)\b|Error response from daemon: |(?:Error )?reading manifest |(?:Error )?initializing source |(?:error )?pinging (?:container |docker )?registry|unable to pull image|copying system image|Error choosing an image|Source image rejected|RegistryUnavailable|SignatureValidationFailed|ErrImagePull|image pull failed for |pull access denied|manifest for \S+ not found|API error \(\d+\)|Error while pulling image|net/http: |toomanyrequests|no space left on device|no basic auth credentials)`,
  'y',
);

/** The messages of a body: the parts of an aggregate `[m1, m2, …]`, or the body alone. */
export function splitParts(body: string): string[] {
  const aggregated = body.length >= 2 && body.startsWith('[') && body.endsWith(']');
  return aggregated ? splitAggregate(body.slice(1, -1)) : [body];
}

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
// One message: transport wrappers and the runtime's own context
// ---------------------------------------------------------------------------------------------

export type KubeletReason = 'RegistryUnavailable' | 'SignatureValidationFailed' | 'other';

export interface Peeled {
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

export function peel(text: string): Peeled {
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

export function stripContext(core: string): string {
  let s = core;
  for (let guard = 0; guard < 16; guard++) {
    const re = CONTEXT_PREFIXES.find((p) => p.test(s));
    if (!re) break;
    s = s.replace(re, '');
  }
  return s;
}
