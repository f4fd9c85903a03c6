/**
 * Helpers shared by the runtime-failure rules (registry-*, image-*): which root cause a failing
 * container's pull has, the credentials the kubelet sent, what a registry probe added, and why
 * no pod credential matched. Pure; no clock except `ctx.now`.
 */
import type { Cause, PullFailure, SubKinds } from '../../src/engine/classify.js';
import type { MissExplanation } from '../../src/credentials/index.js';
import type { ContainerCtx, ContainerFailure, PullContext, SecretRefState } from '../../src/engine/types.js';
import type { Evidence, ProbeAttempt, ProbeOutcome, RuleHit } from '../../src/model/finding.js';
import type { NodeInfo } from '../../src/model/kube.js';
import { WORDINGS } from '../../src/runtime/wordings.js';
import { secretEvidence } from './evidence.js';
import { placeholderText, restartWorkload } from './commands.js';
import { ageHours, configJsonInDockercfg, displayDomain, secretState, tokenLifetime } from './secret-helpers.js';

/** One credential the kubelet tried (pod pull secrets only; node and plugin keyrings are invisible to us). */
export type SentCredential = NonNullable<ContainerCtx['lookup']>['credentials'][number];

/** A failing pull's root cause: the runtime error's cause, or a kubelet-side failure before any pull. */
export type PullCause = Cause | 'invalid-reference' | 'never-pull' | 'inspect-error';

export interface PullProblem {
  cause: PullCause;
  failure: ContainerFailure;
  classified?: PullFailure;
  /** The pod credentials the kubelet sent, in order (empty: anonymous as far as pod secrets go). */
  credentials: SentCredential[];
  /** Set when a probe result changed the runtime error's cause (e.g. 403 → the repository does not exist). */
  refinedBy?: ProbeOutcome;
}

const AUTHISH = new Set<Cause>(['auth-rejected', 'access-denied']);

/** CRI-O / containers-image short-name resolution errors: the wording table's short-name entries. */
const SHORT_NAME_WORDINGS = WORDINGS.filter((w) => w.cause === 'short-name');
const saysShortName = (text: string): boolean => SHORT_NAME_WORDINGS.some((w) => w.pattern?.test(text) === true);

/**
 * The one root cause of this container's failing pull, or undefined when it is not failing.
 * Every runtime rule keys on exactly one value, so a container gets one finding per cause.
 */
export function pullProblem(c: ContainerCtx): PullProblem | undefined {
  const failure = c.failure;
  if (!failure) return undefined;
  const credentials = c.lookup?.credentials ?? [];
  const base = { failure, credentials };
  const withClassified = (p: PullProblem): PullProblem => (failure.classified ? { ...p, classified: failure.classified } : p);
  if (!c.parse.ok || failure.reason === 'InvalidImageName') return withClassified({ ...base, cause: 'invalid-reference' });
  if (failure.reason === 'ErrImageNeverPull') return withClassified({ ...base, cause: 'never-pull' });
  if (failure.reason === 'ImageInspectError') {
    // CRI-O short-name resolution fails in the image status call too; that is not a node fault.
    const inspect = c.events.find((e) => e.parsed.kind === 'inspect-failed')?.message ?? '';
    const text = `${failure.error ?? ''} ${c.waiting?.message ?? ''} ${inspect}`;
    if (failure.classified?.cause === 'short-name' || saysShortName(text)) return withClassified({ ...base, cause: 'short-name' });
    return withClassified({ ...base, cause: 'inspect-error' });
  }

  let cause: Cause = failure.classified?.cause ?? 'unknown';
  if (cause === 'unknown' && failure.reason === 'SignatureValidationFailed') cause = 'signature';
  if (cause === 'unknown' && failure.reason === 'RegistryUnavailable') cause = 'unreachable';
  // A 401 without any pod credential is a private (or missing) image pulled anonymously.
  if (cause === 'auth-rejected' && credentials.length === 0) cause = 'access-denied';

  const out: PullProblem = withClassified({ ...base, cause });
  const probe = c.probe?.outcome;
  if (probe && AUTHISH.has(cause)) {
    if (probe === 'repository-not-found' || probe === 'tag-not-found') out.cause = 'not-found';
    else if (cause === 'auth-rejected' && probe === 'access-denied') out.cause = 'access-denied';
    else if (cause === 'access-denied' && credentials.length > 0 && probe === 'credentials-rejected') out.cause = 'auth-rejected';
    if (out.cause !== cause) out.refinedBy = probe;
  }
  return out;
}

/**
 * The classifier's sub-kind (src/runtime/wordings.ts) of a problem whose runtime error was
 * classified as `cause`; undefined when the cause came from elsewhere (a waiting reason, a probe).
 */
