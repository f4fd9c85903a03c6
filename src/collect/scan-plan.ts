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
 * Each item is reduced (src/collect/reduce.ts via SnapshotBuilder) as its page arrives, so
 * nothing but the reduced model outlives a page. A 403 is an access problem in the snapshot,
 * not a failure: the scan goes on with what it may read.
 */
import type { Snapshot, SourceInfo } from '../model/snapshot.js';
import { mapLimit } from '../util/concurrency.js';
import { listPages } from './api-pager.js';
import { Transport, type HttpResult } from './api-transport.js';
import { SnapshotBuilder } from './builder.js';
import { accessProblem, type AccessCheck } from './can-i.js';
import type { ResolvedClusterScanOptions } from './cluster-options.js';
import type { ResolvedContext } from './kubeconfig.js';
import { namespacesNeedingPullSecrets, PULL_SECRET_TYPES } from './pull-secret-scope.js';
import { isObj } from './reduce.js';
import { needsNodes } from './node-scope.js';

type Raw = Record<string, unknown>;

/** Everything one cluster scan needs. */
export class ClusterScan {
  readonly builder: SnapshotBuilder;
  readonly t: Transport;
  private readonly namespace: string | undefined;

  constructor(
    readonly ctx: ResolvedContext,
    private readonly o: ResolvedClusterScanOptions,
    deadlineAt: number,
  ) {
    this.t = new Transport(ctx, { timeoutMs: o.requestTimeoutMs, deadlineAt, maxRetries: o.maxRetries, onRequest: o.onRequest });
    this.namespace = o.allNamespaces ? undefined : o.namespace || ctx.namespace;
    const source: SourceInfo = {
      kind: 'cluster',
      description: `context ${ctx.name} (${ctx.server})`,
      cluster: ctx.cluster,
      context: ctx.name,
      ...(this.namespace ? { namespaces: [this.namespace] } : {}),
      ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
      ...(o.podNames?.length ? { podNames: [...o.podNames] } : {}),
    };
    this.builder = new SnapshotBuilder(source);
  }

  private get s(): Snapshot {
    return this.builder.snapshot;
  }

  /** Record a refused request; can-i lines carry `--context` when the user chose the context. */
  private forbidden(res: HttpResult, check: AccessCheck): void {
    this.s.accessProblems.push(accessProblem(res, check, this.ctx.explicit ? this.ctx.name : undefined));
  }

  private progress(resource: string, pages: number, objects: number, done: boolean): void {
    this.o.onProgress?.({ cluster: this.ctx.name, resource, pages, objects, done });
  }

