import type { Rule } from '../src/engine/rule.js';
import type { ContainerCtx, PullContext, UnreferencedSecret } from '../src/engine/types.js';
import type { Evidence, RuleHit } from '../src/model/finding.js';
import { placeholderText, sh } from './lib/commands.js';
import { listNames, probeEvidence, runtimeEvidence, secretEvidence, specEvidence } from './lib/evidence.js';
import { anonymousUnverified, inCheck, ownPullSecretNames, podSpecField, pullSecretsEdit, secretWhere, wouldFail } from './lib/manifest.js';
import { credentialDetails, describeCredential, errorQuote, fullReference, pullProblem, registryOf, withProbeNotes } from './lib/runtime-helpers.js';
import { notReferencedClause, writtenAt, referenceSecretCommands, unreferencedFix, type UnreferencedFix } from './lib/unreferenced.js';

/**
 * `pulldoctor check`: the template's image gets no credential from its own pull secrets, and a
 * secret of the namespace (in the manifests or the cluster) holds one: reference it in the
 * manifest. Whether the registry needs it, only a probe says.
 */
function checkHit(ctx: PullContext, c: ContainerCtx, fix: UnreferencedFix): RuleHit {
  const [best, ...rest] = fix.secrets as [UnreferencedSecret, ...UnreferencedSecret[]];
  const registry = registryOf(c);
  const repo = c.parse.ok ? c.parse.ref.name : c.image;
  // Names that do not exist are dropped from the list it writes (pull-secret-not-found says so).
  const own = ownPullSecretNames(ctx).filter((n) => ctx.pullSecrets.find((s) => s.name === n)?.status !== 'missing');
  const also = rest.length ? ` ${rest.length === 1 ? 'Secret' : 'Secrets'} ${listNames(rest.map((u) => `"${u.secret.name}"`))} ${rest.length === 1 ? 'matches' : 'match'} too.` : '';
  const listed = ctx.pullSecrets.length ? `the pod template lists ${listNames(ctx.pullSecrets.map((s) => `"${s.name}"`))}, ` : 'the pod template lists no imagePullSecrets, ';
  const fails = wouldFail(ctx, c);
  const hit: RuleHit = {
    container: c.name,
    image: c.image,
    secret: best.secret.name,
    message:
      `Secret "${best.secret.name}" in namespace ${ctx.namespace}${secretWhere(ctx, best.secret.name)} has credentials for ${registry} (${credentialDetails(best.credentials[0]!)}), ` +
      `but ${notReferencedClause(ctx)}: ${listed}so once deployed the kubelet would pull "${c.image}" (container ${c.name}) without credentials` +
      (fix.authFailure ? `, and the registry refused the probe's anonymous pull (${c.probe?.outcome}).` : '.') +
      also,
    severity: fails ? 'error' : 'warning',
    evidence: [
      specEvidence(ctx, 'spec.imagePullSecrets', ctx.pullSecrets.length ? `lists ${ctx.pullSecrets.map((s) => `"${s.name}"`).join(', ')} only` : 'is empty'),
      ctx.serviceAccount.from.evidence,
      ...fix.secrets.slice(0, 3).map((u) => ({
        ...u.secret.from.evidence,
        detail: `${u.secret.from.evidence.detail}; ${u.credentials.map((cr) => `key "${cr.registryKey}"${cr.viaDockerHubFallback ? ' (Docker Hub fallback)' : ''} matches ${repo}, username "${cr.username}", fingerprint ${cr.fingerprint}`).join('; ')}`,
      })),
      ...(c.probe ? [probeEvidence(c)!] : []),
    ],
    remediation: [pullSecretsEdit(ctx, [...own, best.secret.name], `reference "${best.secret.name}"`)],
    confidence: fix.authFailure ? 'confirmed' : 'likely',
    field: podSpecField(ctx, 'imagePullSecrets')!,
  };
  const unverified = anonymousUnverified(ctx, fails ? [c] : []);
  if (ctx.serviceAccount.status !== 'found') {
    unverified.push(`ServiceAccount "${ctx.serviceAccount.name}" was not read; if it lists "${best.secret.name}", admission gives it to pods whose template lists no imagePullSecrets.`);
  }
  if (unverified.length) hit.unverified = unverified;
  return hit;
}

const writtenIso = (u: UnreferencedSecret) => new Date(writtenAt(u.secret.parsed) ?? 0).toISOString().replace('.000Z', 'Z');

