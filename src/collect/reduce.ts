/**
 * Raw Kubernetes objects (as parsed from YAML/JSON or an API list page) → the reduced model.
 * Everything not listed in src/model/kube.ts is dropped here, as each object arrives, so a
 * source never holds more than it needs. Secret data is sealed immediately.
 *
 * The fields read here are exactly those of ./object-schema.ts: SnapshotBuilder validates each
 * object first (./validate.ts), so what reaches these functions has the types they expect, and
 * their defensive checks only matter to callers that skip validation.
 */
import { sealSecretData } from '../credentials/vault.js';
import { LAST_APPLIED, misplacedInLastApplied } from './misplaced-pull-secrets.js';
import { pointsAtNode } from '../runtime/wordings.js';
import type { ReadKind, WorkloadKind } from './validate.js';
import type {
  ContainerSpec,
  ContainerState,
  ContainerStatus,
  KubeEvent,
  NodeInfo,
  ObjectMeta,
  OwnerObject,
  Pod,
  SecretObject,
  ServiceAccount,
} from '../model/kube.js';

type Raw = Record<string, unknown>;

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strMap = (v: unknown): Record<string, string> | undefined => {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
};

/**
 * JSON.parse already keeps one copy of each string value this short (V8 internalizes them), so
 * the pool leaves them alone: hashing them again would cost time and save nothing.
 */
const SHORT = 10;

/**
 * One copy of each repeated string (namespaces, node names, images, image IDs, reasons, the
 * messages of routine events, owner references): JSON.parse makes a new string per occurrence
 * (above SHORT characters), and at tens of thousands of pods those copies are a large part of the
 * snapshot. Only fields with few distinct values go through it. A string is kept once it shows
 * up a second time, so that the values that never repeat (a field that is unique per object in
 * some cluster) do not fill the pool; it stops growing past `max` entries.
 */
export class StringPool {
  private readonly map = new Map<string, string>();
  /** Strings seen once, not kept yet (forgotten all at once when there are `max` of them). */
  private seen = new Map<string, string>();
  constructor(private readonly max = 100_000) {}
  get(s: string): string;
  get(s: string | undefined): string | undefined;
  get(s: string | undefined): string | undefined {
    if (s === undefined || s.length <= SHORT || s.length > 512) return s;
    const hit = this.map.get(s);
    if (hit !== undefined) return hit;
    if (this.map.size >= this.max) return s;
    const first = this.seen.get(s);
    if (first !== undefined) {
      this.seen.delete(s);
      this.map.set(first, first);
      return first;
    }
    if (this.seen.size >= this.max) this.seen = new Map();
    this.seen.set(s, s);
    return s;
  }
}

/** No pooling (each call site keeps its own strings). */
const NO_POOL = { get: <T extends string | undefined>(s: T): T => s } as unknown as StringPool;

/** Labels that matter for owner resolution; other labels are dropped to save memory. */
const KEPT_LABELS = ['pod-template-hash', 'app', 'app.kubernetes.io/name', 'job-name', 'controller-revision-hash'];

export function reduceMeta(raw: unknown, defaultNamespace = 'default', pool: StringPool = NO_POOL): ObjectMeta {
  const m = isObj(raw) ? raw : {};
  const meta: ObjectMeta = {
    name: str(m.name) ?? '',
    namespace: pool.get(str(m.namespace) ?? defaultNamespace),
  };
  const uid = str(m.uid);
  if (uid) meta.uid = uid;
  const ts = str(m.creationTimestamp);
  if (ts) meta.creationTimestamp = ts;
  let updated: string | undefined;
  for (const f of arr(m.managedFields)) {
    const t = isObj(f) ? str(f.time) : undefined;
    if (t && (!updated || t > updated)) updated = t;
  }
  if (updated) meta.updatedAt = updated;
  if (isObj(m.labels)) {
    const labels = m.labels;
    let kept: Record<string, string> | undefined;
    for (const k of KEPT_LABELS) {
      const v = labels[k];
      if (typeof v === 'string') (kept ??= {})[k] = pool.get(v);
    }
    if (kept) meta.labels = kept;
  }
  const owners = arr(m.ownerReferences).filter(isObj);
  if (owners.length) {
    meta.ownerReferences = owners.map((o) => {
      const ref: { kind: string; name: string; uid?: string; controller?: boolean } = {
        kind: pool.get(str(o.kind) ?? ''),
        name: pool.get(str(o.name) ?? ''),
      };
      if (str(o.uid)) ref.uid = pool.get(str(o.uid));
      if (o.controller === true) ref.controller = true;
      return ref;
    });
  }
  return meta;
}

