/**
 * PullContext: everything rules may read about one pod, built once per pod by the engine.
 * Rules never index the Snapshot themselves.
 */
import type { ClusterIdentity, LookupResult, MissExplanation, NodePlatform, ParsedPullSecret, ProviderCoverage } from '../credentials/index.js';
import type { ImageParseResult } from '../image/reference.js';
import type { KeyringCredential } from '../credentials/index.js';
import type { ContainerProbe, Evidence, WorkloadRef } from '../model/finding.js';
import type { ContainerKind, NodeInfo, Pod } from '../model/kube.js';
import type { ManifestIndex, PodTemplateOrigin, PullSecretMisplacement } from '../model/manifest.js';
import type { AccessProblem, SkippedObject, Snapshot } from '../model/snapshot.js';
import type { ImageEvent, PullFailure } from './classify.js';

export interface EventView {
  /** `Event <namespace>/<name>` */
  ref: string;
  type?: string;
  reason?: string;
  message?: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  host?: string;
  parsed: ImageEvent;
}

/**
 * Where the engine learned a fact it hands to rules (DESIGN.md, "Facts have provenance"). The
 * same fact — a secret does not exist, a ServiceAccount lists these secrets, the pod ran on this
 * node — may come from the API, a dump, the kubelet's own event text or a manifest; rules read
 * the fact and cite `evidence`, without knowing which source it was.
 */
export interface Provenance {
  /**
   * - `api`: the API server's answer (an object read, a 404, a 403);
   * - `dump`: the input file shows it, or, for an absence, the input holds objects of that kind
   *   and not this one;
   * - `kubelet-event`: the kubelet said so in an event (the input itself cannot show it);
   * - `manifest`: a manifest (e.g. a `last-applied-configuration` annotation) shows it.
   */
  origin: 'api' | 'dump' | 'kubelet-event' | 'manifest';
  /** What to cite: the object, response or event that established the fact. */
  evidence: Evidence;
  /**
   * One sentence for a finding's message, set only when the fact comes from outside the objects
   * the input holds (the kubelet's words), so the reader knows what the conclusion rests on.
   */
  note?: string;
}

/** A value with where it came from. */
export interface Fact<T> {
  value: T;
  from: Provenance;
}

/** A pull secret name as the pod (or its ServiceAccount) lists it, resolved. */
export interface SecretRefState {
  name: string;
  /** found: readable and present; missing: absent in the pod's namespace (definitive: the API
   *  or a dump with secrets says so, or the kubelet's FailedToRetrieveImagePullSecret event names
   *  it); forbidden: the API refused to show it; unknown: not collected (dump without secrets). */
  status: 'found' | 'missing' | 'forbidden' | 'unknown';
  /** What established `status`. */
  from: Provenance;
  parsed?: ParsedPullSecret;
  /** Other namespaces where a secret with this name exists (for wrong-namespace). */
  otherNamespaces: string[];
  /** When missing: those other namespaces' secrets of this name, parsed as the kubelet would read them (same order). */
  otherCopies?: ParsedPullSecret[];
  accessProblem?: AccessProblem;
}

/**
 * A pull secret that exists in the pod's namespace, is named by neither the pod nor its
 * ServiceAccount, and holds credentials the kubelet would use for this container's image were
 * it listed (matched with the kubelet's own keyring, §4–§8).
 */
export interface UnreferencedSecret {
  secret: SecretRefState & { status: 'found'; parsed: ParsedPullSecret };
  /** The credentials the kubelet would try from it for this image, in kubelet order. */
  credentials: KeyringCredential[];
}

/** What the scan could see of the pull secrets of the pod's namespace that the pod does not name. */
export interface NamespaceSecretsView {
  /** all: every pull secret of the namespace is in the input; unknown: not collected; forbidden: listing was refused. */
  status: 'all' | 'unknown' | 'forbidden';
  accessProblem?: AccessProblem;
}

/** `imagePullSecrets` written where the kubelet does not read it, seen in an object of the input. */
export interface MisplacedPullSecrets {
  /** The object whose manifest shows it, e.g. `Deployment shop/cart` or `Pod shop/debug`. */
  object: { kind: string; namespace: string; name: string };
  items: PullSecretMisplacement[];
  from: Provenance;
}

export interface ContainerFailure {
  /** The waiting reason (ErrImagePull, ImagePullBackOff, …) or the raw error text the kubelet put there. */
  reason: string;
  /** The runtime error text, when one is known (from the latest Failed event or the status). */
  error?: string;
  classified?: PullFailure;
  /** Where the error text came from. */
  from: 'event' | 'status' | 'none';
  /** The image the kubelet's Failed event quotes (raw, as in the spec it pulled from), with that event. */
  image?: Fact<string>;
}

