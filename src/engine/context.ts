/**
 * Builds one PullContext per pod from a Snapshot. Indexes are built once per snapshot, and
 * parsed secrets and keyrings are cached, so the cost is linear in the number of objects.
 */
import {
  explainMisses,
  Keyring,
  parsePullSecret,
  type LookupResult,
  type MissExplanation,
  type ParsedPullSecret,
} from '../credentials/index.js';
import { effectivePullPolicy, parseImage } from '../image/reference.js';
import type { ContainerKind, ContainerSpec, ContainerStatus, KubeEvent, Pod, SecretObject } from '../model/kube.js';
import type { AccessProblem, SkippedObject, Snapshot } from '../model/snapshot.js';
import { OTHER_WAITING_REASONS, PULL_WAITING_REASONS } from '../runtime/kubelet-reasons.js';
import { classifyPullError, parseImageEvent } from './classify.js';
import type { ContainerCtx, ContainerFailure, EventView, PullContext, SecretRefState, TargetPlatform } from './types.js';
import { indexOwners, resolveWorkload } from './workload.js';

const FIELD_PATH: Record<ContainerKind, string> = {
  init: 'spec.initContainers',
  container: 'spec.containers',
  ephemeral: 'spec.ephemeralContainers',
};

function eventView(e: KubeEvent): EventView {
  const v: EventView = {
    ref: `Event ${e.namespace}/${e.name}`,
    count: e.count,
    parsed: parseImageEvent(e.reason, e.message),
  };
  if (e.type) v.type = e.type;
  if (e.reason) v.reason = e.reason;
  if (e.message !== undefined) v.message = e.message;
  if (e.firstTimestamp) v.firstSeen = e.firstTimestamp;
  if (e.lastTimestamp) v.lastSeen = e.lastTimestamp;
  if (e.host) v.host = e.host;
  return v;
}

const EMPTY_KEYRING = Keyring.fromSecrets([]);

const byLastSeen = (a: EventView, b: EventView) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '');

export class ContextBuilder {
  private readonly eventsByUid = new Map<string, KubeEvent[]>();
  private readonly eventsByName = new Map<string, KubeEvent[]>();
  private readonly secrets = new Map<string, SecretObject>();
  private readonly secretNamespaces = new Map<string, string[]>();
  private readonly parsed = new Map<string, ParsedPullSecret>();
  private readonly keyrings = new Map<string, Keyring>();
  /** Credential lookups (and near misses) per keyring and image name. */
  private readonly lookups = new Map<Keyring, Map<string, { lookup: LookupResult; misses: MissExplanation[] }>>();
  /** Resolved secret references per `namespace/name`: the same for every pod of a namespace. */
  private readonly resolved = new Map<string, SecretRefState>();
  /** Access problems per namespace (shared by every pod of the namespace). */
  private readonly problemsByNs = new Map<string, AccessProblem[]>();
  private readonly serviceAccounts = new Map<string, { name?: string }[] | undefined>();
  private readonly owners;
  private readonly nodes;
  private readonly targetPlatforms: TargetPlatform[];
  /** Secrets and ServiceAccounts the source could not read (malformed, or the read failed). */
  private readonly unread: SkippedObject[];

  constructor(
    private readonly snapshot: Snapshot,
    private readonly now: Date,
  ) {
    for (const e of snapshot.events) {
      const io = e.involvedObject;
      if (io.kind && io.kind !== 'Pod') continue;
      if (io.uid) push(this.eventsByUid, io.uid, e);
      push(this.eventsByName, `${io.namespace ?? e.namespace}/${io.name ?? ''}`, e);
    }
    for (const s of snapshot.secrets) {
      this.secrets.set(`${s.metadata.namespace}/${s.metadata.name}`, s);
      const list = this.secretNamespaces.get(s.metadata.name) ?? [];
      list.push(s.metadata.namespace);
      this.secretNamespaces.set(s.metadata.name, list);
    }
    for (const sa of snapshot.serviceAccounts) {
      this.serviceAccounts.set(`${sa.metadata.namespace}/${sa.metadata.name}`, sa.imagePullSecrets);
    }
    this.owners = indexOwners(snapshot.owners);
    this.nodes = new Map(snapshot.nodes.map((n) => [n.name, n]));
    this.targetPlatforms = targetPlatforms(snapshot);
    this.unread = (snapshot.skippedObjects ?? []).filter((e) => e.kind === 'Secret' || e.kind === 'ServiceAccount');
  }

