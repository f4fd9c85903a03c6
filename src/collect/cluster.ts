/**
 * Live source: scans one or more clusters (kubeconfig contexts) into one Snapshot each.
 *
 * Cost per cluster: paginated lists of pods, events and service accounts in scope (limit 500,
 * `continue`, restart on 410 Gone), one GET per distinct pull secret that pods in scope name
 * (directly or through their ServiceAccount), one cluster-wide list filtered by
 * `metadata.name` per distinct missing secret name, and optionally a node list. Never one
 * request per pod, and only ever GET.
 *
 * Pages are fetched with client-node's auth and TLS options (token, client certificates, exec
 * and OIDC plugins, CA) over a keep-alive agent and parsed with JSON.parse; each item is reduced
 * (src/collect/reduce.ts via SnapshotBuilder) as its page arrives, so nothing but the reduced
 * model outlives a page.
 */
import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../model/errors.js';
import type { ProgressCallback } from '../model/progress.js';
import type { AccessProblem, Snapshot, SourceInfo } from '../model/snapshot.js';
import { SnapshotBuilder } from './builder.js';
import { loadKubeconfig, newKubeConfig, resolveContexts, type ResolvedContext } from './kubeconfig.js';
import { heapGuard } from './heap.js';
import { isObj } from './reduce.js';
import { isTlsErrorCode } from '../model/tls.js';
import { pointsAtNode } from '../runtime/wordings.js';
import { mapLimit } from '../util/concurrency.js';
import { sh } from '../util/shell.js';
import { firstLine } from '../util/text.js';

const gunzipAsync = promisify(gunzip);

export interface ClusterScanOptions {
  kubeconfig?: string;
  /** `--context`, repeatable; empty = the current context. */
  contexts?: string[];
  allContexts?: boolean;
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  podNames?: string[];
  /**
   * Read nodes (architecture, disk pressure): `true` always, `false` never, `'auto'` (the
   * default) only when a pull message points at the node (platform or disk problems).
   */
  includeNodes?: boolean | 'auto';
  /** Per request, default 10 000. */
  requestTimeoutMs?: number;
  /** Whole scan (all clusters), default 120 000. */
  deadlineMs?: number;
  /** List page size, default 500. */
  pageSize?: number;
  /** Parallel secret GETs per cluster, default 8. */
  secretConcurrency?: number;
  onProgress?: ProgressCallback;
  /** Environment for KUBECONFIG, HOME and in-cluster variables (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** In-cluster token/ca.crt/namespace directory (default /var/run/secrets/kubernetes.io/serviceaccount). */
  serviceAccountDir?: string;
  /** Retries of 429, 5xx and dropped connections per request, default 4. */
  maxRetries?: number;
}

export interface ClusterScanResult {
  snapshots: Snapshot[];
  errors: { cluster: string; message: string }[];
}

const DEFAULTS = { requestTimeoutMs: 10_000, deadlineMs: 120_000, pageSize: 500, secretConcurrency: 8, maxRetries: 4 };
/** Clusters scanned at the same time in fleet mode. */
const CLUSTER_CONCURRENCY = 8;
/** How many times a list restarts after 410 Gone before giving up. */
const MAX_LIST_RESTARTS = 3;
const AUTH_REFRESH_MS = 60_000;
const USER_AGENT = `pulldoctor (${process.platform}/${process.arch}) node/${process.versions.node}`;

type Raw = Record<string, unknown>;

interface HttpResult {
  status: number;
  body: unknown;
}

/** Network errors worth another try (a keep-alive socket the server closed, a slow answer). */
const RETRY_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'REQUEST_TIMEOUT']);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

function statusMessage(body: unknown, status: number): string {
  if (isObj(body) && typeof body.message === 'string' && body.message) return body.message;
  if (typeof body === 'string' && body.trim()) return body.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return http.STATUS_CODES[status] ?? `HTTP ${status}`;
}

function retryAfterMs(header: string | string[] | undefined, body: unknown): number | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (h) {
    const secs = Number(h);
    if (Number.isFinite(secs)) return secs * 1000;
    const at = Date.parse(h);
    if (Number.isFinite(at)) return at - Date.now();
  }
  if (isObj(body) && isObj(body.details) && typeof body.details.retryAfterSeconds === 'number')
    return body.details.retryAfterSeconds * 1000;
  return undefined;
}

