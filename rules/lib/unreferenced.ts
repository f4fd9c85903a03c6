/**
 * Existing but unreferenced pull secrets: a secret of the pod's namespace that holds credentials
 * for a failing image (the engine matched it with the kubelet's keyring), named by neither the
 * pod nor its ServiceAccount. The fix is to reference it, never to create another secret.
 * Shared by pull-secret-not-referenced and the runtime rules that link to it.
 */
import type { ContainerCtx, PullContext, UnreferencedSecret } from '../../src/engine/types.js';
import { addPullSecretsToServiceAccount, k, ns, podTemplatePatch, restartWorkload } from './commands.js';
import { credentialDetails, failsLikeAnonymous, pullProblem } from './runtime-helpers.js';
import { inCheck } from './manifest.js';
import { secretState } from './secret-helpers.js';

export interface UnreferencedFix {
  /**
   * `none`: the kubelet sent no credential from the pod's secrets; `rejected`: it sent some and
   * the registry rejected them, and these secrets, written after the rejected ones, hold others.
   */
  mode: 'none' | 'rejected';
  /** Candidates, the one to reference first (a direct key match before the Docker Hub fallback). */
  secrets: UnreferencedSecret[];
  /** The runtime error says the registry wanted credentials (false: the error is not in the input). */
  authFailure: boolean;
}

/**
 * The unreferenced secrets that would fix this container's failing pull, or undefined when there
 * are none or the failure has another cause (network, TLS, a missing tag, a malformed secret).
 */
export function unreferencedFix(ctx: PullContext, c: ContainerCtx): UnreferencedFix | undefined {
  if (inCheck(ctx)) {
    // A check: nothing has failed yet. The image gets no credential from the pod's secrets (the
    // engine then looks for unreferenced ones); whether the registry wants one, only a probe says.
    if (!c.unreferenced.length || ctx.keyringError || c.probe?.outcome === 'ok') return undefined;
    const refused = ['access-denied', 'credentials-rejected', 'repository-not-found'].includes(c.probe?.outcome ?? '');
    return { mode: 'none', secrets: [...c.unreferenced].sort((a, b) => Number(viaFallback(a)) - Number(viaFallback(b))), authFailure: refused };
  }
  if (!c.failure || !c.unreferenced.length || ctx.keyringError) return undefined;
  // The node's credential provider covers the registry: the fix is the node's identity, not a secret.
  if (c.nodeProvider?.status === 'covered') return undefined;
  const p = pullProblem(c);
  if (!p) return undefined;
  const authFailure = failsLikeAnonymous(c);
  const unknown = p.cause === 'unknown' && !c.failure.error;
  if (!authFailure && !unknown) return undefined;
  const ordered = [...c.unreferenced].sort((a, b) => Number(viaFallback(a)) - Number(viaFallback(b)));
  if (p.credentials.length === 0) return { mode: 'none', secrets: ordered, authFailure };
  if (p.cause !== 'auth-rejected') return undefined;
  // Rotated credentials: a secret written after every rejected one, holding other credentials.
  // (An older spare secret for the same registry is as likely stale as the rejected one.)
  const sentAt = p.credentials.map((cr) => writtenAt(secretState(ctx, cr.secret)?.parsed));
  if (sentAt.some((t) => t === undefined)) return undefined;
  const newest = Math.max(...(sentAt as number[]));
  const sent = new Set(p.credentials.map((cr) => cr.fingerprint));
  const other = ordered.filter((u) => u.credentials.some((cr) => !sent.has(cr.fingerprint)) && (writtenAt(u.secret.parsed) ?? -Infinity) > newest);
  return other.length ? { mode: 'rejected', secrets: other, authFailure } : undefined;
}

/** When a secret was last written (managedFields), else created; undefined when unknown. */
export function writtenAt(p: { createdAt?: string; updatedAt?: string } | undefined): number | undefined {
  const t = Date.parse(p?.updatedAt ?? p?.createdAt ?? '');
  return Number.isNaN(t) ? undefined : t;
}

