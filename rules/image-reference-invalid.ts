import type { Rule } from '../src/engine/rule.js';
import type { ContainerCtx } from '../src/engine/types.js';
import type { Evidence, RuleHit } from '../src/model/finding.js';
import { eventEvidence, specEvidence, statusEvidence } from './lib/evidence.js';
import { placeholderText, setImageCommand } from './lib/commands.js';
import { containerField, inCheck, manifestEdit, yamlScalar } from './lib/manifest.js';

/** What is visibly wrong with the string, in words, and a corrected guess. */
function diagnose(image: string): { hints: string[]; fixed?: string } {
  const hints: string[] = [];
  let s = image;
  if (s === '') return { hints: ['the image field is empty'] };
  if (s !== s.trim() || /\s/.test(s)) {
    hints.push('it contains whitespace');
    s = s.replace(/\s+/g, '');
  }
  if (/^[a-z]+:\/\//i.test(s)) {
    hints.push('it starts with a URL scheme, which image references never have');
    s = s.replace(/^[a-z]+:\/\//i, '');
  }
  if (/[:@]$/.test(s)) {
    hints.push('it ends with a separator but no tag or digest');
    s = s.replace(/[:@]+$/, '');
  }
  if (s.includes('//')) {
    hints.push('it has an empty path component ("//")');
    s = s.replace(/\/{2,}/g, '/');
  }
  // The repository part (before a tag or digest) must be lower case; the domain may not be.
  const at = s.indexOf('@');
  const nameAndTag = at >= 0 ? s.slice(0, at) : s;
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  const name = colon >= 0 ? nameAndTag.slice(0, colon) : nameAndTag;
  const firstSlash = name.indexOf('/');
  const domainLike = firstSlash > 0 && /[.:]|^localhost$/.test(name.slice(0, firstSlash));
  const path = domainLike ? name.slice(firstSlash + 1) : name;
  if (/[A-Z]/.test(path)) {
    hints.push('the repository name has upper-case letters (it must be lower case)');
    s = (domainLike ? name.slice(0, firstSlash + 1) : '') + path.toLowerCase() + s.slice(name.length);
  }
  return s !== image && s !== '' ? { hints, fixed: s } : { hints };
}

/** The kubelet's own message for this container: the InspectFailed event, else the waiting message. */
function kubeletMessage(c: ContainerCtx): { text: string; evidence: Evidence } | undefined {
  const ev = c.events.find((e) => e.parsed.kind === 'inspect-failed' && e.message?.startsWith('Failed to apply default image tag'));
  if (ev?.message) return { text: ev.message, evidence: eventEvidence(ev) };
  return undefined;
}

/**
 * The image string is not a valid reference, so the kubelet never pulls (InvalidImageName,
 * semantics §5–§6). Caught statically from the spec as well, with the same parser the kubelet uses.
 */
const rule: Rule = {
  meta: {
    id: 'image-reference-invalid',
    title: 'Image reference is invalid',
    severity: 'error',
    category: 'image',
    summary: 'The image string is not a valid image reference (InvalidImageName): upper case, a URL scheme, a bad tag or digest, or empty.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const c of ctx.containers) {
      const runtime = c.failure?.reason === 'InvalidImageName' || c.waiting?.reason === 'InvalidImageName';
      if (c.parse.ok && !runtime) continue;
      const km = kubeletMessage(c);
      const waitingMsg = c.waiting?.reason === 'InvalidImageName' ? c.waiting.message : undefined;
      const ours = c.parse.ok ? undefined : c.parse.eventMessage;
      const exact = km?.text ?? waitingMsg ?? ours ?? 'invalid reference format';
      const { hints, fixed } = diagnose(c.image);
      const message =
        `Image "${c.image}" of container ${c.name} is not a valid image reference, so the kubelet never pulls it` +
        (runtime ? ' (InvalidImageName)' : ' (pods with this spec fail with InvalidImageName)') +
        `: ${exact}` +
        (hints.length ? `. Problem: ${hints.join('; ')}.` : '.');
      const evidence: Evidence[] = [specEvidence(ctx, `${c.fieldPath}.image`, c.image === '' ? 'image is empty' : `image: ${c.image}`)];
      if (km) evidence.push(km.evidence);
      const st = statusEvidence(ctx, c);
      if (st && c.waiting?.reason === 'InvalidImageName') evidence.push(st);
      if (ours && ours !== exact) evidence.push({ source: 'image-reference', detail: ours });
      const hit: RuleHit = {
        container: c.name,
        image: c.image,
        message,
        evidence,
        remediation: inCheck(ctx)
          ? [manifestEdit(ctx, containerField(ctx, c.name, 'image'), 'write a valid image reference', `image: ${yamlScalar(fixed ?? `${placeholderText('registry')}/${placeholderText('repository')}:${placeholderText('tag')}`)}`)]
          : [setImageCommand(ctx, c, fixed ?? `${placeholderText('registry')}/${placeholderText('repository')}:${placeholderText('tag')}`)],
        confidence: 'confirmed',
      };
      if (c.parse.ok && runtime) {
        hit.unverified = [
          "pulldoctor's parser accepts this reference but the kubelet rejected it; the node's kubelet may use an older reference library (e.g. the 255-character limit counted the domain before distribution/reference v0.6.0).",
        ];
      }
      hits.push(hit);
    }
    return hits;
  },
};

export default rule;
