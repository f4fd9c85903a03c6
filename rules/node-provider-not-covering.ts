import type { Hit, PodFacts, Rule } from '../src/engine/rule.js';
import type { CloudRegistry, ProviderCoverage } from '../src/credentials/index.js';
import type { Evidence } from '../src/model/finding.js';
import { PLATFORM_PROVIDERS } from '../src/credentials/index.js';
import { placeholderText, setImageCommand } from './lib/commands.js';
import { renewedCloudSecret } from './lib/cloud-secret.js';
import { listNames, runtimeEvidence } from './lib/evidence.js';
import { nodeDescription } from './lib/cloud-helpers.js';
import { registryWords } from './lib/node-identity.js';
import { errorQuote, failingWith, noCredentialReasons, pullRetryNote, withProbeNotes } from './lib/runtime-helpers.js';
import { checkExistingFirst, namespaceSecretsUnverified, referenceSecretCommands, unreferencedFix } from './lib/unreferenced.js';

/** The registries a platform's provider does cover, for the message: its first matchImages entries. */
function coveredList(cov: ProviderCoverage): string {
  const p = PLATFORM_PROVIDERS.find((x) => x.provider === cov.provider && x.verified) ?? PLATFORM_PROVIDERS.find((x) => x.provider === cov.provider);
  if (!p) return '';
  const shown = p.matchImages.slice(0, 4).map((m) => `"${m}"`).join(', ');
  return p.matchImages.length > 4 ? `${shown} and ${p.matchImages.length - 4} more` : shown;
}

/** Why a name on the platform's own registry escapes the provider's matchImages. */
function missReason(cov: ProviderCoverage, registry: CloudRegistry): string {
  if (cov.nearMiss) return `: ${cov.nearMiss.detail}`;
  if (registry.nonStandard) {
    const labels = registry.host.split('.').length;
    return `: the host has ${labels} DNS labels and a matchImages "*" stands for exactly one, so a VPC-endpoint name never matches the provider's ${registry.kind === 'ecr' ? 'ECR patterns (*.dkr.ecr.*.amazonaws.com has 6)' : 'patterns'}`;
  }
  return '';
}

/**
 * The image is on a cloud registry that the credential provider of the pod's node does not cover
 * (a GKE node pulling from ECR, an EKS node from ACR, or a name the provider's matchImages miss,
 * e.g. an ECR VPC-endpoint name), and the pod's secrets give no credential: the pull is anonymous
 * and the registry refuses it. The node's identity cannot help; a pull secret is needed, renewed
 * by something (the cloud's token lasts hours), or the image moved to a registry the platform covers.
 */
const rule: Rule = {
  meta: {
    id: 'node-provider-not-covering',
    title: "Node's credential provider does not cover the image's registry",
    severity: 'error',
    category: 'credentials',
    summary:
      "The image is on a cloud registry that the node's credential provider does not cover (cross-cloud, or a name its matchImages miss), and no pull secret matches: the pull is anonymous. A renewed pull secret is needed.",
    confidence: 'likely',
  },
  check(ctx) {
    const hits: Hit[] = [];
    const facts = ctx.nodePlatform.facts;
    if (!facts || (facts.platform !== 'eks' && facts.platform !== 'gke' && facts.platform !== 'aks')) return hits;
    for (const { c, p } of failingWith(ctx, 'access-denied')) {
      const cov = c.nodeProvider;
      const registry = cov?.registry;
      if (cov?.status !== 'not-covered' || !registry || registry.kind === 'ecr-public' || p.credentials.length > 0) continue;
      const sameCloudMiss = cov.nearMiss !== undefined || registry.nonStandard === true;
      const reasons = noCredentialReasons(ctx, c);
      const existing = unreferencedFix(ctx, c);
      const why = sameCloudMiss
        ? `Its matchImages (${coveredList(cov)}) do not select ${c.parse.ok ? c.parse.ref.name : c.image}${missReason(cov, registry)}; so the kubelet never runs it for this image.`
        : `It covers only its own cloud's registries (matchImages ${coveredList(cov)}); ${registryWords(registry)} is another cloud's, which the node's identity cannot sign in to.`;
      const render = (pods: readonly PodFacts[]) => {
        const nodes = [...new Set(pods.map((x) => x.facts.node).filter((n): n is string => !!n))].sort();
        return (
          `"${c.image}" (container ${c.name}) is on ${registryWords(registry)}, and ${nodeDescription(ctx)}${nodes.length > 1 ? ` (pods on nodes ${listNames(nodes, 'and', 5)})` : ''} runs ${cov.provider === 'fargate' ? 'EKS Fargate, which pulls only ECR with the pod execution role' : `${cov.provider}`}. ${why} ` +
          `The pod's own pull secrets give no credential either (${reasons.map((r) => r.sentence).join('; ')}), so the pull is anonymous and the registry refuses it. ` +
          (sameCloudMiss ? 'Name the image the way the provider expects, or give the pod a pull secret.' : 'A pull secret is needed.') +
          ` Runtime error: ${errorQuote(p)}`
        );
      };
      const facts0 = { node: ctx.nodePlatform.node ?? '' };
      const remediation: string[] = [];
      if (existing?.secrets[0]) {
        remediation.push(...referenceSecretCommands(ctx, existing.secrets[0].secret.name));
      } else {
        if (sameCloudMiss && registry.kind === 'ecr' && c.parse.ok) {
          const fixed = `${placeholderText('account')}.dkr.ecr.${registry.region ?? placeholderText('region')}.amazonaws.com/${c.parse.ref.path}${c.parse.ref.digest ? `@${c.parse.ref.digest}` : `:${c.parse.ref.tag ?? 'latest'}`}`;
          remediation.push(
            "# use the registry's regular name: with the ECR interface endpoint's private DNS on, it resolves to the endpoint, and the node's ecr-credential-provider covers it (*.dkr.ecr.*.amazonaws.com):",
            setImageCommand(ctx, c, fixed),
            '# or, to keep this name, a pull secret:',
          );
        }
        const unseen = namespaceSecretsUnverified(ctx, registry.host);
        if (unseen) remediation.push(checkExistingFirst(ctx));
        remediation.push(...renewedCloudSecret(ctx, registry));
        if (!sameCloudMiss) remediation.push(
          `# or move the image to a registry ${facts.platform === 'eks' ? 'the node role can pull (Amazon ECR)' : facts.platform === 'gke' ? 'the node service account can pull (Artifact Registry)' : 'the kubelet identity can pull (ACR, az aks update --attach-acr)'}: then no pull secret is needed`,
        );
      }
      remediation.push(pullRetryNote(ctx));
      const evidence: Evidence[] = runtimeEvidence(ctx, c);
      if (ctx.nodePlatform.evidence) evidence.push(ctx.nodePlatform.evidence);
      for (const r of reasons) if (r.evidence) evidence.push(r.evidence);
      const hit: Hit = {
        container: c.name,
        image: c.image,
        message: render([{ pod: ctx.podName, facts: facts0 }]),
        perPod: { facts: facts0, render },
        evidence,
        remediation,
      };
      const causedBy = reasons.flatMap((r) => (r.causedBy ? [r.causedBy] : []));
      if (causedBy.length) hit.causedBy = causedBy;
      hits.push(withProbeNotes(hit, c));
    }
    return hits;
  },
};

export default rule;