  /**
   * Page through a list (see api-pager.ts), reporting progress. Returns false when the list is
   * forbidden (the access problem is recorded).
   */
  private async list(
    resource: string,
    path: string,
    query: Record<string, string | undefined>,
    onItem: (item: Raw) => void,
    reset: () => void,
    scope: { namespace?: string; namespaced?: boolean } = {},
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
      onItem,
      reset,
      onPage: (pages, objects) => progress(pages, objects, false),
    });
    if (!r.ok) this.forbidden(r.forbidden, { resource, verb: 'list', ...scope });
    progress(r.pages, r.objects, true);
    return r.ok;
  }

  /** A list that lands in one snapshot array, truncated back on restart. */
  private listInto(
    resource: string,
    kind: string,
    arr: unknown[],
    query: Record<string, string | undefined>,
    keep: (item: Raw) => boolean = () => true,
  ): Promise<boolean> {
    const start = arr.length;
    const ns = this.namespace;
    const path = ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}` : `/api/v1/${resource}`;
    return this.list(
      resource,
      path,
      query,
      (item) => {
        if (keep(item)) this.builder.addObject(item, kind);
      },
      () => {
        arr.length = start;
      },
      ns ? { namespace: ns } : {},
    );
  }

  async run(): Promise<Snapshot> {
    const s = this.s;
    const names = this.o.podNames?.length ? new Set(this.o.podNames) : undefined;
    const single = names?.size === 1 ? [...names][0] : undefined;
    const podQuery = {
      labelSelector: this.o.labelSelector,
      fieldSelector: single ? `metadata.name=${single}` : undefined,
    };
    const nameOf = (item: Raw) => (isObj(item.metadata) ? item.metadata.name : undefined);
    const podsAndSas = Promise.allSettled([
      this.listInto('pods', 'Pod', s.pods, podQuery, names ? (item) => names.has(String(nameOf(item))) : undefined),
      this.listInto('serviceaccounts', 'ServiceAccount', s.serviceAccounts, {}),
    ]).then(settled);
    const events = this.listInto('events', 'Event', s.events, {
      fieldSelector: single ? `involvedObject.kind=Pod,involvedObject.name=${single}` : undefined,
    });
    const listNodes = () =>
      this.list(
        'nodes',
        '/api/v1/nodes',
        {},
        (item) => this.builder.addObject(item, 'Node'),
        () => {
          s.nodes.length = 0;
        },
        { namespaced: false },
      );
    const mode = this.o.includeNodes ?? 'auto';
    const nodes = mode === true ? listNodes() : Promise.resolve(false);
    // Settle every branch before deciding, so no request outlives a failed scan.
    const [saOk, evOk, nodesFirst] = await Promise.allSettled([
      podsAndSas.then(async ([, sa]) => {
        await this.secrets();
        return sa;
      }),
      events,
      nodes,
    ]).then(settled);
    // Nodes only when a pull message points at the node or a failing image is on a cloud
    // registry (the node's platform says which credential provider it runs): one more list
    // call, not one per pod or per node (node-scope.ts).
    const nodesOk = mode === 'auto' && needsNodes(s) ? await listNodes() : nodesFirst;

    if (names || this.o.labelSelector) {
      // Keep pod events only for the pods in scope (other events are kept as they are).
      const inScope = new Set(s.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      s.events = s.events.filter(
        (e) => e.involvedObject.kind !== 'Pod' || inScope.has(`${e.involvedObject.namespace ?? e.namespace}/${e.involvedObject.name}`),
      );
    }
    s.coverage = {
      secrets: 'referenced',
      serviceAccounts: saOk ? 'all' : 'none',
      events: evOk ? 'all' : 'none',
      nodes: nodesOk ? 'all' : 'none',
    };
    return s;
  }

  /** GET every referenced secret; look for missing names in other namespaces. */
  private async secrets(): Promise<void> {
    const s = this.s;
    const refs = new Map<string, { namespace: string; name: string }>();
    const addRef = (namespace: string, list: { name?: string }[] | undefined) => {
      for (const r of list ?? []) if (r.name) refs.set(`${namespace}/${r.name}`, { namespace, name: r.name });
    };
    const sas = new Map(s.serviceAccounts.map((sa) => [`${sa.metadata.namespace}/${sa.metadata.name}`, sa]));
    for (const p of s.pods) {
      const ns = p.metadata.namespace;
      addRef(ns, p.spec.imagePullSecrets);
      addRef(ns, sas.get(`${ns}/${p.spec.serviceAccountName ?? 'default'}`)?.imagePullSecrets);
    }
    const missing = new Set<string>();
    let done = 0;
    let found = 0;
    // After a failure no further GET starts; the ones in flight finish before it is thrown.
    let failed: { error: unknown } | undefined;
    await mapLimit([...refs.values()], this.o.secretConcurrency, async ({ namespace, name }) => {
      if (failed) return;
      try {
        const res = await this.t.get(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`);
        if (res.status === 200 && isObj(res.body)) {
          this.builder.addObject(res.body, 'Secret');
          found++;
        } else if (res.status === 404) missing.add(name);
        else if (res.status === 403) this.forbidden(res, { resource: 'secrets', verb: 'get', namespace, name });
        else throw this.t.failure(res, `get secret ${namespace}/${name}`);
        this.progress('secrets', ++done, found, false);
      } catch (error) {
        failed ??= { error };
      }
    });
    if (failed) throw failed.error;

    // A missing secret may exist under the same name in another namespace (a classic mistake).
    const have = new Set(s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`));
    let pages = done;
    for (const name of [...missing].sort()) {
      const ok = await this.list(
        'secrets',
        '/api/v1/secrets',
        { fieldSelector: `metadata.name=${name}` },
        (item) => {
          const meta = isObj(item.metadata) ? item.metadata : {};
          const key = `${String(meta.namespace)}/${String(meta.name)}`;
          if (have.has(key)) return;
          have.add(key);
          this.builder.addObject(item, 'Secret');
          found++;
        },
        () => undefined,
        { namespaced: true },
        false,
      );
      pages++;
      if (!ok) break; // Forbidden cluster-wide: the other names would be too.
    }

    // An existing but unreferenced secret may serve a failing image: read the namespace's pull
    // secrets, one typed list per kubelet secret type, where a failing pull got no credential.
    const listed: string[] = [];
    const typed: { failed?: { error: unknown } } = {};
    await mapLimit(namespacesNeedingPullSecrets(s), this.o.secretConcurrency, async (namespace) => {
      for (const type of PULL_SECRET_TYPES) {
        if (typed.failed) return;
        const ok = await this.list(
          'secrets',
          `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`,
          { fieldSelector: `type=${type}` },
          (item) => {
            const meta = isObj(item.metadata) ? item.metadata : {};
            const key = `${namespace}/${String(meta.name)}`;
            if (have.has(key)) return;
            have.add(key);
            this.builder.addObject(item, 'Secret');
            found++;
          },
          () => undefined,
          { namespace },
          false,
        ).catch((error: unknown) => {
          typed.failed ??= { error };
          return false;
        });
        pages++;
        if (!ok) return; // Forbidden: the other type would be too (or the scan failed).
      }
      listed.push(namespace);
    });
    if (typed.failed) throw typed.failed.error;
    if (listed.length) s.pullSecretNamespaces = listed.sort();
    this.progress('secrets', pages, found, true);
  }
}

/** The values of settled promises, or the first rejection. */
function settled<T extends readonly unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
