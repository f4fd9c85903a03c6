import type { Rule } from '../src/engine/rule.js';
import { failing, failingNowNote, listedSecretEvidence, missingSecretEvents, secretEvidence } from './lib/evidence.js';
import { dockerRegistrySecret, k, ns, placeholderText, replacePullSecretInWorkload, restartWorkload } from './lib/commands.js';

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
        const server = registry?.ok ? registry.ref.domain : placeholderText('registry');
        return {
          secret: s.name,
          message:
            `imagePullSecrets names secret "${s.name}", which does not exist in namespace ${ctx.namespace}; the kubelet skips it and pulls without those credentials` +
            failingNowNote(hurt) +
            '.',
          severity: hurt.length ? 'error' : 'warning',
          evidence: [
            listedSecretEvidence(ctx, s.name),
            secretEvidence(ctx, s, 'not found'),
            ...missingSecretEvents(ctx, s.name),
          ],
          remediation: [
            dockerRegistrySecret(ctx, s.name, server, { exists: false }),
            `# or, if the name is a typo, list the pull secrets that do exist: ${k(ctx, `get secrets ${ns(ctx)} --field-selector type=kubernetes.io/dockerconfigjson`)}`,
            `# and point the workload at the right one instead of "${s.name}": ${replacePullSecretInWorkload(ctx, s.name, placeholderText('secret-name'))}`,
            restartWorkload(ctx),
          ],
        };
      });
  },
};

export default rule;