  /**
   * Was this object not read (so its absence proves nothing)? Secrets match only within their
   * namespace: a failed cluster-wide look-up by name says nothing about the pod's own namespace.
   */
  private unreadable(kind: 'Secret' | 'ServiceAccount', ns: string, name: string): boolean {
    return this.unread.some(
      (e) =>
        e.kind === kind &&
        (e.namespace === ns || (kind === 'ServiceAccount' && e.namespace === undefined)) &&
        (e.name === undefined || e.name === name),
    );
  }

  build(pod: Pod): PullContext {
    const ns = pod.metadata.namespace;
    const events = this.podEvents(pod);
    const accessProblems = this.problemsFor(ns);

    const pullSecretNames = (pod.spec.imagePullSecrets ?? []).map((r) => r.name ?? '');
    const named = pullSecretNames.filter((n) => n !== '');
    const pullSecrets = named.map((n) => this.resolveSecret(ns, n, accessProblems));

    const qualifying = pullSecrets.map((s) => s.parsed).filter((p): p is ParsedPullSecret => p !== undefined);
    const broken = qualifying.find((p) => p.format !== null && p.error !== undefined);
    // One malformed qualifying secret makes the kubelet discard the whole keyring (§3.8):
    // no credential of any pull secret is sent, for any image of the pod.
    const keyring = broken ? EMPTY_KEYRING : this.keyringFor(ns, named, qualifying);

    const saName = pod.spec.serviceAccountName ?? 'default';
    const saKey = `${ns}/${saName}`;
    const saKnown = this.serviceAccounts.has(saKey);
    const saForbidden = accessProblems.some((p) => p.resource === 'serviceaccounts');
    const saSecrets = (this.serviceAccounts.get(saKey) ?? []).map((r) => r.name ?? '').filter((n) => n !== '');
    const serviceAccount: PullContext['serviceAccount'] = {
      name: saName,
      status: saKnown
        ? 'found'
        : saForbidden
          ? 'forbidden'
          : this.snapshot.coverage.serviceAccounts === 'none' || this.unreadable('ServiceAccount', ns, saName)
            ? 'unknown'
            : 'missing',
      pullSecrets: saSecrets.map((n) => this.resolveSecret(ns, n, accessProblems)),
    };

    const containers: ContainerCtx[] = [];
    const statuses = pod.status ?? {};
    const add = (kind: ContainerKind, specs: ContainerSpec[] | undefined, st: ContainerStatus[] | undefined) => {
      for (const c of specs ?? []) {
        containers.push(this.container(kind, c, st?.find((s) => s.name === c.name), events, keyring, broken ? [] : qualifying));
      }
    };
    add('init', pod.spec.initContainers, statuses.initContainerStatuses);
    add('container', pod.spec.containers, statuses.containerStatuses);
    add('ephemeral', pod.spec.ephemeralContainers, statuses.ephemeralContainerStatuses);

    const podEvents = events.filter((e) => !e.fieldPath).map(({ view }) => view).sort(byLastSeen);

    const ctx: PullContext = {
      now: this.now,
      pod,
      namespace: ns,
      podName: pod.metadata.name,
      workload: resolveWorkload(pod, this.owners),
      containers,
      podEvents,
      pullSecrets,
      emptySecretNames: pullSecretNames.length - named.length,
      serviceAccount,
      coverage: this.snapshot.coverage,
      accessProblems,
      nodes: this.snapshot.nodes,
      targetPlatforms: this.targetPlatforms,
      sourceKind: this.snapshot.source.kind,
    };
    if (this.snapshot.source.cluster) ctx.cluster = this.snapshot.source.cluster;
    if (broken?.error) ctx.keyringError = { secret: broken.name, message: broken.error };
    const node = pod.spec.nodeName ? this.nodes.get(pod.spec.nodeName) : undefined;
    if (node) ctx.node = node;
    return ctx;
  }

  private podEvents(pod: Pod): { view: EventView; fieldPath?: string }[] {
    const uid = pod.metadata.uid;
    const byName = this.eventsByName.get(`${pod.metadata.namespace}/${pod.metadata.name}`) ?? [];
    // Join by UID when both sides have one (a recreated pod with the same name is another pod),
    // otherwise by namespace/name.
    const list = byName.filter((e) => !uid || !e.involvedObject.uid || e.involvedObject.uid === uid);
    if (uid) for (const e of this.eventsByUid.get(uid) ?? []) if (!list.includes(e)) list.push(e);
    return list.map((e) => ({ view: eventView(e), fieldPath: e.involvedObject.fieldPath }));
  }

