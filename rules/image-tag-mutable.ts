import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { specEvidence } from './lib/evidence.js';
import { placeholderText } from './lib/commands.js';
import { movingTag, writesTag } from './lib/images.js';
import { containerField, inCheck, manifestEdit, yamlScalar } from './lib/manifest.js';
import { repositoryOf } from './lib/runtime-helpers.js';

/**
 * `pulldoctor check` only: an image named by a moving tag (`latest`, or none, `stable`, `main`, …)
 * and no digest. Which build a pod runs then depends on when its node pulled the tag: a
 * rollback re-runs whatever the tag points to now, and two pods of one workload can differ.
 * Information, not a failing pull; with imagePullPolicy IfNotPresent or Never it is
 * image-pull-policy-mutable-tag's warning instead.
 */
const rule: Rule = {
  meta: {
    id: 'image-tag-mutable',
    title: 'Image is named by a mutable tag without a digest',
    severity: 'info',
    category: 'image',
    summary: 'A manifest names its image by a tag that moves (latest, or no tag, stable, main, …) and no digest, so what runs depends on when each node pulled it.',
    confidence: 'confirmed',
  },
  check(ctx) {
    if (!inCheck(ctx)) return [];
    const hits: RuleHit[] = [];
    for (const c of ctx.containers) {
      const tag = movingTag(c);
      if (!tag || c.pullPolicy !== 'Always') continue;
      const repo = repositoryOf(c);
      const digest = c.probe?.outcome === 'ok' ? c.probe.attempts.find((a) => a.outcome === 'ok')?.digest : undefined;
      const field = containerField(ctx, c.name, 'image');
      const written = c.image.replace(/:[^/:@]*$/, '');
      hits.push({
        container: c.name,
        image: c.image,
        message:
          `Image "${c.image}" of container ${c.name} is named by the tag "${tag}"${writesTag(c) ? '' : ' (no tag means latest)'} and no digest. ` +
          `The tag can be pushed again at any time, so which build a pod runs depends on when its node pulled it: a rollback or a rescheduled pod may run another image than the one that was tested.` +
          (digest ? ` The registry resolves it to ${digest} now.` : ''),
        evidence: [specEvidence(ctx, `spec.containers{${c.name}}.image`, `image: ${c.image}`)],
        remediation: [
          manifestEdit(ctx, field, 'pin the image by digest (keep the tag for readers)', `image: ${yamlScalar(`${written}:${tag}@${digest ?? placeholderText('digest')}`)}`),
          ...(digest ? [] : [`crane digest ${repo}:${tag}   # the digest the tag points to now (or: docker buildx imagetools inspect ${repo}:${tag})`]),
          `# or name a version tag that is never pushed twice: image: ${yamlScalar(`${written}:${placeholderText('version')}`)}`,
        ],
        ...(field ? { field } : {}),
      });
    }
    return hits;
  },
};

export default rule;
