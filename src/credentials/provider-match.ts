/**
 * Which credential provider plugins the kubelet runs for an image: `isImageAllowed`
 * (kubernetes `pkg/credentialprovider/plugin/plugin.go`) tests each `matchImages` entry with
 * `URLsMatchStr(matchImage, repoToPull)` — exactly the keyring's key match (./keys.ts, KS §7),
 * but on the entry as written: no `/v1/` trimming, and `https://` is always prepended, so an
 * entry written with a scheme never matches (node-credentials.md §2.1).
 *
 * Shared by `pulldoctor node` (the providers configured on a node) and the cluster scan (the
 * provider a managed platform runs, ./platform-providers.ts).
 */
import { urlsMatch } from './keys.js';
import { explainMisses, type MissExplanation } from './miss.js';

export interface ProviderLike {
  name: string;
  matchImages: string[];
}

/** The first matchImages entry that selects the provider for `repoToPull`, or undefined. */
export function matchingImagePattern(p: ProviderLike, repoToPull: string): string | undefined {
  return p.matchImages.find((m) => urlsMatch(m, repoToPull));
}

/** The providers the kubelet runs for the image, in config order (every matching one runs, §2.2). */
export function providersFor<P extends ProviderLike>(providers: readonly P[], repoToPull: string): P[] {
  return providers.filter((p) => matchingImagePattern(p, repoToPull) !== undefined);
}

export interface MatchImageMiss {
  provider: string;
  matchImage: string;
  reason: MissExplanation['reason'];
  /** One sentence a user understands. */
  detail: string;
  /** An entry that would match. */
  suggested?: string;
  distance: number;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * Entries that almost select the provider for `repoToPull` (a scheme written into the entry,
 * a wildcard at the wrong depth, a port, a path, letter case, a typo), nearest first. Entries
 * for a different registry altogether are left out: they are not mistakes.
 */
export function nearMatchImages(providers: readonly ProviderLike[], repoToPull: string): MatchImageMiss[] {
  const out: MatchImageMiss[] = [];
  for (const p of providers) {
    for (const m of p.matchImages) {
      if (urlsMatch(m, repoToPull)) continue;
      const scheme = SCHEME.exec(m);
      if (scheme) {
        const bare = m.slice(scheme[0].length).replace(/\/+$/, '');
        if (urlsMatch(bare, repoToPull)) {
          out.push({
            provider: p.name,
            matchImage: m,
            reason: 'scheme',
            detail: `matchImages entry \`${m}\` starts with \`${scheme[0]}\`; the kubelet prepends \`https://\` to every entry, so an entry with a scheme never matches`,
            suggested: bare,
            distance: 1,
          });
        }
        continue;
      }
      const [miss] = explainMisses([{ secret: p.name, registryKey: m, normalizedKey: m }], repoToPull);
      if (!miss || miss.reason === 'different-registry' || miss.reason === 'docker-hub-key-for-other-registry' || miss.distance >= 10) continue;
      out.push({
        provider: p.name,
        matchImage: m,
        reason: miss.reason,
        detail: miss.detail.replace(/^key /, 'matchImages entry ').replace(/ key /g, ' entry '),
        ...(miss.suggestedKey ? { suggested: miss.suggestedKey } : {}),
        distance: miss.distance,
      });
    }
  }
  return out.sort((a, b) => a.distance - b.distance || a.provider.localeCompare(b.provider));
}

/** The plugin cache's registry key (`parseRegistry`: the text before the first `/`, port included). */
export function cacheRegistryKey(repoToPull: string): string {
  return repoToPull.split('/')[0] ?? repoToPull;
}