function reduceContainer(raw: unknown, pool: StringPool): ContainerSpec {
  const c = isObj(raw) ? raw : {};
  const out: ContainerSpec = { name: pool.get(str(c.name) ?? '') };
  if (typeof c.image === 'string') out.image = pool.get(c.image);
  if (str(c.imagePullPolicy)) out.imagePullPolicy = pool.get(str(c.imagePullPolicy));
  return out;
}

function reduceState(raw: unknown, pool: StringPool): ContainerState | undefined {
  if (!isObj(raw)) return undefined;
  const s: ContainerState = {};
  if (isObj(raw.waiting)) s.waiting = { reason: pool.get(str(raw.waiting.reason)), message: pool.get(str(raw.waiting.message)) };
  if (isObj(raw.running)) s.running = { startedAt: str(raw.running.startedAt) };
  if (isObj(raw.terminated))
    s.terminated = {
      reason: pool.get(str(raw.terminated.reason)),
      message: str(raw.terminated.message),
      exitCode: num(raw.terminated.exitCode),
      finishedAt: str(raw.terminated.finishedAt),
    };
  return s;
}

function reduceStatus(raw: unknown, pool: StringPool): ContainerStatus {
  const c = isObj(raw) ? raw : {};
  const out: ContainerStatus = { name: pool.get(str(c.name) ?? '') };
  if (str(c.image)) out.image = pool.get(str(c.image));
  if (str(c.imageID)) out.imageID = pool.get(str(c.imageID));
  if (typeof c.ready === 'boolean') out.ready = c.ready;
  if (num(c.restartCount) !== undefined) out.restartCount = num(c.restartCount);
  const st = reduceState(c.state, pool);
  if (st) out.state = st;
  const last = reduceState(c.lastState, pool);
  if (last && Object.keys(last).length) out.lastState = last;
  return out;
}

const secretRefs = (v: unknown, pool: StringPool = NO_POOL): { name?: string }[] | undefined => {
  const list = arr(v);
  if (!list.length) return undefined;
  return list.map((e) => (isObj(e) && typeof e.name === 'string' ? { name: pool.get(e.name) } : {}));
};

/** What the object's `last-applied-configuration` shows of `imagePullSecrets` the kubelet does not read. */
function misplacedOf(raw: Raw): ReturnType<typeof misplacedInLastApplied> | undefined {
  const meta = isObj(raw.metadata) ? raw.metadata : undefined;
  const annotations = meta && isObj(meta.annotations) ? meta.annotations : undefined;
  const found = annotations ? misplacedInLastApplied(annotations[LAST_APPLIED]) : [];
  return found.length ? found : undefined;
}

export function reducePod(raw: Raw, defaultNamespace?: string, pool: StringPool = NO_POOL): Pod {
  const spec = isObj(raw.spec) ? raw.spec : {};
  const status = isObj(raw.status) ? raw.status : undefined;
  const container = (c: unknown) => reduceContainer(c, pool);
  const pod: Pod = {
    metadata: reduceMeta(raw.metadata, defaultNamespace, pool),
    spec: { containers: arr(spec.containers).map(container) },
  };
  const init = arr(spec.initContainers);
  if (init.length) pod.spec.initContainers = init.map(container);
  const eph = arr(spec.ephemeralContainers);
  if (eph.length) pod.spec.ephemeralContainers = eph.map(container);
  const ips = secretRefs(spec.imagePullSecrets, pool);
  if (ips) pod.spec.imagePullSecrets = ips;
  // An empty serviceAccountName falls back to the deprecated serviceAccount, as in the API's conversion.
  const sa = str(spec.serviceAccountName) || str(spec.serviceAccount);
  if (sa) pod.spec.serviceAccountName = pool.get(sa);
  if (str(spec.nodeName)) pod.spec.nodeName = pool.get(str(spec.nodeName));
  const sel = strMap(spec.nodeSelector);
  if (sel && Object.keys(sel).length) pod.spec.nodeSelector = sel;
  if (status) {
    pod.status = {};
    if (str(status.phase)) pod.status.phase = pool.get(str(status.phase));
    if (str(status.reason)) pod.status.reason = pool.get(str(status.reason));
    if (str(status.message)) pod.status.message = str(status.message);
    if (str(status.startTime)) pod.status.startTime = str(status.startTime);
    for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'] as const) {
      const list = arr(status[key]);
      if (list.length) pod.status[key] = list.map((c) => reduceStatus(c, pool));
    }
  }
  const misplaced = misplacedOf(raw);
  if (misplaced) pod.misplacedPullSecrets = misplaced;
  return pod;
}