export function subKindOf<C extends Exclude<Cause, 'unknown'>>(p: PullProblem, cause: C): SubKinds[C] | undefined {
  const c = p.classified;
  return c?.cause === cause ? (c.subKind as SubKinds[C] | undefined) : undefined;
}

/** Failing containers of this pod whose root cause is one of `causes`. */
export function failingWith(ctx: PullContext, ...causes: PullCause[]): { c: ContainerCtx; p: PullProblem }[] {
  const out: { c: ContainerCtx; p: PullProblem }[] = [];
  for (const c of ctx.containers) {
    const p = pullProblem(c);
    if (p && causes.includes(p.cause)) out.push({ c, p });
  }
  return out;
}

const AUTH_CAUSES = new Set<string>(['auth-rejected', 'access-denied', 'not-found']);

/**
 * The pull fails the way a registry answers a client without the right credentials: 401, 403 /
 * denied, or "not found" for the repository (registries hide private repositories that way) —
 * not a missing tag of a repository the registry showed.
 */
export function failsLikeAnonymous(c: ContainerCtx): boolean {
  const f = c.failure?.classified;
  if (!f || !AUTH_CAUSES.has(f.cause)) return false;
  return !(f.cause === 'not-found' && f.notFound === 'manifest');
}

/** The registry host the image is pulled from (`docker.io` for Docker Hub). */
export function registryOf(c: ContainerCtx): string {
  return c.parse.ok ? c.parse.ref.domain : (c.failure?.classified?.registry ?? placeholderText('registry'));
}

/** `domain/path` without tag or digest. */
export function repositoryOf(c: ContainerCtx): string {
  return c.parse.ok ? `${c.parse.ref.domain}/${c.parse.ref.path}` : c.image;
}

/** The fully qualified reference a workstation tool (crane, skopeo) should use. */
export function fullReference(c: ContainerCtx): string {
  if (!c.parse.ok) return c.image;
  const { tag, digest } = c.parse.ref;
  return `${repositoryOf(c)}${digest ? `@${digest}` : `:${tag ?? 'latest'}`}`;
}

export { isDockerHub, isDockerHubOfficial } from './images.js';

/** `registry key "k", username "u"`: never a password. */
export function credentialDetails(cr: SentCredential): string {
  const user = cr.username === '' ? 'an empty username' : `username "${cr.username}"`;
  return `registry key "${cr.registryKey}", ${user}${cr.viaDockerHubFallback ? ', via the Docker Hub index.docker.io fallback' : ''}`;
}

/** `secret "x" (registry key "k", username "u")`: never a password. */
export function describeCredential(cr: SentCredential): string {
  return `secret "${cr.secret}" (${credentialDetails(cr)})`;
}

/** The probe attempt made with this secret's credential (the same registry key and username). */
export function probeAttemptFor(c: ContainerCtx, cr: SentCredential): ProbeAttempt | undefined {
  return c.probe?.attempts.find(
    (a) => a.credential === cr.secret && (a.registryKey === undefined || a.registryKey === cr.registryKey) && (a.username === undefined || a.username === cr.username),
  );
}

export function anonymousProbe(c: ContainerCtx): ProbeAttempt | undefined {
  return c.probe?.attempts.find((a) => a.credential === 'anonymous');
}

/** Probe outcomes that say nothing about the credential, the repository or the tag. */
const INCONCLUSIVE = new Set<ProbeOutcome>(['tls-error', 'unreachable', 'error', 'rate-limited']);

export const isInconclusive = (a: Pick<ProbeAttempt, 'outcome'>): boolean => INCONCLUSIVE.has(a.outcome);

/** A probe ran and its deciding outcome says something about the registry's answer. */
export function probeConclusive(c: ContainerCtx): boolean {
  return c.probe !== undefined && !INCONCLUSIVE.has(c.probe.outcome);
}

/**
 * One "not verified" line per distinct inconclusive probe answer (TLS, network, rate limit,
 * unexpected error), quoting the attempt's own explanation, at most `max` lines.
 */
export function probeUnverified(c: ContainerCtx, max = 2): string[] {
  const p = c.probe;
  if (!p) return [];
  const groups = new Map<string, { who: string[]; a: ProbeAttempt }>();
  for (const a of p.attempts) {
    if (!isInconclusive(a)) continue;
    const key = `${a.outcome}\0${a.detail}`;
    const who = a.credential === 'anonymous' ? 'an anonymous request' : `secret "${a.credential}"`;
    const g = groups.get(key);
    if (g) g.who.push(who);
    else groups.set(key, { who: [who], a });
  }
  const lines = [...groups.values()].map(({ who, a }) => {
    const detail = a.detail.trim().replace(/\.$/, '') || 'no detail';
    return `The registry probe from ${p.from} could not confirm this: the attempt with ${who.join(' and ')} ended in ${a.outcome}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}: ${detail}.`;
  });
  if (lines.length > max) return [...lines.slice(0, max - 1), `…and ${lines.length - max + 1} more inconclusive probe answers (see the probe evidence).`];
  return lines;
}