/**
 * The most common pull-secret mistake: the secret exists in the pod's namespace and holds
 * credentials for the image's registry, but neither the pod's `imagePullSecrets` nor its
 * ServiceAccount names it. The kubelet reads only the secrets the pod lists (semantics §2.1,
 * §2.5), so it pulls without them. Whether the secret covers the image is decided with the
 * kubelet's own key matching (§4–§8). The fix references the existing secret.
 */
const rule: Rule = {
  meta: {
    id: 'pull-secret-not-referenced',
    title: 'Pull secret exists but is not referenced',
    severity: 'error',
    category: 'secret',
    summary:
      "A pull secret in the pod's namespace holds credentials for the failing image's registry, but neither the pod nor its ServiceAccount references it.",
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const c of ctx.containers) {
      const fix = unreferencedFix(ctx, c);
      if (!fix) continue;
      if (inCheck(ctx)) {
        if (fix.secrets.length) hits.push(checkHit(ctx, c, fix));
        continue;
      }
      const [best, ...rest] = fix.secrets;
      if (!best) continue;
      const p = pullProblem(c);
      const registry = registryOf(c);
      const repo = c.parse.ok ? c.parse.ref.name : c.image;
      const why = fix.authFailure
        ? `Runtime error: ${p ? errorQuote(p) : c.failure?.reason}`
        : `The pull fails (${c.failure?.reason}); the runtime error is not in the input, so that this is the cause is likely, not certain.`;
      const also = rest.length ? ` ${rest.length === 1 ? 'Secret' : 'Secrets'} ${listNames(rest.map((u) => `"${u.secret.name}"`))} ${rest.length === 1 ? 'matches' : 'match'} too.` : '';
      const own = ctx.pullSecrets.length ? `the pod lists ${listNames(ctx.pullSecrets.map((s) => `"${s.name}"`))}, ` : 'the pod lists no imagePullSecrets, ';
      const message =
        fix.mode === 'none'
          ? `Secret "${best.secret.name}" in namespace ${ctx.namespace} has credentials for ${registry} (${credentialDetails(best.credentials[0]!)}), ` +
            `but ${notReferencedClause(ctx)}: ${own}so the kubelet pulls "${c.image}" (container ${c.name}) without credentials.${also} ${why}`
          : `The registry rejected the credentials the kubelet sent for "${c.image}" (container ${c.name}), ${describeCredential(p!.credentials[0]!)}. ` +
            `Secret "${best.secret.name}" in namespace ${ctx.namespace}, written ${writtenIso(best)} after the rejected ${p!.credentials.length === 1 ? 'one' : 'ones'}, holds other credentials for ${registry} (${credentialDetails(best.credentials[0]!)}), ` +
            `but ${notReferencedClause(ctx)}. The kubelet tries every matching credential in order, so once the pod lists it the next pull tries it too.${also} ${why}`;
      const evidence: Evidence[] = [
        specEvidence(ctx, 'spec.imagePullSecrets', ctx.pullSecrets.length ? `lists ${ctx.pullSecrets.map((s) => `"${s.name}"`).join(', ')} only` : 'is empty'),
        ctx.serviceAccount.from.evidence,
        ...fix.secrets.slice(0, 3).map((u) =>
          secretEvidence(
            ctx,
            u.secret,
            `exists, type ${u.secret.parsed.type}; ${u.credentials
              .map((cr) => `key "${cr.registryKey}"${cr.viaDockerHubFallback ? ' (Docker Hub fallback)' : ''} matches ${repo}, username "${cr.username}", fingerprint ${cr.fingerprint}`)
              .join('; ')}`,
          ),
        ),
        ...runtimeEvidence(ctx, c),
      ];
      const hit: RuleHit = {
        container: c.name,
        image: c.image,
        secret: best.secret.name,
        message,
        evidence,
        remediation: referenceSecretCommands(ctx, best.secret.name),
        confidence: fix.mode === 'none' && fix.authFailure ? 'confirmed' : 'likely',
      };
      const unverified: string[] = [];
      if (ctx.serviceAccount.status !== 'found') {
        unverified.push(
          `ServiceAccount "${ctx.serviceAccount.name}" is not in the input; if it lists "${best.secret.name}", only pods created from now on get it.`,
        );
      }
      if (fix.mode === 'rejected') {
        unverified.push(
          `Whether the registry accepts the credentials of "${best.secret.name}" was not checked (a probe tries only what the pod sends); from a workstation: skopeo inspect --creds ${sh(`${placeholderText('username')}:${placeholderText('password')}`)} docker://${fullReference(c)}`,
        );
      }
      if (unverified.length) hit.unverified = unverified;
      hits.push(withProbeNotes(hit, c));
    }
    return hits;
  },
};

export default rule;
