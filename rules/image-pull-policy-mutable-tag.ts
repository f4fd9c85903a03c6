import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { specEvidence } from './lib/evidence.js';
import { placeholderText } from './lib/commands.js';
import { movingTag, writesTag } from './lib/images.js';
import { containerField, inCheck, manifestEdit, yamlScalar } from './lib/manifest.js';
import { repositoryOf } from './lib/runtime-helpers.js';

/**
 * `pulldoctor check` only: `imagePullPolicy: IfNotPresent` or `Never` with an image named by a
 * moving tag and no digest (kubelet-semantics §1.4). With IfNotPresent a node that already holds
 * some build of the tag keeps running it: a new push reaches only nodes that never pulled the
 * tag. With Never the kubelet never pulls: pods run only where the tag was loaded by hand, and
 * fail with ErrImageNeverPull elsewhere. IfNotPresent is also the default for any tag other than
 * latest (`stable`, `main`, …).
 */
const rule: Rule = {
  meta: {
    id: 'image-pull-policy-mutable-tag',
    title: 'imagePullPolicy IfNotPresent or Never with a mutable tag',
    severity: 'warning',
    category: 'image',
    summary:
      'A manifest pairs imagePullPolicy IfNotPresent or Never with a tag that moves (latest, stable, main, …): nodes keep whatever build of the tag they already have.',
    confidence: 'confirmed',
  },
  check(ctx) {
    if (!inCheck(ctx)) return [];
    const hits: RuleHit[] = [];
    for (const c of ctx.containers) {
      const tag = movingTag(c);
      if (!tag || (c.pullPolicy !== 'IfNotPresent' && c.pullPolicy !== 'Never')) continue;
      const spec = [...(ctx.pod.spec.initContainers ?? []), ...ctx.pod.spec.containers, ...(ctx.pod.spec.ephemeralContainers ?? [])].find((x) => x.name === c.name);
      const explicit = spec?.imagePullPolicy !== undefined;
      const field = containerField(ctx, c.name, explicit ? 'imagePullPolicy' : 'image');
      const repo = repositoryOf(c);
      const written = c.image.replace(/:[^/:@]*$/, '');
      const policy = explicit ? `imagePullPolicy: ${c.pullPolicy}` : `no imagePullPolicy, so the kubelet uses IfNotPresent (its default for a tag other than latest)`;
      const effect =
        c.pullPolicy === 'Never'
          ? `The kubelet never pulls it: the pods run only on nodes where some build of "${c.image}" was loaded beforehand, whichever build that was, and fail with ErrImageNeverPull on every other node.`
          : `A node that already holds some build of "${repo}:${tag}" runs that one without asking the registry: a new push under the same tag reaches only nodes that never pulled it, so pods of one workload run different builds.`;
      hits.push({
        container: c.name,
        image: c.image,
        message: `Container ${c.name} has ${policy} for "${c.image}", named by the tag "${tag}"${writesTag(c) ? '' : ' (no tag means latest)'} and no digest. ${effect}`,
        evidence: [
          specEvidence(ctx, `spec.containers{${c.name}}.image`, `image: ${c.image}`),
          specEvidence(ctx, `spec.containers{${c.name}}.imagePullPolicy`, explicit ? `imagePullPolicy: ${c.pullPolicy}` : 'not set (IfNotPresent for this tag)'),
        ],
        remediation: [
          manifestEdit(ctx, containerField(ctx, c.name, 'image'), 'pin the image by digest: every node then runs the same build, whatever it holds', `image: ${yamlScalar(`${written}:${tag}@${placeholderText('digest')}`)}`),
          `crane digest ${repo}:${tag}   # the digest the tag points to now`,
          ...(c.pullPolicy === 'Never'
            ? [`# or let the kubelet pull it: ${manifestEdit(ctx, field, 'set', 'imagePullPolicy: IfNotPresent').replace(/^# /, '')} (with the digest pinned)`]
            : [manifestEdit(ctx, field, 'or keep the tag and have every pod start ask the registry for it', 'imagePullPolicy: Always')]),
        ],
        ...(field ? { field } : {}),
      });
    }
    return hits;
  },
};

export default rule;
