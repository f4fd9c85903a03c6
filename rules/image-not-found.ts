import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { placeholder, placeholderText, setImageCommand, sh } from './lib/commands.js';
import { runtimeEvidence } from './lib/evidence.js';
import { errorQuote, failingWith, fullReference, isDockerHubOfficial, probeConclusive, registryOf, repositoryOf, withProbeNotes } from './lib/runtime-helpers.js';
import { containerField, inCheck, manifestEdit, yamlScalar } from './lib/manifest.js';
import { probeEvidence, specEvidence } from './lib/evidence.js';
import type { ContainerCtx, PullContext } from '../src/engine/types.js';

/**
 * `pulldoctor check --probe`: the registry answered, with the credentials the kubelet would send,
 * that the tag (or digest, or repository) does not exist — the pull of a pod would fail the same
 * way once deployed. Same cause as a failing pull's "not found", hence the same rule.
 */
function checkHits(ctx: PullContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const c of ctx.containers) {
    const outcome = c.probe?.outcome;
    if ((outcome !== 'tag-not-found' && outcome !== 'repository-not-found') || c.pullPolicy === 'Never' || !c.parse.ok) continue;
    const { tag, digest, path } = c.parse.ref;
    const repo = repositoryOf(c);
    const target = digest ? `digest ${digest}` : `tag "${tag ?? 'latest'}"`;
    const sent = c.lookup?.credentials.length ? `with the credentials the kubelet would send (${[...new Set(c.lookup.credentials.map((cr) => `secret "${cr.secret}"`))].join(', ')})` : 'anonymously, as the kubelet would (no pull secret matches it)';
    const what =
      outcome === 'tag-not-found'
        ? `repository ${repo} exists but has no ${target}: it was never pushed, or was deleted`
        : `registry ${registryOf(c)} has no repository ${path}${c.lookup?.credentials.length ? '' : ' (or it is private: registries answer that way to an anonymous client)'}`;
    const field = containerField(ctx, c.name, 'image');
    const hit: RuleHit = {
      container: c.name,
      image: c.image,
      message: `Image "${c.image}" of container ${c.name} would not pull once deployed: asked ${sent}, ${what}.`,
      evidence: [specEvidence(ctx, `spec.containers{${c.name}}.image`, `image: ${c.image}`), probeEvidence(c as ContainerCtx)!],
      remediation: [
        `crane ls ${repo}   # the tags that exist`,
        manifestEdit(ctx, field, 'name an image that was pushed', `image: ${yamlScalar(`${repo}${digest ? `@${placeholderText('digest')}` : `:${placeholderText('existing-tag')}`}`)}`),
        `# or push ${fullReference(c)} before applying the manifests`,
      ],
      confidence: outcome === 'tag-not-found' || (c.lookup?.credentials.length ?? 0) > 0 ? 'confirmed' : 'likely',
      ...(field ? { field } : {}),
    };
    hits.push(withProbeNotes(hit, c));
  }
  return hits;
}

/**
 * The registry has no such image: manifest unknown (the tag or digest is missing), name
 * unknown (the repository is missing), or containerd's bare `<ref>: not found` (either).
 * Also fires when a probe shows that a 401/403 was a registry hiding a missing repository.
 */
const rule: Rule = {
  meta: {
    id: 'image-not-found',
    title: 'Image tag, digest or repository does not exist',
    severity: 'error',
    category: 'image',
    summary: 'The registry answered "not found" for the image: the tag or digest was never pushed or was deleted, or the repository name is wrong.',
    confidence: 'likely',
  },
  check(ctx) {
    if (inCheck(ctx)) return checkHits(ctx);
    return failingWith(ctx, 'not-found').map(({ c, p }): RuleHit => {
      const registry = registryOf(c);
      const repo = repositoryOf(c);
      const ref = fullReference(c);
      const tag = c.parse.ok ? c.parse.ref.tag : undefined;
      const digest = c.parse.ok ? c.parse.ref.digest : undefined;
      const probe = c.probe?.outcome;
      const explicitTag = tag !== undefined && c.image.includes(`:${tag}`);

      // Which part is missing: the probe knows best, then the registry's own words.
      let what: 'manifest' | 'repository' | 'ambiguous' = p.classified?.notFound ?? 'ambiguous';
      if (probe === 'tag-not-found') what = 'manifest';
      if (probe === 'repository-not-found') what = 'repository';

      const target = digest ? `digest ${digest}` : `tag "${tag ?? 'latest'}"${explicitTag ? '' : ' (the default, because the image names no tag)'}`;
      let message: string;
      if (what === 'manifest') {
        message = digest
          ? `Image "${c.image}" (container ${c.name}) cannot be pulled: repository ${repo} exists but has no manifest with ${target}; the digest no longer exists (deleted, garbage-collected, or pushed to another repository).`
          : `Image "${c.image}" (container ${c.name}) cannot be pulled: repository ${repo} exists but has no ${target}. Check the tag for a typo, or whether it was pushed at all.`;
      } else if (what === 'repository') {
        message = `Image "${c.image}" (container ${c.name}) cannot be pulled: registry ${registry} has no repository ${c.parse.ok ? c.parse.ref.path : repo}. Check the repository name for a typo (and the registry host).`;
      } else {
        message =
          `Image "${c.image}" (container ${c.name}) was not found on ${registry}: either the repository ${repo} or its ${target} does not exist — the runtime does not say which. ` +
          (digest ? 'For a digest reference this usually means the digest no longer exists. ' : 'List the tags to see whether the repository exists and the tag is a typo. ');
      }
      message = message.trimEnd();
      if (p.refinedBy) {
        message += ` The runtime reported an access error, but a registry probe shows the ${what === 'repository' ? 'repository' : 'tag'} does not exist (registries hide missing repositories behind 401/403).`;
      }
      message += ` Runtime error: ${errorQuote(p)}`;

      const unverified: string[] = [];
      if (p.credentials.length === 0 && !isDockerHubOfficial(c) && !probeConclusive(c)) {
        unverified.push(
          `The pull was anonymous as far as pod pull secrets go; some registries answer "not found" instead of "denied" for private repositories, so ${repo} may exist but be private.`,
        );
      }
      const confirmed = probe === 'tag-not-found' || probe === 'repository-not-found' || (what === 'manifest' && p.credentials.length > 0);

      const remediation = [
        `crane ls ${repo}   # list the tags that exist (add credentials with: crane auth login ${registry === 'docker.io' ? 'index.docker.io' : registry} -u ${placeholder('username')} -p ${placeholder('password')})`,
        `skopeo list-tags docker://${repo}`,
      ];
      if (digest) remediation.push(`crane digest ${sh(`${repo}:${placeholderText('tag')}`)}   # the digest a tag points to now`);
      else remediation.push(`crane manifest ${ref}   # confirm the exact reference exists before rolling out`);
      remediation.push(setImageCommand(ctx, c, digest ? `${repo}@${placeholderText('digest')}` : `${repo}:${placeholderText('existing-tag')}`));

      const hit: RuleHit = {
        container: c.name,
        image: c.image,
        message,
        evidence: runtimeEvidence(ctx, c),
        remediation,
        confidence: confirmed ? 'confirmed' : 'likely',
      };
      if (unverified.length) hit.unverified = unverified;
      return withProbeNotes(hit, c);
    });
  },
};

export default rule;
