/**
 * PullContext: everything rules may read about one pod, built once per pod by the engine.
 * Rules never index the Snapshot themselves.
 */
import type { LookupResult, MissExplanation, ParsedPullSecret } from '../credentials/index.js';
import type { ImageParseResult } from '../image/reference.js';
import type { ContainerProbe, WorkloadRef } from '../model/finding.js';
import type { ContainerKind, NodeInfo, Pod } from '../model/kube.js';
import type { AccessProblem, Snapshot } from '../model/snapshot.js';
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

/** A pull secret name as the pod (or its ServiceAccount) lists it, resolved. */
export interface SecretRefState {
  name: string;
  /** found: readable and present; missing: absent in the pod's namespace (definitive);
   *  forbidden: the API refused to show it; unknown: not collected (dump without secrets). */
  status: 'found' | 'missing' | 'forbidden' | 'unknown';
  parsed?: ParsedPullSecret;
  /** Other namespaces where a secret with this name exists (for wrong-namespace). */
  otherNamespaces: string[];
  /** When missing: those other namespaces' secrets of this name, parsed as the kubelet would read them (same order). */
  otherCopies?: ParsedPullSecret[];
  accessProblem?: AccessProblem;
}

export interface ContainerFailure {
  /** The waiting reason (ErrImagePull, ImagePullBackOff, …) or the raw error text the kubelet put there. */
  reason: string;
  /** The runtime error text, when one is known (from the latest Failed event or the status). */
  error?: string;
  classified?: PullFailure;
  /** Where the error text came from. */
  from: 'event' | 'status' | 'none';
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
  probe?: ContainerProbe;
}

export interface TargetPlatform {
  platform: string;
  nodes: string[];
}

export interface PullContext {
  now: Date;
  cluster?: string;
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
    pullSecrets: SecretRefState[];
  };
  coverage: Snapshot['coverage'];
  /** Access problems that touch this pod's namespace or cluster-wide calls. */
  accessProblems: AccessProblem[];
  node?: NodeInfo;
  nodes: NodeInfo[];
  /**
   * The platforms this pod's images must offer: `--platform` values (no nodes), else each
   * distinct `os/arch` of the snapshot's nodes with the nodes that have it. Empty when unknown.
   */
  targetPlatforms: TargetPlatform[];
  sourceKind: Snapshot['source']['kind'];
}
