/**
 * Why a pull-secret key did not match an image (for `registry-credentials-mismatch`).
 *
 * For every key that the kubelet would not use for `repoToPull` (§7, §8), apply a fixed
 * sequence of single corrections (scheme, unparsable characters, `/v1`, letter case,
 * registry-1.docker.io, port, wildcard depth, typo, trailing slash, path prefix) until the
 * key matches; the first correction names the reason, their costs add up to the distance.
 * Keys that only match through the Docker Hub fallback count as matching.
 */
import { isDefaultRegistryMatch, DOCKER_HUB_FALLBACK_KEY } from './keyring.js';
import { normalizeKey, parseSchemeless, urlsMatch, type SchemelessURL } from './keys.js';

export interface MissExplanation {
  registryKey: string;
  normalizedKey: string | null;
  secret: string;
  reason:
    | 'port'
    | 'scheme'
    | 'v1-no-slash'
    | 'path-prefix'
    | 'trailing-slash'
    | 'wildcard-depth'
    | 'letter-case'
    | 'registry-1-docker-io'
    | 'docker-hub-key-for-other-registry'
    | 'unparsable-key'
    | 'typo'
    | 'different-registry';
  /** One sentence a user understands. */
  detail: string;
  /** The key that would match. */
  suggestedKey?: string;
  /** Smaller = nearer miss. */
  distance: number;
}

type Reason = MissExplanation['reason'];

const DOCKER_HUB_HOSTS = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io']);
const DOCKER_LOGIN_KEY = 'https://index.docker.io/v1/';

function assemble(p: SchemelessURL): string {
  const host = p.host.includes(':') ? `[${p.host}]` : p.host;
  return host + (p.port !== '' ? ':' + p.port : '') + p.path;
}

export function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