/** Append the probe's inconclusive answers to a hit's "not verified" lines. */
export function withProbeNotes<T extends RuleHit>(hit: T, c: ContainerCtx): T {
  const notes = probeUnverified(c);
  if (notes.length) hit.unverified = [...(hit.unverified ?? []), ...notes];
  return hit;
}

/**
 * A key miss that is a slip on the image's own registry (port, scheme, `/v1`, case, path, typo):
 * re-keying the secret fixes it. A key for another registry (e.g. Docker Hub) is not: other
 * pods may rely on it, so the fix is a new secret for the image's registry.
 */
export function isNearMiss(m: MissExplanation, c: ContainerCtx): boolean {
  switch (m.reason) {
    case 'different-registry':
      return false;
    case 'docker-hub-key-for-other-registry':
      return c.parse.ok && c.parse.ref.domain === 'registry-1.docker.io';
    case 'unparsable-key':
      return m.suggestedKey !== undefined;
    default:
      return true;
  }
}

/** Where the kubelet reported the failure (the node), for "on node X": the pod's, else the container's events' host. */
export function nodeOf(ctx: PullContext, c: ContainerCtx): string | undefined {
  return ctx.nodeName?.value ?? c.events.find((e) => e.host)?.host;
}

export const onNode = (ctx: PullContext, c: ContainerCtx): string => {
  const n = nodeOf(ctx, c);
  return n ? ` on node ${n}` : '';
};

/** What the scan knows about that node (the pod's node, else the one the events name). */
export function nodeInfoOf(ctx: PullContext, c: ContainerCtx): NodeInfo | undefined {
  const node = nodeOf(ctx, c);
  return ctx.node ?? (node ? ctx.nodes.find((n) => n.name === node) : undefined);
}

