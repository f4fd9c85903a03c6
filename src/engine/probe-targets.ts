/** Which images of a pod the registry probe checks, and putting its answers back on the containers. */
import type { ContainerProbe } from '../model/finding.js';
import type { ProbeTarget } from '../model/probe.js';
import type { PullContext } from './types.js';

/** Failing pulls only, or every image. */
export type ProbeMode = 'failing' | 'all';

/** The key of one container's probe: `cluster/namespace/pod/container`. */
export const probeKey = (ctx: PullContext, container: string) =>
  `${ctx.cluster ?? ''}/${ctx.namespace}/${ctx.podName}/${container}`;

/** The images of one pod to probe: failing pulls only, or every image with mode `all`. */
export function probeTargetsOf(ctx: PullContext, mode: ProbeMode, filter?: (ctx: PullContext) => boolean): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  if (filter && !filter(ctx)) return out;
  for (const c of ctx.containers) {
    if (!c.parse.ok || !c.lookup) continue;
    if (mode === 'failing' && !c.failure) continue;
    const { domain, path, tag, digest } = c.parse.ref;
    const t: ProbeTarget = { key: probeKey(ctx, c.name), domain, path, credentials: c.lookup.credentials };
    if (tag) t.tag = tag;
    if (digest) t.digest = digest;
    out.push(t);
  }
  return out;
}

/** Put the probe's answers (by probeKey) on the pod's containers. */
export function attachProbesTo(ctx: PullContext, probes: Map<string, ContainerProbe>): void {
  for (const c of ctx.containers) {
    const p = probes.get(probeKey(ctx, c.name));
    if (p) c.probe = p;
  }
}
