/**
 * A manifest set as `pulldoctor check` reads it: every workload's pod template as the pod it
 * would create (reduced like a Pod of a dump, with where it came from), the Secrets and
 * ServiceAccounts the set holds, and the index that places a field at file, line and column.
 *
 * Pure, apart from the documents kept for positions. The namespace of an object is its
 * manifest's, else the default the check decides (`-n`, the context's, or `default`).
 */
import { reducePod, reduceSecret, reduceServiceAccount } from '../collect/reduce.js';
import { Keyring, parsePullSecret } from '../credentials/index.js';
import { parseImage } from '../image/reference.js';
import { UserError } from '../model/errors.js';
import type { Pod, SecretObject, ServiceAccount } from '../model/kube.js';
import type { ManifestField, ManifestIndex, ManifestObjectRef, SourceLocation } from '../model/manifest.js';
import { findMisplacedPullSecrets, podSpecPath } from '../collect/misplaced-pull-secrets.js';
import type { ManifestObject } from './reader.js';

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kinds whose pod template `check` evaluates: what creates pods (not a bare PodTemplate). */
export const CHECKED_KINDS: readonly string[] = ['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

/** Kinds that are not namespaced: no namespace is given to them. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass', 'Node', 'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);

export interface ManifestSet {
  index: ManifestIndex;
  /** One pod per workload (its pod template), in manifest order. */
  pods: Pod[];
  secrets: SecretObject[];
  serviceAccounts: ServiceAccount[];
  /** Namespaces the set's objects live in (where the check reads the cluster), sorted. */
  namespaces: string[];
  /** Objects of other kinds (Services, ConfigMaps, …), counted per kind. */
  skipped: Record<string, number>;
}

const refKey = (r: ManifestObjectRef) => `${r.kind}/${r.namespace}/${r.name}`;

class Index implements ManifestIndex {
  constructor(private readonly objects: ReadonlyMap<string, ManifestObject & { ref: ManifestObjectRef }>) {}
  has(object: ManifestObjectRef): boolean {
    return this.objects.has(refKey(object));
  }
  locate(field: ManifestField): SourceLocation | undefined {
    const o = this.objects.get(refKey(field.object));
    return o ? { ...o.locate(field.path), object: o.ref } : undefined;
  }
}

/** The object's pod spec, or undefined when the manifest has none where its kind keeps it. */
function podSpecOf(raw: Raw, path: readonly string[]): Raw | undefined {
  let node: unknown = raw;
  for (const seg of path) node = isObj(node) ? node[seg] : undefined;
  return isObj(node) ? node : undefined;
}

/** Read the set: templates become pods, Secrets and ServiceAccounts are reduced (data sealed). */
export function manifestSet(objects: readonly ManifestObject[], defaultNamespace: string): ManifestSet {
  // The last of two objects with the same kind, namespace and name wins, as with `kubectl apply`.
  const byRef = new Map<string, ManifestObject & { ref: ManifestObjectRef }>();
  const skipped: Record<string, number> = {};
  for (const o of objects) {
    const namespace = CLUSTER_SCOPED.has(o.kind) ? '' : (o.namespace ?? defaultNamespace);
    const ref = { kind: o.kind, namespace, name: o.name };
    byRef.delete(refKey(ref));
    byRef.set(refKey(ref), { ...o, ref });
  }
  const pods: Pod[] = [];
  const secrets: SecretObject[] = [];
  const serviceAccounts: ServiceAccount[] = [];
  const namespaces = new Set<string>();
  for (const o of byRef.values()) {
    const { namespace } = o.ref;
    const at = { file: o.file, line: o.line };
    if (o.kind === 'Secret') {
      secrets.push({ ...reduceSecret(o.raw, namespace), manifest: at });
      namespaces.add(namespace);
      continue;
    }
    if (o.kind === 'ServiceAccount') {
      serviceAccounts.push({ ...reduceServiceAccount(o.raw, namespace), manifest: at });
      namespaces.add(namespace);
      continue;
    }
    const specPath = CHECKED_KINDS.includes(o.kind) ? podSpecPath(o.kind) : undefined;
    const spec = specPath ? podSpecOf(o.raw, specPath) : undefined;
    if (!specPath) {
      skipped[o.kind] = (skipped[o.kind] ?? 0) + 1;
      continue;
    }
    // A workload without its pod spec, or one without a list of containers: the API server
    // rejects it, and there is no pull to check. Bad input, with its place.
    if (!spec || !Array.isArray(spec.containers) || spec.containers.length === 0) {
      const what = spec ? `containers (${[...specPath, 'containers'].join('.')} is not a non-empty list)` : `pod spec (${specPath.join('.')})`;
      throw new UserError(`${o.file}:${o.line}: ${o.kind} ${o.name || '(no name)'} has no ${what}: not a valid ${o.kind}, the API server rejects it`);
    }
    namespaces.add(namespace);
    const pod = reducePod({ metadata: { name: o.name, namespace }, spec }, namespace);
    // The template has no pod name of its own: the workload's name stands for its pods.
    pod.metadata.name = o.name;
    pod.template = { object: o.ref, podSpecPath: [...specPath], file: o.file, line: o.line };
    const misplaced = findMisplacedPullSecrets(o.raw);
    if (misplaced.length) pod.misplacedPullSecrets = misplaced;
    pods.push(pod);
  }
  return { index: new Index(byRef), pods, secrets, serviceAccounts, namespaces: [...namespaces].sort(), skipped };
}