/** One cluster's HTTP side: auth headers and TLS from client-node, a keep-alive agent, retries. */
class Transport {
  private agent: http.Agent | undefined;
  private headers: Record<string, string> = {};
  private authAt = 0;
  private readonly isHttps: boolean;
  private readonly kc: KubeConfig;
  readonly where: string;

  constructor(
    readonly ctx: ResolvedContext,
    private readonly timeoutMs: number,
    private readonly deadlineAt: number,
    private readonly maxRetries: number,
  ) {
    this.where = `context ${ctx.name} (${ctx.server})`;
    this.isHttps = !ctx.server.startsWith('http:');
    this.kc = this.isHttps ? ctx.config : plainHttpConfig(ctx.config);
  }

  /** Refresh auth headers (exec/OIDC tokens may rotate) and build the agent once. */
  private async auth(force = false): Promise<void> {
    if (!force && this.agent && Date.now() - this.authAt < AUTH_REFRESH_MS) return;
    const o: https.RequestOptions = {};
    try {
      await this.kc.applyToHTTPSOptions(o);
    } catch (e) {
      throw new UserError(`${this.where}: cannot load credentials: ${firstLine(e)}`, { cause: e });
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.headers ?? {})) {
      if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v).trim();
    }
    if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
    this.headers = headers;
    this.authAt = Date.now();
    if (!this.agent) {
      if (this.ctx.config.getCurrentCluster()?.proxyUrl) this.agent = o.agent as http.Agent;
      else if (!this.isHttps) this.agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      else {
        const tls: https.AgentOptions = { keepAlive: true, maxSockets: 16 };
        for (const k of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const) {
          if (o[k] !== undefined) (tls as Record<string, unknown>)[k] = o[k];
        }
        this.agent = new https.Agent(tls);
      }
    }
  }

  close(): void {
    this.agent?.destroy();
  }

  /** GET with per-request timeout, the overall deadline, and bounded retries (429, 5xx, resets). */
  async get(path: string, query: Record<string, string | undefined> = {}): Promise<HttpResult> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, v);
    const url = `${this.ctx.server}${path}${qs.size ? `?${qs.toString()}` : ''}`;
    let reauthed = false;
    for (let attempt = 0; ; attempt++) {
      await this.auth();
      const remaining = this.deadlineAt - Date.now();
      if (remaining <= 0) throw this.deadlineError();
      let res: HttpResult & { retryAfter?: string | string[] };
      try {
        res = await this.once(url, Math.min(this.timeoutMs, remaining));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (RETRY_CODES.has(code) && attempt < this.maxRetries) {
          await this.backoff(attempt);
          continue;
        }
        throw this.networkError(e, code);
      }
      if (res.status === 401 && !reauthed) {
        // A rotated exec/OIDC/file token: fetch fresh credentials once.
        reauthed = true;
        await this.auth(true);
        continue;
      }
      if ((res.status === 429 || (res.status >= 500 && res.status !== 501)) && attempt < this.maxRetries) {
        await this.backoff(attempt, retryAfterMs(res.retryAfter, res.body));
        continue;
      }
      if (res.status === 401)
        throw new UserError(
          `${this.where}: unauthorized (401): ${statusMessage(res.body, 401)}; the credentials for this context were rejected (log in again or refresh the token)`,
        );
      return { status: res.status, body: res.body };
    }
  }

  private async backoff(attempt: number, hintMs?: number): Promise<void> {
    const base = Math.min(8_000, 250 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
    const wait = Math.min(hintMs !== undefined && hintMs >= 0 ? hintMs : base, 30_000);
    if (Date.now() + wait >= this.deadlineAt) throw this.deadlineError();
    await sleep(wait);
  }

  private deadlineError(): UserError {
    return new UserError(`${this.where}: the scan did not finish before its deadline`);
  }

  private networkError(e: unknown, code: string): UserError {
    const msg = firstLine(e);
    if (isTlsErrorCode(code) || /certificate|ssl|tls/i.test(msg))
      return new UserError(
        `${this.where}: TLS verification failed: ${msg}${code && !msg.includes(code) ? ` (${code})` : ''}; check certificate-authority in the kubeconfig`,
        { cause: e },
      );
    if (code === 'REQUEST_TIMEOUT')
      return new UserError(`${this.where}: no answer within ${Math.round(this.timeoutMs / 1000)}s`, { cause: e });
    return new UserError(`${this.where}: cannot connect: ${msg}`, { cause: e });
  }

  private once(url: string, timeoutMs: number): Promise<HttpResult & { retryAfter?: string | string[] }> {
    return new Promise((resolve, reject) => {
      const mod = this.isHttps ? https : http;
      const req = mod.request(
        url,
        {
          method: 'GET',
          agent: this.agent,
          headers: { ...this.headers, Accept: 'application/json', 'Accept-Encoding': 'gzip', 'User-Agent': USER_AGENT },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(timer);
            const buf = Buffer.concat(chunks);
            const decode = res.headers['content-encoding'] === 'gzip' ? gunzipAsync(buf) : Promise.resolve(buf);
            decode.then((b) => {
              const text = b.toString('utf8');
              let body: unknown = text;
              try {
                body = JSON.parse(text);
              } catch {
                // Not JSON (a proxy's HTML page): keep the text for the message.
              }
              resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] });
            }, reject);
          });
        },
      );
      const timer = setTimeout(() => {
        const err = new Error(`request timed out after ${timeoutMs}ms`) as NodeJS.ErrnoException;
        err.code = 'REQUEST_TIMEOUT';
        req.destroy(err);
      }, timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end();
    });
  }
}

