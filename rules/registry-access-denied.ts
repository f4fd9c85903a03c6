import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { addPullSecretsToWorkload, copySecret, dockerRegistrySecret, placeholder, placeholderText, restartWorkload, sh, showSecretKeys } from './lib/commands.js';
import { runtimeEvidence } from './lib/evidence.js';
import { cloudRegistryOf } from '../src/credentials/index.js';
import { coveredByNode, nodeCheckCommand, nodeCredentialsUnverified, nodeDescription, notCoveredCloud, podNode, stopPastingTokens } from './lib/cloud-helpers.js';
import { renewedCloudSecret } from './lib/cloud-secret.js';
import { formatHours, refreshTokenSecret } from './lib/secret-helpers.js';
import { checkExistingFirst, namespaceSecretsUnverified, referenceSecretCommands, unreferencedFix, unreferencedReason } from './lib/unreferenced.js';
import { chooseCopy, dataKeyOf, entryUsername, secretState } from './lib/secret-helpers.js';
import {
  anonymousProbe,
  describeCredential,
  dockerServerFor,
  errorQuote,
  failingWith,
  fullReference,
  isNearMiss,
  noCredentialReasons,
  probeAttemptFor,
  pullRetryNote,
  registryOf,
  repositoryOf,
  staleToken,
  suggestedSecretName,
  withProbeNotes,
  type SentCredential,
} from './lib/runtime-helpers.js';
import { deniedHits } from './lib/probe-check.js';
import { inCheck } from './lib/manifest.js';

/** Where to grant pull access, for registries we recognise by host. */
function grantHint(registry: string, repo: string, cr: SentCredential): string {
  if (cr.username === '') {
    return `# secret "${cr.secret}" sends no username for ${registry}: store the credentials of an account with pull access to ${repo} in it`;
  }
  if (/\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com/.test(registry)) {
    return `# Amazon ECR: the IAM identity behind the token needs ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on ${repo} (repository policy or IAM policy)`;
  }
  if (/(^|\.)gcr\.io$|-docker\.pkg\.dev$/.test(registry)) {
    return `# Google Artifact Registry / GCR: grant the account behind "${cr.username}" roles/artifactregistry.reader on the repository`;
  }
  if (/\.azurecr\.(io|cn|us)$/.test(registry)) return `# Azure Container Registry: give the identity "${cr.username}" the AcrPull role on the registry`;
  if (registry === 'ghcr.io') return `# GitHub Container Registry: the token of "${cr.username}" needs read:packages and access to the package (package settings → Manage access)`;
  if (registry === 'docker.io') return `# Docker Hub: "${cr.username}" must be a member of a team with read access to ${repo}, and personal access tokens need the Read scope`;
  if (registry === 'quay.io') return `# Quay: give "${cr.username}" (robot account) Read permission on the repository`;
  return `# give "${cr.username}" pull (read) permission on ${repo} in the registry, e.g. a Harbor project membership or robot account permission`;
}

/**
 * The fix for an image on a cloud registry when the input cannot show whether the node's
 * credential provider covers it: settle that on the node first (covered: no secret at all, fix
 * the node's identity), and only then a pull secret that is renewed, never a pasted token.
 * Undefined for any other registry (and ECR Public, which needs no credential to pull).
 */
function cloudSecretFix(ctx: Parameters<Rule['check']>[0], image: string, domain: string, missing?: string): string[] | undefined {
  const reg = cloudRegistryOf(domain);
  if (!reg || reg.kind === 'ecr-public') return undefined;
  // `missing`: the pod already names that secret, which does not exist: create it under that name.
  const secret = renewedCloudSecret(ctx, reg, missing ? { name: missing, referenced: true } : {});
  if (!secret.length) return undefined;
  const node = podNode(ctx);
  const first = node
    ? `# see on node ${node} whether its credential provider covers ${reg.host} (on EKS, GKE and AKS nodes it usually does: then no pull secret is needed, and a refusal concerns the node's identity): ${nodeCheckCommand(ctx, node, image)}`
    : `# see on the pod's node whether its credential provider covers ${reg.host} (on EKS, GKE and AKS nodes it usually does: then no pull secret is needed): pulldoctor node --root /host --probe ${sh(image)} in a kubectl debug node pod`;
  return [first, '# if it does not, a pull secret that is renewed:', ...secret];
}

