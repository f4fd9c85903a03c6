/** Small helpers rules share to cite where a fact came from. */
import type { ContainerCtx, EventView, PullContext, SecretRefState } from '../../src/engine/types.js';
import type { Evidence } from '../../src/model/finding.js';

export function eventEvidence(e: EventView): Evidence {
  const ev: Evidence = {
    source: 'event',
    ref: e.ref,
    detail: `${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}`.trim(),
    count: e.count,
  };
  if (e.lastSeen) ev.lastSeen = e.lastSeen;
  return ev;
}

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

export function statusEvidence(ctx: PullContext, c: ContainerCtx): Evidence | undefined {
  if (!c.waiting?.reason) return undefined;
  return {
    source: 'pod-status',
    ref: `Pod ${ctx.namespace}/${ctx.podName} ${c.fieldPath}`,
    detail: `state.waiting.reason=${c.waiting.reason}${c.waiting.message ? `, message: ${c.waiting.message}` : ''}`,
  };
}

/** Evidence of a failing container: its events and its status. */
export function failureEvidence(ctx: PullContext, c: ContainerCtx): Evidence[] {
  const out = pullEventEvidence(c);
  const st = statusEvidence(ctx, c);
  if (st && !out.some((e) => e.detail.includes(c.waiting?.message ?? '\0'))) out.push(st);
  return out;
}

export function secretEvidence(ctx: PullContext, s: SecretRefState, detail: string): Evidence {
  return { source: 'secret', ref: `Secret ${ctx.namespace}/${s.name}`, detail };
}

export function specEvidence(ctx: PullContext, field: string, detail: string): Evidence {
  return { source: 'pod-spec', ref: `Pod ${ctx.namespace}/${ctx.podName} ${field}`, detail };
}

/** Pod-level FailedToRetrieveImagePullSecret events naming this secret. */
export function missingSecretEvents(ctx: PullContext, secret: string): Evidence[] {
  return ctx.podEvents
    .filter((e) => e.parsed.kind === 'secrets-missing' && (e.parsed.missingSecrets ?? []).includes(secret))
    .slice(0, 1)
    .map(eventEvidence);
}

/** Containers whose pull is failing now. */
export const failing = (ctx: PullContext): ContainerCtx[] => ctx.containers.filter((c) => c.failure);

/** Human summary of which containers a pod-level cause hurts. */
export function containerList(cs: ContainerCtx[]): string {
  return cs.map((c) => c.name).join(', ');
}
