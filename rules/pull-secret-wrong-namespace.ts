import type { Rule } from '../src/engine/rule.js';
import { failing, failingNowNote, listNames, listedSecretEvidence, provenanceNote, secretStateEvidence } from './lib/evidence.js';
import { copySecret, k, restartWorkload, sh } from './lib/commands.js';

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
        const from = where[0] ?? '<namespace>';
        const rest = where.slice(1);
        const registries = [...new Set(ctx.containers.flatMap((c) => (c.parse.ok ? [c.parse.ref.domain === 'docker.io' ? 'Docker Hub' : c.parse.ref.domain] : [])))];
        const forWhat = registries.length ? ` for ${registries.join(', ')}` : '';
        const choice = rest.length
          ? ` The fix below copies the one in ${from} (the first by name); it also exists in ${listNames(rest)}. pulldoctor does not read those copies' registry keys: check which one holds a key${forWhat} before copying.`
          : '';
        const remediation: string[] = [];
        if (rest.length) {
          remediation.push(`# which copy holds a key${forWhat}? (registry keys and usernames only, never passwords)`);
          remediation.push(
            `for n in ${where.map(sh).join(' ')}; do echo "== $n"; ${k(ctx, `get secret ${sh(s.name)} -n "$n" -o jsonpath='{.data.\\.dockerconfigjson}'`)} | base64 -d | jq -c '(.auths // .) | to_entries[] | {registry: .key, username: .value.username}'; done`,
          );
          remediation.push(`# copy it from ${from} (or from ${listNames(rest, 'or')}); create never overwrites an existing secret:`);
        }
        remediation.push(copySecret(ctx, s.name, from), restartWorkload(ctx));
        return {
          secret: s.name,
          message:
            `Pull secret "${s.name}" does not exist in namespace ${ctx.namespace} but does in ${listNames(where)}; ` +
            `the kubelet only reads pull secrets from the pod's own namespace` +
            failingNowNote(hurt) +
            '.' +
            choice +
            provenanceNote(s),
          severity: hurt.length ? 'error' : 'warning',
          evidence: [
            listedSecretEvidence(ctx, s.name),
            ...secretStateEvidence(ctx, s),
            ...where.slice(0, 3).map((n) => ({ source: 'secret', ref: `Secret ${n}/${s.name}`, detail: 'exists' })),
          ],
          remediation,
        };
      });
  },
};

export default rule;
