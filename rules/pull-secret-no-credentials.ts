import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import type { ParsedEntry } from '../src/credentials/index.js';
import type { ContainerCtx, PullContext } from '../src/engine/types.js';
import { failingNowNote, firstFailureEvidence, listedSecretEvidence, secretEvidence } from './lib/evidence.js';
import { dockerRegistrySecret, placeholderText } from './lib/commands.js';
import { configJsonInDockercfg, dataKeyOf, displayDomain, foundSecrets, retryNote, retypeSecret, suggestedServer } from './lib/secret-helpers.js';
import { anonymousUnverified, inCheck, manifestEdit, secretDataField, secretField, secretInManifests, secretManifestCommand, wouldFail } from './lib/manifest.js';

const TOKEN_FIELDS = /^(identitytoken|registrytoken)$/i;

function describeEntry(e: ParsedEntry): string {
  const tokens = e.ignoredFields.filter((f) => TOKEN_FIELDS.test(f));
  if (tokens.length) return `"${e.registryKey}" has only ${tokens.join(' and ')}, which the kubelet ignores`;
  if (e.ignoredFields.length) return `"${e.registryKey}" has only ${e.ignoredFields.join(', ')}, no username, password or auth`;
  return `"${e.registryKey}" is empty`;
}

/** Failing containers whose lookup gave nothing usable (nothing at all, or only empty credentials). */
function hurtBy(ctx: PullContext, secret: string, noneUsable: boolean): ContainerCtx[] {
  return ctx.containers.filter((c) => {
    if (!(inCheck(ctx) ? wouldFail(ctx, c) : c.failure) || !c.lookup) return false;
    const creds = c.lookup.credentials;
    if (creds.length === 0) return noneUsable;
    return creds.some((cr) => cr.secret === secret) && creds.every((cr) => cr.username === '' && !cr.hasPassword);
  });
}

/**
 * A config.json (`{"auths": {…}}`) stored as a kubernetes.io/dockercfg secret: a shape mistake.
 * The fix makes it the kubernetes.io/dockerconfigjson secret its data already is.
 */
function configJsonHit(ctx: PullContext, s: ReturnType<typeof foundSecrets>[number], auths: ParsedEntry): RuleHit {
  const hurt = hurtBy(ctx, s.name, s.parsed.entries.every((e) => !e.usable));
  const inner = auths.ignoredFields.map((key) => `"${key}"`);
  const holds = inner.length ? ` (registry key${inner.length === 1 ? '' : 's'} ${inner.join(', ')} under "${auths.registryKey}")` : '';
  return {
    secret: s.name,
    message:
      `Pull secret "${s.name}" has type kubernetes.io/dockercfg, but its .dockercfg holds a config.json: {"${auths.registryKey}": {…}}${holds}. ` +
      `The kubelet reads a .dockercfg in the legacy layout, registry keys at the top level, so it sees one registry named "${auths.registryKey}" with no username or password ` +
      `and never looks inside it: this secret gives no credential for any image` +
      failingNowNote(hurt, ctx) +
      `. The config.json layout belongs in a kubernetes.io/dockerconfigjson secret, under the .dockerconfigjson key.`,
    severity: hurt.length ? 'error' : 'warning',
    evidence: [
      listedSecretEvidence(ctx, s.name),
      secretEvidence(ctx, s, `type kubernetes.io/dockercfg; .dockercfg top-level keys: ${s.parsed.entries.map((e) => e.registryKey).join(', ')}; "${auths.registryKey}" holds ${auths.ignoredFields.join(', ') || 'nothing'}`),
      ...firstFailureEvidence(ctx, hurt),
    ],
    remediation: secretInManifests(ctx, s.name)
      ? [
          manifestEdit(ctx, secretField(ctx, s.name, 'type'), 'make it the kubernetes.io/dockerconfigjson Secret its data already is: rename the data key .dockercfg to .dockerconfigjson and set', 'type: kubernetes.io/dockerconfigjson'),
        ]
      : [
          `# make it the kubernetes.io/dockerconfigjson secret its data already is (a secret's type cannot be changed in place, so this recreates it with the same data; values are never printed):`,
          retypeSecret(ctx, s.name, 'kubernetes.io/dockerconfigjson', '.data[".dockerconfigjson"] = .data[".dockercfg"] | del(.data[".dockercfg"])'),
          ...(inCheck(ctx) ? [] : [retryNote(ctx)]),
        ],
    ...(secretInManifests(ctx, s.name) ? { field: secretField(ctx, s.name, 'type') } : {}),
    ...(anonymousUnverified(ctx, hurt).length ? { unverified: anonymousUnverified(ctx, hurt) } : {}),
  };
}