/** A short quote of the runtime error (the innermost meaningful part). */
export function errorQuote(p: PullProblem, max = 500): string {
  const text = p.classified?.detail || p.failure.error || p.failure.reason;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** When the secret was created, as the API server recorded it. */
export function secretCreatedAt(s: SecretRefState | undefined): string | undefined {
  return s?.parsed?.createdAt;
}

// ───────────────────────────── short-lived registry tokens ─────────────────────────────

export type TokenLifetime = NonNullable<ReturnType<typeof tokenLifetime>>;

export interface StaleToken extends TokenLifetime {
  ageHours: number;
  createdAt: string;
}

/** A short-lived token whose secret is older than the token's lifetime (`ageHours` in whole hours). */
export function staleToken(ctx: PullContext, cr: SentCredential): StaleToken | undefined {
  const life = tokenLifetime(cr.registryKey, cr.username);
  const created = secretCreatedAt(secretState(ctx, cr.secret));
  if (!life || !created) return undefined;
  const age = ageHours(ctx, created);
  if (age === undefined || age <= life.hours) return undefined;
  return { ...life, ageHours: Math.floor(age), createdAt: created };
}

// ───────────────────────────── why no pod credential was sent ─────────────────────────────

export interface NoCredentialReason {
  sentence: string;
  causedBy?: NonNullable<RuleHit['causedBy']>[number];
  evidence?: Evidence;
  unverified?: string;
  /** A secret that exists and should have matched, to fix rather than create. */
  fixSecret?: string;
}

/**
 * Why the pod's secrets gave the kubelet no credential for this image: each listed secret's
 * state, or the absence of imagePullSecrets (and the ServiceAccount's, which admission only
 * copies at pod creation). The causes point at the static rules that report them.
 */
export function noCredentialReasons(ctx: PullContext, c: ContainerCtx): NoCredentialReason[] {
  const out: NoCredentialReason[] = [];
  if (ctx.keyringError) {
    out.push({
      sentence: `pull secret "${ctx.keyringError.secret}" cannot be parsed, which discards every pod pull secret`,
      causedBy: { rule: 'pull-secret-malformed', secret: ctx.keyringError.secret },
    });
    return out;
  }
  if (ctx.pullSecrets.length === 0) {
    const sa = ctx.serviceAccount;
    const saFound = sa.pullSecrets.filter((s) => s.status === 'found');
    const saMissing = sa.pullSecrets.filter((s) => s.status === 'missing');
    if (saFound.length) {
      out.push({
        sentence: `the pod lists no imagePullSecrets, although its ServiceAccount "${sa.name}" lists ${saFound.map((s) => `"${s.name}"`).join(', ')} (admission copies them only into pods created after they were added)`,
        causedBy: { rule: 'service-account-pull-secrets-not-applied' },
      });
    } else if (saMissing.length) {
      out.push({
        sentence: `the pod lists no imagePullSecrets and its ServiceAccount "${sa.name}" names ${saMissing.map((s) => `"${s.name}"`).join(', ')}, which does not exist`,
        causedBy: { rule: 'service-account-pull-secret-not-found' },
      });
    } else {
      out.push({ sentence: 'the pod lists no imagePullSecrets' });
    }
    return out;
  }
  for (const s of ctx.pullSecrets) {
    if (s.status === 'missing') {
      out.push(
        s.otherNamespaces.length
          ? {
              sentence: `pull secret "${s.name}" is not in namespace ${ctx.namespace} (it exists in ${s.otherNamespaces.join(', ')})`,
              causedBy: { rule: 'pull-secret-wrong-namespace', secret: s.name },
            }
          : {
              sentence: `pull secret "${s.name}" does not exist`,
              causedBy: { rule: 'pull-secret-not-found', secret: s.name },
              // When only the kubelet's event says so, cite it.
              ...(s.from.origin === 'kubelet-event' ? { evidence: s.from.evidence } : {}),
            },
      );
      continue;
    }
    if (s.status !== 'found' || !s.parsed) {
      out.push({
        sentence: `pull secret "${s.name}" could not be read`,
        unverified: `Secret ${ctx.namespace}/${s.name} was ${s.status === 'forbidden' ? 'not readable (forbidden)' : 'not in the input'}, so whether it holds a credential for ${registryOf(c)} is unknown.`,
      });
      continue;
    }
    const p = s.parsed;
    if (p.format === null) {
      out.push({
        sentence:
          !p.ignoredReason || p.ignoredReason === `type ${p.type} is not read by the kubelet`
            ? `pull secret "${s.name}" has type ${p.type || '(none)'}, which the kubelet does not read`
            : `pull secret "${s.name}" is ignored by the kubelet (${p.ignoredReason})`,
        causedBy: { rule: 'pull-secret-wrong-type', secret: s.name },
      });
      continue;
    }
    if (p.missingAuthsWrapper) {
      out.push({
        sentence: `pull secret "${s.name}" has no "auths" wrapper, so the kubelet reads no credential from it`,
        causedBy: { rule: 'pull-secret-no-auths', secret: s.name },
      });
      continue;
    }
    if (p.entries.length === 0) {
      out.push({ sentence: `pull secret "${s.name}" holds no registry entries`, causedBy: { rule: 'pull-secret-no-auths', secret: s.name } });
      continue;
    }
    const auths = configJsonInDockercfg(p);
    if (auths) {
      out.push({
        sentence: `pull secret "${s.name}" is a config.json stored as kubernetes.io/dockercfg, so the kubelet reads one registry named "${auths.registryKey}" and no credential from it`,
        causedBy: { rule: 'pull-secret-no-credentials', secret: s.name },
      });
      continue;
    }
    const keys = p.entries.map((e) => `"${e.registryKey}"`).join(', ');
    const miss = c.misses.find((m) => m.secret === s.name);
    out.push({
      sentence:
        (p.entries.length > 1
          ? `pull secret "${s.name}" has registry keys ${keys}, none of which the kubelet matches against ${c.parse.ok ? c.parse.ref.name : c.image}`
          : `pull secret "${s.name}" has registry key ${keys}, which the kubelet does not match against ${c.parse.ok ? c.parse.ref.name : c.image}`) +
        (miss && miss.reason !== 'different-registry' ? ` (${miss.detail.replace(/\.$/, '')})` : ''),
      causedBy: { rule: 'registry-credentials-mismatch', secret: s.name },
      evidence: secretEvidence(ctx, s, p.entries.length > 1 ? `registry keys ${keys}; none matches ${c.parse.ok ? c.parse.ref.name : c.image}` : `registry key ${keys} does not match ${c.parse.ok ? c.parse.ref.name : c.image}`),
      fixSecret: s.name,
    });
  }
  return out;
}

/** A DNS-label-safe name for a new pull secret for this registry. */
export function suggestedSecretName(registry: string): string {
  const base = registry === 'docker.io' ? 'dockerhub' : registry.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${base || 'registry'}-pull`.slice(0, 63);
}

/** The `--docker-server` value that the kubelet matches for this image's registry. */
export function dockerServerFor(c: ContainerCtx): string {
  return displayDomain(registryOf(c));
}

/** The runtime rules' note that the kubelet retries by itself, with the command to retry now. */
export function pullRetryNote(ctx: PullContext): string {
  return `# the kubelet re-reads pull secrets on every retry (back-off at most 5 min); to retry at once: ${restartWorkload(ctx)}`;
}