/**
 * Static causes that are fixed in the secret the pod already lists (its type, layout or data):
 * the effect points at that fix instead of offering a new secret.
 */
const FIXED_IN_PLACE = new Set(['pull-secret-wrong-type', 'pull-secret-no-auths', 'pull-secret-no-credentials', 'pull-secret-malformed']);

/**
 * The registry refused the pull: 403, "denied", insufficient_scope, "repository does not exist
 * or may require 'docker login'", or a 401 for an anonymous pull. Without a matching pod
 * credential this is a private image pulled anonymously, and the finding links the static cause
 * (missing / wrong-type / mismatched secret). With credentials it is ambiguous: the account has
 * no access, or the repository does not exist.
 */
const rule: Rule = {
  meta: {
    id: 'registry-access-denied',
    title: 'Registry denied access to the image',
    severity: 'error',
    category: 'registry',
    summary: 'The registry refused the pull (403 / denied): a private image pulled without credentials, an account without access, or a repository that does not exist.',
    confidence: 'likely',
  },
  check(ctx) {
    if (inCheck(ctx)) return deniedHits(ctx);
    return failingWith(ctx, 'access-denied').flatMap(({ c, p }): RuleHit[] => {
      const registry = registryOf(c);
      const repo = repositoryOf(c);
      const ref = fullReference(c);
      const sent = p.credentials;
      const evidence = runtimeEvidence(ctx, c);
      // What the node's own credential step adds (its platform's provider), or why the input cannot tell.
      const nodeCreds = nodeCredentialsUnverified(ctx, c);
      const covered = coveredByNode(c);
      const crossCloud = notCoveredCloud(c);
      if ((covered || crossCloud) && ctx.nodePlatform.evidence) evidence.push(ctx.nodePlatform.evidence);
      const providerWords = c.nodeProvider?.provider === 'fargate' ? 'EKS Fargate' : `the kubelet's ${c.nodeProvider?.provider ?? ''}`;
      const ProviderWords = providerWords.charAt(0).toUpperCase() + providerWords.slice(1);

      if (sent.length === 0) {
        const reasons = noCredentialReasons(ctx, c);
        // A secret of the namespace that would serve the image, named by neither the pod nor its ServiceAccount.
        const existing = unreferencedFix(ctx, c);
        if (existing) reasons.push(unreferencedReason(ctx, c, existing));
        const anon = anonymousProbe(c);
        const unverified = [...(nodeCreds ? [nodeCreds] : []), ...reasons.flatMap((r) => (r.unverified ? [r.unverified] : []))];
        const unseen = existing || covered ? undefined : namespaceSecretsUnverified(ctx, registry);
        if (unseen) unverified.push(unseen);
        for (const r of reasons) if (r.evidence) evidence.push(r.evidence);
        const remediation: string[] = [];
        const fix = reasons.find((r) => r.fixSecret)?.fixSecret;
        const missing = ctx.pullSecrets.find((s) => s.status === 'missing');
        const server = dockerServerFor(c);
        // Re-key only a slip on this registry; a key for another registry may serve other pods.
        const miss = fix ? c.misses.find((m) => m.secret === fix && m.suggestedKey && isNearMiss(m, c)) : undefined;
        const inPlace = reasons.flatMap((r) => (r.causedBy?.secret && FIXED_IN_PLACE.has(r.causedBy.rule) ? [r.causedBy] : []));
        // The username stored with the key being re-keyed is known: only the password is a placeholder.
        const username = fix && miss ? entryUsername(ctx, fix, miss.registryKey) : placeholderText('username');
        // A cloud registry on a node whose provider step the input cannot show: the node may well
        // cover it (then no secret is needed); a secret, if one is needed, is a renewed one.
        const cloudSecret = nodeCreds && !covered && !crossCloud && c.parse.ok ? cloudSecretFix(ctx, c.image, c.parse.ref.domain) : undefined;
        if (covered) {
          // The node's provider covers the registry: no pull secret is the fix, the node's identity is.
          remediation.push(
            `# no pull secret is needed for ${registry}: ${providerWords} on ${nodeDescription(ctx)} pulls it with ${c.nodeProvider?.identity}; fix that identity's access as the linked node-identity-denied finding says`,
          );
        } else if (existing?.secrets[0]) {
          remediation.push(...referenceSecretCommands(ctx, existing.secrets[0].secret.name));
        } else if (fix && miss?.suggestedKey) {
          remediation.push(`# see which registry keys secret "${fix}" holds: ${showSecretKeys(ctx, fix, dataKeyOf(secretState(ctx, fix)))}`);
          remediation.push(
            `# key "${miss.registryKey}" does not match; write it as "${miss.suggestedKey}" (this replaces the secret's entries — keep any others): ` +
              dockerRegistrySecret(ctx, fix, miss.suggestedKey, { exists: true, username }),
          );
        } else if (inPlace.length) {
          // The cause finding fixes the secret the pod already lists; a second secret would compete with it.
          for (const cause of inPlace) {
            remediation.push(`# fix secret "${cause.secret}" as the linked ${cause.rule} finding says; no new secret is needed`);
          }
        } else if (crossCloud && !missing) {
          remediation.push(`# the node's ${c.nodeProvider?.provider} does not cover ${registry}: create a pull secret that is renewed, as the linked node-provider-not-covering finding says`);
        } else if (fix && !cloudSecret) {
          const name = suggestedSecretName(registry);
          if (unseen) remediation.push(checkExistingFirst(ctx));
          remediation.push(dockerRegistrySecret(ctx, name, server, { exists: false }));
          remediation.push(addPullSecretsToWorkload(ctx, [name], 'service-account'));
        } else if (missing) {
          // The same copy pull-secret-wrong-namespace takes: the one whose credentials match the image.
          const choice = chooseCopy(ctx, missing);
          const from = choice.chosen?.namespace ?? (choice.images.length ? undefined : missing.otherNamespaces[0]);
          const cloudMissing = !from && cloudSecret && c.parse.ok ? cloudSecretFix(ctx, c.image, c.parse.ref.domain, missing.name) : undefined;
          if (from) remediation.push(copySecret(ctx, missing.name, from));
          else if (cloudMissing) remediation.push(...cloudMissing);
          else remediation.push(dockerRegistrySecret(ctx, missing.name, server, { exists: false }));
        } else if (ctx.pullSecrets.length === 0 && reasons.some((r) => r.causedBy?.rule === 'service-account-pull-secrets-not-applied')) {
          remediation.push(`# pods get their ServiceAccount's imagePullSecrets only at creation: ${restartWorkload(ctx)}`);
        } else if (cloudSecret) {
          const [onNode, ...secret] = cloudSecret;
          if (onNode) remediation.push(onNode);
          if (unseen) remediation.push(checkExistingFirst(ctx));
          remediation.push(...secret);
        } else {
          const name = suggestedSecretName(registry);
          if (unseen) remediation.push(checkExistingFirst(ctx));
          remediation.push(dockerRegistrySecret(ctx, name, server, { exists: false }));
          remediation.push(addPullSecretsToWorkload(ctx, [name], 'service-account'));
        }
        if (!existing && !covered && !crossCloud && !cloudSecret) {
          remediation.push(`# check the credential from a workstation first: skopeo inspect --creds ${sh(`${username}:${placeholderText('password')}`)} docker://${ref}`);
        }
        if (!existing && !remediation.some((r) => r.includes('rollout restart') || r.includes('delete pod'))) remediation.push(pullRetryNote(ctx));

        const confirmed = anon !== undefined && (anon.outcome === 'access-denied' || anon.outcome === 'credentials-rejected');
        const hit: RuleHit = {
          container: c.name,
          image: c.image,
          message:
            `Registry ${registry} denied access to "${c.image}" (container ${c.name}) and the kubelet sent no credentials from the pod's pull secrets: ` +
            `${reasons.map((r) => r.sentence).join('; ')}. ` +
            (covered
              ? `${ProviderWords} on ${nodeDescription(ctx)} covers ${registry} and pulls with ${c.nodeProvider?.identity}: the refusal concerns that identity (see node-identity-denied). `
              : crossCloud
                ? `${nodeDescription(ctx).replace(/^n/, 'N')} runs ${c.nodeProvider?.provider}, which does not cover ${registry}, so nothing else gave a credential: this is a private image pulled without credentials (see node-provider-not-covering). `
                : `This is a private image pulled without credentials (a repository that does not exist gets the same answer from most registries). `) +
            `Runtime error: ${errorQuote(p)}`,
          evidence,
          remediation,
          confidence: confirmed ? 'confirmed' : 'likely',
          unverified,
        };
        const causedBy: NonNullable<RuleHit['causedBy']> = reasons.flatMap((r) => (r.causedBy ? [r.causedBy] : []));
        if (covered) causedBy.unshift({ rule: 'node-identity-denied', container: c.name });
        if (crossCloud) causedBy.unshift({ rule: 'node-provider-not-covering', container: c.name });
        if (causedBy.length) hit.causedBy = causedBy;
        return [withProbeNotes(hit, c)];
      }

      const first = sent[0] as SentCredential;
      const attempt = probeAttemptFor(c, first);
      const probeDenied = attempt?.outcome === 'access-denied' || p.refinedBy === 'access-denied';
      const who = `${describeCredential(first)}${sent.length > 1 ? ` and ${sent.length - 1} more credential${sent.length > 2 ? 's' : ''}` : ''}`;
      // Entries with neither username nor password: the kubelet sends an empty login, which
      // registries treat as anonymous. There is no account to grant access to.
      const allEmpty = sent.every((cr) => cr.username === '' && !cr.hasPassword);
      const howToTell = c.probe
        ? `The registry probe could not tell them apart (see "not verified"); from a workstation run \`crane manifest ${ref}\` / \`skopeo inspect --creds ...\` with an account that should have access, or look the repository up in the registry UI.`
        : `To tell them apart, run pulldoctor with --probe, or from a workstation run \`crane manifest ${ref}\` / \`skopeo inspect --creds ...\` with that account, or look the repository up in the registry UI.`;
      // A short-lived cloud token older than its lifetime: ECR answers an expired token with 403.
      // Only ECR answers an expired token with 403: a 403 to another registry's token (which answers
      // an expired one with 401), or a probe that got 403 with it, says the token was accepted.
      const stale = sent
        .map((cr) => ({ cr, t: staleToken(ctx, cr) }))
        .find((x) => x.t !== undefined && (x.t.provider === 'Amazon ECR' || !probeDenied));
      const expiry = stale?.t ? new Date(Date.parse(stale.t.createdAt) + stale.t.hours * 3_600_000).toISOString().replace('.000Z', 'Z') : undefined;
      const alsoNode = covered
        ? ` After the pod's credentials the kubelet tried ${providerWords}'s, with ${c.nodeProvider?.identity}, and the registry refused that too (see node-identity-denied).`
        : '';
      let message: string;
      if (stale?.t) {
        message =
          `Registry ${registry} refused the pull of "${c.image}" (container ${c.name}) with ${who}, and the first suspect is the token itself: secret "${stale.cr.secret}" holds ${/^[AEIOU]/.test(stale.t.provider) ? 'an' : 'a'} ${stale.t.provider} token (username "${stale.cr.username}"), which lasts ${stale.t.hours} h; ` +
          [
            `the secret was created ${formatHours(stale.t.ageHours)} ago (${stale.t.createdAt}), so unless its data was refreshed in place since, the token expired at ${expiry}.`,
            stale.t.provider === 'Amazon ECR' ? 'ECR answers an expired token with 403, not 401.' : '',
            probeDenied ? 'A probe with the same credential was refused too, as an expired ECR token is; once the token is fresh, a refusal that remains means the account has no pull access.' : '',
            alsoNode.trim(),
            `Runtime error: ${errorQuote(p)}`,
          ]
            .filter((x) => x !== '')
            .join(' ');
      } else if (probeDenied) {
        message = `Registry ${registry} accepted the credentials the kubelet sent for "${c.image}" (container ${c.name}), ${who}, but the account has no pull access to ${repo}: a probe with the same credential was denied. Runtime error: ${errorQuote(p)}`;
      } else if (allEmpty) {
        message =
          `Registry ${registry} denied the pull of "${c.image}" (container ${c.name}). The only credential${sent.length > 1 ? 's' : ''} the kubelet sent ${sent.length > 1 ? 'are empty logins' : 'is an empty login'} (no username, no password) from ${[...new Set(sent.map((cr) => `secret "${cr.secret}" (registry key "${cr.registryKey}")`))].join(', ')}, ` +
          `which the registry treats like an anonymous pull: either the image is private and the secret needs real credentials (see pull-secret-no-credentials), or the repository ${repo} does not exist. Runtime error: ${errorQuote(p)}`;
      } else {
        message =
          `Registry ${registry} denied the pull of "${c.image}" (container ${c.name}) with ${who}: either the account has no access to ${repo}, or the repository does not exist — the registry answers both the same way, so this is ambiguous. ` +
          `${howToTell} Runtime error: ${errorQuote(p)}`;
      }
      const unverified = probeDenied || stale ? [] : [`Whether ${repo} exists could not be verified${c.probe ? ' by the registry probe' : ' without a registry probe'}.`];
      if (nodeCreds) unverified.push(nodeCreds);
      const remediation = stale?.t
        ? [
            `# refresh now (the token is minted on your machine and piped straight into the secret):`,
            refreshTokenSecret(ctx, stale.cr.secret, stale.cr.registryKey, stale.cr.username, stale.t.provider),
            ...stopPastingTokens(ctx, c, stale.cr.secret, registry),
            pullRetryNote(ctx),
          ]
        : allEmpty
        ? [
            `# put real credentials (an account with pull access to ${repo}) into secret "${first.secret}":`,
            dockerRegistrySecret(ctx, first.secret, first.registryKey, { exists: true }),
            `# check them from a workstation first: skopeo inspect --creds ${sh(`${placeholderText('username')}:${placeholderText('password')}`)} docker://${ref}`,
            `# if the repository name is wrong, fix the image: see image-not-found`,
            pullRetryNote(ctx),
          ]
        : [
            `skopeo inspect --creds ${sh(`${first.username || placeholderText('username')}:${placeholderText('password')}`)} docker://${ref}`,
            `crane auth login ${sh(registry === 'docker.io' ? 'index.docker.io' : registry)} -u ${sh(first.username || placeholderText('username'))} -p ${placeholder('password')} && crane ls ${repo}`,
            grantHint(registry, repo, first),
            `# if the repository name is wrong, fix the image: see image-not-found`,
            `# the kubelet retries on its own (back-off at most 5 min); to retry at once: ${restartWorkload(ctx)}`,
          ];
      const hit: RuleHit = {
        container: c.name,
        image: c.image,
        secret: first.secret,
        message,
        evidence,
        remediation,
        confidence: probeDenied ? 'confirmed' : 'likely',
        unverified,
        causedBy: [
          ...[...new Set(sent.map((cr) => cr.secret))].map((secret) => ({ rule: 'pull-secret-no-credentials', secret })),
          ...(c.lookup?.shadowedDockerHub.length ? [{ rule: 'docker-hub-credentials-shadowed' }] : []),
          ...(stale ? [{ rule: 'short-lived-registry-token', secret: stale.cr.secret }] : []),
          ...(covered ? [{ rule: 'node-identity-denied', container: c.name }] : []),
        ],
      };
      if (alsoNode && !stale) hit.message = hit.message.replace(/ Runtime error: /, `${alsoNode} Runtime error: `);
      return [withProbeNotes(hit, c)];
    });
  },
};

export default rule;
