import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import type { ContainerCtx, PullContext } from '../src/engine/types.js';
import { failureEvidence, secretEvidence, specEvidence } from './lib/evidence.js';
import { addPullSecretsToWorkload, dockerRegistrySecret, placeholder } from './lib/commands.js';
import { dockerServerFor, failsLikeAnonymous, isNearMiss, suggestedSecretName } from './lib/runtime-helpers.js';
import { configJsonInDockercfg, entryUsername, retryNote, secretState } from './lib/secret-helpers.js';
import { describeUnreferenced, referenceSecretCommands, unreferencedFix } from './lib/unreferenced.js';
import { coveredByNode, notCoveredCloud } from './lib/cloud-helpers.js';
import { anonymousUnverified, inCheck, manifestEdit, ownPullSecretNames, pullSecretsEdit, secretDataField, secretInManifests, secretManifestCommand, wouldFail } from './lib/manifest.js';

/** `pulldoctor check`: the probe was refused the way a registry refuses a client without the right credentials. */
const probeRefused = (c: ContainerCtx): boolean => ['access-denied', 'credentials-rejected', 'repository-not-found'].includes(c.probe?.outcome ?? '');

/** `pulldoctor check`: re-key the secret (its manifest, or the cluster's), or reference / add one in the template. */
function checkRemediation(ctx: PullContext, c: ContainerCtx, best: { secret: string; registryKey: string }, suggested: string, near: boolean, existing: string | undefined): string[] {
  const own = ownPullSecretNames(ctx);
  if (near) {
    const username = entryUsername(ctx, best.secret, best.registryKey);
    const rekey = secretInManifests(ctx, best.secret)
      ? [
          manifestEdit(ctx, secretDataField(ctx, best.secret, secretState(ctx, best.secret)?.parsed?.format === 'dockercfg' ? '.dockercfg' : '.dockerconfigjson'), `re-key the credentials as "${suggested}": the next command prints the Secret; replace the document with it (keep the password out of the repository)`),
          secretManifestCommand(ctx, best.secret, suggested, username),
        ]
      : [`# re-key the credentials as "${suggested}" before applying the manifests:`, dockerRegistrySecret(ctx, best.secret, suggested, { exists: true, username })];
    return [...rekey, ...(existing ? [pullSecretsEdit(ctx, [...own, existing], `or reference "${existing}", which already matches`)] : [])];
  }
  if (existing) return [pullSecretsEdit(ctx, [...own, existing], `reference "${existing}", which already holds credentials for ${c.parse.ok ? c.parse.ref.domain : 'the registry'}`)];
  const newName = suggestedSecretName(c.parse.ok ? c.parse.ref.domain : 'registry');
  return [
    `# "${best.secret}" holds credentials for another registry ("${best.registryKey}"): keep it, and add a secret for ${c.parse.ok ? c.parse.ref.domain : 'the registry'}:`,
    dockerRegistrySecret(ctx, newName, dockerServerFor(c), { exists: false }),
    pullSecretsEdit(ctx, [...own, newName], 'and reference it'),
  ];
}

function otherKeys(ctx: PullContext, secret: string, registryKey: string): string[] {
  return (secretState(ctx, secret)?.parsed?.entries ?? []).map((e) => e.registryKey).filter((key) => key !== registryKey);
}

/**
 * The pod has pull secrets with entries, but no key matches the image's registry, so the
 * kubelet sends no credentials (semantics §4, §7, §8). Explains the nearest miss (port,
 * scheme, `/v1` without slash, path prefix, wildcard depth, letter case, registry-1.docker.io,
 * typo) and names the key that would match. Public images next to an unrelated secret stay
 * quiet: it fires only for a near miss, or when the pull fails the way an anonymous pull of
 * a private image fails.
 */
