/**
 * The scan of one cluster: which lists and GETs it makes, in what order — the request budget.
 *
 * Cost per cluster: paginated lists of pods, events and service accounts in scope (limit 500,
 * `continue`, restart on 410 Gone), one GET per distinct pull secret that pods in scope name
 * (directly or through their ServiceAccount), one cluster-wide list filtered by
 * `metadata.name` per distinct missing secret name, two lists of the namespace's pull secrets
 * (`fieldSelector=type=…`, one per kubelet secret type) per namespace where a pod fails to pull
 * an image its own secrets give no credential for, and optionally one node list (`--nodes`, or
 * in auto mode when a pull message points at the node or a failing image is on a cloud registry,
 * node-scope.ts). Never one request per pod or per node, and only ever GET.
 *
 * Each item is validated and reduced (src/collect/builder.ts) as its page arrives, so nothing
 * but the reduced model outlives a page. A read that is refused (403, an access problem), keeps
 * failing (5xx) or gets no answer in time is recorded in the snapshot, not thrown: the scan goes
 * on with what it may read, and report assembly decides what that leaves uncovered (pods
 * unreadable in a namespace make the scan incomplete). With several namespaces (`-n a,b`) each is
 * listed on its own, so one namespace's failure leaves the others scanned.
 */
import type { Snapshot, SourceInfo } from '../model/snapshot.js';
import { mapLimit } from '../util/concurrency.js';
import { answerFailure, listPages, readFailure, type ListRequest, type ReadFailure } from './api-pager.js';
import { Transport } from './api-transport.js';
import { SnapshotBuilder } from './builder.js';
import { accessProblem, canICommand, type AccessCheck } from './can-i.js';
import type { ResolvedClusterScanOptions } from './cluster-options.js';
import type { ResolvedContext } from './kubeconfig.js';
import { namespacesNeedingPullSecrets, PULL_SECRET_TYPES } from './pull-secret-scope.js';
import { isObj } from './reduce.js';
import { needsNodes } from './node-scope.js';


/** Everything one cluster scan needs. */
export class ClusterScan {
  readonly builder: SnapshotBuilder;
  readonly t: Transport;
  /** Namespaces in scope, in the order given; undefined for all namespaces. */
  private readonly namespaces: string[] | undefined;
  /** Secret GETs answered and secrets found so far (progress). */
  private secretReads = 0;
  private secretsFound = 0;

  constructor(
    readonly ctx: ResolvedContext,
    private readonly o: ResolvedClusterScanOptions,
    deadlineAt: number,
  ) {
    this.t = new Transport(ctx, { timeoutMs: o.requestTimeoutMs, deadlineAt, maxRetries: o.maxRetries, onRequest: o.onRequest });
    this.namespaces = o.allNamespaces ? undefined : o.namespaces?.length ? [...new Set(o.namespaces)] : [o.namespace || ctx.namespace];
    const source: SourceInfo = {
      kind: 'cluster',
      description: `context ${ctx.name} (${ctx.server})`,
      cluster: ctx.cluster,
      context: ctx.name,
      ...(this.namespaces ? { namespaces: this.namespaces } : {}),
      ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
      ...(o.podNames?.length ? { podNames: [...o.podNames] } : {}),
    };
    this.builder = new SnapshotBuilder(source);
  }

  private get s(): Snapshot {
    return this.builder.snapshot;
  }

  /** The can-i line; it carries `--context` when the user chose the context. */
  private canI(check: AccessCheck): string {
    return canICommand(check, this.ctx.explicit ? this.ctx.name : undefined);
  }

  /**
   * Record a read that did not succeed: a 403 is an access problem; anything else (5xx, no
   * answer) a skipped read with its status and the can-i line.
   */
  private unreadable(f: ReadFailure, check: AccessCheck, kind: string, path: string): void {
    if (f.status === 403) {
      this.s.accessProblems.push(accessProblem({ status: f.status, body: f.body }, check, this.ctx.explicit ? this.ctx.name : undefined));
      return;
    }
    this.builder.skip(
      {
        kind,
        ...(check.namespace ? { namespace: check.namespace } : {}),
        ...(check.name ? { name: check.name } : {}),
        reason: `${check.verb} failed: ${f.message}`,
        status: f.status,
        check: this.canI(check),
      },
      path,
    );
  }

