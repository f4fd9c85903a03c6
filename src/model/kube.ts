/**
 * The subset of Kubernetes objects pulldoctor reads, already reduced to the fields the
 * engine uses. Sources (src/collect) produce these from `kubectl get -o yaml|json` output
 * or from API list pages; nothing else in them survives, which keeps memory bounded.
 *
 * Secrets are special: their data values never appear here in the clear. A source hands the
 * raw `data` map to `sealSecretData()` (src/credentials/vault.ts) and keeps only the sealed
 * handle (an opaque type, ./sealed.ts) plus the list of data keys.
 */
import type { PodTemplateOrigin, PullSecretMisplacement } from './manifest.js';
import type { SealedSecretData } from './sealed.js';

export interface OwnerRef {
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  creationTimestamp?: string;
  /** Newest `managedFields[].time` (last write), when the source shows managed fields. */
  updatedAt?: string;
  labels?: Record<string, string>;
  ownerReferences?: OwnerRef[];
}

export type ContainerKind = 'init' | 'container' | 'ephemeral';

export interface ContainerSpec {
  name: string;
  /** As written in the pod spec; may be missing or empty in a broken object. */
  image?: string;
  imagePullPolicy?: string;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; finishedAt?: string };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Pod {
  metadata: ObjectMeta;
  spec: {
    containers: ContainerSpec[];
    initContainers?: ContainerSpec[];
    ephemeralContainers?: ContainerSpec[];
    /** Entries as written; `name` may be empty (the kubelet skips those silently). */
    imagePullSecrets?: { name?: string }[];
    serviceAccountName?: string;
    nodeName?: string;
    nodeSelector?: Record<string, string>;
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    ephemeralContainerStatuses?: ContainerStatus[];
  };
  /** `imagePullSecrets` its `last-applied-configuration` annotation shows where the kubelet does not read it. */
  misplacedPullSecrets?: PullSecretMisplacement[];
  /** `pulldoctor check`: this pod stands for a workload's pod template in a manifest (no status, no events). */
  template?: PodTemplateOrigin;
}

/**
 * One event, normalised from either `v1` Events (`involvedObject`, `message`, `count`,
 * `firstTimestamp`/`lastTimestamp`) or `events.k8s.io/v1` Events (`regarding`, `note`,
 * `series.count`, `eventTime`, `series.lastObservedTime`).
 */
export interface KubeEvent {
  namespace: string;
  name: string;
  involvedObject: {
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
    fieldPath?: string;
  };
  type?: string;
  reason?: string;
  message?: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  /** kubelet host that reported it, when known. */
  host?: string;
}

export interface SecretObject {
  metadata: ObjectMeta;
  type?: string;
  /** Names of the keys present in `data` (values are only in `sealed`). */
  dataKeys: string[];
  /** The `.dockerconfigjson` / `.dockercfg` values, sealed; never printable. */
  sealed: SealedSecretData;
  /** `pulldoctor check`: the object comes from the manifest set (this file and line), not the cluster. */
  manifest?: { file: string; line: number };
}

export interface ServiceAccount {
  metadata: ObjectMeta;
  imagePullSecrets?: { name?: string }[];
  /** `pulldoctor check`: the object comes from the manifest set (this file and line), not the cluster. */
  manifest?: { file: string; line: number };
}

/**
 * A workload seen in the dump (ReplicaSet, Job, Deployment, StatefulSet, DaemonSet, CronJob), used
 * to find a pod's owning workload and what its manifest shows.
 */
export interface OwnerObject {
  kind: string;
  metadata: ObjectMeta;
  /** `imagePullSecrets` its `last-applied-configuration` annotation shows where the kubelet does not read it. */
  misplacedPullSecrets?: PullSecretMisplacement[];
}

export interface NodeInfo {
  name: string;
  architecture?: string;
  operatingSystem?: string;
  /** e.g. `containerd://1.7.22`, `cri-o://1.31.1`, `docker://24.0.7`. */
  containerRuntimeVersion?: string;
  /** e.g. `v1.30.4-eks-a737599`, `v1.29.6-gke.1326000`, `v1.27.7` (the suffix names a managed node image). */
  kubeletVersion?: string;
  /**
   * `spec.providerID`: the cloud and instance the node runs on, e.g. `aws:///us-east-1a/i-0abc…`,
   * `gce://<project>/<zone>/<instance>`, `azure:///subscriptions/<sub>/resourceGroups/<rg>/…`.
   */
  providerID?: string;
  /**
   * Only the labels that identify the platform, the node pool and the identity a node pulls with
   * (src/collect/reduce.ts `PLATFORM_LABELS`); every other label is dropped.
   */
  labels?: Record<string, string>;
  /** Pull-relevant conditions, e.g. DiskPressure=True. */
  conditions?: { type: string; status: string; message?: string }[];
}
