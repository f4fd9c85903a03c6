import type { Rule } from '../src/engine/rule.js';
import type { Evidence, RuleHit } from '../src/model/finding.js';
import type { ContainerCtx, PullContext } from '../src/engine/types.js';
import { containerList, eventEvidence, failing, failureEvidence, listedSecretEvidence, secretEvidence, statusEvidence } from './lib/evidence.js';
import { dockerRegistrySecret, placeholder, placeholderText } from './lib/commands.js';
import { dataKeyOf, displayDomain, foundSecrets, retryNote, suggestedServer } from './lib/secret-helpers.js';
import { inCheck, manifestEdit, secretDataField, secretInManifests, secretManifestCommand } from './lib/manifest.js';

/** Evidence that a container fails with this decode error, in either kubelet layout (§3.8). */
function decodeErrorEvidence(ctx: PullContext, c: ContainerCtx, error: string): Evidence[] {
  const mentions = c.events.filter((e) => e.message?.includes(error));
  if (mentions[0]) {
    const out = [eventEvidence(mentions[0])];
    const st = statusEvidence(ctx, c);
    if (st && c.waiting?.reason === error) out.push(st);
    return out;
  }
  return failureEvidence(ctx, c);
}

/**
 * A qualifying pull secret the kubelet cannot parse: invalid JSON, an `auth` that is not
 * base64 or has no colon, a field of the wrong JSON type (semantics §3.5, §3.7). The kubelet
 * then throws away every pull credential of the pod and fails the pull of EVERY image that
 * needs one, public images included (§3.8). Reported once per broken secret, pod-level; the
 * fallback rule checks ctx.keyringError itself.
 */
const rule: Rule = {
  meta: {
    id: 'pull-secret-malformed',
    title: 'Pull secret cannot be parsed; every pull of the pod fails',
    severity: 'error',
    category: 'secret',
    summary:
      'A pull secret has invalid JSON or an undecodable auth field; the kubelet then fails the pull of every image of the pod, public ones included.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const s of foundSecrets(ctx)) {
      const p = s.parsed;
      if (p.format === null || p.error === undefined) continue;
      const first = ctx.keyringError?.secret === s.name;
      const hurt = failing(ctx);
      const where = p.errorKey !== undefined ? ` in the entry for registry key "${p.errorKey}"` : '';
      const dataKey = dataKeyOf(s);
      const server =
        p.errorKey ?? p.entries.find((e) => e.normalizedKey !== null)?.registryKey ?? suggestedServer(ctx, hurt);
      const username = p.entries.find((e) => e.registryKey === server)?.username || placeholderText('username');
      const others = [...new Set(p.entries.map((e) => e.registryKey).filter((k) => k !== server))];
      const example = hurt[0] ?? ctx.containers[0];
      const evidence: Evidence[] = [
        listedSecretEvidence(ctx, s.name),
        secretEvidence(ctx, s, `${dataKey}${where}: ${p.error}`),
      ];
      for (const c of hurt.slice(0, 2)) evidence.push(...decodeErrorEvidence(ctx, c, p.error));
      hits.push({
        secret: s.name,
        message:
          `Pull secret "${s.name}" cannot be parsed by the kubelet: ${p.error}${where}. ` +
          `One unparsable pull secret makes the kubelet discard ALL of the pod's pull credentials and fail the pull of EVERY image of the pod, ` +
          `public ones included${example ? ` (e.g. "${example.image}")` : ''}` +
          (hurt.length
            ? `; ${inCheck(ctx) ? 'pulls that would fail once deployed' : 'failing now'}: ${containerList(hurt)}`
            : '; images already on the node keep working until the pod needs a pull') +
          '.' +
          (first ? '' : ` (The kubelet reports "${ctx.keyringError?.message ?? ''}" from secret "${ctx.keyringError?.secret ?? ''}" first; fix both.)`),
        severity: hurt.length ? 'error' : 'warning',
        evidence,
        ...(secretInManifests(ctx, s.name) ? { field: secretDataField(ctx, s.name, dataKey) } : {}),
        remediation: secretInManifests(ctx, s.name)
          ? [
              manifestEdit(ctx, secretDataField(ctx, s.name, dataKey), 'rewrite this Secret with a correctly encoded auth: the next command prints it (kubectl builds the JSON and base64); replace the document with it, keeping the password out of the repository'),
              secretManifestCommand(ctx, s.name, displayDomain(server), username),
            ]
          : [
          `# rewrite the secret with a correctly encoded auth (kubectl builds the JSON and base64 for you):`,
          dockerRegistrySecret(ctx, s.name, displayDomain(server), { exists: true, username }),
          ...(others.length
            ? [`# it also holds ${others.map((k) => `"${k}"`).join(', ')}: to keep several registries, write a config.json with one "auths" entry each and use --from-file=.dockerconfigjson=${placeholder('file')} instead of --docker-server`]
            : []),
          ...(inCheck(ctx) ? [] : [retryNote(ctx)]),
        ],
      });
    }
    return hits;
  },
};

export default rule;
