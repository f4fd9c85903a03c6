/**
 * One cluster, live: the informer behind `pulldoctor -w` and `pulldoctor serve`.
 *
 * Start-up reads what a one-shot scan reads (scan-plan.ts): pods, service accounts and events
 * in scope (paginated), one GET per distinct pull secret pods name, a `metadata.name` lookup
 * per missing name, nodes when asked, when a pull message points at a node or a failing image is
 * on a cloud registry (node-scope.ts). Then it watches:
 * - pods and service accounts in scope: one watch each;
 * - events and secrets only in AFFECTED namespaces (live-scope.ts): events from the start-up
 *   list's resourceVersion (no second list), secrets listed once per namespace then watched;
 *   a namespace that stays untroubled for `lingerMs` is watched no more;
 * - each missing secret name: a cluster-wide `metadata.name` watch (the lookup kept current);
 * - nodes as the one-shot scan decides (`--nodes`, or once node-scope.ts says they are needed).
 * Secrets outside affected namespaces keep the state their GET found; a pod or service account
 * naming a new one costs one GET. Nothing here is per pod: after the start-up, requests are a
 * handful of watches, renewed every 5–10 minutes, whatever the number of pods.
 */
import { UserError } from '../model/errors.js';
import type { KubeEvent, NodeInfo, Pod, SecretObject, ServiceAccount } from '../model/kube.js';
import { emptySnapshot, type SkippedObject, type Snapshot, type SourceInfo } from '../model/snapshot.js';
import { mapLimit } from '../util/concurrency.js';
import { firstLine } from '../util/text.js';
import { holdHeapSteady } from './heap.js';
import { Transport, type HttpResult } from './api-transport.js';
import { withDefaults, type ResolvedClusterScanOptions } from './cluster-options.js';
import { loadKubeconfig, resolveContexts, type ResolvedContext } from './kubeconfig.js';
import { affectedNamespaces, referencedSecrets, type SecretRef } from './live-scope.js';
import { KeyedSink, liveSnapshot, malformedEntry, type SecretState } from './live-state.js';
import type { ReadKind } from './validate.js';
import type { LiveOptions, LiveSnapshotSource, LiveStatus } from './live-types.js';
import { eventMatters, isObj, poolEvent, reduceEvent, reduceNode, reducePod, reduceSecret, reduceServiceAccount, StringPool } from './reduce.js';
import { DEFAULT_TIMING, listIntoSink, Reflector, type ReflectorSpec, type ReflectorTiming } from './reflector.js';
import { needsNodes } from './node-scope.js';

type Raw = Record<string, unknown>;

/** The kind each watched resource's objects are validated as. */
const KIND_OF: Record<string, ReadKind> = { pods: 'Pod', serviceaccounts: 'ServiceAccount', events: 'Event', secrets: 'Secret', nodes: 'Node' };

/** A watched collection: its objects and the reflector keeping them current. */
interface Watched<T> {
  sink: KeyedSink<T>;
  reflector: Reflector;
}


