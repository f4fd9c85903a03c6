import type { Hit, PodFacts, Rule } from '../src/engine/rule.js';
import type { Evidence } from '../src/model/finding.js';
import { listNames, runtimeEvidence } from './lib/evidence.js';
import { nodeDescription } from './lib/cloud-helpers.js';
import { acrIdentity, ecrIdentity, gcpIdentity, providerAttempt, registryWords, type IdentityDiagnosis } from './lib/node-identity.js';
import { errorQuote, failingWith, pullRetryNote, withProbeNotes } from './lib/runtime-helpers.js';

/** The nodes a grouped finding's pods ran on, for its message. */
function onNodes(pods: readonly PodFacts[]): string {
  const nodes = [...new Set(pods.map((p) => p.facts.node).filter((n): n is string => !!n))].sort();
  return nodes.length > 1 ? ` (pods on nodes ${listNames(nodes, 'and', 5)})` : '';
}

/**
 * The registry refused the node's own cloud identity, or the node's credential provider got no
 * token for it: the pod's node runs on EKS, GKE or AKS, the platform's credential provider covers
 * the image's registry (its matchImages select the image, src/credentials/provider-coverage.ts),
 * and the pull still failed for want of access. The kubelet tries the pod's secrets and then the
 * provider's credential (kubelet-semantics §8.5, §9.1), so a failing pull means the node's
 * identity failed too. The fix is that identity's permission (the node role's ECR policy, a
 * cross-account repository policy, the node service account's Artifact Registry reader role, the
 * kubelet identity's AcrPull), never a static token in a pull secret.
 */
const rule: Rule = {
  meta: {
    id: 'node-identity-denied',
    title: "Registry refused the node's cloud identity",
    severity: 'error',
    category: 'credentials',
    summary:
      "The node's credential provider covers the image's cloud registry (ECR on EKS, Artifact Registry on GKE, ACR on AKS), but the registry refused the node's identity or the provider got no token: fix the node role, node service account or kubelet identity.",
    confidence: 'likely',
  },
  check(ctx) {
    const hits: Hit[] = [];
    for (const { c, p } of failingWith(ctx, 'access-denied', 'auth-rejected')) {
      const cov = c.nodeProvider;
      const registry = cov?.registry;
      if (cov?.status !== 'covered' || !registry) continue;
      let d: IdentityDiagnosis;
      if (registry.kind === 'ecr' && ctx.nodePlatform.facts?.platform === 'eks') d = ecrIdentity(ctx, c, p, cov, registry);
      else if ((registry.kind === 'artifact-registry' || registry.kind === 'gcr') && ctx.nodePlatform.facts?.platform === 'gke') d = gcpIdentity(ctx, c, p, registry);
      else if (registry.kind === 'acr' && ctx.nodePlatform.facts?.platform === 'aks') d = acrIdentity(ctx, c, p, registry);
      else continue;
      const podCreds = p.credentials;
      const attempt = providerAttempt(p);
      const provider = cov.provider === 'fargate' ? 'EKS Fargate' : `The kubelet's ${cov.provider}`;
      const opening =
        (podCreds.length
          ? `The pull of "${c.image}" (container ${c.name}) failed with every credential the kubelet had: the pod's secret${podCreds.length > 1 ? 's' : ''} ${[...new Set(podCreds.map((x) => `"${x.secret}"`))].join(', ')}, then the node's own. `
          : `The pod has no pull secret for ${registry.host}, so the kubelet pulled "${c.image}" (container ${c.name}) with the node's own credential. `) +
        `${provider} covers ${registryWords(registry)}${cov.matchImage ? ` (matchImages "${cov.matchImage}")` : ''} and pulls with ${cov.identity}; ` +
        (attempt === 'none' ? 'it got no token, and the registry refused the pull without one.' : `the registry refused ${d.who}.`);
      const render = (pods: readonly PodFacts[]) =>
        `${opening} It ran on ${nodeDescription(ctx)}${onNodes(pods)}. ${d.sentences.join(' ')} Runtime error: ${errorQuote(p)}`;
      const evidence: Evidence[] = runtimeEvidence(ctx, c);
      if (ctx.nodePlatform.evidence) evidence.push(ctx.nodePlatform.evidence);
      const facts = { node: ctx.nodePlatform.node ?? '' };
      const hit: Hit = {
        container: c.name,
        image: c.image,
        message: render([{ pod: ctx.podName, facts }]),
        perPod: { facts, render },
        evidence,
        remediation: [...d.remediation, pullRetryNote(ctx)],
        confidence: d.confirmed ? 'confirmed' : 'likely',
      };
      if (d.unverified.length) hit.unverified = d.unverified;
      hits.push(withProbeNotes(hit, c));
    }
    return hits;
  },
};

export default rule;
