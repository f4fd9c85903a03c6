/**
 * A Snapshot is everything one scan knows about one cluster: plain data, no clients, no
 * promises. Every source (file, cluster, demo) produces exactly this.
 */
import type { KubeEvent, NodeInfo, OwnerObject, Pod, SecretObject, ServiceAccount } from './kube.js';
import type { ManifestIndex } from './manifest.js';

/** `node`: `pulldoctor node`, a node's filesystem. `manifest`: `pulldoctor check`, workload manifests (their pod templates). */
export type SourceKind = 'file' | 'cluster' | 'demo' | 'node' | 'manifest';

export interface SourceInfo {
  kind: SourceKind;
  /** Human description: file paths, or `context <name> (<server>)`, or `bundled demo cluster`. */
  description: string;
  /** Cluster name when known (kubeconfig cluster, or "demo"). */
  cluster?: string;
  context?: string;
  /** Namespaces in scope; undefined means all namespaces. */
  namespaces?: string[];
  labelSelector?: string;
  podNames?: string[];
}

/**
 * What the source could see, so the engine can tell "absent" from "not looked at".
 * - `all`: every object of that kind in scope is present.
 * - `referenced`: (secrets, live mode) every secret a pod names was requested by name;
 *   absence means a 404. Secrets found in other namespaces by the missing-name lookup are
 *   included too.
 * - `none`: the kind was not collected at all (e.g. a dump made without secrets).
 */
export type Coverage = 'all' | 'referenced' | 'none';

export interface AccessProblem {
  /** e.g. `secrets`, `events`, `serviceaccounts`, `pods`, `nodes`. */
  resource: string;
  /** Namespace the request was for; undefined for cluster-scoped or cluster-wide calls. */
  namespace?: string;
  /** Object name for a GET by name. */
  name?: string;
  verb: 'get' | 'list';
  /** HTTP status code, e.g. 403. */
  status: number;
  /** The API server's Status.message (untrusted text). */
  message: string;
  /** The `kubectl auth can-i …` line that reproduces the check. */
  canI: string;
}

/**
 * Something the source could not read, so the scan says nothing about it: an object that failed
 * the schema of the fields pulldoctor reads (src/collect/object-schema.ts), or a list or GET the
 * API server did not answer (403, 5xx, timeout). It is not counted as scanned.
 */
export interface SkippedObject {
  /** `Pod`, `Event`, `Secret`, `ServiceAccount`, `Node`, `ReplicaSet`, `Job`; `unknown` when not even the kind is known. */
  kind: string;
  /** Undefined for a cluster-wide read (e.g. `-A`) or when unknown. */
  namespace?: string;
  /** Undefined for a whole list, or when the object has no usable name. */
  name?: string;
  /** Why, one line: `spec.containers: must be array`, `list forbidden (403): …`, `no answer within 10s`. */
  reason: string;
  /** Where: `file:line` for a dump (or `stdin:line`), the request path for a live read. */
  source: string;
  /** For a read the API server refused or failed: its HTTP status (0: no answer). */
  status?: number;
  /** For an unreadable read: the command that shows whether pulldoctor may read it. */
  check?: string;
}

export interface Snapshot {
  source: SourceInfo;
  collectedAt: string;
  pods: Pod[];
  events: KubeEvent[];
  secrets: SecretObject[];
  serviceAccounts: ServiceAccount[];
  /** Workloads (ReplicaSets, Jobs, Deployments, …) when the dump has them (owner resolution, manifests); may be empty. */
  owners: OwnerObject[];
  nodes: NodeInfo[];
  coverage: {
    secrets: Coverage;
    serviceAccounts: Coverage;
    events: Coverage;
    nodes: Coverage;
  };
  accessProblems: AccessProblem[];
  /**
   * Live scans: namespaces whose pull secrets (both kubelet types) were listed in full, because a
   * pod there fails to pull without a credential from its own secrets. Dumps leave it unset.
   */
  pullSecretNamespaces?: string[];
  /** Objects of kinds we do not read, counted per kind. */
  skipped: Record<string, number>;
  /**
   * What the source could not read (malformed objects, refused or failed reads). Report assembly
   * decides completeness from it (src/engine/completeness.ts); absent means nothing was skipped.
   */
  skippedObjects?: SkippedObject[];
  /**
   * How many objects of the kinds pulldoctor reads passed validation (events dropped as noise
   * included), when the source counts them: 0 with skipped objects means nothing was usable.
   */
  objectsRead?: number;
  /**
   * Platforms (`os/arch[/variant]`) the user says the pods may run on (`--platform`); when
   * absent, the platforms of the nodes in the snapshot count.
   */
  platforms?: string[];
  /**
   * `pulldoctor check`: the manifest set the pods (pod templates) come from, to place findings
   * at file, line and column. Absent for every other source.
   */
  manifests?: ManifestIndex;
}

export function emptySnapshot(source: SourceInfo, collectedAt = new Date().toISOString()): Snapshot {
  return {
    source,
    collectedAt,
    pods: [],
    events: [],
    secrets: [],
    serviceAccounts: [],
    owners: [],
    nodes: [],
    coverage: { secrets: 'none', serviceAccounts: 'none', events: 'none', nodes: 'none' },
    accessProblems: [],
    skipped: {},
    skippedObjects: [],
  };
}
