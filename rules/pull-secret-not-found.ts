import type { Rule } from './types.js';
import { containerList, failing, missingSecretEvents, specEvidence } from './lib/evidence.js';
import { addPullSecretToWorkload, createDockerRegistrySecret, k, ns, restartWorkload } from './lib/commands.js';

/**
 * A pull secret the pod names does not exist in its namespace. The kubelet records
 * FailedToRetrieveImagePullSecret and pulls without it (semantics §2.3–2.4).
 * When a secret of that name exists elsewhere, pull-secret-wrong-namespace reports it instead.
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
        const registry = hurt.find((c) => c.parse.ok)?.parse;
        const server = registry?.ok ? registry.ref.domain : '<registry>';
        return {
          secret: s.name,
          message:
            `imagePullSecrets names secret "${s.name}", which does not exist in namespace ${ctx.namespace}; the kubelet skips it and pulls without those credentials` +
            (hurt.length ? ` (failing now: ${containerList(hurt)})` : '') +
            '.',
          severity: hurt.length ? 'error' : 'warning',
          evidence: [
            specEvidence(ctx, 'spec.imagePullSecrets', `lists "${s.name}"`),
            { source: 'secret', ref: `Secret ${ctx.namespace}/${s.name}`, detail: 'not found' },
            ...missingSecretEvents(ctx, s.name),
          ],
          remediation: [
            createDockerRegistrySecret(ctx, s.name, server),
            `# or, if the name is a typo, list the pull secrets that do exist: ${k(ctx, `get secrets ${ns(ctx)} --field-selector type=kubernetes.io/dockerconfigjson`)}`,
            `# and point the workload at the right one: ${addPullSecretToWorkload(ctx, '<secret-name>')}`,
            restartWorkload(ctx),
          ],
        };
      });
  },
};

export default rule;