/**
 * Both `v1` Events and `events.k8s.io/v1` Events. Its strings are the parser's own: `poolEvent`
 * pools those of the events that are kept.
 */
export function reduceEvent(raw: Raw, defaultNamespace?: string): KubeEvent {
  const meta = reduceMeta(raw.metadata, defaultNamespace);
  const newStyle = isObj(raw.regarding) || typeof raw.note === 'string' || String(raw.apiVersion ?? '').startsWith('events.k8s.io/');
  const obj = isObj(newStyle ? raw.regarding : raw.involvedObject)
    ? ((newStyle ? raw.regarding : raw.involvedObject) as Raw)
    : isObj(raw.involvedObject)
      ? raw.involvedObject
      : {};
  const series = isObj(raw.series) ? raw.series : undefined;
  const ev: KubeEvent = {
    namespace: meta.namespace,
    name: meta.name,
    involvedObject: {
      kind: str(obj.kind),
      name: str(obj.name),
      namespace: str(obj.namespace) ?? meta.namespace,
      uid: str(obj.uid),
      fieldPath: str(obj.fieldPath),
    },
    type: str(raw.type),
    reason: str(raw.reason),
    message: newStyle ? (str(raw.note) ?? str(raw.message)) : (str(raw.message) ?? str(raw.note)),
    count: 1,
  };
  if (newStyle) {
    ev.count = num(series?.count) ?? num(raw.deprecatedCount) ?? 1;
    ev.firstTimestamp = str(raw.deprecatedFirstTimestamp) ?? str(raw.eventTime) ?? meta.creationTimestamp;
    ev.lastTimestamp =
      str(series?.lastObservedTime) ?? str(raw.deprecatedLastTimestamp) ?? str(raw.eventTime) ?? meta.creationTimestamp;
    const host = isObj(raw.deprecatedSource) ? str(raw.deprecatedSource.host) : undefined;
    ev.host = str(raw.reportingInstance) ?? host;
  } else {
    ev.count = num(raw.count) ?? num(series?.count) ?? 1;
    ev.firstTimestamp = str(raw.firstTimestamp) ?? str(raw.eventTime) ?? meta.creationTimestamp;
    ev.lastTimestamp =
      str(raw.lastTimestamp) ?? str(series?.lastObservedTime) ?? str(raw.eventTime) ?? meta.creationTimestamp;
    const src = isObj(raw.source) ? raw.source : undefined;
    ev.host = str(src?.host) ?? str(raw.reportingInstance);
  }
  if (!ev.host) delete ev.host;
  return ev;
}

/**
 * The repeated strings of a reduced event, through the pool: for the events
 * `eventMatters` keeps. Most of a busy cluster's events are dropped as they arrive, and their
 * strings (messages that name one pod each, among them) are not worth hashing into the pool.
 */
export function poolEvent(ev: KubeEvent, pool: StringPool): KubeEvent {
  ev.namespace = pool.get(ev.namespace);
  const io = ev.involvedObject;
  io.kind = pool.get(io.kind);
  io.namespace = pool.get(io.namespace);
  io.fieldPath = pool.get(io.fieldPath);
  ev.type = pool.get(ev.type);
  ev.reason = pool.get(ev.reason);
  ev.message = pool.get(ev.message);
  if (ev.host !== undefined) ev.host = pool.get(ev.host);
  return ev;
}

/**
 * Reasons of routine pod lifecycle events (scheduler, container start/stop, probes) that say
 * nothing about pulling. The engine reads a pod's events only through the image-event parser
 * (src/engine/image-events.ts `parseImageEvent`: Pulling, Pulled, Failed, BackOff, InspectFailed,
 * ErrImageNeverPull, FailedToRetrieveImagePullSecret, `Error: …`), the node an event names and
 * messages that quote a pull error; none of these reasons carries one.
 */
const NOISE_REASONS = new Set([
  'Scheduled',
  'Created',
  'Started',
  'Killing',
  'Unhealthy',
  'ProbeWarning',
  'SandboxChanged',
  'Completed',
  'SuccessfulCreate',
  'SuccessfulDelete',
  'SuccessfulAttachVolume',
  'ScalingReplicaSet',
  'SawCompletedJob',
]);

/** Words of any image pull message: a noise-reason event that mentions one is kept anyway. */
const PULL_WORDS = /image|pull|registry|secret|manifest/i;

