/**
 * Builds one PullContext per pod from a Snapshot. Indexes are built once per snapshot, and
 * parsed secrets and keyrings are cached, so the cost is linear in the number of objects.
 */
import { explainMisses, Keyring, type LookupResult, type MissExplanation, type ParsedPullSecret } from '../credentials/index.js';
import { effectivePullPolicy, parseImage, type ImageParseResult } from '../image/reference.js';
import type { ContainerKind, ContainerSpec, ContainerStatus, OwnerObject, Pod, ServiceAccount } from '../model/kube.js';
import type { AccessProblem, Snapshot } from '../model/snapshot.js';
import { LAST_APPLIED } from '../collect/misplaced-pull-secrets.js';
import { OTHER_WAITING_REASONS, PULL_WAITING_REASONS } from '../runtime/kubelet-reasons.js';
import { classifyPullError, parseImageEvent, type ImageEvent, type PullFailure } from './classify.js';
import { Memo } from '../util/memo.js';
import { byLastSeen, eventsAt, PodEvents, type PodEvent } from './pod-events.js';
import { eventEvidence, inManifest, objectOrigin, serviceAccountProvenance } from './provenance.js';
import { NsMap } from './ns-map.js';
import { SecretResolver } from './secret-refs.js';
import { UnreadObjects } from './unread.js';
import type {
  ContainerCtx,
  ContainerFailure,
  EventView,
  Fact,
  MisplacedPullSecrets,
  PullContext,
  SecretRefState,
  TargetPlatform,
} from './types.js';
import { indexOwners, resolveWorkload } from './workload.js';
import { NodePlatforms } from './node-platform.js';

const FIELD_PATH: Record<ContainerKind, string> = {
  init: 'spec.initContainers',
  container: 'spec.containers',
  ephemeral: 'spec.ephemeralContainers',
};

const EMPTY_KEYRING = Keyring.fromSecrets([]);
/** Shared by every pod whose manifests show nothing misplaced (rules only read it). */
const NONE_MISPLACED: MisplacedPullSecrets[] = [];

/** The qualifying secrets of a pod whose keyring a malformed one poisoned, or that names none (read, never written). */
const NO_QUALIFYING: readonly ParsedPullSecret[] = [];
/** The pull secret names of a pod that lists none (read, never written). */
const NO_NAMES: string[] = [];

export class ContextBuilder {
  private readonly events: PodEvents;
  private readonly secrets: SecretResolver;
  /** Keyrings per namespace and list of secret names (joined by NUL). */
  private readonly keyrings = new NsMap<Keyring>();
  /** Credential lookups (and near misses) per keyring and image name. */
  private readonly lookups = new Map<Keyring, Map<string, { lookup: LookupResult; misses: MissExplanation[] }>>();
  /** Access problems per namespace (shared by every pod of the namespace). */
  private readonly problemsByNs = new Map<string, AccessProblem[]>();
  private readonly serviceAccounts = new NsMap<ServiceAccount>();
  /** Resolved ServiceAccounts per namespace and name (for pods without the kubelet's secret events). */
  private readonly saStates = new NsMap<PullContext['serviceAccount']>();
  private readonly origin: 'api' | 'dump';
  private readonly owners;
  private readonly nodes;
  private readonly targetPlatforms: TargetPlatform[];
  private readonly platforms: NodePlatforms;
  /** Secrets and ServiceAccounts the source could not read (malformed, or the read failed). */
  private readonly unread: UnreadObjects;
  private readonly images = new Memo<ImageParseResult>(parseImage);
  private readonly pullErrors = new Memo<PullFailure>(classifyPullError);
  /** Near misses per list of (secret, registry key) entries and image. */
  private readonly misses = new Map<string, MissExplanation[]>();
  /** Waiting messages, as `parseImageEvent(undefined, message)` reads them. */
  private readonly waitingMessages = new Memo<ImageEvent>((m) => parseImageEvent(undefined, m));

  constructor(
    private readonly snapshot: Snapshot,
    private readonly now: Date,
  ) {
    this.events = new PodEvents(snapshot.events);
    this.unread = new UnreadObjects(snapshot);
    this.secrets = new SecretResolver(snapshot, this.unread);
    this.origin = objectOrigin(snapshot);
    for (const sa of snapshot.serviceAccounts) this.serviceAccounts.set(sa.metadata.namespace, sa.metadata.name, sa);
    this.owners = indexOwners(snapshot.owners);
    this.nodes = new Map(snapshot.nodes.map((n) => [n.name, n]));
    this.targetPlatforms = targetPlatforms(snapshot);
    this.platforms = new NodePlatforms(snapshot);
  }

