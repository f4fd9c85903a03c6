import type { Rule } from './types.js';
import { failing, failingNowNote, listedSecretEvidence, missingSecretEvents, secretEvidence } from './lib/evidence.js';
import { copySecret, restartWorkload } from './lib/commands.js';

/**
 * The named pull secret is absent from the pod's namespace but exists in another one.
 * The kubelet only reads secrets from the pod's own namespace (semantics §2.1).
 * Replaces pull-secret-not-found for the same secret.
 */
const rule: Rule = {
  meta: {
    id: 'pull-secret-wrong-namespace',
    title: 'Pull secret is in another namespace',
    severity: 'error',
    category: 'secret',
    summary: 'The named pull secret exists, but in another namespace; the kubelet only reads the pod\'s own namespace.',
    confidence: 'confirmed',
  },
  check(ctx) {
    return ctx.pullSecrets
      .filter((s) => s.status === 'missing' && s.otherNamespaces.length > 0)
      .map((s) => {
        const hurt = failing(ctx);
        const where = s.otherNamespaces;
        return {
          secret: s.name,
          message:
            `Pull secret "${s.name}" does not exist in namespace ${ctx.namespace} but does in ${where.join(', ')}; ` +
            `the kubelet only reads pull secrets from the pod's own namespace` +
            failingNowNote(hurt) +
            '.',
          severity: hurt.length ? 'error' : 'warning',
          evidence: [
            listedSecretEvidence(ctx, s.name),
            secretEvidence(ctx, s, 'not found'),
            ...where.slice(0, 3).map((n) => ({ source: 'secret', ref: `Secret ${n}/${s.name}`, detail: 'exists' })),
            ...missingSecretEvents(ctx, s.name),
          ],
          remediation: [copySecret(ctx, s.name, where[0] ?? '<namespace>'), restartWorkload(ctx)],
        };
      });
  },
};

export default rule;