  private problemsFor(ns: string): AccessProblem[] {
    let list = this.problemsByNs.get(ns);
    if (!list) {
      list = this.snapshot.accessProblems.filter((p) => p.namespace === undefined || p.namespace === ns);
      this.problemsByNs.set(ns, list);
    }
    return list;
  }

  /**
   * A pull secret reference resolved in a namespace. Depends only on the namespace and the name
   * (the access problems are the namespace's), so it is computed once per `namespace/name` and
   * shared by every pod that names it: no per-pod work over the namespaces holding the name.
   */
  private resolveSecret(ns: string, name: string, problems: AccessProblem[]): SecretRefState {
    const key = `${ns}/${name}`;
    let state = this.resolved.get(key);
    if (!state) {
      state = this.resolveSecretOnce(ns, name, key, problems);
      this.resolved.set(key, state);
    }
    return state;
  }

  private resolveSecretOnce(ns: string, name: string, key: string, problems: AccessProblem[]): SecretRefState {
    const otherNamespaces = (this.secretNamespaces.get(name) ?? []).filter((n) => n !== ns).sort();
    const obj = this.secrets.get(key);
    if (obj) {
      let parsed = this.parsed.get(key);
      if (!parsed) {
        parsed = parsePullSecret(obj);
        this.parsed.set(key, parsed);
      }
      return { name, status: 'found', parsed, otherNamespaces };
    }
    const problem = problems.find(
      (p) => p.resource === 'secrets' && (p.name === undefined || p.name === name) && p.namespace === ns,
    );
    if (problem) return { name, status: 'forbidden', otherNamespaces, accessProblem: problem };
    if (this.snapshot.coverage.secrets === 'none' || this.unreadable('Secret', ns, name)) return { name, status: 'unknown', otherNamespaces };
    return { name, status: 'missing', otherNamespaces };
  }

  private keyringFor(ns: string, names: string[], parsed: ParsedPullSecret[]): Keyring {
    const key = `${ns}\0${names.join('\0')}`;
    let k = this.keyrings.get(key);
    if (!k) {
      k = Keyring.fromSecrets(parsed);
      this.keyrings.set(key, k);
    }
    return k;
  }

  private container(
    kind: ContainerKind,
    spec: ContainerSpec,
    status: ContainerStatus | undefined,
    podEvents: { view: EventView; fieldPath?: string }[],
    keyring: Keyring,
    qualifying: ParsedPullSecret[],
  ): ContainerCtx {
    const fieldPath = `${FIELD_PATH[kind]}{${spec.name}}`;
    const image = spec.image ?? '';
    const parse = parseImage(image);
    const events = podEvents
      .filter((e) => e.fieldPath === fieldPath)
      .map((e) => e.view)
      .sort(byLastSeen);
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
          if (entries.length) misses = explainMisses(entries, parse.ref.name);
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
    if (c.running) return undefined;
    const reason = c.waiting?.reason;
    const pullReason = reason !== undefined && PULL_WAITING_REASONS.has(reason);
    // The current kubelet puts a raw error (e.g. a pull secret decode error) in waiting.reason.
    const rawReason =
      reason !== undefined && !pullReason && !OTHER_WAITING_REASONS.has(reason) && /\s/.test(reason);
    const latestFailedPull = c.events.find((e) => e.parsed.kind === 'failed-pull' && e.parsed.error);
    // Without a waiting status (e.g. a dump of events only), a failure event newer than any
    // successful pull still means the pull is failing.
    const latestFailure = c.events.find((e) => (e.parsed.kind === 'failed-pull' && e.parsed.error) || e.parsed.kind === 'never-pull');
    const pullFailingByEvents =
      !reason &&
      latestFailure !== undefined &&
      !c.events.some((e) => e.parsed.kind === 'pulled' && (e.lastSeen ?? '') > (latestFailure.lastSeen ?? ''));
    if (!pullReason && !rawReason && !pullFailingByEvents) return undefined;

    let error: string | undefined;
    let from: ContainerFailure['from'] = 'none';
    if (latestFailedPull?.parsed.error) {
      error = latestFailedPull.parsed.error;
      from = 'event';
    } else if (c.waiting?.message) {
      const parsed = parseImageEvent(undefined, c.waiting.message);
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
    const fallbackReason = latestFailure?.parsed.kind === 'never-pull' ? 'ErrImageNeverPull' : 'ErrImagePull';
    const f: ContainerFailure = { reason: reason ?? fallbackReason, from };
    if (error !== undefined) {
      f.error = error;
      f.classified = classifyPullError(error);
    }
    return f;
  }
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