  build(pod: Pod): PullContext {
    const ns = pod.metadata.namespace;
    const events = this.events.of(pod);
    const podEvents = events.length ? eventsAt(events, undefined) : [];
    const accessProblems = this.problemsFor(ns);
    // What the input shows, unless the kubelet's own event says more (a secret it could not get).
    const kubeletWords = podEvents.length > 0 && podEvents.some((e) => e.parsed.kind === 'secrets-missing');
    const resolve = (names: string[]) => this.resolveAll(ns, names, accessProblems, kubeletWords ? podEvents : undefined);

    const refs = pod.spec.imagePullSecrets;
    const pullSecretNames = refs?.length ? refs.map((r) => r.name ?? '') : NO_NAMES;
    const named = pullSecretNames.length ? pullSecretNames.filter((n) => n !== '') : NO_NAMES;
    const pullSecrets = resolve(named);

    const qualifying = pullSecrets.length ? pullSecrets.map((s) => s.parsed).filter((p): p is ParsedPullSecret => p !== undefined) : NO_QUALIFYING;
    const broken = qualifying.find((p) => p.format !== null && p.error !== undefined);
    // One malformed qualifying secret makes the kubelet discard the whole keyring (§3.8):
    // no credential of any pull secret is sent, for any image of the pod.
    const keyring = broken ? EMPTY_KEYRING : this.keyringFor(ns, named, qualifying);

    const serviceAccount = this.serviceAccountOf(pod, resolve, accessProblems, kubeletWords);
    let namedAnywhere: Set<string> | undefined;
    const nodeName = this.nodeNameOf(pod, events);
    const nodePlatform = this.platforms.view(nodeName?.value);

    const containers: ContainerCtx[] = [];
    const statuses = pod.status ?? {};
    const add = (kind: ContainerKind, specs: ContainerSpec[] | undefined, st: ContainerStatus[] | undefined) => {
      if (!specs) return;
      for (const c of specs) {
        const ctr = this.container(kind, c, st?.find((s) => s.name === c.name), events, keyring, broken ? NO_QUALIFYING : qualifying);
        // A check's pod template has not failed yet: an image the pod's secrets give no credential for stands in.
        const needs = ctr.failure !== undefined || (pod.template !== undefined && ctr.lookup?.credentials.length === 0);
        if (needs && ctr.parse.ok) {
          namedAnywhere ??= new Set([...named, ...serviceAccount.pullSecrets.map((s) => s.name)]);
          ctr.unreferenced = this.secrets.unreferenced(ns, namedAnywhere, ctr.parse.ref.name, accessProblems);
        }
        const coverage = ctr.parse.ok ? this.platforms.coverageFor(nodePlatform, ctr.parse.ref.name) : undefined;
        if (coverage) ctr.nodeProvider = coverage;
        containers.push(ctr);
      }
    };
    add('init', pod.spec.initContainers, statuses.initContainerStatuses);
    add('container', pod.spec.containers, statuses.containerStatuses);
    add('ephemeral', pod.spec.ephemeralContainers, statuses.ephemeralContainerStatuses);

    // A check's pod template stands for its workload's pods.
    const workload = pod.template ? { kind: pod.template.object.kind, name: pod.template.object.name } : resolveWorkload(pod, this.owners);
    const ctx: PullContext = {
      now: this.now,
      pod,
      namespace: ns,
      podName: pod.metadata.name,
      workload,
      containers,
      podEvents,
      pullSecrets,
      emptySecretNames: pullSecretNames.length - named.length,
      serviceAccount,
      namespaceSecrets: this.secrets.namespaceView(ns, accessProblems),
      misplacedPullSecrets: this.misplacedFor(pod, workload),
      coverage: this.snapshot.coverage,
      accessProblems,
      nodes: this.snapshot.nodes,
      nodePlatform,
      targetPlatforms: this.targetPlatforms,
      sourceKind: this.snapshot.source.kind,
    };
    if (this.snapshot.source.cluster) ctx.cluster = this.snapshot.source.cluster;
    if (this.snapshot.source.context) ctx.context = this.snapshot.source.context;
    if (broken?.error) ctx.keyringError = { secret: broken.name, message: broken.error };
    if (pod.template && this.snapshot.manifests) ctx.manifest = { index: this.snapshot.manifests, template: pod.template };
    const node = pod.spec.nodeName ? this.nodes.get(pod.spec.nodeName) : undefined;
    if (node) ctx.node = node;
    if (nodeName) ctx.nodeName = nodeName;
    return ctx;
  }

