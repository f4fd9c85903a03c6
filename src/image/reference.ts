/**
 * Image reference parsing as the kubelet does it (kubelet-semantics §5, §6).
 *
 * A port of distribution/reference v0.6.0 `ParseNormalizedNamed` (normalize.go, reference.go,
 * regexp.go) with go-digest v1.0.0 digest validation (digest.go, algorithm.go), wrapped the way
 * kubernetes `pkg/util/parsers.ParseImageName` and `images.applyDefaultImageTag` wrap it.
 * Pure: no I/O.
 */
import { goQuote } from '../go/quote.js';

export interface ImageReference {
  /** e.g. 'docker.io', 'localhost:5000', 'Foo'. Empty when the kubelet's parser finds no domain (see `name`). */
  domain: string;
  /** e.g. 'library/nginx' */
  path: string;
  /** defaulted to 'latest' only when neither tag nor digest */
  tag?: string;
  /** 'sha256:…' */
  digest?: string;
  /**
   * repoToPull: domain + '/' + path, the name the kubelet queries the keyring with (§5.3).
   * As Go's `Name()`, it is just `path` in the rare case the domain is empty (e.g. `foo_bar.com/x`).
   */
  name: string;
}

export type ImageParseResult =
  | { ok: true; ref: ImageReference }
  | {
      ok: false;
      /** inner error, e.g. 'invalid reference format: repository name (library/Nginx) must be lowercase' */
      reason: string;
      /** the kubelet's full text: `couldn't parse image name "<image>": <reason>` */
      error: string;
      /** the InspectFailed event message: `Failed to apply default image tag "<image>": couldn't parse image name "<image>": <reason>` */
      eventMessage: string;
    };

// --- Grammar (distribution/reference regexp.go). No `u` flag: `\w` is ASCII, as in Go's RE2. ---
const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6_ADDRESS = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
const NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`;

const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_NAME_RE = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);
const ANCHORED_IDENTIFIER_RE = /^[a-f0-9]{64}$/;
const ANCHORED_DOMAIN_RE = new RegExp(`^${DOMAIN_AND_PORT}$`);
const ANCHORED_REMOTE_NAME_RE = new RegExp(`^${REMOTE_NAME}$`);
const ANCHORED_TAG_RE = new RegExp(`^${TAG}$`);
const ANCHORED_DIGEST_RE = new RegExp(`^${DIGEST}$`);
/** go-digest DigestRegexpAnchored, used only to tell an unknown algorithm from a malformed digest. */
const GO_DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Algorithms the kubelet has registered (parsers.go imports crypto/sha256 and crypto/sha512) → hex length. */
const DIGEST_HEX_LENGTH = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

const REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255;
const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';

const ERR_REFERENCE_INVALID_FORMAT = 'invalid reference format';
const ERR_NAME_CONTAINS_UPPERCASE = 'repository name must be lowercase';
const ERR_NAME_TOO_LONG = `repository name must not be more than ${REPOSITORY_NAME_TOTAL_LENGTH_MAX} characters`;
const ERR_DIGEST_INVALID_FORMAT = 'invalid checksum digest format';
const ERR_DIGEST_INVALID_LENGTH = 'invalid checksum digest length';
const ERR_DIGEST_UNSUPPORTED = 'unsupported digest algorithm';

type Parsed = { ref: ImageReference } | { reason: string };

/**
 * Go's strings.ToLower maps runes with the simple (one-to-one) Unicode mapping; JS applies
 * SpecialCasing, whose only unconditional lower-case entry is U+0130 ('İ' → 'i' + U+0307).
 */
function goToLower(s: string): string {
  return s.replace(/\u0130/g, 'i').toLowerCase();
}

/** splitDockerDomain (normalize.go). */
function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remainder: string;
  if (maybeDomain === 'localhost') [domain, remainder] = [maybeDomain, maybeRemote];
  else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) [domain, remainder] = [DEFAULT_DOMAIN, maybeRemote];
  else if (/[.:]/.test(maybeDomain)) [domain, remainder] = [maybeDomain, maybeRemote];
  else if (goToLower(maybeDomain) !== maybeDomain) [domain, remainder] = [maybeDomain, maybeRemote];
  else [domain, remainder] = [DEFAULT_DOMAIN, name];
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return [domain, remainder];
}

/** go-digest v1.0.0 `Digest.Validate`, with only sha256/sha384/sha512 available. */
function validateDigest(digest: string): string | undefined {
  const sep = digest.indexOf(':');
  if (sep <= 0 || sep + 1 === digest.length) return ERR_DIGEST_INVALID_FORMAT;
  const algorithm = digest.slice(0, sep);
  const encoded = digest.slice(sep + 1);
  const length = DIGEST_HEX_LENGTH.get(algorithm);
  if (length === undefined) return GO_DIGEST_RE.test(digest) ? ERR_DIGEST_UNSUPPORTED : ERR_DIGEST_INVALID_FORMAT;
  if (encoded.length !== length) return ERR_DIGEST_INVALID_LENGTH;
  return /^[a-f0-9]+$/.test(encoded) ? undefined : ERR_DIGEST_INVALID_FORMAT;
}

/** `Parse` (reference.go), for the non-empty strings ParseNormalizedNamed hands it. */
function parseReference(s: string): Parsed {
  const m = REFERENCE_RE.exec(s);
  if (!m) {
    const lower = goToLower(s);
    if (lower !== s && REFERENCE_RE.test(lower)) return { reason: ERR_NAME_CONTAINS_UPPERCASE };
    return { reason: ERR_REFERENCE_INVALID_FORMAT };
  }
  const name = m[1] ?? '';
  const nameMatch = ANCHORED_NAME_RE.exec(name);
  const domain = nameMatch ? (nameMatch[1] ?? '') : '';
  const path = nameMatch ? (nameMatch[2] ?? '') : name;
  if (path.length > REPOSITORY_NAME_TOTAL_LENGTH_MAX) return { reason: ERR_NAME_TOO_LONG };
  const tag = m[2];
  const digest = m[3];
  if (digest) {
    const err = validateDigest(digest);
    if (err) return { reason: err };
  }
  const ref: ImageReference = { domain, path, name: domain ? `${domain}/${path}` : path };
  // ParseImageName: tag defaults to "latest" only when there is neither a tag nor a digest.
  if (tag || !digest) ref.tag = tag || DEFAULT_TAG;
  if (digest) ref.digest = digest;
  return { ref };
}

/** `ParseNormalizedNamed` (normalize.go). */
function parseNormalizedNamed(s: string): Parsed {
  if (ANCHORED_IDENTIFIER_RE.test(s)) {
    return { reason: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` };
  }
  const [domain, remainder] = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (goToLower(remote) !== remote) {
    return { reason: `invalid reference format: repository name (${remote}) must be lowercase` };
  }
  return parseReference(`${domain}/${remainder}`);
}

