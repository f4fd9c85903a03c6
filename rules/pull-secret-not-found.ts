import type { Rule } from '../src/engine/rule.js';
import { failing, failingNowNote, listedSecretEvidence, provenanceNote, secretStateEvidence } from './lib/evidence.js';
import { dockerRegistrySecret, k, ns, placeholderText, removePullSecretFromWorkload, replacePullSecretInWorkload, restartWorkload } from './lib/commands.js';
import { cloudRegistryOf } from '../src/credentials/index.js';
import { nodeDescription } from './lib/cloud-helpers.js';
import { renewedCloudSecret } from './lib/cloud-secret.js';
import { anonymousUnverified, inCheck, manifestEdit, pullSecretField, secretManifestCommand, yamlScalar } from './lib/manifest.js';
import type { PullContext, SecretRefState, UnreferencedSecret } from '../src/engine/types.js';

/**
 * `pulldoctor check`: fix the name in the manifest (a typo, when an existing secret serves the
 * image), or create the secret before the manifests are applied — in the cluster, or as a
 * manifest of the set.
 */
function checkRemediation(ctx: PullContext, s: SecretRefState, server: string, existing: UnreferencedSecret | undefined): string[] {
  const field = pullSecretField(ctx, s.name);
  const create = [
    `# create it before applying the manifests (in the cluster: kubectl; or add a Secret to the manifests — the next command prints one; keep its password out of the repository, e.g. with a sealed or external secret):`,
    dockerRegistrySecret(ctx, s.name, server, { exists: false }),
    secretManifestCommand(ctx, s.name, server, placeholderText('username')),
  ];
  if (existing) {
    return [
      manifestEdit(ctx, field, `a typo? secret "${existing.secret.name}" exists in ${ctx.namespace} and holds a key for ${server}; name it instead of "${s.name}"`, `name: ${existing.secret.name}`),
      ...create,
    ];
  }
  return [
    ...create,
    `# or, if the name is a typo, list the pull secrets that do exist: ${k(ctx, `get secrets ${ns(ctx)} --field-selector type=kubernetes.io/dockerconfigjson`)}`,
    manifestEdit(ctx, field, 'and name the right one', `name: ${yamlScalar(placeholderText('secret-name'))}`),
  ];
}

/**
 * A pull secret the pod names does not exist in its namespace. The kubelet records
 * FailedToRetrieveImagePullSecret and pulls without it (semantics §2.3–2.4).
 * When a secret of that name exists elsewhere, pull-secret-wrong-namespace reports it instead.
 * The fact may come from the API (404), from a dump that holds secrets, or — when the input
 * cannot show the secret — from that kubelet event, which names it; the finding cites which.
 */
const rule: Rule = {
  meta: {
    id: 'pull-secret-not-found',
    title: 'Pull secret does not exist',
    severity: 'error',
    category: 'secret',
    summary: 'A secret named in imagePullSecrets does not exist in the pod\'s namespace, so the kubelet pulls without it.',
    confidence: 'confirmed',
  },
  check(ctx) {
    return ctx.pullSecrets
      .filter((s) => s.status === 'missing' && s.otherNamespaces.length === 0)
      .map((s) => {
        const hurt = failing(ctx);
        const first = hurt.find((c) => c.parse.ok);
        const registry = first?.parse;
        const server = registry?.ok ? registry.ref.domain : placeholderText('registry');
        const cov = first?.nodeProvider;
        const cloud = registry?.ok ? cloudRegistryOf(registry.ref.domain) : undefined;
        // The node's credential provider covers the registry: the secret is not needed at all.
        // A cloud registry it does not (or may not) cover: a secret whose token is renewed, never pasted.
        const create =
          cov?.status === 'covered'
            ? [
                `# no pull secret is needed for ${server}: ${cov.provider === 'fargate' ? 'EKS Fargate' : `the kubelet's ${cov.provider ?? ''}`} on ${nodeDescription(ctx)} pulls it with ${cov.identity ?? "the node's identity"}; drop the reference (if the pull still fails, the linked runtime finding says why):`,
                removePullSecretFromWorkload(ctx, s.name),
              ]
            : cloud && cloud.kind !== 'ecr-public'
              ? renewedCloudSecret(ctx, cloud, { name: s.name, referenced: true })
              : [];
        // A secret of the namespace that the pod does not name but that serves a failing image.
        const existing = hurt.flatMap((c) => c.unreferenced)[0];
        const typo = existing
          ? [
              `# or, if the name is a typo: secret "${existing.secret.name}" exists in ${ctx.namespace} and holds a key for ${server}; point the workload at it instead of "${s.name}":`,
              replacePullSecretInWorkload(ctx, s.name, existing.secret.name),
              restartWorkload(ctx),
            ]
          : [
              `# or, if the name is a typo, list the pull secrets that do exist: ${k(ctx, `get secrets ${ns(ctx)} --field-selector type=kubernetes.io/dockerconfigjson`)}`,
              `# and point the workload at the right one instead of "${s.name}": ${replacePullSecretInWorkload(ctx, s.name, placeholderText('secret-name'))}`,
              restartWorkload(ctx),
            ];
        const check = inCheck(ctx);
        const unverified = anonymousUnverified(ctx, hurt);
        return {
          secret: s.name,
          message:
            `imagePullSecrets names secret "${s.name}", which does not exist in namespace ${ctx.namespace}; the kubelet skips it and pulls without those credentials` +
            failingNowNote(hurt, ctx) +
            '.' +
            provenanceNote(s),
          severity: hurt.length ? 'error' : 'warning',
          evidence: [listedSecretEvidence(ctx, s.name), ...secretStateEvidence(ctx, s)],
          remediation: check ? checkRemediation(ctx, s, server, existing) : [...(create.length ? create : [dockerRegistrySecret(ctx, s.name, server, { exists: false })]), ...typo],
          ...(unverified.length ? { unverified } : {}),
        };
      });
  },
};

export default rule;