  /** Pull secret references resolved in the pod's namespace (with the pod's events, when they name a secret the kubelet could not get). */
  private resolveAll(ns: string, names: string[], problems: AccessProblem[], podEvents: EventView[] | undefined): SecretRefState[] {
    if (!names.length) return [];
    return names.map((name) => {
      const state = this.secrets.resolve(ns, name, problems);
      return podEvents ? this.secrets.withKubeletWord(state, ns, podEvents) : state;
    });
  }

  private serviceAccountOf(
    pod: Pod,
    resolve: (names: string[]) => SecretRefState[],
    problems: AccessProblem[],
    kubeletWords: boolean,
  ): PullContext['serviceAccount'] {
    const ns = pod.metadata.namespace;
    const name = pod.spec.serviceAccountName ?? 'default';
    // The same for every pod of the namespace that names it, unless the pod's events say more.
    const cached = kubeletWords ? undefined : this.saStates.get(ns, name);
    if (cached) return cached;
    const problem = problems.find((p) => p.resource === 'serviceaccounts');
    const sa = this.serviceAccounts.get(ns, name);
    const unread = sa ? undefined : this.unread.find('ServiceAccount', ns, name);
    const status = sa
      ? 'found'
      : problem
        ? 'forbidden'
        : this.snapshot.coverage.serviceAccounts === 'none' || unread
          ? 'unknown'
          : 'missing';
    const names = (sa?.imagePullSecrets ?? []).map((r) => r.name ?? '').filter((n) => n !== '');
    const from = sa?.manifest
      ? inManifest('ServiceAccount', ns, name, sa.manifest, names.length ? `imagePullSecrets: ${names.join(', ')}` : 'lists no imagePullSecrets')
      : serviceAccountProvenance(this.origin, ns, name, status, names, problem, unread, this.snapshot.source.kind === 'manifest');
    const state: PullContext['serviceAccount'] = {
      name,
      status,
      from,
      pullSecrets: resolve(names),
    };
    if (!kubeletWords) this.saStates.set(ns, name, state);
    return state;
  }

  /** The pod's node: its spec, else the host the kubelet reported its events from. */
  private nodeNameOf(pod: Pod, events: readonly PodEvent[]): Fact<string> | undefined {
    const node = pod.spec.nodeName;
    if (node) {
      const ref = `Pod ${pod.metadata.namespace}/${pod.metadata.name} spec.nodeName`;
      return { value: node, from: { origin: this.origin, evidence: { source: 'pod-spec', ref, detail: node } } };
    }
    const e = events.map((x) => x.view).filter((v) => v.host).sort(byLastSeen)[0];
    if (!e?.host) return undefined;
    return {
      value: e.host,
      from: {
        origin: 'kubelet-event',
        evidence: eventEvidence(e),
        note: `The pod's spec names no node; the kubelet on ${e.host} reported its events (source.host).`,
      },
    };
  }

  /** `imagePullSecrets` misplaced in the pod's own manifest and in its workload's. */
  private misplacedFor(pod: Pod, workload: PullContext['workload']): MisplacedPullSecrets[] {
    const ns = pod.metadata.namespace;
    const t = pod.template;
    if (t) {
      // A check: the workload's manifest itself shows it (paths from the object's root).
      const items = pod.misplacedPullSecrets;
      if (!items?.length) return NONE_MISPLACED;
      const detail = items.map((m) => `${m.path}: ${m.shape === 'strings' || m.shape === 'objects' ? `[${m.names.join(', ')}]` : m.shape}`).join('; ');
      const ref = `${t.object.kind} ${ns}/${t.object.name}`;
      return [{ object: { ...t.object }, items, from: { origin: 'manifest', evidence: { source: 'manifest', ref, detail: `${t.file}:${t.line}: ${detail}` } } }];
    }
    const owner = workload.kind !== 'Pod' ? this.owners.get(workload.kind, ns, workload.name) : undefined;
    if (!pod.misplacedPullSecrets && !owner?.misplacedPullSecrets) return NONE_MISPLACED;
    const out: MisplacedPullSecrets[] = [];
    const add = (kind: string, name: string, items: OwnerObject['misplacedPullSecrets']) => {
      if (!items?.length) return;
      const ref = `${kind} ${ns}/${name}`;
      out.push({
        object: { kind, namespace: ns, name },
        items,
        from: {
          origin: 'manifest',
          evidence: {
            source: 'manifest',
            ref: `${ref} annotation ${LAST_APPLIED}`,
            detail: items.map((m) => `${m.path}: ${m.shape === 'strings' || m.shape === 'objects' ? `[${m.names.join(', ')}]` : m.shape}`).join('; '),
          },
        },
      });
    };
    if (owner) add(workload.kind, workload.name, owner.misplacedPullSecrets);
    add('Pod', pod.metadata.name, pod.misplacedPullSecrets);
    return out;
  }