const rule: Rule = {
  meta: {
    id: 'registry-credentials-mismatch',
    title: 'No pull-secret key matches the image registry',
    severity: 'error',
    category: 'credentials',
    summary:
      'The pod has pull secrets, but no registry key in them matches the image the way the kubelet compares them, so the pull is anonymous.',
    confidence: 'confirmed',
  },
  check(ctx) {
    if (ctx.keyringError) return [];
    const unreadable = ctx.pullSecrets.filter((s) => s.status === 'unknown' || s.status === 'forbidden');
    const hits: RuleHit[] = [];
    // The "auths" key of a config.json stored as a .dockercfg is a shape mistake, not a key for
    // another registry: pull-secret-no-credentials reports it.
    const shapeKey = (secret: string, key: string) => configJsonInDockercfg(secretState(ctx, secret)?.parsed)?.registryKey === key;
    for (const c of ctx.containers) {
      if (!c.parse.ok || !c.lookup || c.lookup.credentials.length > 0) continue;
      // The node's credential provider covers the registry: the kubelet sends the node's credential
      // whatever the pod's keys say, so a pod key is neither the cause nor the fix (node-identity-denied).
      if (coveredByNode(c)) continue;
      const misses = c.misses.filter((m) => !shapeKey(m.secret, m.registryKey));
      if (misses.length === 0) continue;
      const near = misses.filter((m) => isNearMiss(m, c));
      const check = inCheck(ctx);
      const anonymousFailure = check ? probeRefused(c) : failsLikeAnonymous(c);
      if (near.length === 0 && (!anonymousFailure || unreadable.length > 0)) continue;
      const best = near[0] ?? misses[0]!;
      const repo = c.parse.ref.name;
      const suggested = best.suggestedKey ?? c.parse.ref.domain;
      const failingNow = check ? wouldFail(ctx, c) : c.failure !== undefined;
      const keysTried = [...new Set(misses.map((m) => `"${m.registryKey}" (${m.secret})`))];
      const explanation = near.length
        ? `Nearest miss: ${best.detail}. The key that would match is "${suggested}".`
        : `The pod's secrets hold keys for other registries only: ${keysTried.slice(0, 4).join(', ')}; a key for "${suggested}" is missing.`;
      const others = otherKeys(ctx, best.secret, best.registryKey);
      const newName = suggestedSecretName(c.parse.ref.domain);
      // A secret of the namespace that already serves the image: reference it, create nothing.
      const existing = unreferencedFix(ctx, c)?.secrets[0];
      const existingNote = existing
        ? ` ${describeUnreferenced(existing).replace(/^s/, 'S')} in namespace ${ctx.namespace} already matches it, but the pod does not reference it (see pull-secret-not-referenced).`
        : '';
      const hit: RuleHit = {
        container: c.name,
        image: c.image,
        secret: best.secret,
        message:
          `No registry key in the pod's pull secrets matches image "${c.image}" (the kubelet looks up ${repo}), ` +
          (check
            ? `so once deployed it would be pulled without credentials from the pod's secrets${failingNow ? '' : ' — which works only if the image is public'}. `
            : `so it is pulled without credentials from the pod's secrets${failingNow ? '' : ' — it works now only if the image is public or already on the node'}. `) +
          explanation +
          existingNote,
        severity: failingNow ? 'error' : 'warning',
        evidence: [
          specEvidence(ctx, c.fieldPath, `image "${c.image}" → kubelet lookup name ${repo}`),
          ...misses.slice(0, 3).map((m) =>
            secretEvidence(
              ctx,
              { name: m.secret },
              `key "${m.registryKey}"${m.normalizedKey !== null && m.normalizedKey !== m.registryKey ? ` (normalised "${m.normalizedKey}")` : ''} does not match: ${m.detail}`,
            ),
          ),
          ...(failingNow && !check ? failureEvidence(ctx, c) : []),
        ],
        remediation: check
          ? checkRemediation(ctx, c, best, suggested, near.length > 0, existing?.secret.name)
          : near.length
          ? [
              `# re-key the credentials as "${suggested}":`,
              dockerRegistrySecret(ctx, best.secret, suggested, { exists: true, username: entryUsername(ctx, best.secret, best.registryKey) }),
              ...(others.length
                ? [`# "${best.secret}" also holds ${others.map((key) => `"${key}"`).join(', ')}: to keep them, write a config.json with every "auths" entry and use --from-file=.dockerconfigjson=${placeholder('file')}`]
                : []),
              retryNote(ctx),
              ...(existing ? [`# or reference "${existing.secret.name}", which already matches:`, ...referenceSecretCommands(ctx, existing.secret.name)] : []),
            ]
          : existing
            ? [
                `# "${best.secret}" holds credentials for another registry ("${best.registryKey}") that other pods may use: keep it, and reference "${existing.secret.name}", which already holds credentials for ${c.parse.ref.domain}:`,
                ...referenceSecretCommands(ctx, existing.secret.name),
              ]
          : notCoveredCloud(c)
            ? [
                `# "${best.secret}" holds credentials for another registry ("${best.registryKey}") that other pods may use: keep it; ${c.parse.ref.domain} needs a pull secret that is renewed, as the linked node-provider-not-covering finding says`,
              ]
            : [
              // The key is for another registry, and other pods may rely on it: leave that secret alone.
              `# "${best.secret}" holds credentials for another registry ("${best.registryKey}") that other pods may use: keep it, and add a secret for ${c.parse.ref.domain}:`,
              dockerRegistrySecret(ctx, newName, dockerServerFor(c), { exists: false }),
              addPullSecretsToWorkload(ctx, [newName], 'service-account'),
              retryNote(ctx),
            ],
      };
      if (existing) hit.causedBy = [{ rule: 'pull-secret-not-referenced', container: c.name }];
      else if (!near.length && notCoveredCloud(c)) hit.causedBy = [{ rule: 'node-provider-not-covering', container: c.name }];
      const assumed = anonymousUnverified(ctx, failingNow ? [c] : []);
      if (assumed.length) hit.unverified = assumed;
      if (unreadable.length) {
        hit.confidence = 'unverified';
        hit.unverified = [
          ...(hit.unverified ?? []),
          `Pull secret${unreadable.length === 1 ? '' : 's'} ${unreadable.map((s) => `"${s.name}"`).join(', ')} could not be read; ${unreadable.length === 1 ? 'it' : 'they'} may hold a matching key.`,
        ];
      }
      hits.push(hit);
    }
    return hits;
  },
};

export default rule;