const nsPath = (namespace: string | undefined, resource: string) =>
  namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}` : `/api/v1/${resource}`;

export class LiveCluster implements LiveSnapshotSource {
  private readonly o: ResolvedClusterScanOptions & LiveOptions;
  private readonly timing: ReflectorTiming;
  private readonly pool = new StringPool();
  private ctx: ResolvedContext | undefined;
  private t: Transport | undefined;
  private source: SourceInfo | undefined;
  private namespace: string | undefined;
  private started = false;
  private stopped = false;
  private startedAt: string | undefined;

  private pods: Watched<Pod> | undefined;
  private sas: Watched<ServiceAccount> | undefined;
  private nodes: Watched<NodeInfo> | undefined;
  /** The start-up events list: its refusal, and its resourceVersion to watch from. */
  private eventsRefused: HttpResult | undefined;
  private readonly events = new Map<string, Watched<KubeEvent>>();
  private readonly nsSecrets = new Map<string, Watched<SecretObject>>();
  private readonly lookups = new Map<string, Watched<SecretObject>>();
  private readonly gets = new Map<string, SecretState>();
  private readonly getting = new Set<string>();
  /** Affected namespaces whose secrets may not be listed: when their secrets were last read by GET. */
  private readonly polledAt = new Map<string, number>();
  /** When each watched namespace was last seen affected. */
  private readonly lastAffected = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private notifyTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private lastError: string | undefined;

  constructor(opts: LiveOptions) {
    this.o = withDefaults(opts) as ResolvedClusterScanOptions & LiveOptions;
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
  }

  // ---- wiring -------------------------------------------------------------

  private get transport(): Transport {
    if (!this.t) throw new Error('internal: the live source was not started');
    return this.t;
  }

  private reflector<T>(spec: Omit<ReflectorSpec, 'pageSize'>, reduce: (raw: Raw) => T | undefined): Watched<T> {
    const kind = KIND_OF[spec.resource];
    const sink = new KeyedSink(reduce, () => this.changed(), kind ? { kind, source: spec.path } : undefined);
    return { sink, reflector: new Reflector(this.transport, { ...spec, pageSize: this.o.pageSize }, sink, this.timing) };
  }

  private progress(resource: string) {
    return (pages: number, objects: number, done: boolean) => {
      if (!this.started) this.o.onProgress?.({ cluster: this.ctx?.name ?? '', resource, pages, objects, done });
    };
  }

  private reduceEvent = (raw: Raw): KubeEvent | undefined => {
    const ev = reduceEvent(raw);
    return eventMatters(ev) ? poolEvent(ev, this.pool) : undefined;
  };

  private podFilter(): ((raw: Raw) => boolean) | undefined {
    const names = this.o.podNames?.length ? new Set(this.o.podNames) : undefined;
    if (!names) return undefined;
    return (raw) => names.has(String(isObj(raw.metadata) ? raw.metadata.name : ''));
  }

  // ---- start-up -----------------------------------------------------------

  async start(): Promise<void> {
    if (this.started || this.t) throw new Error('internal: the live source was started twice');
    const o = this.o;
    const loaded = await loadKubeconfig({ kubeconfig: o.kubeconfig, env: o.env, serviceAccountDir: o.serviceAccountDir });
    const wanted = o.context ? [o.context] : o.contexts?.slice(0, 1);
    const { contexts, problems } = resolveContexts(loaded, { contexts: wanted });
    if (problems[0]) throw new UserError(problems[0].message);
    const ctx = contexts[0];
    if (!ctx) throw new UserError('no kubeconfig context to watch');
    this.ctx = ctx;
    if (this.stopped) throw new UserError(`context ${ctx.name}: stopped`);
    this.t = new Transport(ctx, { timeoutMs: o.requestTimeoutMs, deadlineAt: Date.now() + o.deadlineMs, maxRetries: o.maxRetries, onRequest: o.onRequest });
    this.namespace = o.allNamespaces ? undefined : o.namespace || ctx.namespace;
    this.source = {
      kind: 'cluster',
      description: `context ${ctx.name} (${ctx.server})`,
      cluster: ctx.cluster,
      context: ctx.name,
      ...(this.namespace ? { namespaces: [this.namespace] } : {}),
      ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
      ...(o.podNames?.length ? { podNames: [...o.podNames] } : {}),
    };
    try {
      await this.initialSync();
    } catch (e) {
      await this.stop();
      throw e;
    }
    // Watching has no overall deadline; each request keeps its own timeout.
    this.transport.setDeadline(Number.POSITIVE_INFINITY);
    this.started = true;
    this.startedAt = new Date().toISOString();
    // From here on the process follows the cluster for as long as it runs.
    holdHeapSteady();
    this.reconcile();
  }

  private async initialSync(): Promise<void> {
    const o = this.o;
    const names = o.podNames?.length ? new Set(o.podNames) : undefined;
    const single = names?.size === 1 ? [...names][0] : undefined;
    const keep = this.podFilter();
    this.pods = this.reflector(
      {
        resource: 'pods',
        path: nsPath(this.namespace, 'pods'),
        query: { labelSelector: o.labelSelector, fieldSelector: single ? `metadata.name=${single}` : undefined },
        onProgress: this.progress('pods'),
      },
      (raw) => (!keep || keep(raw) ? reducePod(raw, undefined, this.pool) : undefined),
    );
    this.sas = this.reflector(
      { resource: 'serviceaccounts', path: nsPath(this.namespace, 'serviceaccounts'), query: {}, onProgress: this.progress('serviceaccounts') },
      (raw) => reduceServiceAccount(raw),
    );
    const seed = new KeyedSink((raw) => this.reduceEvent(raw), () => undefined, { kind: 'Event', source: nsPath(this.namespace, 'events') });
    const eventsQuery = { fieldSelector: single ? `involvedObject.kind=Pod,involvedObject.name=${single}` : undefined };
    const seedList = (async () => {
      const r = await listIntoSink(this.transport, seed, {
        resource: 'events',
        path: nsPath(this.namespace, 'events'),
        query: eventsQuery,
        pageSize: o.pageSize,
        onProgress: this.progress('events'),
      });
      if (!r.ok) this.eventsRefused = { status: r.status, body: r.body };
      return r.ok ? r.resourceVersion : undefined;
    })();
    const mode = o.includeNodes ?? 'auto';
    if (mode === true) this.startNodes();
    const [, , , seedRv] = await settled([this.pods.reflector.start(), this.sas.reflector.start(), this.nodes?.reflector.start(), seedList]);
    await this.secretsAtStart();
    if (mode === 'auto' && needsNodes(this.snapshotWith([...seed.items.values()]))) {
      this.startNodes();
      await this.nodes?.reflector.start();
    }
    // Events in affected namespaces are watched from the list just read; the rest are dropped.
    if (seedRv !== undefined) {
      for (const ns of this.affected([...seed.items.values()])) {
        const w = this.eventsReflector(ns, seedRv);
        for (const [k, v] of seed.items) if (v.namespace === ns) w.sink.items.set(k, v);
        this.events.set(ns, w);
        this.lastAffected.set(ns, Date.now());
        void w.reflector.start();
      }
    }
  }

  private startNodes(): void {
    if (this.nodes) return;
    this.nodes = this.reflector({ resource: 'nodes', path: '/api/v1/nodes', query: {}, onProgress: this.progress('nodes') }, (raw) => reduceNode(raw));
    if (this.started) void this.nodes.reflector.start(false);
  }

  private eventsReflector(ns: string, seededAt?: string): Watched<KubeEvent> {
    const single = this.o.podNames?.length === 1 ? this.o.podNames[0] : undefined;
    return this.reflector(
      {
        resource: 'events',
        path: nsPath(ns, 'events'),
        query: { fieldSelector: single ? `involvedObject.kind=Pod,involvedObject.name=${single}` : undefined },
        ...(seededAt ? { seededAt } : {}),
      },
      (raw) => this.reduceEvent(raw),
    );
  }

  /** The one-shot scan's secret reads: one GET per referenced secret, then a lookup per missing name. */
  private async secretsAtStart(): Promise<void> {
    const refs = referencedSecrets(this.pods?.sink.items.values() ?? [], this.sas?.sink.items ?? new Map());
    let failed: { error: unknown } | undefined;
    await mapLimit([...refs.entries()], this.o.secretConcurrency, async ([key, ref]) => {
      if (failed) return;
      try {
        await this.getSecret(key, ref);
      } catch (error) {
        failed ??= { error };
      }
    });
    if (failed) throw failed.error;
    for (const name of this.missingNames(refs)) {
      const w = this.lookupReflector(name);
      this.lookups.set(name, w);
      await w.reflector.start();
      if (w.sink.refused) break; // Forbidden cluster-wide: the other names would be too.
    }
  }

  private async getSecret(key: string, ref: SecretRef): Promise<void> {
    const t = this.transport;
    const res = await t.get(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/secrets/${encodeURIComponent(ref.name)}`);
    const path = `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/secrets/${encodeURIComponent(ref.name)}`;
    const bad = res.status === 200 ? malformedEntry(res.body, { kind: 'Secret', source: path }) : undefined;
    // Malformed: the request names it, whatever its body says.
    if (bad) this.gets.set(key, { state: 'malformed', skipped: { ...bad, namespace: ref.namespace, name: ref.name } });
    else if (res.status === 200 && isObj(res.body)) this.gets.set(key, { state: 'found', secret: reduceSecret(res.body) });
    else if (res.status === 404) this.gets.set(key, { state: 'missing' });
    else if (res.status === 403) this.gets.set(key, { state: 'forbidden', res });
    else throw t.failure(res, `get secret ${ref.namespace}/${ref.name}`);
  }

  private lookupReflector(name: string): Watched<SecretObject> {
    return this.reflector({ resource: 'secrets', path: '/api/v1/secrets', query: { fieldSelector: `metadata.name=${name}` } }, (raw) => reduceSecret(raw));
  }

  // ---- what is known ------------------------------------------------------

  /** A secret as known now: from its namespace's watch when there is one, else from its GET. */
  private secretState(key: string): SecretState | undefined {
    const ns = key.slice(0, key.indexOf('/'));
    const w = this.nsSecrets.get(ns);
    if (w && w.reflector.status().synced && !w.sink.refused) {
      const s = w.sink.items.get(key);
      const bad = s ? undefined : w.sink.malformed.get(key);
      return s ? { state: 'found', secret: s } : bad ? { state: 'malformed', skipped: bad } : { state: 'missing' };
    }
    return this.gets.get(key);
  }

  private missingNames(refs: ReadonlyMap<string, SecretRef>): string[] {
    const names = new Set<string>();
    for (const [key, ref] of refs) if (this.secretState(key)?.state === 'missing') names.add(ref.name);
    return [...names].sort();
  }

  private affected(events: Iterable<KubeEvent>): Set<string> {
    const refs = referencedSecrets(this.pods?.sink.items.values() ?? [], this.sas?.sink.items ?? new Map());
    return affectedNamespaces(this.pods?.sink.items.values() ?? [], events, refs, (key) => {
      const s = this.secretState(key);
      return s?.state === 'missing' || s?.state === 'forbidden';
    });
  }

  private *heldEvents(): Iterable<KubeEvent> {
    for (const w of this.events.values()) yield* w.sink.items.values();
  }

  // ---- keeping up -----------------------------------------------------------

  private changed(): void {
    if (!this.started || this.stopped || this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      if (this.stopped) return;
      this.reconcile();
      for (const l of [...this.listeners]) l();
    }, this.o.coalesceMs ?? 250);
  }

  private fail(e: unknown): void {
    this.lastError = firstLine(e);
  }

  /** Start and stop watches, and GET newly named secrets, for the state as it is now. */
  private reconcile(): void {
    if (this.stopped) return;
    const now = Date.now();
    const refs = referencedSecrets(this.pods?.sink.items.values() ?? [], this.sas?.sink.items ?? new Map());
    // Affected namespaces whose secrets cannot be listed (least privilege: `get` only): their
    // referenced secrets are read again every pollMs, the one thing here that is polled.
    const poll = new Set<string>();
    for (const [ns, w] of this.nsSecrets) {
      if (!w.sink.refused || now - (this.polledAt.get(ns) ?? 0) < this.timing.pollMs) continue;
      this.polledAt.set(ns, now);
      poll.add(ns);
    }
    if (poll.size && !this.pollTimer) {
      this.pollTimer = setTimeout(() => {
        this.pollTimer = undefined;
        this.reconcile();
      }, this.timing.pollMs);
    }
    // Secrets a pod or service account names now and nobody has read yet: one GET each.
    for (const [key, ref] of refs) {
      if ((this.secretState(key) !== undefined && !poll.has(ref.namespace)) || this.getting.has(key)) continue;
      this.getting.add(key);
      void this.getSecret(key, ref).then(
        () => {
          this.getting.delete(key);
          this.lastError = undefined;
          this.changed();
        },
        (e: unknown) => {
          this.getting.delete(key);
          this.fail(e);
        },
      );
    }
    const affected = this.affected(this.heldEvents());
    for (const ns of affected) {
      this.lastAffected.set(ns, now);
      if (!this.eventsRefused && !this.events.has(ns)) {
        const w = this.eventsReflector(ns);
        this.events.set(ns, w);
        void w.reflector.start(false);
      }
      if (!this.nsSecrets.has(ns)) {
        const w = this.reflector({ resource: 'secrets', path: nsPath(ns, 'secrets'), query: {} }, (raw) => reduceSecret(raw));
        this.nsSecrets.set(ns, w);
        void w.reflector.start(false);
      }
    }
    // Namespaces without trouble for a while: stop watching; their secrets stay as last seen.
    const linger = this.o.lingerMs ?? 300_000;
    let nextCheck = Infinity;
    for (const [ns, at] of this.lastAffected) {
      if (affected.has(ns)) continue;
      if (now - at < linger) {
        nextCheck = Math.min(nextCheck, at + linger);
        continue;
      }
      this.lastAffected.delete(ns);
      const ev = this.events.get(ns);
      this.events.delete(ns);
      void ev?.reflector.stop();
      const sec = this.nsSecrets.get(ns);
      if (sec) {
        for (const [key] of refs) {
          if (!key.startsWith(`${ns}/`)) continue;
          const s = this.secretState(key);
          if (s) this.gets.set(key, s);
        }
        this.nsSecrets.delete(ns);
        void sec.reflector.stop();
      }
    }
    if (nextCheck < Infinity && !this.lingerTimer) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined;
        this.reconcile();
      }, Math.max(10, nextCheck - now));
    }
    // Lookups follow the missing names (none once one is forbidden, as the one-shot scan stops).
    const missing = this.missingNames(refs);
    for (const [name, w] of this.lookups) {
      if (missing.includes(name)) continue;
      this.lookups.delete(name);
      void w.reflector.stop();
    }
    const refused = [...this.lookups.values()].some((w) => w.sink.refused);
    if (!refused) {
      for (const name of missing) {
        if (this.lookups.has(name)) continue;
        const w = this.lookupReflector(name);
        this.lookups.set(name, w);
        void w.reflector.start(false);
      }
    }
    if ((this.o.includeNodes ?? 'auto') === 'auto' && !this.nodes) {
      // Only the pods and events matter to the decision: no need to assemble a whole snapshot.
      const light = { ...emptySnapshot(this.source ?? { kind: 'cluster', description: '' }), pods: [...(this.pods?.sink.items.values() ?? [])], events: [...this.heldEvents()] };
      if (needsNodes(light)) this.startNodes();
    }
  }

  // ---- the interface --------------------------------------------------------

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): LiveStatus {
    const all = this.reflectors().map((r) => r.status());
    const core = [this.pods, this.sas, this.nodes].flatMap((w) => (w ? [w.reflector.status()] : []));
    const s: LiveStatus = {
      synced: this.started && core.every((r) => r.synced || r.phase === 'forbidden'),
      connected: this.started && all.every((r) => r.connected),
    };
    const err = all.find((r) => r.lastError)?.lastError ?? this.lastError;
    if (err) s.lastError = err;
    const last = Math.max(0, ...all.map((r) => r.lastSyncAt ?? 0));
    if (last) s.lastSyncAt = new Date(last).toISOString();
    else if (this.startedAt) s.lastSyncAt = this.startedAt;
    return s;
  }

  /** The malformed objects of every watched list (pods outside `--pods` included: they were asked for). */
  private *malformed(): Iterable<SkippedObject> {
    const ws: (Watched<unknown> | undefined)[] = [this.pods, this.sas, this.nodes, ...this.events.values(), ...this.nsSecrets.values(), ...this.lookups.values()];
    for (const w of ws) if (w) yield* w.sink.malformed.values();
  }

  private reflectors(): Reflector[] {
    const ws: (Watched<unknown> | undefined)[] = [this.pods, this.sas, this.nodes, ...this.events.values(), ...this.nsSecrets.values(), ...this.lookups.values()];
    return ws.filter((w): w is Watched<unknown> => w !== undefined).map((w) => w.reflector);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.notifyTimer = this.pollTimer = this.lingerTimer = undefined;
    // Close first: a list in flight (a slow API server) ends now instead of being waited for.
    this.t?.close();
    await Promise.all(this.reflectors().map((r) => r.stop()));
  }

  snapshot(): Snapshot {
    return this.snapshotWith(this.heldEvents());
  }

  /** The state as a one-shot scan of the same scope would have read it. */
  private snapshotWith(events: Iterable<KubeEvent>): Snapshot {
    return liveSnapshot({
      source: this.source ?? { kind: 'cluster', description: 'not started' },
      ...(this.ctx?.explicit ? { explicitContext: this.ctx.name } : {}),
      ...(this.namespace ? { namespace: this.namespace } : {}),
      narrowed: !!(this.o.podNames?.length || this.o.labelSelector),
      pods: this.pods?.sink,
      sas: this.sas?.sink,
      eventsRefused: this.eventsRefused,
      events,
      secretState: (key) => this.secretState(key),
      missingNames: (refs) => this.missingNames(refs),
      lookups: this.lookups,
      namespaceSecrets: (ns) => {
        const w = this.nsSecrets.get(ns);
        if (!w || (!w.reflector.status().synced && !w.sink.refused)) return undefined;
        return { items: w.sink.items.values(), refused: w.sink.refused };
      },
      nodes: this.nodes ? { sink: this.nodes.sink, synced: this.nodes.reflector.status().synced } : undefined,
      malformed: this.malformed(),
    });
  }
}

/** The values of settled promises, or the first rejection (every branch settles first, so no request outlives a failed start). */
async function settled<T extends readonly unknown[]>(ps: [...{ [K in keyof T]: Promise<T[K]> | T[K] }]): Promise<T> {
  const results = await Promise.allSettled(ps);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