/**
 * Whether the engine (or the cluster source's decision to list nodes) can ever read this
 * event. Dropped as each page arrives: lifecycle noise is most of a busy cluster's events.
 * Conservative: only events about something other than a Pod, and Pod events with a routine
 * lifecycle reason whose message has nothing to do with images, pulls or nodes.
 */
export function eventMatters(ev: KubeEvent): boolean {
  const message = ev.message ?? '';
  const kind = ev.involvedObject.kind;
  const aboutPod = !kind || kind === 'Pod'; // the engine joins events to pods only
  if (aboutPod && (ev.reason === undefined || !NOISE_REASONS.has(ev.reason))) return true;
  if (pointsAtNode(message)) return true; // the cluster source may list nodes for it
  return aboutPod && PULL_WORDS.test(message);
}

export function reduceSecret(raw: Raw, defaultNamespace?: string): SecretObject {
  const { sealed, dataKeys } = sealSecretData(
    isObj(raw.data) ? raw.data : undefined,
    isObj(raw.stringData) ? raw.stringData : undefined,
  );
  const out: SecretObject = { metadata: reduceMeta(raw.metadata, defaultNamespace), dataKeys, sealed };
  if (str(raw.type)) out.type = str(raw.type);
  return out;
}

export function reduceServiceAccount(raw: Raw, defaultNamespace?: string): ServiceAccount {
  const sa: ServiceAccount = { metadata: reduceMeta(raw.metadata, defaultNamespace) };
  const ips = secretRefs(raw.imagePullSecrets);
  if (ips) sa.imagePullSecrets = ips;
  return sa;
}

/** `kind`: the object's, or its list's when the item carries none. */
export function reduceOwner(raw: Raw, defaultNamespace?: string, kind = str(raw.kind) ?? ''): OwnerObject {
  const owner: OwnerObject = { kind, metadata: reduceMeta(raw.metadata, defaultNamespace) };
  const misplaced = misplacedOf(raw);
  if (misplaced) owner.misplacedPullSecrets = misplaced;
  return owner;
}

/**
 * The node labels the scan keeps: those that say which managed platform runs the node, its node
 * pool, and the identity its kubelet pulls with (node-credentials.md §5). A handful per node.
 */
export const PLATFORM_LABELS = [
  'eks.amazonaws.com/nodegroup',
  'eks.amazonaws.com/compute-type',
  'cloud.google.com/gke-nodepool',
  'kubernetes.azure.com/cluster',
  'kubernetes.azure.com/agentpool',
  'kubernetes.azure.com/kubelet-identity-client-id',
] as const;

export function reduceNode(raw: Raw): NodeInfo {
  const meta = isObj(raw.metadata) ? raw.metadata : {};
  const status = isObj(raw.status) ? raw.status : {};
  const info = isObj(status.nodeInfo) ? status.nodeInfo : {};
  const labels = strMap(meta.labels) ?? {};
  const node: NodeInfo = { name: str(meta.name) ?? '' };
  const archv = str(info.architecture) ?? labels['kubernetes.io/arch'];
  if (archv) node.architecture = archv;
  const os = str(info.operatingSystem) ?? labels['kubernetes.io/os'];
  if (os) node.operatingSystem = os;
  const runtime = str(info.containerRuntimeVersion);
  if (runtime) node.containerRuntimeVersion = runtime;
  const kubelet = str(info.kubeletVersion);
  if (kubelet) node.kubeletVersion = kubelet;
  const spec = isObj(raw.spec) ? raw.spec : {};
  const providerID = str(spec.providerID);
  if (providerID) node.providerID = providerID;
  const kept: Record<string, string> = {};
  for (const k of PLATFORM_LABELS) if (labels[k] !== undefined) kept[k] = labels[k];
  if (Object.keys(kept).length) node.labels = kept;
  const conds = arr(status.conditions)
    .filter(isObj)
    .map((c) => ({ type: str(c.type) ?? '', status: str(c.status) ?? '', message: str(c.message) }))
    .filter((c) => c.type === 'DiskPressure' || c.type === 'Ready');
  if (conds.length) node.conditions = conds;
  return node;
}

export type { ReadKind, WorkloadKind };

/** A kind pulldoctor reads, or undefined. */
export function readKind(kind: unknown): ReadKind | undefined {
  switch (kind) {
    case 'Pod':
    case 'Event':
    case 'Secret':
    case 'ServiceAccount':
    case 'ReplicaSet':
    case 'Job':
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'CronJob':
    case 'Node':
      return kind;
    default:
      return undefined;
  }
}

export { isObj };
