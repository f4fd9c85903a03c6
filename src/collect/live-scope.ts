/**
 * What the live source watches beyond pods and service accounts, as pure functions of its
 * state: the secrets pods name, and the namespaces "affected" by pull trouble, where events and
 * secrets are watched (everywhere else they are read once, as a one-shot scan reads them).
 */
import type { KubeEvent, Pod, ServiceAccount } from '../model/kube.js';
import { OTHER_WAITING_REASONS, PULL_WAITING_REASONS } from '../runtime/kubelet-reasons.js';

export interface SecretRef {
  namespace: string;
  name: string;
}

/** Every pull secret a pod in scope names, directly or through its ServiceAccount, by `namespace/name` (as scan-plan.ts reads them). */
export function referencedSecrets(pods: Iterable<Pod>, sas: ReadonlyMap<string, ServiceAccount>): Map<string, SecretRef> {
  const refs = new Map<string, SecretRef>();
  const add = (namespace: string, list: { name?: string }[] | undefined) => {
    for (const r of list ?? []) if (r.name) refs.set(`${namespace}/${r.name}`, { namespace, name: r.name });
  };
  for (const p of pods) {
    const ns = p.metadata.namespace;
    add(ns, p.spec.imagePullSecrets);
    add(ns, sas.get(`${ns}/${p.spec.serviceAccountName ?? 'default'}`)?.imagePullSecrets);
  }
  return refs;
}

/** A container waiting because its image cannot be pulled (the engine's test, without events). */
function pullWaiting(p: Pod): boolean {
  const st = p.status;
  if (!st) return false;
  for (const c of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? []), ...(st.ephemeralContainerStatuses ?? [])]) {
    const reason = c.state?.waiting?.reason;
    if (reason === undefined) continue;
    if (PULL_WAITING_REASONS.has(reason)) return true;
    // The kubelet puts some raw errors (a pull secret that cannot be decoded) in the reason.
    if (!OTHER_WAITING_REASONS.has(reason) && /\s/.test(reason)) return true;
  }
  return false;
}

/** Kubelet reasons of image events that report trouble (not Pulling/Pulled). */
const TROUBLE_REASONS = new Set(['Failed', 'BackOff', 'InspectFailed', 'ErrImageNeverPull', 'FailedToRetrieveImagePullSecret']);

function troubleEvent(e: KubeEvent): boolean {
  if (e.involvedObject.kind !== undefined && e.involvedObject.kind !== 'Pod') return false;
  return e.reason !== undefined && TROUBLE_REASONS.has(e.reason);
}

/**
 * Namespaces with pull trouble now: a pod whose container waits on its image, a pod event
 * reporting a failed pull or a pull secret the kubelet could not read, or a pod naming a pull
 * secret that is missing or unreadable.
 */
export function affectedNamespaces(
  pods: Iterable<Pod>,
  events: Iterable<KubeEvent>,
  refs: ReadonlyMap<string, SecretRef>,
  secretTrouble: (key: string) => boolean,
): Set<string> {
  const out = new Set<string>();
  for (const p of pods) if (pullWaiting(p)) out.add(p.metadata.namespace);
  for (const e of events) if (troubleEvent(e)) out.add(e.involvedObject.namespace ?? e.namespace);
  for (const [key, ref] of refs) if (secretTrouble(key)) out.add(ref.namespace);
  return out;
}
