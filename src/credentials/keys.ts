/**
 * Registry keys of a pull secret as the kubelet treats them: normalisation when a key enters
 * the keyring (`BasicDockerKeyring.Add`, §4) and matching a normalised key against the image
 * to pull (`URLsMatchStr`/`URLsMatch`, §7). Source: kubernetes `pkg/credentialprovider/keyring.go`.
 * The Go standard-library behaviour it relies on (net/url.Parse, net.SplitHostPort,
 * path/filepath.Match, strconv.Quote) is emulated in src/go/.
 */
import { goFilepathMatch } from '../go/filepath.js';
import { goQuote } from '../go/quote.js';
import { goParseURL, splitHostPort } from '../go/url.js';
import { memoString } from '../util/memo.js';

// ───────────────────────────── §4 normalisation ─────────────────────────────

/** `BasicDockerKeyring.Add`: scheme, url.Parse, `/v1/`/`/v2/` trim, host[+path] (§4). */
export function normalizeKey(raw: string): { key: string } | { key: null; reason: string } {
  const value = raw.startsWith('https://') || raw.startsWith('http://') ? raw : 'https://' + raw;
  const parsed = goParseURL(value);
  if (!parsed.ok) {
    return {
      key: null,
      reason: `Go url.Parse rejects it (${parsed.error}), so the kubelet only logs "Entry ${goQuote(raw)} in dockercfg invalid" and skips it`,
    };
  }
  let path = parsed.url.path;
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  return { key: path.length > 0 && path !== '/' ? parsed.url.host + path : parsed.url.host };
}

// ───────────────────────────── §7 matching ─────────────────────────────

/** A schemeless key or image name split the way URLsMatchStr splits it. */
export interface SchemelessURL {
  /** Host without port (brackets of an IPv6 literal removed). */
  host: string;
  /** Port as written, '' when none. */
  port: string;
  /** Decoded path. */
  path: string;
}

/**
 * URLsMatchStr's parseSchemelessURL: url.Parse("https://" + s), then net.SplitHostPort on the
 * host (§7); null when url.Parse fails. Remembered per input (a scan matches the same few
 * registry keys, and each image name, once per keyring that could serve it), so the answer is
 * shared: read it, do not change it.
 */
export const parseSchemeless: (s: string) => Readonly<SchemelessURL> | null = memoString((s) => {
  const parsed = goParseURL('https://' + s);
  if (!parsed.ok) return null;
  const hp = splitHostPort(parsed.url.host);
  return { host: hp ? hp.host : parsed.url.host, port: hp ? hp.port : '', path: parsed.url.path };
}, 16_384);

/** `URLsMatchStr(glob, target)` (§7): ports equal, label counts equal, raw path prefix, filepath.Match per label. */
export function urlsMatch(normalizedGlob: string, repoToPull: string): boolean {
  try {
    const glob = parseSchemeless(normalizedGlob);
    const target = parseSchemeless(repoToPull);
    if (glob === null || target === null) return false;
    if (glob.port !== target.port) return false;
    const globLabels = glob.host.split('.');
    const targetLabels = target.host.split('.');
    if (globLabels.length !== targetLabels.length) return false;
    if (!target.path.startsWith(glob.path)) return false;
    for (let k = 0; k < globLabels.length; k++) {
      const m = goFilepathMatch(globLabels[k]!, targetLabels[k]!);
      if (!m.matched) return false;
    }
    return true;
  } catch {
    return false;
  }
}