  private problemsFor(ns: string): AccessProblem[] {
    let list = this.problemsByNs.get(ns);
    if (!list) {
      list = this.snapshot.accessProblems.filter((p) => p.namespace === undefined || p.namespace === ns);
      this.problemsByNs.set(ns, list);
    }
    return list;
  }

  private keyringFor(ns: string, names: string[], parsed: readonly ParsedPullSecret[]): Keyring {
    const key = names.join('\0');
    let k = this.keyrings.get(ns, key);
    if (!k) {
      k = Keyring.fromSecrets(parsed);
      this.keyrings.set(ns, key, k);
    }
    return k;
  }

  private container(
    kind: ContainerKind,
    spec: ContainerSpec,
    status: ContainerStatus | undefined,
    podEvents: readonly PodEvent[],
    keyring: Keyring,
    qualifying: readonly ParsedPullSecret[],
  ): ContainerCtx {
    const fieldPath = `${FIELD_PATH[kind]}{${spec.name}}`;
    const image = spec.image ?? '';
    const parse = this.images.get(image);
    const events = podEvents.length ? eventsAt(podEvents, fieldPath) : [];
    const waiting = status?.state?.waiting;
    const c: ContainerCtx = {
      name: spec.name,
      kind,
      fieldPath,
      image,
      pullPolicy: effectivePullPolicy(image, spec.imagePullPolicy),
      parse,
      running: status?.state?.running !== undefined,
      ready: status?.ready === true,
      events,
      misses: [],
      unreferenced: [],
    };
    if (waiting) c.waiting = { ...waiting };
    if (status?.imageID) c.imageID = status.imageID;
    if (parse.ok) {
      // The same keyring (one per namespace and list of secret names, which also fixes the
      // qualifying secrets) and image give the same lookup: computed once, shared.
      let perKeyring = this.lookups.get(keyring);
      if (!perKeyring) {
        perKeyring = new Map();
        this.lookups.set(keyring, perKeyring);
      }
      let found = perKeyring.get(parse.ref.name);
      if (!found) {
        const lookup = keyring.lookup(parse.ref.name);
        let misses: MissExplanation[] = [];
        if (lookup.credentials.length === 0) {
          const entries = qualifying.filter((p) => p.format !== null && !p.error).flatMap((p) =>
            p.entries.map((e) => ({ secret: p.name, registryKey: e.registryKey, normalizedKey: e.normalizedKey })),
          );
          if (entries.length) {
            // The same keys of the same-named secrets miss an image the same way in every namespace.
            const key = `${entries.map((e) => `${e.secret}\0${e.registryKey}\0${e.normalizedKey ?? '\x01'}`).join('\x02')}\x03${parse.ref.name}`;
            const known = this.misses.get(key);
            if (known) misses = known;
            else {
              misses = explainMisses(entries, parse.ref.name);
              this.misses.set(key, misses);
            }
          }
        }
        found = { lookup, misses };
        perKeyring.set(parse.ref.name, found);
      }
      c.lookup = found.lookup;
      c.misses = found.misses;
    }
    const failure = this.failureOf(c);
    if (failure) c.failure = failure;
    return c;
  }

