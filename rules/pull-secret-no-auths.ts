import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { failingNowNote, firstFailureEvidence, listedSecretEvidence, secretEvidence } from './lib/evidence.js';
import { dockerRegistrySecret } from './lib/commands.js';
import { editSecretData, failingWithoutCredentials, foundSecrets, retryNote, retypeSecret, suggestedServer } from './lib/secret-helpers.js';
import { anonymousUnverified, inCheck, manifestEdit, secretDataField, secretField, secretInManifests } from './lib/manifest.js';

/** Top-level members of a docker config.json that are not registry keys. */
const CONFIG_MEMBERS = /^(credsstore|credhelpers|httpheaders|currentcontext|psformat|imagesformat|detachkeys|experimental|proxies|plugins|aliases|stackorchestrator|kubernetes)$/i;

/**
 * A `.dockerconfigjson` written in the legacy `.dockercfg` layout (`{"host": {...}}`) instead
 * of `{"auths": {"host": {...}}}`. The kubelet reads only `auths`, so the secret qualifies but
 * contributes zero credentials, silently (semantics §3.4).
 */
const rule: Rule = {
  meta: {
    id: 'pull-secret-no-auths',
    title: 'Pull secret lacks the "auths" wrapper',
    severity: 'error',
    category: 'secret',
    summary:
      'A .dockerconfigjson has registry keys at the top level (the legacy .dockercfg layout) instead of under "auths", so the kubelet finds no credentials in it.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const s of foundSecrets(ctx)) {
      const p = s.parsed;
      if (p.format !== 'dockerconfigjson' || p.error !== undefined || !p.missingAuthsWrapper) continue;
      const hurt = failingWithoutCredentials(ctx);
      const registryKeys = p.topLevelKeys.filter((key) => !CONFIG_MEMBERS.test(key));
      const keysText = registryKeys.length
        ? `registry key${registryKeys.length === 1 ? '' : 's'} ${registryKeys.map((key) => `"${key}"`).join(', ')} at the top level`
        : p.topLevelKeys.length
          ? `only top-level members ${p.topLevelKeys.map((key) => `"${key}"`).join(', ')}`
          : 'no "auths" member';
      hits.push({
        secret: s.name,
        message:
          (registryKeys.length
            ? `Pull secret "${s.name}" has ${keysText} but no "auths" wrapper: its .dockerconfigjson is in the legacy .dockercfg layout. `
            : `Pull secret "${s.name}" has ${keysText} and no "auths": it was made from a docker config.json whose credentials live in a credential store or helper, so it holds none itself. `) +
          `The kubelet reads only the "auths" member of a .dockerconfigjson, so this secret yields zero credentials (silently) and the pod's images are pulled anonymously` +
          failingNowNote(hurt, ctx) +
          '.',
        severity: hurt.length ? 'error' : 'warning',
        evidence: [
          listedSecretEvidence(ctx, s.name),
          secretEvidence(
            ctx,
            s,
            `type ${p.type}; .dockerconfigjson top-level members: ${p.topLevelKeys.join(', ') || 'none'}; no "auths"`,
          ),
          ...firstFailureEvidence(ctx, hurt),
        ],
        ...(secretInManifests(ctx, s.name) ? { field: secretDataField(ctx, s.name, '.dockerconfigjson') } : {}),
        ...(anonymousUnverified(ctx, hurt).length ? { unverified: anonymousUnverified(ctx, hurt) } : {}),
        remediation: !registryKeys.length
          ? [
              // Nothing to wrap: credsStore/credHelpers name programs on the machine where
              // `docker login` ran; the kubelet never runs them, so the secret needs the credentials themselves.
              `# ${inCheck(ctx) ? 'before applying the manifests, ' : ''}the secret holds no registry entries to wrap (credsStore/credHelpers name programs that run where docker login ran; the kubelet never runs them): write the credentials themselves`,
              dockerRegistrySecret(ctx, s.name, suggestedServer(ctx, hurt), { exists: true }),
              ...(inCheck(ctx) ? [] : [retryNote(ctx)]),
            ]
          : secretInManifests(ctx, s.name)
            ? [
                manifestEdit(ctx, secretDataField(ctx, s.name, '.dockerconfigjson'), 'wrap the registry entries in "auths"', '{"auths": {<the registry keys it holds, as they are>}}'),
                manifestEdit(ctx, secretField(ctx, s.name, 'type'), 'or keep the legacy layout and declare it: rename the data key .dockerconfigjson to .dockercfg and set', 'type: kubernetes.io/dockercfg'),
              ]
            : [
                `# ${inCheck(ctx) ? 'before applying the manifests, ' : ''}wrap the existing entries in "auths" (values stay as they are and are never printed):`,
                editSecretData(ctx, s.name, `.data[".dockerconfigjson"] |= (@base64d | fromjson | {auths: with_entries(select(.value | type == "object"))} | tojson | @base64)`),
                `# or keep the legacy layout and declare it as such: ${retypeSecret(ctx, s.name, 'kubernetes.io/dockercfg', '.data[".dockercfg"] = .data[".dockerconfigjson"] | del(.data[".dockerconfigjson"])')}`,
                ...(inCheck(ctx) ? [] : [retryNote(ctx)]),
              ],
      });
    }
    return hits;
  },
};

export default rule;