/** client-node refuses plain-http servers unless TLS verification is off; for http it is moot. */
function plainHttpConfig(kc: KubeConfig): KubeConfig {
  const copy = newKubeConfig();
  const current = kc.getCurrentCluster()?.name;
  copy.loadFromOptions({
    clusters: kc.getClusters().map((c) => (c.name === current ? { ...c, skipTLSVerify: true } : c)),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return copy;
}


/** Everything one cluster scan needs. */
class ClusterScan {
  readonly builder: SnapshotBuilder;
  readonly t: Transport;
  private readonly namespace: string | undefined;

  constructor(
    readonly ctx: ResolvedContext,
    private readonly o: ClusterScanOptions & typeof DEFAULTS,
    deadlineAt: number,
  ) {
    this.t = new Transport(ctx, o.requestTimeoutMs, deadlineAt, o.maxRetries);
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

  private canI(verb: 'get' | 'list', resource: string, namespace: string | undefined, namespaced = true): string {
    const scope = namespace ? ` -n ${sh(namespace)}` : namespaced ? ' -A' : '';
    const context = this.ctx.explicit ? ` --context ${sh(this.ctx.name)}` : '';
    return `kubectl auth can-i ${verb} ${resource}${scope}${context}`;
  }

  private forbidden(
    res: HttpResult,
    p: { resource: string; verb: 'get' | 'list'; namespace?: string; name?: string; namespaced?: boolean },
  ): AccessProblem {
    const problem: AccessProblem = {
      resource: p.resource,
      verb: p.verb,
      status: res.status,
      message: statusMessage(res.body, res.status),
      canI: this.canI(p.verb, p.resource, p.namespace, p.namespaced ?? true),
    };
    if (p.namespace) problem.namespace = p.namespace;
    if (p.name) problem.name = p.name;
    this.s.accessProblems.push(problem);
    return problem;
  }

  private failure(res: HttpResult, what: string): UserError {
    return new UserError(`${this.t.where}: ${what} failed: ${res.status} ${statusMessage(res.body, res.status)}`);
  }

  private progress(resource: string, pages: number, objects: number, done: boolean): void {
    this.o.onProgress?.({ cluster: this.ctx.name, resource, pages, objects, done });
  }

  /**
   * Page through a list. `onItem` gets every raw item; `reset` undoes a partial list before a
   * restart after 410 Gone. Returns false when the list is forbidden (the access problem is
   * recorded).
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
    let pages = 0;
    let objects = 0;
    for (let restarts = 0; ; restarts++) {
      let cont: string | undefined;
      let gone = false;
      do {
        heapGuard.check();
        const res = await this.t.get(path, { ...query, limit: String(this.o.pageSize), continue: cont });
        if (res.status === 410 && cont && restarts < MAX_LIST_RESTARTS) {
          gone = true;
          break;
        }
        if (res.status === 403) {
          this.forbidden(res, { resource, verb: 'list', ...scope });
          progress(pages, objects, true);
          return false;
        }
        if (res.status < 200 || res.status > 299 || !isObj(res.body)) throw this.failure(res, `list ${resource}`);
        const items = Array.isArray(res.body.items) ? res.body.items : [];
        for (const item of items) if (isObj(item)) onItem(item);
        pages++;
        objects += items.length;
        progress(pages, objects, false);
        const meta = isObj(res.body.metadata) ? res.body.metadata : {};
        cont = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
      } while (cont);
      if (!gone) break;
      // The continue token expired (410 Gone): start the list again from scratch.
      reset();
      objects = 0;
    }
    progress(pages, objects, true);
    return true;
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
    // Nodes only when a pull message points at the node: one more list call, not per pod.
    const nodesOk = mode === 'auto' && pointsAtNodes(s) ? await listNodes() : nodesFirst;

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
    const queue = [...refs.values()];
    let done = 0;
    let found = 0;
    const worker = async () => {
      for (let ref = queue.shift(); ref; ref = queue.shift()) {
        const { namespace, name } = ref;
        const res = await this.t.get(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`);
        if (res.status === 200 && isObj(res.body)) {
          this.builder.addObject(res.body, 'Secret');
          found++;
        } else if (res.status === 404) missing.add(name);
        else if (res.status === 403) this.forbidden(res, { resource: 'secrets', verb: 'get', namespace, name });
        else throw this.failure(res, `get secret ${namespace}/${name}`);
        this.progress('secrets', ++done, found, false);
      }
    };
    const workers = Array.from({ length: Math.min(this.o.secretConcurrency, queue.length) }, worker);
    settled(await Promise.allSettled(workers));

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
    this.progress('secrets', pages, found, true);
  }
}

export function pointsAtNodes(s: Snapshot): boolean {
  if (s.events.some((e) => pointsAtNode(e.message ?? ''))) return true;
  return s.pods.some((p) =>
    [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].some((c) =>
      pointsAtNode(c.state?.waiting?.message ?? ''),
    ),
  );
}

/** The values of settled promises, or the first rejection. */
function settled<T extends readonly unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Scan the selected contexts concurrently: one Snapshot per context. With exactly one context,
 * a failure (unreachable, TLS, 401, deadline) throws a UserError naming the context and server;
 * with several, failures come back in `errors` and the other clusters are still scanned.
 */
export async function collectClusters(opts: ClusterScanOptions): Promise<ClusterScanResult> {
  const o = { ...DEFAULTS, ...definedOnly(opts) };
  const deadlineAt = Date.now() + o.deadlineMs;
  const loaded = await loadKubeconfig({ kubeconfig: o.kubeconfig, env: o.env, serviceAccountDir: o.serviceAccountDir });
  const { contexts, problems } = resolveContexts(loaded, { contexts: o.contexts, allContexts: o.allContexts });
  const single = contexts.length + problems.length === 1;
  if (single && problems[0]) throw new UserError(problems[0].message);
  const results = await mapLimit(contexts, CLUSTER_CONCURRENCY, async (ctx) => {
    const scan = new ClusterScan(ctx, o, deadlineAt);
    try {
      return await scan.run();
    } catch (e) {
      if (single) throw e;
      return { cluster: ctx.cluster, message: firstLine(e) };
    } finally {
      scan.t.close();
    }
  });
  // Both lists keep the order the contexts were given in.
  const errors = problems.map((p) => ({ cluster: p.cluster, message: p.message }));
  const snapshots: Snapshot[] = [];
  for (const r of results) {
    if ('source' in r) snapshots.push(r);
    else errors.push(r);
  }
  return { snapshots, errors };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Pod names given on the command line that no scanned cluster has (for a `not found` message). */
export function missingPodNames(snapshots: Snapshot[], podNames: string[] | undefined): string[] {
  if (!podNames?.length) return [];
  const seen = new Set(snapshots.flatMap((s) => s.pods.map((p) => p.metadata.name)));
  return podNames.filter((n) => !seen.has(n));
}