  private progress(resource: string, pages: number, objects: number, done: boolean): void {
    this.o.onProgress?.({ cluster: this.ctx.name, resource, pages, objects, done });
  }

  /**
   * Page through a list (see api-pager.ts), reporting progress. Returns false when the list
   * could not be read (the reason is recorded).
   */
  private async list<P = unknown>(
    resource: string,
    kind: string,
    path: string,
    query: Record<string, string | undefined>,
    items: Pick<ListRequest<P>, 'prepare' | 'onItem'>,
    reset: () => void,
    scope: { namespace?: string; namespaced?: boolean; name?: string } = {},
    report = true,
  ): Promise<boolean> {
    const progress = (pages: number, objects: number, done: boolean) => {
      if (report) this.progress(resource, pages, objects, done);
    };
    const r = await listPages(this.t, {
      resource,
      path,
      query,
      pageSize: this.o.pageSize,
      ...items,
      reset: () => {
        reset();
        this.builder.forgetSkipped(path);
      },
      onPage: (pages, objects) => progress(pages, objects, false),
    });
    if (!r.ok) this.unreadable(r, { resource, verb: 'list', ...scope }, kind, path);
    progress(r.pages, r.objects, true);
    return r.ok;
  }

  /**
   * A list of one namespace (or all) that lands in one snapshot array. On a restart it takes back
   * what it added: the items of its namespace after where it started (lists of other namespaces
   * may be filling the same array at the same time).
   */
  private listInto<T>(
    resource: string,
    kind: string,
    arr: T[],
    nsOf: (x: T) => string,
    ns: string | undefined,
    query: Record<string, string | undefined>,
    keep: (item: unknown) => boolean = () => true,
  ): Promise<boolean> {
    const start = arr.length;
    const path = ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}` : `/api/v1/${resource}`;
    return this.list(
      resource,
      kind,
      path,
      query,
      {
        // Validated and reduced as each item arrives; added once its page is whole.
        prepare: (item) => (keep(item) ? this.builder.prepare(item, kind) : undefined),
        onItem: (p) => {
          if (p) this.builder.commit(p, path);
        },
      },
      () => {
        let w = start;
        for (let r = start; r < arr.length; r++) if (ns !== undefined && nsOf(arr[r] as T) !== ns) arr[w++] = arr[r] as T;
        arr.length = w;
      },
      ns ? { namespace: ns } : {},
    );
  }

  /**
   * The lists of each namespace in scope (or of all namespaces), all namespaces at once: pods
   * and ServiceAccounts, then the secrets that namespace's pods name; events alongside. So a
   * namespace whose lists fail or hang holds up no other. The look-ups of missing names follow
   * the secrets of every namespace.
   * Returns whether each namespace's ServiceAccounts and events could be read.
   */
  private async lists(): Promise<{ sa: boolean[]; events: boolean[] }> {
    const s = this.s;
    const names = this.o.podNames?.length ? new Set(this.o.podNames) : undefined;
    const single = names?.size === 1 ? [...names][0] : undefined;
    const podQuery = {
      labelSelector: this.o.labelSelector,
      fieldSelector: single ? `metadata.name=${single}` : undefined,
    };
    const eventQuery = { fieldSelector: single ? `involvedObject.kind=Pod,involvedObject.name=${single}` : undefined };
    const wanted = names ? (item: unknown) => !isObj(item) || !isObj(item.metadata) || names.has(String(item.metadata.name)) : undefined;
    const scopes = this.namespaces ?? [undefined];
    const missing = new Set<string>();
    const podsAndSecrets = async (ns: string | undefined) => {
      const [, ok] = await Promise.allSettled([
        this.listInto('pods', 'Pod', s.pods, (p) => p.metadata.namespace, ns, podQuery, wanted),
        this.listInto('serviceaccounts', 'ServiceAccount', s.serviceAccounts, (x) => x.metadata.namespace, ns, {}),
      ]).then(settled);
      await this.secretGets(ns, missing);
      return ok;
    };
    const events = (ns: string | undefined) => this.listInto('events', 'Event', s.events, (e) => e.namespace, ns, eventQuery);
    // Settle every list before deciding, so no request outlives a failed scan.
    const [sa, ev] = await Promise.allSettled([
      Promise.allSettled(scopes.map(podsAndSecrets))
        .then(settledAll)
        .then(async (ok) => {
          await this.lookups(missing);
          return ok;
        }),
      Promise.allSettled(scopes.map(events)).then(settledAll),
    ]).then(settled);
    return { sa, events: ev };
  }

  async run(): Promise<Snapshot> {
    const s = this.s;
    const listNodes = () =>
      this.list(
        'nodes',
        'Node',
        '/api/v1/nodes',
        {},
        { prepare: (item) => this.builder.prepare(item, 'Node'), onItem: (p) => this.builder.commit(p, '/api/v1/nodes') },
        () => {
          s.nodes.length = 0;
        },
        { namespaced: false },
      );
    const mode = this.o.includeNodes ?? 'auto';
    const nodes = mode === true ? listNodes() : Promise.resolve(false);
    // Settle every branch before deciding, so no request outlives a failed scan.
    const [read, nodesFirst] = await Promise.allSettled([this.lists(), nodes]).then(settled);
    // Nodes only when a pull message points at the node or a failing image is on a cloud
    // registry (the node's platform says which credential provider it runs): one more list
    // call, not one per pod or per node (node-scope.ts).
    const nodesOk = mode === 'auto' && needsNodes(s) ? await listNodes() : nodesFirst;

    if (this.o.podNames?.length || this.o.labelSelector) {
      // Keep pod events only for the pods in scope (other events are kept as they are).
      const inScope = new Set(s.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      s.events = s.events.filter(
        (e) => e.involvedObject.kind !== 'Pod' || inScope.has(`${e.involvedObject.namespace ?? e.namespace}/${e.involvedObject.name}`),
      );
    }
    // A namespace whose list failed is marked by its skipped read or access problem.
    s.coverage = {
      secrets: 'referenced',
      serviceAccounts: read.sa.some(Boolean) ? 'all' : 'none',
      events: read.events.some(Boolean) ? 'all' : 'none',
      nodes: nodesOk ? 'all' : 'none',
    };
    s.objectsRead = this.builder.objectsRead;
    return s;
  }

  /** GET every secret that the pods of a namespace (or all) name, directly or through their ServiceAccount. */
  private async secretGets(ns: string | undefined, missing: Set<string>): Promise<void> {
    const s = this.s;
    const inScope = (x: string) => ns === undefined || x === ns;
    const refs = new Map<string, { namespace: string; name: string }>();
    const addRef = (namespace: string, list: { name?: string }[] | undefined) => {
      for (const r of list ?? []) if (r.name) refs.set(`${namespace}/${r.name}`, { namespace, name: r.name });
    };
    const sas = new Map(s.serviceAccounts.filter((sa) => inScope(sa.metadata.namespace)).map((sa) => [`${sa.metadata.namespace}/${sa.metadata.name}`, sa]));
    for (const p of s.pods) {
      const pns = p.metadata.namespace;
      if (!inScope(pns)) continue;
      addRef(pns, p.spec.imagePullSecrets);
      addRef(pns, sas.get(`${pns}/${p.spec.serviceAccountName ?? 'default'}`)?.imagePullSecrets);
    }
    // A failure that ends the cluster's scan (connection, TLS, 401): no further GET starts; the
    // ones in flight finish before it is thrown. A failure of one GET is recorded and the rest go on.
    let failed: { error: unknown } | undefined;
    await mapLimit([...refs.values()], this.o.secretConcurrency, async ({ namespace, name }) => {
      if (failed) return;
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
      const check: AccessCheck = { resource: 'secrets', verb: 'get', namespace, name };
      try {
        let res;
        try {
          res = await this.t.get(path);
        } catch (e) {
          this.unreadable(readFailure(e), check, 'Secret', path);
          return;
        }
        if (res.status === 200) {
          if (this.builder.addObject(res.body, 'Secret', path)) this.secretsFound++;
          else {
            // Malformed: the request names it, whatever its body says.
            const list = this.s.skippedObjects ?? [];
            const last = list[list.length - 1];
            if (last) list[list.length - 1] = { kind: last.kind, namespace, name, reason: last.reason, source: last.source };
          }
        } else if (res.status === 404) missing.add(name);
        else this.unreadable(answerFailure(res), check, 'Secret', path);
        this.progress('secrets', ++this.secretReads, this.secretsFound, false);
      } catch (error) {
        failed ??= { error };
      }
    });
    if (failed) throw failed.error;
  }

  /** A missing secret may exist under the same name in another namespace (a classic mistake): one list by name each. */
  private async lookups(missing: Set<string>): Promise<void> {
    const s = this.s;
    const have = new Set(s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`));
    let pages = this.secretReads;
    for (const name of [...missing].sort()) {
      const ok = await this.list(
        'secrets',
        'Secret',
        '/api/v1/secrets',
        { fieldSelector: `metadata.name=${name}` },
        {
          onItem: (item) => {
            const meta = isObj(item) && isObj(item.metadata) ? item.metadata : {};
            const key = `${String(meta.namespace)}/${String(meta.name)}`;
            if (have.has(key)) return;
            have.add(key);
            this.builder.addObject(item, 'Secret', '/api/v1/secrets');
            this.secretsFound++;
          },
        },
        () => undefined,
        { namespaced: true, name },
        false,
      );
      pages++;
      if (!ok) break; // Refused or failing cluster-wide: the other names would be too.
    }
    // An existing but unreferenced secret may serve a failing image: read the namespace's pull
    // secrets, one typed list per kubelet secret type, where a failing pull got no credential.
    const listed: string[] = [];
    // A secret already met malformed is not read again from a list (it would be skipped twice).
    for (const e of s.skippedObjects ?? []) if (e.kind === 'Secret' && e.name && e.status === undefined) have.add(`${e.namespace}/${e.name}`);
    await mapLimit(namespacesNeedingPullSecrets(s), this.o.secretConcurrency, async (namespace) => {
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
      for (const type of PULL_SECRET_TYPES) {
        const ok = await this.list(
          'secrets',
          'Secret',
          path,
          { fieldSelector: `type=${type}` },
          {
            onItem: (item) => {
              const meta = isObj(item) && isObj(item.metadata) ? item.metadata : {};
              const key = `${namespace}/${String(meta.name)}`;
              if (have.has(key)) return;
              have.add(key);
              if (this.builder.addObject(item, 'Secret', path)) this.secretsFound++;
            },
          },
          () => undefined,
          { namespace },
          false,
        );
        pages++;
        if (!ok) return; // Refused or failing: the other type would be too.
      }
      listed.push(namespace);
    });
    if (listed.length) s.pullSecretNamespaces = listed.sort();
    // A secret whose GET failed but that a namespace's list then read was read after all.
    if (s.skippedObjects?.length) {
      const read = new Set(s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`));
      s.skippedObjects = s.skippedObjects.filter((e) => !(e.kind === 'Secret' && e.name && e.status !== undefined && read.has(`${e.namespace}/${e.name}`)));
    }
    this.progress('secrets', pages, this.secretsFound, true);
  }
}

/** The values of settled promises of one type, or the first rejection. */
function settledAll<T>(results: PromiseSettledResult<T>[]): T[] {
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** The values of settled promises, or the first rejection. */
function settled<T extends readonly unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
