/** A pod's entry in the report (`Report.pods`): what the kubelet sees of its containers and secrets. */
import type { ContainerReport, PodReport } from '../model/finding.js';
import { toCredentialView } from '../credentials/index.js';
import type { PullContext } from './types.js';

/** Some container of the pod has a failing image pull now. */
export const hasFailingPull = (ctx: PullContext): boolean => ctx.containers.some((c) => c.failure);

export function podReport(ctx: PullContext): PodReport {
  const containers: ContainerReport[] = ctx.containers.map((c) => {
    const r: ContainerReport = {
      name: c.name,
      kind: c.kind,
      image: c.image,
      pullPolicy: c.pullPolicy,
      credentials: (c.lookup?.credentials ?? []).map(toCredentialView),
    };
    if (c.parse.ok) {
      const { domain, path, tag, digest } = c.parse.ref;
      r.reference = { domain, path };
      if (tag) r.reference.tag = tag;
      if (digest) r.reference.digest = digest;
      r.lookup = c.parse.ref.name;
    } else {
      r.referenceError = c.parse.error;
    }
    if (c.waiting) r.waiting = { ...c.waiting };
    if (c.probe) r.probe = c.probe;
    return r;
  });
  const p: PodReport = {
    namespace: ctx.namespace,
    name: ctx.podName,
    workload: ctx.workload,
    serviceAccount: ctx.serviceAccount.name,
    imagePullSecrets: ctx.pullSecrets.map((s) => ({ name: s.name, status: s.status })),
    containers,
    accessProblems: ctx.accessProblems,
  };
  if (ctx.cluster) p.cluster = ctx.cluster;
  if (ctx.pod.spec.nodeName) p.node = ctx.pod.spec.nodeName;
  return p;
}
