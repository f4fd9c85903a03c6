/**
 * `pulldoctor check --probe`: what the registry answered, with the credentials the kubelet would
 * send, for each image of a pod template — beyond "not found" (rules/image-not-found.ts). A
 * refusal (401 for the credentials sent, 403 or an anonymous 401) is a pull that would fail once
 * deployed: an error. A probe that got no answer (unreachable, TLS, rate limit, another error)
 * is a warning that says what was not verified: the nodes may see another network, but the check
 * must not pass as if the image had been confirmed.
 */
import type { ContainerCtx, PullContext } from '../../src/engine/types.js';
import type { ProbeAttempt, ProbeOutcome, RuleHit } from '../../src/model/finding.js';
import { dockerRegistrySecret, placeholderText } from './commands.js';
import { probeEvidence, specEvidence } from './evidence.js';
import { containerField, inCheck, manifestEdit, podSpecField, pullSecretList, secretDataField, secretInManifests, secretManifestCommand } from './manifest.js';
import { sh } from '../../src/util/shell.js';

/** A probe that ended refusing an anonymous request (401 or 403): the kubelet would send no credentials. */
const anonymousRefusal = (c: ContainerCtx) => {
  const last = c.probe?.attempts.at(-1);
  return (last?.credential ?? 'anonymous') === 'anonymous' && (c.probe?.outcome === 'credentials-rejected' || c.probe?.outcome === 'access-denied');
};

/** The containers of a check whose probe ended as `pick` says (images that would be pulled). */
function probed(ctx: PullContext, pick: (c: ContainerCtx & { probe: NonNullable<ContainerCtx['probe']> }) => boolean): { c: ContainerCtx; last: ProbeAttempt | undefined }[] {
  if (!inCheck(ctx)) return [];
  return ctx.containers
    .filter((c): c is ContainerCtx & { probe: NonNullable<ContainerCtx['probe']> } => c.probe !== undefined && c.pullPolicy !== 'Never' && c.parse.ok)
    .filter(pick)
    .map((c) => ({ c, last: c.probe.attempts.at(-1) }));
}

const status = (a: ProbeAttempt | undefined) => (a?.httpStatus ? ` (HTTP ${a.httpStatus})` : '');
const detailOf = (a: ProbeAttempt | undefined) => (a?.detail.trim().replace(/\.$/, '') ?? '') || 'no detail';
const who = (a: ProbeAttempt) => (a.credential === 'anonymous' ? 'no credentials (anonymous)' : `secret "${a.credential}"${a.username ? ` (username "${a.username}")` : ''}`);

function base(ctx: PullContext, c: ContainerCtx): Pick<RuleHit, 'container' | 'image' | 'evidence'> & { field?: RuleHit['field'] } {
  const field = containerField(ctx, c.name, 'image');
  return {
    container: c.name,
    image: c.image,
    evidence: [specEvidence(ctx, `spec.containers{${c.name}}.image`, `image: ${c.image}`), probeEvidence(c)!],
    ...(field ? { field } : {}),
  };
}

/** The fix of a secret whose credentials the registry refuses: new ones, in the manifests or the cluster. */
function replaceCredentials(ctx: PullContext, a: ProbeAttempt, registry: string): string[] {
  const server = a.registryKey ?? registry;
  if (secretInManifests(ctx, a.credential)) {
    return [
      manifestEdit(ctx, secretDataField(ctx, a.credential, '.dockerconfigjson'), 'put credentials the registry accepts in it: the next command prints the Secret; replace the document with it (keep the password out of the repository)'),
      secretManifestCommand(ctx, a.credential, server, a.username || placeholderText('username')),
    ];
  }
  return [
    `# the Secret is in the cluster: replace its credentials before applying the manifests`,
    dockerRegistrySecret(ctx, a.credential, server, { exists: true, ...(a.username ? { username: a.username } : {}) }),
  ];
}