/**
 * Entries of a qualifying pull secret that carry no usable credential: the `{}` entries a
 * Docker Desktop / credential-helper config.json holds (`credsStore`, `credHelpers`), empty
 * entries, or entries with only `identitytoken`/`registrytoken`, which the kubelet ignores
 * (semantics §3.6). Such an entry still matches its registry and is sent as an empty
 * credential (§9.1), so the pull is effectively anonymous. A config.json stored as a
 * .dockercfg is a shape mistake of its own: the kubelet sees a registry named "auths" (§3.4).
 */
const rule: Rule = {
  meta: {
    id: 'pull-secret-no-credentials',
    title: 'Pull secret entries hold no usable credentials',
    severity: 'error',
    category: 'credentials',
    summary:
      'A pull secret\'s registry entries have no username/password/auth (credsStore/credHelpers configs, empty entries, identitytoken only, a config.json stored as .dockercfg), so the kubelet sends empty or no credentials.',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const s of foundSecrets(ctx)) {
      const p = s.parsed;
      if (p.format === null || p.error !== undefined || p.missingAuthsWrapper) continue;
      const auths = configJsonInDockercfg(p);
      if (auths) {
        hits.push(configJsonHit(ctx, s, auths));
        continue;
      }
      const empty = p.entries.filter((e) => !e.usable);
      const helpers = p.topLevelKeys.filter((key) => /^(credsstore|credhelpers)$/i.test(key));
      const noneUsable = p.entries.every((e) => !e.usable);
      if (empty.length === 0 && !(p.entries.length === 0 && helpers.length > 0)) continue;
      const hurt = hurtBy(ctx, s.name, noneUsable);
      const helperText = helpers.length
        ? `It was copied from a Docker config that keeps passwords in a credential helper (${helpers.join(', ')}); the kubelet cannot run credential helpers, and the "auths" entries of such a file are empty. `
        : '';
      const entriesText = empty.length
        ? `${noneUsable ? 'None of its entries has' : `${empty.length} of its ${p.entries.length} entries have`} a username, password or auth: ${empty
            .slice(0, 4)
            .map(describeEntry)
            .join('; ')}${empty.length > 4 ? `; and ${empty.length - 4} more` : ''}. `
        : 'Its "auths" is empty. ';
      const server = displayDomain(
        empty.find((e) => e.normalizedKey !== null && !/\/(access|refresh)-token$/.test(e.registryKey))?.registryKey ??
          suggestedServer(ctx, hurt),
      );
      const username = empty.find((e) => e.username !== '')?.username ?? placeholderText('username');
      hits.push({
        secret: s.name,
        message:
          `Pull secret "${s.name}" holds no usable credentials for ${empty.length ? empty.map((e) => `"${e.registryKey}"`).slice(0, 3).join(', ') : 'any registry'}. ` +
          helperText +
          entriesText +
          `An empty entry still matches its registry and is sent as an empty login, so the pull is effectively anonymous` +
          failingNowNote(hurt, ctx) +
          '.',
        severity: hurt.length ? 'error' : 'warning',
        evidence: [
          listedSecretEvidence(ctx, s.name),
          secretEvidence(
            ctx,
            s,
            `${dataKeyOf(s)}: ` +
              (helpers.length ? `top-level ${helpers.join(', ')}; ` : '') +
              (empty.length ? empty.map(describeEntry).join('; ') : 'auths is empty'),
          ),
          ...firstFailureEvidence(ctx, hurt),
        ],
        ...(secretInManifests(ctx, s.name) ? { field: secretDataField(ctx, s.name, dataKeyOf(s)) } : {}),
        ...(anonymousUnverified(ctx, hurt).length ? { unverified: anonymousUnverified(ctx, hurt) } : {}),
        remediation: secretInManifests(ctx, s.name)
          ? [
              manifestEdit(ctx, secretDataField(ctx, s.name, dataKeyOf(s)), 'store the username and password (or access token) in the Secret itself: the next command prints it; replace the document with it, keeping the password out of the repository'),
              secretManifestCommand(ctx, s.name, server, username),
              ...(helpers.length ? ['# do not build pull secrets from a ~/.docker/config.json that uses "credsStore" or "credHelpers": its "auths" entries hold no secrets'] : []),
            ]
          : [
          `# store the username and password (or access token) in the secret itself:`,
          dockerRegistrySecret(ctx, s.name, server, { exists: true, username }),
          ...(helpers.length
            ? ['# do not build pull secrets from a ~/.docker/config.json that uses "credsStore" or "credHelpers": its "auths" entries hold no secrets']
            : []),
          ...(inCheck(ctx) ? [] : [retryNote(ctx)]),
        ],
      });
    }
    return hits;
  },
};

export default rule;
