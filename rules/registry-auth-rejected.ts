import type { Rule } from '../src/engine/rule.js';
import type { Confidence, RuleHit } from '../src/model/finding.js';
import { dockerRegistrySecret, placeholderText, removePullSecretFromWorkload, sh, showSecretKeys } from './lib/commands.js';
import { runtimeEvidence, secretEvidence } from './lib/evidence.js';
import { coveredByNode, NODE_CREDENTIALS_UNSEEN, nodeCredentialsUnverified, stopPastingTokens } from './lib/cloud-helpers.js';
import { dataKeyOf, formatHours, refreshTokenSecret, secretState } from './lib/secret-helpers.js';
import { describeUnreferenced, referenceSecretCommands, unreferencedFix } from './lib/unreferenced.js';
import {
  credentialDetails,
  describeCredential,
  errorQuote,
  failingWith,
  fullReference,
  isDockerHub,
  isDockerHubOfficial,
  probeAttemptFor,
  pullRetryNote,
  registryOf,
  secretCreatedAt,
  staleToken,
  withProbeNotes,
  type SentCredential,
} from './lib/runtime-helpers.js';
import { rejectedHits } from './lib/probe-check.js';
import { inCheck } from './lib/manifest.js';

/**
 * The registry refused the credentials the kubelet sent (401, "unauthorized", "incorrect
 * username or password", an oauth token request answered 401). Only fires when a pod pull
 * secret matched the image: the kubelet sends those credentials in order and never retries
 * anonymously (semantics §9.1). A 401 for an anonymous pull is registry-access-denied.
 */
