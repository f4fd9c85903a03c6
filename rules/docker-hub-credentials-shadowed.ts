import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { failureEvidence, secretEvidence, specEvidence } from './lib/evidence.js';
import { dockerRegistrySecret, placeholder, placeholderText, removePullSecretFromWorkload } from './lib/commands.js';
import { containersUsing, retryNote, secretState } from './lib/secret-helpers.js';
import { inCheck, manifestEdit, ownPullSecretNames, pullSecretsEdit, secretDataField, secretInManifests, secretManifestCommand, wouldFail } from './lib/manifest.js';

/**
 * The pod holds `index.docker.io` credentials (what `docker login` writes as
 * `https://index.docker.io/v1/`), but they apply only through the Docker Hub fallback, which
 * the kubelet skips as soon as any other key matches the image — e.g. `docker.io` or `*.io`
 * (semantics §8.3–8.4). The index.docker.io credentials are then never tried.
 */
const rule: Rule = {
  meta: {
    id: 'docker-hub-credentials-shadowed',
    title: 'Docker Hub credentials are never tried',
    severity: 'error',
    category: 'credentials',
    summary:
      'index.docker.io credentials are only a fallback; another key (docker.io, *.io) matched the Docker Hub image first, so they are never tried.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const c of ctx.containers) {
      const l = c.lookup;
      if (!l || l.shadowedDockerHub.length === 0 || !c.parse.ok) continue;
      const shadowed = l.shadowedDockerHub;
      const hubSecrets = [...new Set(shadowed.map((x) => x.secret))];
      const winners = l.credentials;
      const winnerKeys = [...new Set(winners.map((x) => x.registryKey))];
      const winnerSecrets = [...new Set(winners.map((x) => x.secret))];
      const used = winners.map((x) => `"${x.registryKey}" from secret "${x.secret}"${x.username ? ` (user ${x.username})` : ''}`);
      const hub = shadowed.map((x) => `secret "${x.secret}"${x.username ? ` (user ${x.username})` : ''}`);
      const check = inCheck(ctx);
      const failingNow = check ? wouldFail(ctx, c) : c.failure !== undefined;
      // Removing a shadowing secret is only safe when no other container relies on it.
      const removable = winnerSecrets.filter((sec) => !hubSecrets.includes(sec) && containersUsing(ctx, sec).every((o) => o === c));
      const hubSecret = hubSecrets[0] ?? '';
      const hubUser = shadowed[0]?.username || placeholderText('username');
      const hubOthers = (secretState(ctx, hubSecret)?.parsed?.entries ?? [])
        .map((e) => e.registryKey)
        .filter((key) => !shadowed.some((x) => x.secret === hubSecret && x.registryKey === key));
      hits.push({
        container: c.name,
        image: c.image,
        secret: hubSecret,
        message:
          `Image "${c.image}" is on Docker Hub (${c.parse.ref.name}); key${winnerKeys.length === 1 ? '' : 's'} ${used.join(', ')} ` +
          `match${winners.length === 1 ? 'es' : ''} it, so the kubelet never tries the index.docker.io credentials of ${hub.join(', ')}: ` +
          `"https://index.docker.io/v1/" is only a fallback used when no other key of the pod matches` +
          (failingNow
            ? check
              ? `; the registry refused the credentials the kubelet would try (${winnerSecrets.join(', ')}): the probe answered ${c.probe?.outcome ?? 'no'}.`
              : `; the pull is failing with the credentials that were tried (${winnerSecrets.join(', ')}).`
            : '.'),
        severity: failingNow ? 'error' : 'warning',
        evidence: [
          specEvidence(ctx, 'spec.imagePullSecrets', `lists ${ctx.pullSecrets.map((s) => `"${s.name}"`).join(', ')}`),
          ...winnerSecrets.map((sec) =>
            secretEvidence(ctx, { name: sec }, `key ${winners.filter((x) => x.secret === sec).map((x) => `"${x.registryKey}"`).join(', ')} matches ${c.parse.ok ? c.parse.ref.name : c.image} and is tried`),
          ),
          ...hubSecrets.map((sec) =>
            secretEvidence(ctx, { name: sec }, `key ${shadowed.filter((x) => x.secret === sec).map((x) => `"${x.registryKey}"`).join(', ')} (index.docker.io): never tried for this image`),
          ),
          ...(failingNow && !check ? failureEvidence(ctx, c) : []),
        ],
        remediation: check
          ? [
              ...(secretInManifests(ctx, hubSecret)
                ? [
                    manifestEdit(ctx, secretDataField(ctx, hubSecret, secretState(ctx, hubSecret)?.parsed?.format === 'dockercfg' ? '.dockercfg' : '.dockerconfigjson'), 'key the Docker Hub credentials as "docker.io" (tried like any other key, in imagePullSecrets order): the next command prints the Secret; replace the document with it'),
                    secretManifestCommand(ctx, hubSecret, 'docker.io', hubUser),
                  ]
                : [`# key the Docker Hub credentials as "docker.io" (tried like any other key, in imagePullSecrets order):`, dockerRegistrySecret(ctx, hubSecret, 'docker.io', { exists: true, username: hubUser })]),
              ...removable.map((sec) => pullSecretsEdit(ctx, ownPullSecretNames(ctx).filter((n) => n !== sec), `or, if "${sec}" is not needed for Docker Hub, drop it from the template`)),
            ]
          : [
          `# make the Docker Hub credentials match directly (a docker.io key is tried like any other, in imagePullSecrets order):`,
          dockerRegistrySecret(ctx, hubSecret, 'docker.io', { exists: true, username: hubUser }),
          ...(hubOthers.length
            ? [`# "${hubSecret}" also holds ${hubOthers.map((key) => `"${key}"`).join(', ')}: to keep them, write a config.json with every "auths" entry (Docker Hub under "docker.io") and use --from-file=.dockerconfigjson=${placeholder('file')}`]
            : []),
          ...removable.map((sec) => `# or, if "${sec}" is not needed for Docker Hub, drop it from the pod: ${removePullSecretFromWorkload(ctx, sec)}`),
          retryNote(ctx),
        ],
      });
    }
    return hits;
  },
};

export default rule;
