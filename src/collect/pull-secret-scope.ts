/**
 * Which namespaces a live scan lists the pull secrets of: those where a pod fails to pull an
 * image that its own pull secrets give no credential for. Only there can an existing but
 * unreferenced secret be the cause (rules/pull-secret-not-referenced.ts), so only there is the
 * namespace's list read — at most two typed lists per such namespace, never one per pod.
 * Pure: decided from the pods and the secrets the scan already read.
 */
import { Keyring, parsePullSecret, type ParsedPullSecret } from '../credentials/index.js';
import { parseImage } from '../image/reference.js';
import type { ContainerSpec, ContainerStatus, Pod, SecretObject } from '../model/kube.js';
import type { Snapshot } from '../model/snapshot.js';
import { PULL_WAITING_REASONS } from '../runtime/kubelet-reasons.js';

/** The two secret types the kubelet reads pull credentials from (kubelet-semantics §3.1), one list each. */
export const PULL_SECRET_TYPES = ['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg'] as const;

/** Waiting reasons of a pull that credentials cannot help: the image name, or a Never policy. */
const NOT_CREDENTIALS = new Set(['InvalidImageName', 'ErrImageNeverPull']);

/** Images of the pod whose pull is failing now, by the containers' waiting reasons. */
function failingImages(pod: Pod): string[] {
  const out: string[] = [];
  const st = pod.status ?? {};
  const scan = (specs: ContainerSpec[] | undefined, statuses: ContainerStatus[] | undefined) => {
    for (const s of statuses ?? []) {
      const reason = s.state?.waiting?.reason;
      if (!reason || !PULL_WAITING_REASONS.has(reason) || NOT_CREDENTIALS.has(reason)) continue;
      const image = specs?.find((c) => c.name === s.name)?.image ?? s.image;
      if (image) out.push(image);
    }
  };
  scan(pod.spec.initContainers, st.initContainerStatuses);
  scan(pod.spec.containers, st.containerStatuses);
  scan(pod.spec.ephemeralContainers, st.ephemeralContainerStatuses);
  return out;
}

/**
 * Namespaces with a pod whose failing image gets no credential from the pod's own pull secrets,
 * sorted. A pod whose secrets could not be read (403) is left out: what they hold is unknown, and
 * a list would be refused the same way. So is a pod with a malformed secret (the kubelet then
 * sends nothing at all, and that secret is the cause to fix).
 */
export function namespacesNeedingPullSecrets(s: Snapshot): string[] {
  const secrets = new Map<string, SecretObject>(s.secrets.map((x) => [`${x.metadata.namespace}/${x.metadata.name}`, x]));
  const parsed = new Map<string, ParsedPullSecret>();
  const forbidden = new Set(s.accessProblems.filter((p) => p.resource === 'secrets' && p.verb === 'get' && p.name).map((p) => `${p.namespace}/${p.name}`));
  const affected = new Set<string>();
  for (const pod of s.pods) {
    const ns = pod.metadata.namespace;
    if (affected.has(ns)) continue;
    const images = failingImages(pod);
    if (!images.length) continue;
    const names = (pod.spec.imagePullSecrets ?? []).map((r) => r.name ?? '').filter((n) => n !== '');
    if (names.some((n) => forbidden.has(`${ns}/${n}`))) continue;
    const mine: ParsedPullSecret[] = [];
    for (const n of names) {
      const key = `${ns}/${n}`;
      const obj = secrets.get(key);
      if (!obj) continue;
      let p = parsed.get(key);
      if (!p) {
        p = parsePullSecret(obj);
        parsed.set(key, p);
      }
      mine.push(p);
    }
    if (mine.some((p) => p.format !== null && p.error !== undefined)) continue;
    const keyring = Keyring.fromSecrets(mine);
    const uncovered = images.some((image) => {
      const ref = parseImage(image);
      return ref.ok && keyring.lookup(ref.ref.name).credentials.length === 0;
    });
    if (uncovered) affected.add(ns);
  }
  return [...affected].sort();
}