export interface ContainerCtx {
  name: string;
  kind: ContainerKind;
  /** `spec.containers{name}` etc. */
  fieldPath: string;
  /** As written in the spec ('' when missing). */
  image: string;
  pullPolicy: string;
  parse: ImageParseResult;
  waiting?: { reason?: string; message?: string };
  running: boolean;
  ready: boolean;
  imageID?: string;
  events: EventView[];
  /** Set when this container's image pull is failing now. */
  failure?: ContainerFailure;
  /** The kubelet's credential lookup for this image (only when the image parses). */
  lookup?: LookupResult;
  /** Near misses of the pod's registry keys for this image, nearest first (only when nothing matched). */
  misses: MissExplanation[];
  /**
   * Pull secrets of the namespace the pod does not name that would give credentials for this
   * image (set for failing containers only; existing secrets first by name).
   */
  unreferenced: UnreferencedSecret[];
  probe?: ContainerProbe;
  /**
   * The kubelet's credential provider step for this image (§8.5, after the pod's secrets): does the
   * provider the node's platform runs cover it? Set when the image parses and the node's platform
   * was recognised.
   */
  nodeProvider?: ProviderCoverage;
}

/** What the scan could see of the platform of the pod's node. */
export interface NodePlatformView {
  /**
   * - `recognised`: the pod's Node is in the input; `facts.platform` says which platform (`other` included);
   * - `not-read`: Nodes were not read (a dump without them, `--no-nodes`, or no failing pull needed them);
   * - `forbidden`: listing Nodes was refused (`accessProblem` carries the can-i line);
   * - `unreadable`: the node list failed (5xx, no answer) or this Node was skipped as malformed (`unread` says why);
   * - `absent`: Nodes were read, but not the pod's;
   * - `unscheduled`: the pod names no node.
   */
  status: 'recognised' | 'not-read' | 'forbidden' | 'unreadable' | 'absent' | 'unscheduled';
  node?: string;
  facts?: NodePlatform;
  /** The Node, as a finding cites it. */
  evidence?: Evidence;
  accessProblem?: AccessProblem;
  unread?: SkippedObject;
  /** The EKS or GKE cluster, when the kubeconfig cluster name shows it. */
  cluster?: ClusterIdentity;
}

export interface TargetPlatform {
  platform: string;
  nodes: string[];
}

export interface PullContext {
  now: Date;
  cluster?: string;
  /** The kubeconfig context a live scan used: what `kubectl --context` in a fix must name. */
  context?: string;
  pod: Pod;
  namespace: string;
  podName: string;
  workload: WorkloadRef;
  containers: ContainerCtx[];
  /** Pod-level events (no container fieldPath), e.g. FailedToRetrieveImagePullSecret. */
  podEvents: EventView[];
  /** `spec.imagePullSecrets` in order, empty names skipped (the kubelet skips them too). */
  pullSecrets: SecretRefState[];
  emptySecretNames: number;
  /** The first parse error among qualifying pull secrets: it poisons every pull of the pod (§3.8). */
  keyringError?: { secret: string; message: string };
  serviceAccount: {
    name: string;
    status: 'found' | 'missing' | 'forbidden' | 'unknown';
    /** What established `status` (and, when found, its list of pull secrets). */
    from: Provenance;
    pullSecrets: SecretRefState[];
  };
  /** The namespace's other pull secrets: could the scan see them (see `ContainerCtx.unreferenced`)? */
  namespaceSecrets: NamespaceSecretsView;
  /** `imagePullSecrets` placed where the kubelet does not read it, in the pod's or its workload's manifest. */
  misplacedPullSecrets: MisplacedPullSecrets[];
  coverage: Snapshot['coverage'];
  /** Access problems that touch this pod's namespace or cluster-wide calls. */
  accessProblems: AccessProblem[];
  node?: NodeInfo;
  /** The node the pod runs on: `spec.nodeName`, else the host the kubelet's events came from. */
  nodeName?: Fact<string>;
  nodes: NodeInfo[];
  /** The platform of the pod's node: which credential provider its kubelet runs (see `ContainerCtx.nodeProvider`). */
  nodePlatform: NodePlatformView;
  /**
   * The platforms this pod's images must offer: `--platform` values (no nodes), else each
   * distinct `os/arch` of the snapshot's nodes with the nodes that have it. Empty when unknown.
   */
  targetPlatforms: TargetPlatform[];
  sourceKind: Snapshot['source']['kind'];
  /**
   * `pulldoctor check`: the pod is a workload's pod template in a manifest (`sourceKind`
   * `manifest`): where it is written, and the set's index to place any field of it (or of a
   * Secret or ServiceAccount of the set) at file, line and column.
   */
  manifest?: { index: ManifestIndex; template: PodTemplateOrigin };
}