const GLOB = /[*?[\\]/;

/** Remove what makes Go's url.Parse fail: whitespace, control characters, a non-numeric port, stray `%`. */
function cleanKey(raw: string): string {
  let s = raw.replace(/[\s\x00-\x1f\x7f]/g, '');
  s = s.replace(/%(?![0-9a-fA-F]{2})/g, '');
  s = s.replace(/^((?:https?:\/\/)?[^/:]+):[^/0-9][^/]*/, '$1');
  s = s.replace(/^((?:https?:\/\/)?[^/:]+):([0-9]*)[^/0-9][^/]*/, '$1:$2');
  return s;
}

interface Step {
  reason: Reason;
  cost: number;
  detail: string;
}

function portDetail(key: string, repo: string, keyPort: string, imagePort: string): string {
  if (keyPort !== '' && imagePort === '') {
    const https = keyPort === '443' ? ', and :443 is not treated as the HTTPS default' : '';
    return `key \`${key}\` names port ${keyPort} but the image \`${repo}\` has no port; the kubelet compares ports as strings${https}`;
  }
  if (keyPort === '') {
    return `key \`${key}\` has no port but the image \`${repo}\` uses port ${imagePort}; the kubelet compares ports as strings`;
  }
  return `key \`${key}\` names port ${keyPort} but the image \`${repo}\` uses port ${imagePort}`;
}

function explainOne(
  entry: { secret: string; registryKey: string; normalizedKey: string | null },
  repo: string,
  target: SchemelessURL,
  matches: (key: string) => boolean,
): MissExplanation | null {
  const base = { registryKey: entry.registryKey, normalizedKey: entry.normalizedKey, secret: entry.secret };
  const raw = entry.registryKey;
  if (entry.normalizedKey !== null && matches(entry.normalizedKey)) return null;

  const steps: Step[] = [];
  let key: string | null = entry.normalizedKey ?? normalizeKey(raw).key;
  let input = raw;

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw);
  if (scheme && !raw.startsWith('https://') && !raw.startsWith('http://')) {
    input = raw.slice(scheme[0].length);
    key = normalizeKey(input).key;
    steps.push({
      reason: 'scheme',
      cost: 1,
      detail: `key \`${raw}\` starts with \`${scheme[0]}\`; the kubelet only strips a lower-case \`https://\` or \`http://\`, so the scheme stays in the key and never matches`,
    });
  }

  if (key === null || parseSchemeless(key) === null) {
    const why = normalizeKey(input);
    const goError = why.key === null ? why.reason : `Go url.Parse rejects the normalised key \`${key}\` when matching`;
    const fixed = normalizeKey(cleanKey(input)).key;
    const ok = fixed !== null && matches(fixed);
    const explanation: MissExplanation = {
      ...base,
      reason: 'unparsable-key',
      detail: `key \`${raw}\` is never used: ${goError}`,
      distance: ok ? 2 : 20,
    };
    if (ok) explanation.suggestedKey = fixed;
    return explanation;
  }

  const p: SchemelessURL = { ...parseSchemeless(key)! }; // rewritten step by step below
  const keyText = key;

  if (DOCKER_HUB_HOSTS.has(p.host) && p.host !== target.host && !isDefaultRegistryMatch(repo)) {
    const where =
      target.host === 'registry-1.docker.io'
        ? 'the image is written as `registry-1.docker.io/…`, which the kubelet does not treat as Docker Hub'
        : `the image is on \`${target.host}\``;
    return {
      ...base,
      reason: 'docker-hub-key-for-other-registry',
      detail: `key \`${raw}\` is a Docker Hub credential but ${where}`,
      suggestedKey: assemble({ host: target.host, port: target.port, path: '' }),
      distance: 5,
    };
  }

  if (p.path === '/v1' || p.path === '/v2') {
    steps.push({
      reason: 'v1-no-slash',
      cost: 1,
      detail: `key \`${raw}\` ends in \`${p.path}\` without a trailing slash; the kubelet only strips \`/v1/\` and \`/v2/\`, so \`${p.path}\` stays a path no image has`,
    });
    p.path = '';
  }
  if (p.host !== target.host && p.host.toLowerCase() === target.host.toLowerCase()) {
    steps.push({
      reason: 'letter-case',
      cost: 1,
      detail: `key host \`${p.host}\` differs from the image host \`${target.host}\` only in letter case; the kubelet compares hosts case-sensitively`,
    });
    p.host = target.host;
  }
  if (p.host === 'registry-1.docker.io' && target.host === 'docker.io') {
    steps.push({
      reason: 'registry-1-docker-io',
      cost: 1,
      detail: `key \`${raw}\` only matches images written as \`registry-1.docker.io/…\`; for \`${repo}\` the kubelet uses a \`docker.io\` key or \`${DOCKER_LOGIN_KEY}\` (Docker Hub fallback)`,
    });
    p.host = DOCKER_HUB_FALLBACK_KEY;
    p.port = '';
    p.path = '';
  }
  if (p.port !== target.port && p.host !== DOCKER_HUB_FALLBACK_KEY) {
    steps.push({ reason: 'port', cost: 1, detail: portDetail(keyText, repo, p.port, target.port) });
    p.port = target.port;
  }
  const keyLabels = p.host.split('.');
  const targetLabels = target.host.split('.');
  if (GLOB.test(p.host) && keyLabels.length !== targetLabels.length) {
    const labels = [...keyLabels];
    while (labels.length < targetLabels.length) labels.unshift('*');
    while (labels.length > targetLabels.length && labels[0] === '*') labels.shift();
    steps.push({
      reason: 'wildcard-depth',
      cost: 2,
      detail: `\`*\` in key \`${keyText}\` matches exactly one DNS label; the key host has ${keyLabels.length} labels, the image host \`${target.host}\` has ${targetLabels.length}`,
    });
    p.host = labels.join('.');
  }
  if (!GLOB.test(p.host) && p.host !== target.host && p.host !== DOCKER_HUB_FALLBACK_KEY) {
    const d = levenshtein(p.host.toLowerCase(), target.host.toLowerCase());
    if (d <= 2) {
      steps.push({
        reason: 'typo',
        cost: 1 + d,
        detail: `key host \`${p.host}\` is ${d} edit${d === 1 ? '' : 's'} away from the image host \`${target.host}\``,
      });
      p.host = target.host;
    }
  }
  if (p.path.endsWith('/') && !target.path.startsWith(p.path) && target.path.startsWith(p.path.slice(0, -1))) {
    steps.push({
      reason: 'trailing-slash',
      cost: 1,
      detail: `key \`${keyText}\` ends with a slash, so it only covers repositories below \`${assemble({ ...p, path: p.path })}\`, not \`${repo}\` itself`,
    });
    p.path = p.path.slice(0, -1);
  }
  if (p.path !== '' && !target.path.startsWith(p.path)) {
    steps.push({
      reason: 'path-prefix',
      cost: 2,
      detail: `key \`${keyText}\` only covers repositories whose path starts with \`${p.path}\`; the image is \`${repo}\``,
    });
    p.path = '';
  }

  const fixed = assemble(p);
  const first = steps[0];
  if (first !== undefined && matches(fixed)) {
    return {
      ...base,
      reason: first.reason,
      detail: steps.map((s) => s.detail).join('; also '),
      suggestedKey: fixed === DOCKER_HUB_FALLBACK_KEY ? DOCKER_LOGIN_KEY : fixed,
      distance: steps.reduce((n, s) => n + s.cost, 0),
    };
  }
  const origHost = parseSchemeless(keyText)!.host;
  return {
    ...base,
    reason: 'different-registry',
    detail: `key \`${raw}\` is for registry \`${origHost}\`, the image \`${repo}\` is on \`${target.host}\``,
    suggestedKey: assemble({ host: target.host, port: target.port, path: '' }),
    distance: 10 + levenshtein(origHost, target.host),
  };
}

/** Sorted nearest first (then by secret and key). Keys the kubelet does use for the image are left out. */
export function explainMisses(
  entries: { secret: string; registryKey: string; normalizedKey: string | null }[],
  repoToPull: string,
): MissExplanation[] {
  const target = parseSchemeless(repoToPull);
  if (target === null) return [];
  const matches = (key: string): boolean =>
    urlsMatch(key, repoToPull) || (key === DOCKER_HUB_FALLBACK_KEY && isDefaultRegistryMatch(repoToPull));
  const out: MissExplanation[] = [];
  for (const e of entries) {
    try {
      const m = explainOne(e, repoToPull, target, matches);
      if (m !== null) out.push(m);
    } catch {
      out.push({ ...e, reason: 'different-registry', detail: `key \`${e.registryKey}\` does not match \`${repoToPull}\``, distance: 99 });
    }
  }
  return out.sort(
    (a, b) => a.distance - b.distance || a.secret.localeCompare(b.secret) || a.registryKey.localeCompare(b.registryKey),
  );
}
