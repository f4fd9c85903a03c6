/** Small helpers rules share to cite where a fact came from. */
import { eventEvidence } from '../../src/engine/provenance.js';
import type { ContainerCtx, EventView, PullContext, SecretRefState } from '../../src/engine/types.js';
import type { NodeInfo } from '../../src/model/kube.js';
import type { Evidence } from '../../src/model/finding.js';
import { inCheck, pathText, wouldFail } from './manifest.js';

export { eventEvidence };

/** The container's most telling pull events (latest Failed pull, latest BackOff), newest first. */
export function pullEventEvidence(c: ContainerCtx, max = 2): Evidence[] {
  const picked: EventView[] = [];
  const failed = c.events.find((e) => e.parsed.kind === 'failed-pull');
  if (failed) picked.push(failed);
  const other = c.events.find(
    (e) => e !== failed && (e.parsed.kind === 'backoff' || e.parsed.kind === 'never-pull' || e.parsed.kind === 'inspect-failed' || e.parsed.kind === 'container-error'),
  );
  if (other) picked.push(other);
  return picked.slice(0, max).map(eventEvidence);
}

/** A fact from the container's status in the pod. */
export function containerStatusEvidence(ctx: PullContext, c: ContainerCtx, detail: string): Evidence {
  return { source: 'pod-status', ref: `Pod ${ctx.namespace}/${ctx.podName} ${c.fieldPath}`, detail };
}

export function statusEvidence(ctx: PullContext, c: ContainerCtx): Evidence | undefined {
  if (!c.waiting?.reason) return undefined;
  return containerStatusEvidence(ctx, c, `state.waiting.reason=${c.waiting.reason}${c.waiting.message ? `, message: ${c.waiting.message}` : ''}`);
}

/** Evidence of a failing container: its events and its status. */
export function failureEvidence(ctx: PullContext, c: ContainerCtx): Evidence[] {
  const out = pullEventEvidence(c);
  const st = statusEvidence(ctx, c);
  if (st && !out.some((e) => e.detail.includes(c.waiting?.message ?? '\0'))) out.push(st);
  return out;
}

/** Evidence of the first of these containers' failure (none when the list is empty). */
export function firstFailureEvidence(ctx: PullContext, cs: ContainerCtx[]): Evidence[] {
  return cs[0] ? failureEvidence(ctx, cs[0]) : [];
}

/** The registry probe's result, when `--probe` ran one for this container. */
export function probeEvidence(c: ContainerCtx): Evidence | undefined {
  const p = c.probe;
  if (!p) return undefined;
  const attempts = p.attempts.map((a) => `${a.credential}${a.username ? ` (${a.username})` : ''}: ${a.outcome}${a.httpStatus ? ` ${a.httpStatus}` : ''}`);
  return {
    source: 'probe',
    ref: `probe of ${p.registry} from ${p.from}`,
    detail: `outcome ${p.outcome}; attempts: ${attempts.join('; ') || 'none'}`,
  };
}

/** The failing pull's evidence: events, waiting status, and the probe when there is one. */
export function runtimeEvidence(ctx: PullContext, c: ContainerCtx): Evidence[] {
  const out = failureEvidence(ctx, c);
  const pe = probeEvidence(c);
  if (pe) out.push(pe);
  return out;
}

/** A fact about a pull secret of the pod's namespace (only its name is used: it may not exist). */
export function secretEvidence(ctx: PullContext, s: Pick<SecretRefState, 'name'>, detail: string): Evidence {
  return { source: 'secret', ref: `Secret ${ctx.namespace}/${s.name}`, detail };
}

export function specEvidence(ctx: PullContext, field: string, detail: string): Evidence {
  const t = ctx.manifest?.template;
  if (t) {
    // A check: the workload's manifest, with the pod spec's place in it (`spec.template.spec.…`).
    const path = `${pathText(t.podSpecPath)}${field.replace(/^spec(?=\.|$)/, '')}`;
    return { source: 'manifest', ref: `${t.object.kind} ${t.object.namespace}/${t.object.name} ${path} (${t.file})`, detail };
  }
  return { source: 'pod-spec', ref: `Pod ${ctx.namespace}/${ctx.podName} ${field}`, detail };
}

/** The pod's `spec.imagePullSecrets` names this secret. */
export function listedSecretEvidence(ctx: PullContext, secret: string): Evidence {
  if (ctx.manifest?.template.pullSecretsFromServiceAccount) {
    return specEvidence(ctx, 'spec', `lists no imagePullSecrets, so its pods get ServiceAccount ${ctx.serviceAccount.name}'s, which lists "${secret}"`);
  }
  return specEvidence(ctx, 'spec.imagePullSecrets', `lists "${secret}"`);
}

/** The pod's ServiceAccount and the pull secrets it lists. */
export function serviceAccountEvidence(ctx: PullContext): Evidence {
  const sa = ctx.serviceAccount;
  return {
    source: 'service-account',
    ref: `ServiceAccount ${ctx.namespace}/${sa.name}`,
    detail: `imagePullSecrets: ${sa.pullSecrets.map((s) => s.name).join(', ')}`,
  };
}

export function nodeEvidence(node: NodeInfo, detail: string): Evidence {
  return { source: 'node', ref: `Node ${node.name}`, detail };
}

/** Pod-level FailedToRetrieveImagePullSecret events naming this secret. */
export function missingSecretEvents(ctx: PullContext, secret: string): Evidence[] {
  return ctx.podEvents
    .filter((e) => e.parsed.kind === 'secrets-missing' && (e.parsed.missingSecrets ?? []).includes(secret))
    .slice(0, 1)
    .map(eventEvidence);
}

/**
 * What established a secret reference's state (API, dump or the kubelet's event), then the
 * kubelet's FailedToRetrieveImagePullSecret event naming it when that is not already the source.
 */
export function secretStateEvidence(ctx: PullContext, s: SecretRefState): Evidence[] {
  return [s.from.evidence, ...(s.from.origin === 'kubelet-event' ? [] : missingSecretEvents(ctx, s.name))];
}

/** ` <sentence>` saying what a fact rests on when the input itself could not show it; else nothing. */
export function provenanceNote(s: { from: SecretRefState['from'] }): string {
  return s.from.note ? ` ${s.from.note}` : '';
}

/** Containers whose pull is failing now (in a check: would fail once deployed, see manifest.ts). */
export const failing = (ctx: PullContext): ContainerCtx[] =>
  inCheck(ctx) ? ctx.containers.filter((c) => wouldFail(ctx, c)) : ctx.containers.filter((c) => c.failure);

/** Human summary of which containers a pod-level cause hurts. */
export function containerList(cs: ContainerCtx[]): string {
  return cs.map((c) => c.name).join(', ');
}

/** ` (failing now: a, b)` for a message, or nothing when no container fails; in a check ` (would fail once deployed: a, b)`. */
export function failingNowNote(cs: ContainerCtx[], ctx?: PullContext): string {
  if (!cs.length) return '';
  return ctx && inCheck(ctx) ? ` (pulls that would fail once deployed: ${containerList(cs)})` : ` (failing now: ${containerList(cs)})`;
}

/** `a`, `a and b`, `a, b and c`; beyond `max` names: `a, b, c and 4 more`. */
export function listNames(names: readonly string[], conj: 'and' | 'or' = 'and', max = 3): string {
  if (names.length <= 1) return names.join('');
  if (names.length > max) return `${names.slice(0, max).join(', ')} ${conj} ${names.length - max} more`;
  return `${names.slice(0, -1).join(', ')} ${conj} ${names[names.length - 1]}`;
}