const viaFallback = (u: UnreferencedSecret) => u.credentials.every((cr) => cr.viaDockerHubFallback);

/** `secret "acme-pull" (registry key "registry.acme.io", username "robot")`: never a password. */
export function describeUnreferenced(u: UnreferencedSecret): string {
  const first = u.credentials[0];
  return `secret "${u.secret.name}"${first ? ` (${credentialDetails(first)})` : ''}`;
}

/** `neither the pod nor ServiceAccount default references it`, true to what the input shows. */
export function notReferencedClause(ctx: PullContext): string {
  const sa = ctx.serviceAccount;
  return sa.status === 'found'
    ? `neither the pod nor its ServiceAccount "${sa.name}" references it`
    : `the pod does not reference it (ServiceAccount "${sa.name}" is not in the input)`;
}

const ROLLS_OUT = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/**
 * Reference an existing secret: in the workload's pod template (a strategic merge keeps the
 * names already listed), or in the ServiceAccount, which admission copies into new pods that list
 * no pull secrets of their own — then restart. A bare pod's list cannot be changed: recreate it.
 */
export function referenceSecretCommands(ctx: PullContext, secret: string): string[] {
  const out: string[] = [];
  const patch = podTemplatePatch(ctx, `{"imagePullSecrets":[{"name":${JSON.stringify(secret).replace(/'/g, '')}}]}`);
  const ownList = ctx.pullSecrets.length > 0 || ctx.emptySecretNames > 0;
  const { kind, name } = ctx.workload;
  if (patch) {
    out.push(`# reference "${secret}" in the pod template of ${kind.toLowerCase()}/${name}:`, patch);
    if (!ROLLS_OUT.has(kind)) out.push(restartWorkload(ctx));
    else out.push(`# changing the pod template rolls out new pods by itself`);
  }
  if (!ownList) {
    out.push(
      `# ${patch ? 'or ' : ''}add it to ServiceAccount ${ctx.serviceAccount.name}: admission copies its pull secrets into new pods that list none of their own`,
      addPullSecretsToServiceAccount(ctx, [secret]),
      restartWorkload(ctx),
    );
  } else if (!patch) {
    out.push(
      `# pod ${ctx.podName} has no controller: add {name: ${secret}} to spec.imagePullSecrets in its manifest and recreate it (imagePullSecrets cannot be changed on a running pod)`,
    );
  }
  return out;
}

/**
 * A "not verified" line when the namespace's other pull secrets could not be seen (a dump without
 * Secrets, or listing them was forbidden): one of them may already serve `registry`.
 */
export function namespaceSecretsUnverified(ctx: PullContext, registry: string): string | undefined {
  const v = ctx.namespaceSecrets;
  if (v.status === 'all') return undefined;
  const why = v.status === 'forbidden' && v.accessProblem ? `listing them was forbidden (check: ${v.accessProblem.canI})` : 'they are not in the input';
  return `The other pull secrets of namespace ${ctx.namespace} could not be checked (${why}); one of them may already hold credentials for ${registry} — reference it rather than creating another.`;
}

/** The reason sentence and link for a runtime finding whose pull an unreferenced secret would fix. */
export function unreferencedReason(ctx: PullContext, c: ContainerCtx, fix: UnreferencedFix): { sentence: string; causedBy: { rule: string; container: string } } {
  const best = fix.secrets[0];
  return {
    sentence: `${best ? describeUnreferenced(best) : 'a secret'} exists in namespace ${ctx.namespace} with credentials for this image, but ${notReferencedClause(ctx)}`,
    causedBy: { rule: 'pull-secret-not-referenced', container: c.name },
  };
}

/** Before creating a secret the scan could not rule out: list the pull secrets that already exist. */
export function checkExistingFirst(ctx: PullContext): string {
  return `# first check whether one of the namespace's pull secrets already serves the registry: ${k(ctx, `get secrets ${ns(ctx)} --field-selector type=kubernetes.io/dockerconfigjson`)}`;
}