const rule: Rule = {
  meta: {
    id: 'registry-auth-rejected',
    title: 'Registry rejected the pull credentials',
    severity: 'error',
    category: 'registry',
    summary: 'The registry refused the username/password the kubelet sent from a pull secret (401): wrong, revoked or expired credentials.',
    confidence: 'likely',
  },
  check(ctx) {
    if (inCheck(ctx)) return rejectedHits(ctx);
    return failingWith(ctx, 'auth-rejected').flatMap(({ c, p }): RuleHit[] => {
      const sent = p.credentials;
      const first = sent[0];
      if (!first) return [];
      const registry = p.classified?.registry ?? registryOf(c);
      const others = sent.slice(1);
      const stale = sent.map((cr) => ({ cr, t: staleToken(ctx, cr) })).filter((x) => x.t !== undefined);
      const empty = sent.filter((cr) => cr.username === '' && !cr.hasPassword);

      // What a probe (--probe) saw for each credential the kubelet sent.
      const probed = sent.map((cr) => ({ cr, a: probeAttemptFor(c, cr) }));
      const works = probed.filter((x) => x.a?.outcome === 'ok').map((x) => x.cr);
      const worksSecrets = new Set(works.map((cr) => cr.secret));
      const rejected = probed.filter((x) => x.a?.outcome === 'credentials-rejected').map((x) => x.cr);
      const from = c.probe?.from ?? 'this machine';
      const bad = (cr: SentCredential) => !works.includes(cr);

      const parts: string[] = [];
      const finish = (remediation: string[], confidence: Confidence): RuleHit =>
        withProbeNotes(
          { container: c.name, image: c.image, secret: first.secret, message: parts.join(' '), evidence, remediation, confidence, unverified, causedBy },
          c,
        );
      if (works.length) {
        const w = works[0] as SentCredential;
        parts.push(
          `The kubelet's last pull of image "${c.image}" (container ${c.name}) was rejected by registry ${registry} (401), but ${works
            .map((cr) => `secret "${cr.secret}" works: a probe from ${from} pulled the image with it (${credentialDetails(cr)})`)
            .join('; and ')}.`,
        );
        if (rejected.length) {
          parts.push(
            `The probe confirms the registry rejects ${rejected.map(describeCredential).join(' and ')}, which the kubelet sends ${sent.indexOf(rejected[0] as SentCredential) < sent.indexOf(w) ? 'first' : 'as well'}.`,
          );
        }
        parts.push(
          `The kubelet stops at the first credential that works, so "${w.secret}" did not work when the kubelet last tried: it was probably fixed since, and the next retry should succeed.`,
        );
      } else {
        parts.push(
          `Registry ${registry} rejected the credentials the kubelet sent for image "${c.image}" (container ${c.name}): ${describeCredential(first)}` +
            (others.length ? `, then ${others.map(describeCredential).join(', then ')}` : '') +
            '.',
        );
      }
      for (const { cr, t } of stale) {
        if (!t || !bad(cr)) continue;
        parts.push(
          `Secret "${cr.secret}" holds ${/^[AEIOU]/.test(t.provider) ? 'an' : 'a'} ${t.provider} token (username "${cr.username}"), which expires after ${t.hours} h; the secret was created ${formatHours(t.ageHours)} ago (${t.createdAt}), so unless its data was refreshed in place since, the token has expired.`,
        );
      }
      for (const cr of empty) {
        parts.push(`The entry "${cr.registryKey}" in secret "${cr.secret}" has an empty username and password; the kubelet still sends it as a credential.`);
      }
      if (isDockerHubOfficial(c) && !works.length) {
        parts.push(
          `"${c.image}" is a public Docker Hub image: it fails only because a Docker Hub credential matched, and once a credential matches the kubelet never retries anonymously.`,
        );
      }
      const covered = coveredByNode(c);
      if (covered && !works.length) {
        parts.push(
          `After them the kubelet tried the node's own credential (${c.nodeProvider?.provider === 'fargate' ? 'EKS Fargate' : c.nodeProvider?.provider}, with ${c.nodeProvider?.identity}), which the registry refused too (see node-identity-denied).`,
        );
      }
      parts.push(`Runtime error: ${errorQuote(p)}`);

      const causedBy: NonNullable<RuleHit['causedBy']> = [];
      for (const name of [...new Set(sent.map((cr) => cr.secret))]) {
        causedBy.push({ rule: 'pull-secret-no-credentials', secret: name }, { rule: 'short-lived-registry-token', secret: name });
      }
      if (c.lookup?.shadowedDockerHub.length) causedBy.push({ rule: 'docker-hub-credentials-shadowed' });
      if (covered && !works.length) causedBy.push({ rule: 'node-identity-denied', container: c.name });
      // Another secret of the namespace holds other credentials for this registry, unreferenced.
      const existing = !works.length ? unreferencedFix(ctx, c) : undefined;
      const other = existing?.mode === 'rejected' ? existing.secrets[0] : undefined;
      if (other) {
        parts.splice(
          parts.length - 1,
          0,
          `${describeUnreferenced(other).replace(/^s/, 'S')} in namespace ${ctx.namespace} holds other credentials for ${registry}, but the pod does not reference it (see pull-secret-not-referenced).`,
        );
        causedBy.push({ rule: 'pull-secret-not-referenced', container: c.name });
      }

      const attempt = probeAttemptFor(c, first);
      const unverified: string[] = [];
      const nodeLine = nodeCredentialsUnverified(ctx, c);
      if (nodeLine) {
        unverified.push(
          nodeLine === NODE_CREDENTIALS_UNSEEN
            ? "Credentials from the node (its docker config.json) or a kubelet credential provider plugin are tried after the pod's and are not visible here."
            : nodeLine,
        );
      }
      if (attempt?.outcome === 'ok') {
        unverified.push(
          `A probe from ${from} with the same credential succeeded: the secret may have been fixed after the kubelet's last attempt, or the node reaches ${registry} through a different endpoint.`,
        );
      } else if (works.length) {
        unverified.push(
          `A probe from ${from} with secret ${works.map((cr) => `"${cr.secret}"`).join(', ')} succeeded: the secret may have been fixed after the kubelet's last attempt, or the node reaches ${registry} through a different endpoint.`,
        );
      } else if (!attempt) {
        unverified.push('Registries blur 401 and 404; run with --probe to confirm the registry refuses this exact credential.');
      }

      const s = secretState(ctx, first.secret);
      const evidence = runtimeEvidence(ctx, c);
      for (const cr of sent) {
        evidence.push(
          secretEvidence(
            ctx,
            { name: cr.secret },
            `registry key "${cr.registryKey}" (normalised "${cr.normalizedKey}") matches ${c.parse.ok ? c.parse.ref.name : c.image}; username "${cr.username}", password ${cr.hasPassword ? 'present' : 'absent'}, fingerprint ${cr.fingerprint}` +
              (secretCreatedAt(secretState(ctx, cr.secret)) ? `; created ${secretCreatedAt(secretState(ctx, cr.secret))}` : ''),
          ),
        );
      }

      if (works.length) {
        const remediation: string[] = [`# secret "${works[0]?.secret}" works from ${from}; ${pullRetryNote(ctx).replace(/^# /, '')}`];
        for (const name of [...new Set(rejected.map((cr) => cr.secret))].filter((n) => !worksSecrets.has(n))) {
          remediation.push(`# then stop sending the rejected secret "${name}" first (fix it, or drop it from the pod):`);
          remediation.push(removePullSecretFromWorkload(ctx, name));
        }
        return [finish(remediation, 'likely')];
      }

      const remediation: string[] = [`# see which registry keys and usernames the secret holds: ${showSecretKeys(ctx, first.secret, dataKeyOf(s))}`];
      const firstStale = stale.find((x) => x.cr === first)?.t;
      if (firstStale) {
        remediation.push(refreshTokenSecret(ctx, first.secret, first.registryKey, first.username, firstStale.provider));
        remediation.push(`# ${firstStale.provider} tokens expire after ${firstStale.hours} h:`, ...stopPastingTokens(ctx, c, first.secret, registry).map((l) => l.replace(/^# stop pasting tokens: /, '# ')));
      } else {
        remediation.push(dockerRegistrySecret(ctx, first.secret, first.registryKey, { exists: true, username: first.username || placeholderText('username') }));
      }
      remediation.push(
        `# check the credential from a workstation first: skopeo inspect --creds ${sh(`${first.username || placeholderText('username')}:${placeholderText('password')}`)} docker://${fullReference(c)}`,
      );
      if (other) remediation.push(`# or, if "${other.secret.name}" holds the current credentials, reference it (the kubelet tries every matching credential in order):`, ...referenceSecretCommands(ctx, other.secret.name));
      if (isDockerHub(c)) {
        remediation.push(
          `# or, if the image is public, remove the Docker Hub entry "${first.registryKey}" from secret "${first.secret}" so the kubelet pulls anonymously`,
        );
      }
      remediation.push(pullRetryNote(ctx));

      return [finish(remediation, attempt?.outcome === 'credentials-rejected' ? 'confirmed' : 'likely')];
    });
  },
};

export default rule;