/** registry-auth-rejected in a check: the credentials the kubelet would send were refused (401). */
export function rejectedHits(ctx: PullContext): RuleHit[] {
  return probed(ctx, (c) => c.probe.outcome === 'credentials-rejected' && !anonymousRefusal(c)).map(({ c }): RuleHit => {
    const p = c.probe!;
    const rejected = p.attempts.filter((a) => a.outcome === 'credentials-rejected' && a.credential !== 'anonymous');
    const first = rejected[0];
    return {
      ...base(ctx, c),
      ...(first ? { secret: first.credential } : {}),
      message:
        `Image "${c.image}" of container ${c.name} would not pull once deployed: registry ${p.registry} rejected the credentials the kubelet would send — ` +
        `${rejected.map(who).join(', then ') || 'the pod\'s pull secrets'}${status(rejected[0])}, asked from ${p.from}. ` +
        'The kubelet does not retry anonymously once a credential matched the image.',
      remediation: first ? replaceCredentials(ctx, first, p.registry) : [],
      confidence: 'confirmed',
      causedBy: rejected.flatMap((a) => [
        { rule: 'pull-secret-no-credentials', secret: a.credential },
        { rule: 'docker-hub-credentials-shadowed' },
      ]),
    };
  });
}

/** registry-access-denied in a check: a 403 for the credentials sent, or a 401/403 to a pull that sends none. */
export function deniedHits(ctx: PullContext): RuleHit[] {
  return probed(ctx, (c) => c.probe.outcome === 'access-denied' || anonymousRefusal(c)).map(({ c, last }): RuleHit => {
    const p = c.probe!;
    const anonymous = !last || last.credential === 'anonymous';
    const message = anonymous
      ? `Image "${c.image}" of container ${c.name} would not pull once deployed: no pull secret of the pod gives credentials for ${p.registry}, so the kubelet would pull anonymously, and the registry refused an anonymous pull${status(last)} when asked from ${p.from}: the repository is private (or does not exist: registries do not tell an anonymous client which).`
      : `Image "${c.image}" of container ${c.name} would not pull once deployed: registry ${p.registry} accepted ${who(last)} but refused the pull${status(last)} when asked from ${p.from}: that account has no pull access to the repository.`;
    return {
      ...base(ctx, c),
      ...(!anonymous ? { secret: last.credential } : {}),
      message,
      remediation: anonymous
        ? [
            `# give the pod a pull secret for ${p.registry} (in the manifests, or in namespace ${ctx.namespace} before applying them):`,
            secretManifestCommand(ctx, placeholderText('secret-name'), p.registry, placeholderText('username')),
            manifestEdit(ctx, podSpecField(ctx, 'imagePullSecrets'), 'and name it in the pod spec, beside containers', `imagePullSecrets: ${pullSecretList([placeholderText('secret-name')])}`),
          ]
        : [`# grant ${sh(last.username ?? last.credential)} pull access to ${c.parse.ok ? `${c.parse.ref.domain}/${c.parse.ref.path}` : c.image} on the registry, or use credentials that have it`, ...replaceCredentials(ctx, last, p.registry)],
      confidence: 'confirmed',
      causedBy: [
        { rule: 'pull-secret-not-found', container: c.name },
        { rule: 'pull-secret-wrong-namespace', container: c.name },
        { rule: 'pull-secret-not-referenced', container: c.name },
        { rule: 'registry-credentials-mismatch', container: c.name },
        { rule: 'service-account-pull-secret-not-found' },
      ],
    };
  });
}

/** A probe without an answer: the registry could not be asked from here; nothing was verified. */
export function unansweredHits(ctx: PullContext, outcomes: readonly ProbeOutcome[], hint: string): RuleHit[] {
  return probed(ctx, (c) => outcomes.includes(c.probe.outcome)).map(({ c, last }): RuleHit => {
    const p = c.probe!;
    return {
      ...base(ctx, c),
      severity: 'warning',
      message:
        `The registry probe of image "${c.image}" (container ${c.name}) got no answer from ${p.registry} when asked from ${p.from}: ${last?.outcome ?? p.outcome}${status(last)}: ${detailOf(last)}. ` +
        `Whether the image exists and the credentials work was not verified. ${hint}`,
      remediation: [],
      unverified: [`The nodes may reach ${p.registry} where ${p.from} cannot; the pull itself was not tried.`],
      confidence: 'likely',
    };
  });
}
