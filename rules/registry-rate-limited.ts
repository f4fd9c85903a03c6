import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { addPullSecretsToWorkload, CONTAINERD_CONFIG_PATH, dockerRegistrySecret, placeholderText, writeContainerdHostsToml } from './lib/commands.js';
import { runtimeEvidence } from './lib/evidence.js';
import { displayDomain } from './lib/secret-helpers.js';
import { describeCredential, errorQuote, failingWith, isDockerHub, onNode, registryOf, suggestedSecretName, withProbeNotes } from './lib/runtime-helpers.js';
import { unansweredHits } from './lib/probe-check.js';
import { inCheck } from './lib/manifest.js';

/**
 * The registry answered 429 Too Many Requests / toomanyrequests. On Docker Hub, anonymous pulls
 * are limited per source IP (every node behind one NAT shares it); authenticated pulls per account.
 */
const rule: Rule = {
  meta: {
    id: 'registry-rate-limited',
    title: 'Registry rate limit reached',
    severity: 'error',
    category: 'registry',
    summary: 'The registry refused the pull with 429 Too Many Requests (Docker Hub pull rate limit): authenticate, or pull through a mirror.',
    confidence: 'confirmed',
  },
  check(ctx) {
    if (inCheck(ctx)) return unansweredHits(ctx, ['rate-limited'], 'The registry limited the requests of this machine (HTTP 429): run the check again later, or where credentials with a higher limit apply.');
    return failingWith(ctx, 'rate-limited').map(({ c, p }): RuleHit => {
      const registry = p.classified?.registry === 'registry-1.docker.io' ? 'docker.io' : registryOf(c);
      const hub = isDockerHub(c);
      const first = p.credentials[0];
      const rl = c.probe?.attempts.find((a) => a.rateLimit)?.rateLimit;
      const who = first
        ? `the pull used ${describeCredential(first)}, whose account limit is used up`
        : hub
          ? 'the pull was anonymous, and Docker Hub limits anonymous pulls per source IP address: every node behind the same NAT gateway shares that budget'
          : 'the pull was anonymous as far as pod pull secrets go';
      const message =
        `${hub ? 'Docker Hub' : `Registry ${registry}`} rate-limited the pull of "${c.image}" (container ${c.name})${onNode(ctx, c)}: ${who}.` +
        (c.pullPolicy === 'Always' ? ` imagePullPolicy is Always${c.parse.ok && c.parse.ref.tag === 'latest' && !c.parse.ref.digest ? ' (the default for :latest)' : ''}, so every container start contacts the registry.` : '') +
        (rl ? ` A probe saw ratelimit-limit ${rl.limit ?? '?'}, remaining ${rl.remaining ?? '?'}.` : '') +
        ` The kubelet keeps retrying with back-off; the pull succeeds once the window resets. Runtime error: ${errorQuote(p)}`;

      const remediation: string[] = [];
      if (hub && !first) {
        const name = suggestedSecretName('docker.io');
        remediation.push(dockerRegistrySecret(ctx, name, displayDomain('docker.io'), { exists: false }));
        remediation.push(addPullSecretsToWorkload(ctx, [name], 'service-account'));
      } else if (hub && first) {
        remediation.push(`# use an account with a higher limit (paid plan or a service account) in secret "${first.secret}", or pull through a mirror (below)`);
      } else {
        remediation.push(`# ask the operator of ${registry} about its rate limits, authenticate with a pull secret, or pull through a cache`);
      }
      if (hub) {
        const toml = `server = "https://registry-1.docker.io"\\n\\n[host."https://${placeholderText('mirror-host')}"]\\n  capabilities = ["pull", "resolve"]\\n`;
        remediation.push(`# or pull through a mirror / pull-through cache on every node (${CONTAINERD_CONFIG_PATH}): ${writeContainerdHostsToml('docker.io', toml)}`);
        remediation.push(
          `# check the remaining budget from a node (same source IP): TOKEN=$(curl -s "https://auth.docker.io/token?service=registry.docker.io&scope=repository:ratelimitpreview/test:pull" | jq -r .token) && curl -sI -H "Authorization: Bearer $TOKEN" https://registry-1.docker.io/v2/ratelimitpreview/test/manifests/latest | grep -i ratelimit`,
        );
      }
      if (c.pullPolicy === 'Always') {
        remediation.push(`# pin a version tag or digest and use imagePullPolicy: IfNotPresent so restarts reuse the cached image`);
      }

      const hit: RuleHit = {
        container: c.name,
        image: c.image,
        message,
        evidence: runtimeEvidence(ctx, c),
        remediation,
      };
      if (first) hit.secret = first.secret;
      return withProbeNotes(hit, c);
    });
  },
};

export default rule;