/**
 * What admission does when the pods are created: a pod that lists no imagePullSecrets gets its
 * ServiceAccount's (kubelet-semantics §2.5). `serviceAccount` returns the one the pod will run
 * as (from the manifests or the cluster), or undefined when it is not known.
 */
export function applyServiceAccountPullSecrets(pods: Pod[], serviceAccount: (namespace: string, name: string) => ServiceAccount | undefined): void {
  for (const pod of pods) {
    if (pod.spec.imagePullSecrets?.length) continue;
    const sa = serviceAccount(pod.metadata.namespace, pod.spec.serviceAccountName ?? 'default');
    const names = (sa?.imagePullSecrets ?? []).filter((r) => r.name);
    if (!names.length || !pod.template) continue;
    pod.spec.imagePullSecrets = names.map((r) => ({ name: r.name }));
    pod.template = { ...pod.template, pullSecretsFromServiceAccount: true };
  }
}

/**
 * Namespaces where some template's image gets no credential from the pod's own pull secrets
 * (as known so far): only there can an existing but unreferenced secret of the namespace serve
 * it, so only there does a check against a cluster list the namespace's pull secrets — as the
 * scan does for failing pods (src/collect/pull-secret-scope.ts). A pod with an unparsable pull
 * secret is left out (the kubelet then sends nothing at all, and that secret is the cause).
 */
export function namespacesWithUncoveredImages(pods: readonly Pod[], secrets: readonly SecretObject[], serviceAccounts: readonly ServiceAccount[]): string[] {
  const byKey = new Map(secrets.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s] as const));
  const sas = new Map(serviceAccounts.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s] as const));
  const out = new Set<string>();
  for (const pod of pods) {
    const ns = pod.metadata.namespace;
    if (out.has(ns)) continue;
    let refs = pod.spec.imagePullSecrets ?? [];
    if (!refs.length) refs = sas.get(`${ns}/${pod.spec.serviceAccountName ?? 'default'}`)?.imagePullSecrets ?? [];
    const parsed = refs.flatMap((r) => {
      const s = r.name ? byKey.get(`${ns}/${r.name}`) : undefined;
      return s ? [parsePullSecret(s)] : [];
    });
    if (parsed.some((p) => p.format !== null && p.error !== undefined)) continue;
    const keyring = Keyring.fromSecrets(parsed);
    const images = [...(pod.spec.initContainers ?? []), ...pod.spec.containers, ...(pod.spec.ephemeralContainers ?? [])];
    const uncovered = images.some((c) => {
      const ref = parseImage(c.image ?? '');
      return ref.ok && keyring.lookup(ref.ref.name).credentials.length === 0;
    });
    if (uncovered) out.add(ns);
  }
  return [...out].sort();
}
