/**
 * Facts a runtime's pull error states besides its cause: which runtime printed it, the HTTP
 * status it quotes, and the registry host it names. Pure and total.
 */
import type { Runtime } from '../runtime/causes.js';

/** Ordered: Docker first, because dockerd with the containerd image store quotes containerd. */
const RUNTIME_HINTS: ReadonlyArray<readonly [Runtime, RegExp]> = [
  ['docker', /Error response from daemon|API error \(\d+\)|this may be because there are no credentials on this request|failed to register layer|Error while pulling image|Status \d{3} trying to pull repository|may require 'docker login'|pull access denied for |manifest for \S+ not found|no matching manifest for [^\n]+? in the manifest list|image operating system "[^"]*" cannot be used on this platform|filesystem layer verification failed/],
  ['cri-o', /(?:Error )?reading manifest \S+ in |initializing source docker:\/\/|pinging (?:container |docker )?registry|choosing an image from manifest list|Source image rejected|copying system image|unable to pull image or OCI artifact|short-name "[^"]*" did not resolve to an alias|short name mode is enforcing|no registries configured while trying to pull an unqualified image|Digest did not match, expected/i],
  ['containerd', /failed to pull and unpack image|failed to resolve (?:reference|image)|no available registry endpoint|httpRead(?:er)?Seeker|failed to extract layer|failed to do request|pulling from host \S+ failed|failed to authorize|failed to fetch (?:anonymous|oauth) token|no match for platform in manifest|failed to copy: |failed commit on ref|failed to unpack image on snapshotter/i],
];

export function detectRuntime(text: string): Runtime | undefined {
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

export function findStatus(text: string): number | undefined {
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

export function findRegistry(text: string, eventImage: string | undefined): string | undefined {
  return (
    matchRegistry(text, REGISTRY_PATTERNS) ??
    (eventImage === undefined ? undefined : refHost(eventImage)) ??
    matchRegistry(text, REGISTRY_FALLBACKS)
  );
}
