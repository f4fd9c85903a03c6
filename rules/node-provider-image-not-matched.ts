import type { NodeRule, NodeRuleHit } from '../src/engine/node-rule.js';
import { sh } from '../src/util/shell.js';
import { fileEvidence, hasOtherCredentials, parsedImages, RESTART_KUBELET, shellOnNode } from './lib/node-helpers.js';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * No configured provider's matchImages select the image, though one nearly does (a scheme in the
 * entry, a wildcard at the wrong depth, a port, a path, letter case): the kubelet never runs that
 * plugin for this image. Also entries that can match no image at all.
 */
const rule: NodeRule = {
  meta: {
    id: 'node-provider-image-not-matched',
    title: "Credential provider's matchImages do not cover the image",
    severity: 'error',
    category: 'node',
    summary: 'A credential provider is meant for the image\'s registry but none of its matchImages entries matches it (scheme, wildcard depth, port, path): the kubelet never runs the plugin for it.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const setup = ctx.snapshot.providers;
    if (!setup) return [];
    const hits: NodeRuleHit[] = [];
    const file = (provider: string) => setup.providers.find((p) => p.name === provider)?.file ?? setup.configPath;
    const reported = new Set<string>();
    for (const img of parsedImages(ctx)) {
      if (img.providers.some((p) => p.matchedBy !== undefined) || img.nearMisses.length === 0) continue;
      const other = hasOtherCredentials(img);
      const best = img.nearMisses[0]!;
      for (const m of img.nearMisses) reported.add(`${m.provider}\0${m.matchImage}`);
      hits.push({
        subject: best.provider,
        image: img.image,
        ...(other ? { severity: 'warning' as const } : {}),
        message:
          `The kubelet on node ${ctx.node} runs no credential provider for ${img.image} (looked up as ${img.lookup}): ` +
          img.nearMisses.map((m) => `provider "${m.provider}": ${m.detail}`).join('; ') +
          '. matchImages use the keyring\'s rules: `*` stands for exactly one DNS label, ports must be equal, a path is a prefix, letters are case-sensitive. ' +
          (other ? 'Other credentials (pull secrets or the node docker config) still apply.' : 'Nothing else gives the node a credential for it, so the pull is anonymous.'),
        evidence: img.nearMisses.map((m) => fileEvidence(file(m.provider), `providers "${m.provider}" matchImages "${m.matchImage}"`)),
        remediation: [
          shellOnNode(ctx),
          `cat ${sh(file(best.provider))}`,
          ...img.nearMisses.filter((m) => m.suggested).map((m) => `# provider "${m.provider}": add matchImages entry "${m.suggested}" (or correct "${m.matchImage}")`),
          RESTART_KUBELET,
        ],
      });
    }
    for (const p of setup.providers) {
      for (const m of p.matchImages) {
        if (reported.has(`${p.name}\0${m}`)) continue;
        const slash = m.indexOf('/');
        const why = SCHEME.test(m)
          ? `starts with a scheme, and the kubelet prepends "https://" to every entry`
          : slash >= 0 && /[:@]/.test(m.slice(slash))
            ? 'names a tag or digest, and the kubelet matches entries against the image name without its tag or digest'
            : undefined;
        if (!why) continue;
        hits.push({
          subject: `${p.name} ${m}`,
          severity: 'warning',
          message: `The matchImages entry "${m}" of credential provider "${p.name}" on node ${ctx.node} can never match an image: it ${why}. The kubelet accepts the config, but the plugin never runs for the images this entry was meant for.`,
          evidence: [fileEvidence(p.file, `providers "${p.name}" matchImages "${m}"`)],
          remediation: [shellOnNode(ctx), `cat ${sh(p.file)}`, `# write the entry as host[:port][/path], e.g. "${m.replace(SCHEME, '').replace(/[:@][^/]*$/, '')}"`, RESTART_KUBELET],
        });
      }
    }
    return hits;
  },
};

export default rule;
