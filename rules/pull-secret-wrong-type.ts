import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { failingNowNote, firstFailureEvidence, listedSecretEvidence, secretEvidence } from './lib/evidence.js';
import { dockerRegistrySecret, k, ns, sh } from './lib/commands.js';
import { dataKeysOf, failingWithoutCredentials, foundSecrets, retryNote, retypeSecret, suggestedServer } from './lib/secret-helpers.js';
import { anonymousUnverified, inCheck, manifestEdit, secretField, secretInManifests, secretManifestCommand } from './lib/manifest.js';
import { placeholderText } from './lib/commands.js';

const DCJ = 'kubernetes.io/dockerconfigjson';
const DCFG = 'kubernetes.io/dockercfg';

/**
 * A pull secret the kubelet silently ignores because of its type or data key (semantics §3.1):
 * only `kubernetes.io/dockerconfigjson` with `.dockerconfigjson` and `kubernetes.io/dockercfg`
 * with `.dockercfg` are read. No event, no log: the pull just runs without those credentials.
 */
const rule: Rule = {
  meta: {
    id: 'pull-secret-wrong-type',
    title: 'Pull secret has a type or data key the kubelet ignores',
    severity: 'error',
    category: 'secret',
    summary:
      'A secret in imagePullSecrets is not a kubernetes.io/dockerconfigjson (.dockerconfigjson) or kubernetes.io/dockercfg (.dockercfg) secret, so the kubelet silently ignores it.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const s of foundSecrets(ctx)) {
      const p = s.parsed;
      if (p.format !== null) continue;
      const hurt = failingWithoutCredentials(ctx);
      const keys = dataKeysOf(p);
      const has = (key: string) => keys?.includes(key) === true;
      const reason = p.ignoredReason ?? `type ${p.type} is not read by the kubelet`;
      const emptyData = /data is empty/.test(reason);

      // The smallest fix that keeps the stored values.
      let fix: string;
      let how: string;
      let alt: string | undefined;
      /** The type that makes the kubelet read the data the secret holds, when only the type is wrong. */
      let newType: string | undefined;
      const showKeys = k(ctx, `get secret ${sh(s.name)} ${ns(ctx)} -o go-template='{{range $k, $v := .data}}{{$k}} {{end}}'`);
      if (p.type !== DCJ && p.type !== DCFG && has('.dockerconfigjson')) {
        how = `change its type to ${DCJ} (the .dockerconfigjson data it holds is what the kubelet would read)`;
        fix = retypeSecret(ctx, s.name, DCJ);
        newType = DCJ;
      } else if (p.type !== DCJ && p.type !== DCFG && has('.dockercfg')) {
        how = `change its type to ${DCFG} (the .dockercfg data it holds is what the kubelet would read)`;
        fix = retypeSecret(ctx, s.name, DCFG);
        newType = DCFG;
      } else if (p.type === DCJ && has('.dockercfg') && !has('.dockerconfigjson')) {
        how = `change its type to ${DCFG}, which is the type for a .dockercfg key`;
        fix = retypeSecret(ctx, s.name, DCFG);
        newType = DCFG;
      } else if (p.type === DCFG && has('.dockerconfigjson') && !has('.dockercfg')) {
        how = `change its type to ${DCJ}, which is the type for a .dockerconfigjson key`;
        fix = retypeSecret(ctx, s.name, DCJ);
        newType = DCJ;
      } else if (keys === undefined && p.type !== DCJ && p.type !== DCFG) {
        how = `if it holds a .dockerconfigjson key (check: ${showKeys}), only its type is wrong; change it (a secret's type cannot be changed in place, so this recreates it with the same data)`;
        fix = retypeSecret(ctx, s.name, DCJ);
        alt = `# otherwise recreate it as a docker-registry secret: ${dockerRegistrySecret(ctx, s.name, suggestedServer(ctx, hurt), { exists: 'force' })}`;
      } else {
        how = `recreate it as a ${DCJ} secret with \`kubectl create secret docker-registry\` (a secret's type cannot be changed in place)`;
        fix = dockerRegistrySecret(ctx, s.name, suggestedServer(ctx, hurt), { exists: 'force' });
      }

      const what = emptyData
        ? `its ${p.type === DCFG ? '.dockercfg' : '.dockerconfigjson'} data is empty`
        : p.type === DCJ || p.type === DCFG
          ? `it has type ${p.type} but not the ${p.type === DCJ ? '.dockerconfigjson' : '.dockercfg'} data key that type requires` +
            (keys ? ` (data keys: ${keys.join(', ') || 'none'})` : '')
          : `it has type ${p.type}` + (keys ? ` (data keys: ${keys.join(', ') || 'none'})` : '');
      hits.push({
        secret: s.name,
        message:
          `Pull secret "${s.name}" is ignored by the kubelet: ${what}. The kubelet only reads ${DCJ} secrets with a .dockerconfigjson key ` +
          `and ${DCFG} secrets with a .dockercfg key, and skips any other secret silently (no event), so every image of the pod is pulled without its credentials` +
          failingNowNote(hurt, ctx) +
          '.',
        severity: hurt.length ? 'error' : 'warning',
        evidence: [
          listedSecretEvidence(ctx, s.name),
          secretEvidence(ctx, s, reason.startsWith(`type ${p.type}`) ? reason : `type ${p.type}: ${reason}`),
          ...firstFailureEvidence(ctx, hurt),
        ],
        remediation: !inCheck(ctx)
          ? [`# ${how}:`, fix, ...(alt ? [alt] : []), retryNote(ctx)]
          : secretInManifests(ctx, s.name)
            ? newType
              ? [manifestEdit(ctx, secretField(ctx, s.name, 'type'), how, `type: ${newType}`)]
              : [
                  manifestEdit(ctx, secretField(ctx, s.name), `rewrite it as a ${DCJ} Secret (the next command prints one; keep its password out of the repository)`),
                  secretManifestCommand(ctx, s.name, suggestedServer(ctx, hurt), placeholderText('username')),
                ]
            : [`# before applying the manifests, ${how}:`, fix, ...(alt ? [alt] : [])],
        ...(secretInManifests(ctx, s.name) ? { field: secretField(ctx, s.name, 'type') } : {}),
        ...(anonymousUnverified(ctx, hurt).length ? { unverified: anonymousUnverified(ctx, hurt) } : {}),
      });
    }
    return hits;
  },
};

export default rule;
