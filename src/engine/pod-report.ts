/** A pod's entry in the report (`Report.pods`): what the kubelet sees of its containers and secrets. */
import type { ContainerCredentialView, ContainerReport, NodeProviderCredentialView, PodReport } from '../model/finding.js';
import { REGISTRY_PRODUCT, toCredentialView } from '../credentials/index.js';
import type { ContainerCtx, PullContext } from './types.js';

/**
 * The node's provider step as a `credentials` entry: the plugin that covers the image, or — for
 * an image on a cloud registry — the fact that the node's platform has none for it.
 */
function nodeProviderView(ctx: PullContext, c: ContainerCtx): NodeProviderCredentialView | undefined {
  const cov = c.nodeProvider;
  const node = ctx.nodePlatform.node;
  if (!cov?.provider || !node) return undefined;
  const applies = cov.status === 'covered';
  if (!applies && !cov.registry) return undefined;
  const domain = c.parse.ok ? c.parse.ref.domain : '';
  const where = cov.registry ? `${REGISTRY_PRODUCT[cov.registry.kind]} (${domain})` : domain;
  const detail = applies
    ? cov.provider === 'fargate'
      ? `EKS Fargate pulls ${where} with ${cov.identity}`
      : `the kubelet runs ${cov.provider} for this image (matchImages "${cov.matchImage}") after the pod's secrets: it turns ${cov.identity} into a registry token; ${cov.cache}`
    : `${cov.provider} does not cover ${where}${cov.nearMiss ? ` (${cov.nearMiss.detail})` : ''}: the node gives no credential for this image, only a pull secret can`;
  const v: NodeProviderCredentialView = { source: 'node-provider', platform: cov.platform, node, provider: cov.provider, identity: cov.identity ?? '', applies, detail };
  if (cov.matchImage) v.matchImage = cov.matchImage;
  return v;
}

/** Some container of the pod has a failing image pull now. */
export const hasFailingPull = (ctx: PullContext): boolean => ctx.containers.some((c) => c.failure);

export function podReport(ctx: PullContext): PodReport {
  const containers: ContainerReport[] = ctx.containers.map((c) => {
    const r: ContainerReport = {
      name: c.name,
      kind: c.kind,
      image: c.image,
      pullPolicy: c.pullPolicy,
      credentials: (c.lookup?.credentials ?? []).map((k): ContainerCredentialView => toCredentialView(k)),
    };
    const provider = nodeProviderView(ctx, c);
    if (provider) r.credentials.push(provider);
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
