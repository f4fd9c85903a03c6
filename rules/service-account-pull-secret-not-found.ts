import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { containerList, failing, provenanceNote, secretStateEvidence } from './lib/evidence.js';
import { dockerRegistrySecret, k, ns, patchServiceAccount, placeholderText, sh } from './lib/commands.js';
import { suggestedServer } from './lib/secret-helpers.js';
import { anonymousUnverified, inCheck, manifestEdit, pullSecretList, secretManifestCommand, serviceAccountField } from './lib/manifest.js';

/**
 * The pod's ServiceAccount names a pull secret that does not exist in the namespace. Every pod
 * created with that ServiceAccount (and no pull secrets of its own) inherits the dangling name
 * through admission (semantics §2.5); the kubelet then records FailedToRetrieveImagePullSecret
 * on each sync and pulls without it (§2.3–2.4).
 */
const rule: Rule = {
  meta: {
    id: 'service-account-pull-secret-not-found',
    title: 'ServiceAccount names a pull secret that does not exist',
    severity: 'warning',
    category: 'service-account',
    summary:
      'The ServiceAccount lists an imagePullSecret that does not exist in the namespace; pods created with it inherit the dangling name.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const sa = ctx.serviceAccount;
    if (sa.status !== 'found') return [];
    const hits: RuleHit[] = [];
    const existing = sa.pullSecrets.filter((s) => s.status !== 'missing').map((s) => s.name);
    // The registry a missing secret would be for: that of an image the pod's secrets give no
    // credential for; unknown when they serve every image (never another secret's registry).
    const unserved = ctx.containers.filter((c) => c.parse.ok && (!c.lookup || c.lookup.credentials.length === 0));
    const server = unserved.length ? suggestedServer(ctx, unserved) : placeholderText('registry');
    for (const s of sa.pullSecrets) {
      if (s.status !== 'missing') continue;
      const inherited = ctx.pullSecrets.some((p) => p.name === s.name);
      const hurt = inherited ? failing(ctx) : [];
      const elsewhere = s.otherNamespaces.length ? ` (a secret of that name exists in ${s.otherNamespaces.join(', ')})` : '';
      hits.push({
        secret: s.name,
        message:
          `ServiceAccount "${sa.name}" lists pull secret "${s.name}", which does not exist in namespace ${ctx.namespace}${elsewhere}. ` +
          (inherited
            ? `This pod inherited the name, so the kubelet reports FailedToRetrieveImagePullSecret on every sync and pulls without it (see pull-secret-not-found)`
            : `Pods created with this ServiceAccount and no pull secrets of their own inherit the dangling name; the kubelet then pulls without it and reports FailedToRetrieveImagePullSecret`) +
          (hurt.length ? `; ${inCheck(ctx) ? 'pulls that would fail once deployed' : 'failing now'}: ${containerList(hurt)}` : '') +
          '.' +
          provenanceNote(s),
        severity: hurt.length ? 'error' : 'warning',
        evidence: [sa.from.evidence, ...(inherited ? secretStateEvidence(ctx, s) : [s.from.evidence])],
        ...(inCheck(ctx) ? { field: serviceAccountField(ctx, s.name)! } : {}),
        ...(anonymousUnverified(ctx, hurt).length ? { unverified: anonymousUnverified(ctx, hurt) } : {}),
        remediation: sa.from.origin === 'manifest'
          ? [
              manifestEdit(ctx, serviceAccountField(ctx, s.name), `drop the dangling name from ServiceAccount ${sa.name}`, `imagePullSecrets: ${pullSecretList(existing)}`),
              `# or create it, if pods need it: ${dockerRegistrySecret(ctx, s.name, server, { exists: false })}`,
              `# (or add it to the manifests: ${secretManifestCommand(ctx, s.name, server, placeholderText('username'))})`,
            ]
          : [
          `# drop the dangling name from the ServiceAccount (keeps ${existing.length ? existing.join(', ') : 'no other pull secrets'}):`,
          existing.length
            ? patchServiceAccount(ctx, sa.name, existing)
            : k(ctx, `patch serviceaccount ${sh(sa.name)} ${ns(ctx)} --type=json -p '[{"op":"remove","path":"/imagePullSecrets"}]'`),
          `# or create it, if pods need it: ${dockerRegistrySecret(ctx, s.name, server, { exists: false })}`,
        ],
        ...(inherited ? { causedBy: [{ rule: 'pull-secret-not-found', secret: s.name }] } : {}),
      });
    }
    return hits;
  },
};

export default rule;