/** The kubelet's `ParseImageName` plus the messages it produces on failure. Never throws. */
export function parseImage(image: string): ImageParseResult {
  const s = typeof image === 'string' ? image : '';
  const parsed = parseNormalizedNamed(s);
  if ('ref' in parsed) return { ok: true, ref: parsed.ref };
  const error = `couldn't parse image name ${goQuote(s)}: ${parsed.reason}`;
  return {
    ok: false,
    reason: parsed.reason,
    error,
    eventMessage: `Failed to apply default image tag ${goQuote(s)}: ${error}`,
  };
}

/**
 * The parts of a parsed reference, each checked against the grammar on its own: for callers
 * that build URLs from a reference's fields (the registry probe).
 */
export const isReferenceDomain = (s: string): boolean => ANCHORED_DOMAIN_RE.test(s);
export const isRepositoryPath = (s: string): boolean => ANCHORED_REMOTE_NAME_RE.test(s);
export const isReferenceTag = (s: string): boolean => ANCHORED_TAG_RE.test(s);
/** A digest the kubelet accepts: the grammar, a registered algorithm and its length. */
export const isReferenceDigest = (s: string): boolean => ANCHORED_DIGEST_RE.test(s) && validateDigest(s) === undefined;

/** `isDefaultRegistryMatch` (pkg/credentialprovider/keyring.go, §8.3). */
export function isDefaultRegistryMatch(name: string): boolean {
  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  if (first === '') return false;
  if (slash < 0) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

/**
 * Effective pull policy: the explicit value if set, else API defaulting
 * (pkg/apis/core/v1/defaults.go SetDefaults_Container): `Always` iff ParseImageName's tag is
 * "latest" (explicit `:latest`, even with a digest, or no tag and no digest), `IfNotPresent`
 * otherwise, including for an image that does not parse.
 */
export function effectivePullPolicy(image: string, explicit?: string): string {
  if (explicit) return explicit;
  const parsed = parseImage(image);
  return parsed.ok && parsed.ref.tag === DEFAULT_TAG ? 'Always' : 'IfNotPresent';
}

/** Registry API endpoint host for a domain: 'docker.io' → 'registry-1.docker.io', others unchanged. */
export function registryEndpoint(domain: string): string {
  return domain === DEFAULT_DOMAIN ? 'registry-1.docker.io' : domain;
}