  /** Is this container's pull failing now, and with what runtime error? */
  private failureOf(c: ContainerCtx): ContainerFailure | undefined {
    // Only one state member may be set; an object with both a running and a waiting one is read
    // by its waiting reason, which says more (a pull that fails is not hidden by a stray `running`).
    if (c.running && !c.waiting) return undefined;
    // `InspectFailed` is the kubelet's event reason for a failed image status call; a waiting
    // reason of that name is the same failure as its sentinel (InvalidImageName for an image
    // name that does not parse, else ImageInspectError).
    const reason = c.waiting?.reason === INSPECT_FAILED ? inspectSentinel(c.waiting.message) : c.waiting?.reason;
    const pullReason = reason !== undefined && PULL_WAITING_REASONS.has(reason);
    // The current kubelet puts a raw error (e.g. a pull secret decode error) in waiting.reason.
    const rawReason =
      reason !== undefined && !pullReason && !OTHER_WAITING_REASONS.has(reason) && /\s/.test(reason);
    const latestFailedPull = c.events.find((e) => e.parsed.kind === 'failed-pull' && e.parsed.error);
    // Without a waiting status (e.g. a dump of events only), a failure event newer than any
    // successful pull still means the pull is failing.
    const latestFailure = c.events.find(
      (e) => (e.parsed.kind === 'failed-pull' && e.parsed.error) || e.parsed.kind === 'never-pull' || e.parsed.kind === 'inspect-failed',
    );
    const pullFailingByEvents =
      !reason &&
      latestFailure !== undefined &&
      !c.events.some((e) => e.parsed.kind === 'pulled' && (e.lastSeen ?? '') > (latestFailure.lastSeen ?? ''));
    if (!pullReason && !rawReason && !pullFailingByEvents) return undefined;

    const fallbackReason =
      latestFailure?.parsed.kind === 'never-pull'
        ? 'ErrImageNeverPull'
        : latestFailure?.parsed.kind === 'inspect-failed'
          ? inspectSentinel(latestFailure.message)
          : 'ErrImagePull';
    const failingReason = reason ?? fallbackReason;
    // An image status failure quotes its error in the InspectFailed event, not in a Failed pull.
    const latestInspect = c.events.find((e) => e.parsed.kind === 'inspect-failed' && e.parsed.error);
    const inspecting = failingReason === 'ImageInspectError' || failingReason === 'InvalidImageName';

    let error: string | undefined;
    let from: ContainerFailure['from'] = 'none';
    let image: Fact<string> | undefined;
    if (latestFailedPull?.parsed.image !== undefined) {
      image = { value: latestFailedPull.parsed.image, from: { origin: 'kubelet-event', evidence: eventEvidence(latestFailedPull) } };
    }
    if (inspecting && !c.waiting?.message && latestInspect?.parsed.error) {
      error = latestInspect.parsed.error;
      from = 'event';
    } else if (latestFailedPull?.parsed.error) {
      error = latestFailedPull.parsed.error;
      from = 'event';
    } else if (c.waiting?.message) {
      const parsed = this.waitingMessages.get(c.waiting.message);
      if (parsed.error) {
        error = parsed.error;
        from = 'status';
      } else if (reason === 'ErrImagePull' || reason === 'RegistryUnavailable' || reason === 'SignatureValidationFailed') {
        error = c.waiting.message;
        from = 'status';
      }
    } else if (rawReason && reason) {
      error = reason;
      from = 'status';
    }
    const f: ContainerFailure = { reason: failingReason, from };
    if (image) f.image = image;
    if (error !== undefined) {
      f.error = error;
      f.classified = this.pullErrors.get(error);
    }
    return f;
  }
}

/** The kubelet's event reason for a failed image status call or an unparsable image name. */
const INSPECT_FAILED = 'InspectFailed';

/** The waiting-reason sentinel of an InspectFailed message (kubelet-semantics §10). */
function inspectSentinel(message: string | undefined): 'InvalidImageName' | 'ImageInspectError' {
  return message?.includes('Failed to apply default image tag') ? 'InvalidImageName' : 'ImageInspectError';
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** `--platform` values, else the nodes' distinct `os/arch` (the OS defaults to linux), sorted. */
export function targetPlatforms(snapshot: Snapshot): TargetPlatform[] {
  if (snapshot.platforms?.length) return [...new Set(snapshot.platforms)].map((platform) => ({ platform, nodes: [] }));
  const byPlatform = new Map<string, string[]>();
  for (const n of snapshot.nodes) {
    if (!n.architecture) continue;
    push(byPlatform, `${n.operatingSystem ?? 'linux'}/${n.architecture}`, n.name);
  }
  return [...byPlatform]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([platform, nodes]) => ({ platform, nodes: nodes.sort() }));
}

export function buildContexts(snapshot: Snapshot, now: Date): PullContext[] {
  const b = new ContextBuilder(snapshot, now);
  return snapshot.pods.map((p) => b.build(p));
}
