/**
 * A Kubernetes API server double for tests and benchmarks: a loopback HTTP(S) server that
 * serves raw Kubernetes objects through the real REST paths, with real list semantics
 * (limit/continue, remainingItemCount, resourceVersion), field and label selectors,
 * discovery, `Status` errors, server-side Table printing for kubectl, bearer-token auth,
 * optional TLS with a CA made at start-up, latency and fault injection, and a request log.
 *
 *   const api = await startApiServer({ objects, tls: true });
 *   const file = writeKubeconfig({ contexts: [{ name: 'test', server: api }] });
 *   … api.requests …; await api.close();
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import { toTable } from './table.js';
import { sharedTestPki } from './tls.js';
import { WatchHub, type Change } from './watch.js';

type Obj = Record<string, unknown>;

export interface ResourceInfo {
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
}

/** The resources the double serves under /api/v1. */
export const CORE_RESOURCES: ResourceInfo[] = [
  { resource: 'pods', kind: 'Pod', singular: 'pod', namespaced: true, shortNames: ['po'] },
  { resource: 'events', kind: 'Event', singular: 'event', namespaced: true, shortNames: ['ev'] },
  { resource: 'secrets', kind: 'Secret', singular: 'secret', namespaced: true },
  { resource: 'serviceaccounts', kind: 'ServiceAccount', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'] },
  { resource: 'nodes', kind: 'Node', singular: 'node', namespaced: false, shortNames: ['no'] },
  { resource: 'namespaces', kind: 'Namespace', singular: 'namespace', namespaced: false, shortNames: ['ns'] },
];
const BY_KIND = new Map(CORE_RESOURCES.map((r) => [r.kind, r]));
const BY_RESOURCE = new Map(CORE_RESOURCES.map((r) => [r.resource, r]));
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** One logged request. `query` holds the decoded query parameters. */
export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  accept?: string;
}

/**
 * A fault rule. A request matches when every given field matches; the first matching rule
 * with `times` left applies. `status` answers with a Status of that code (a 429 carries
 * `Retry-After`); without `status` the rule adds `delayMs`, `cutAfterBytes` or `htmlBody`.
 */
export interface FaultRule {
  /** Exact path or a RegExp tested against the path (no query). */
  path?: string | RegExp;
  method?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  verb?: 'get' | 'list' | 'watch';
  /** For lists: the 1-based page (1 = the request without `continue`). */
  page?: number;
  status?: 401 | 403 | 404 | 410 | 429 | 500 | 503;
  /** How many times the rule fires; unlimited when absent. */
  times?: number;
  retryAfterSeconds?: number;
  message?: string;
  delayMs?: number;
  /** The answer as usual, but the connection drops after this many bytes of its body (Content-Length promises all of it). */
  cutAfterBytes?: number;
  /** Answer 200 with this text/html body instead (a proxy's page in front of the API server). */
  htmlBody?: string;
}

export interface ApiServerOptions {
  /** Raw objects (`kind`, `apiVersion`, `metadata`); `List`s are flattened. */
  objects?: unknown[];
  /** Serve HTTPS with a fresh CA (default false: plain HTTP). */
  tls?: boolean;
  /** Bearer token the server accepts (default: random). */
  token?: string;
  /** Who the token belongs to, used in Forbidden messages. */
  user?: string;
  /** Added to every request. */
  latencyMs?: number;
  faults?: FaultRule[];
  /** Gzip list responses when the client accepts it (as the real server does for large bodies). */
  gzip?: boolean;
  /** Server version reported at /version (default 1.32). */
  version?: { major: string; minor: string };
  /** Keep the request log (default true; turn off for huge benchmarks). */
  logRequests?: boolean;
  /** How often open watches that allow bookmarks get one (default 60 000 ms; 0: only `bookmark()`). */
  bookmarkIntervalMs?: number;
}

export interface ApiServer {
  url: string;
  /** Set when `tls`: the CA that signed the server certificate. */
  caFile?: string;
  caData?: string;
  token: string;
  user: string;
  requests: RequestRecord[];
  setFaults(rules: FaultRule[]): void;
  /** Replace or add objects while the server runs: each gets a new resourceVersion, watches see ADDED or MODIFIED. */
  addObjects(objects: unknown[]): void;
  /** Delete objects (watches see DELETED). Namespace defaults to `default` for namespaced kinds. */
  deleteObjects(refs: { kind: string; name: string; namespace?: string }[]): void;
  /** The current object, as a GET returns it. */
  getObject(kind: string, name: string, namespace?: string): Record<string, unknown> | undefined;
  /** Current resourceVersion of the whole store. */
  readonly resourceVersion: number;
  /** Forget the watch history (etcd compaction): a resume from an older RV gets 410 Expired. */
  compact(): void;
  /** Cut every open watch connection abruptly. */
  dropWatches(): void;
  /** Send a BOOKMARK on every open watch that allows them. */
  bookmark(): void;
  /** Open watch streams now. */
  readonly openWatches: number;
  close(): Promise<void>;
}

interface Route {
  group: string;
  version: string;
  info: ResourceInfo;
  namespace?: string;
  name?: string;
}

interface ContinueToken {
  rv: string;
  offset: number;
  page: number;
}

function status(code: number, reason: string, message: string, details?: Obj): Obj {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const metaOf = (o: Obj): Obj => (isObj(o.metadata) ? o.metadata : {});

/** `events.k8s.io/v1` view of a core v1 Event. */
function toEventsV1(ev: Obj): Obj {
  const src = isObj(ev.source) ? ev.source : {};
  return {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: ev.metadata,
    eventTime: ev.eventTime ?? null,
    reason: ev.reason,
    regarding: ev.involvedObject,
    note: ev.message,
    type: ev.type,
    reportingController: ev.reportingComponent || src.component || '',
    reportingInstance: ev.reportingInstance || src.host || '',
    deprecatedSource: ev.source,
    deprecatedFirstTimestamp: ev.firstTimestamp,
    deprecatedLastTimestamp: ev.lastTimestamp,
    deprecatedCount: ev.count,
  };
}

export async function startApiServer(opts: ApiServerOptions = {}): Promise<ApiServer> {
  const token = opts.token ?? randomBytes(16).toString('hex');
  const user = opts.user ?? 'system:serviceaccount:pulldoctor:pulldoctor';
  const requests: RequestRecord[] = [];
  const logRequests = opts.logRequests ?? true;
  let faults: (FaultRule & { used: number })[] = [];
  const setFaults = (rules: FaultRule[]) => {
    faults = rules.map((r) => ({ ...r, used: 0 }));
  };
  setFaults(opts.faults ?? []);

  // The store: resource → "ns/name" → object. Lists are sorted by key like etcd.
  let rv = 1000;
  const store = new Map<string, Map<string, Obj>>(CORE_RESOURCES.map((r) => [r.resource, new Map()]));
  const sorted = new Map<string, Obj[]>();
  const hub = new WatchHub(() => rv, opts.bookmarkIntervalMs ?? 60_000);
  const record = (c: Omit<Change, 'rv'>) => hub.record({ ...c, rv });
  const addObjects = (objects: unknown[]) => {
    const flat: Obj[] = [];
    const walk = (o: unknown) => {
      if (!isObj(o)) return;
      if (Array.isArray(o.items)) o.items.forEach(walk);
      else flat.push(o);
    };
    objects.forEach(walk);
    for (const o of flat) {
      const info = typeof o.kind === 'string' ? BY_KIND.get(o.kind) : undefined;
      if (!info) continue;
      const meta = { ...metaOf(o) };
      // Every write gets the store's next revision, as etcd gives it.
      meta.resourceVersion = String(++rv);
      meta.uid ??= `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-4${randomBytes(2).toString('hex').slice(1)}-8${randomBytes(2).toString('hex').slice(1)}-${randomBytes(6).toString('hex')}`;
      meta.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      if (info.namespaced) meta.namespace ??= 'default';
      const obj = { ...o, metadata: meta };
      const m = store.get(info.resource) as Map<string, Obj>;
      const key = `${info.namespaced ? String(meta.namespace) : ''}/${String(meta.name)}`;
      const prev = m.get(key);
      m.set(key, obj);
      record(prev ? { type: 'MODIFIED', resource: info.resource, obj, prev } : { type: 'ADDED', resource: info.resource, obj });
    }
    // Namespaces exist for every namespace an object lives in.
    const nsStore = store.get('namespaces') as Map<string, Obj>;
    for (const [res, m] of store) {
      if (res === 'namespaces' || !BY_RESOURCE.get(res)?.namespaced) continue;
      for (const obj of m.values()) {
        const ns = String(metaOf(obj).namespace);
        if (!nsStore.has(`/${ns}`)) {
          const nsObj = {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: ns, uid: `ns-${ns}`, resourceVersion: String(++rv), creationTimestamp: '2024-01-01T00:00:00Z', labels: { 'kubernetes.io/metadata.name': ns } },
            spec: { finalizers: ['kubernetes'] },
            status: { phase: 'Active' },
          };
          nsStore.set(`/${ns}`, nsObj);
          record({ type: 'ADDED', resource: 'namespaces', obj: nsObj });
        }
      }
    }
    sorted.clear();
  };
  const deleteObjects = (refs: { kind: string; name: string; namespace?: string }[]) => {
    for (const r of refs) {
      const info = BY_KIND.get(r.kind);
      if (!info) continue;
      const m = store.get(info.resource) as Map<string, Obj>;
      const key = `${info.namespaced ? (r.namespace ?? 'default') : ''}/${r.name}`;
      const prev = m.get(key);
      if (!prev) continue;
      m.delete(key);
      const obj = { ...prev, metadata: { ...metaOf(prev), resourceVersion: String(++rv) } };
      record({ type: 'DELETED', resource: info.resource, obj, prev });
    }
    sorted.clear();
  };
  addObjects(opts.objects ?? []);
  const json = new WeakMap<Obj, string>();
  const jsonOf = (o: Obj): string => {
    let j = json.get(o);
    if (j === undefined) {
      j = JSON.stringify(o);
      json.set(o, j);
    }
    return j;
  };
  const listOf = (resource: string): Obj[] => {
    let l = sorted.get(resource);
    if (!l) {
      const m = store.get(resource) ?? new Map<string, Obj>();
      l = [...m.keys()].sort().map((k) => m.get(k) as Obj);
      sorted.set(resource, l);
    }
    return l;
  };

  const pki = opts.tls ? sharedTestPki() : undefined;

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const accept = req.headers.accept;
    const method = req.method ?? 'GET';
    /** Set by a fault: where the body is cut off. */
    let cutAt: number | undefined;
    const send = (code: number, body: Obj | string, headers: Record<string, string> = {}) => {
      if (logRequests) requests.push({ method, path: url.pathname, query, status: code, ...(accept ? { accept } : {}) });
      let payload: Buffer = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const h: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers };
      if (opts.gzip && payload.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        payload = gzipSync(payload);
        h['Content-Encoding'] = 'gzip';
      }
      h['Content-Length'] = String(payload.length);
      res.writeHead(code, h);
      if (cutAt !== undefined && cutAt < payload.length) {
        res.write(payload.subarray(0, cutAt), () => res.socket?.destroy());
        return;
      }
      res.end(payload);
    };
    const fail = (code: number, message: string, details?: Obj, headers?: Record<string, string>) =>
      send(code, status(code, REASONS[code] ?? 'Unknown', message, details), headers);

    const run = () => {
      if (req.headers.authorization !== `Bearer ${token}`) return fail(401, 'Unauthorized');
      if (method !== 'GET') return fail(405, `the server does not allow this method on the requested resource`);
      const p = url.pathname.replace(/\/+$/, '') || '/';
      const discovery = serveDiscovery(p, pki !== undefined, opts.version);
      if (discovery) return send(200, discovery);
      const route = parseRoute(p);
      if (!route) return fail(404, 'the server could not find the requested resource', {});
      const watching = !route.name && (query.watch === '1' || query.watch === 'true');
      const verb: 'get' | 'list' | 'watch' = route.name ? 'get' : watching ? 'watch' : 'list';
      const cont = query.continue ? decodeContinue(query.continue) : undefined;
      if (query.continue && !cont) return fail(400, 'continue key is not valid: illegal base64 data');
      const page = cont ? cont.page : 1;

      const fault = faults.find(
        (f) =>
          (f.times === undefined || f.used < f.times) &&
          (f.path === undefined || (typeof f.path === 'string' ? f.path === p : f.path.test(p))) &&
          (f.method === undefined || f.method === method) &&
          (f.resource === undefined || f.resource === route.info.resource) &&
          (f.namespace === undefined || f.namespace === route.namespace) &&
          (f.name === undefined || f.name === route.name) &&
          (f.verb === undefined || f.verb === verb) &&
          (f.page === undefined || (verb === 'list' && f.page === page)),
      );
      const respond = () => {
        if (fault?.status) return answerFault(fault, route, verb);
        if (fault?.htmlBody !== undefined) return send(200, fault.htmlBody, { 'Content-Type': 'text/html' });
        cutAt = fault?.cutAfterBytes;
        if (verb === 'watch') return watch(route);
        return verb === 'get' ? getOne(route) : list(route, cont);
      };
      if (fault) fault.used++;
      if (fault?.delayMs) setTimeout(respond, fault.delayMs);
      else respond();
    };

    const answerFault = (f: FaultRule, route: Route, verb: 'get' | 'list' | 'watch') => {
      const r = route.info.resource;
      const group = route.group ? `"${route.group}"` : '""';
      switch (f.status) {
        case 401:
          return fail(401, f.message ?? 'Unauthorized');
        case 403: {
          const where = route.namespace ? ` in the namespace "${route.namespace}"` : ' at the cluster scope';
          const what = route.name ? `${r} "${route.name}" is forbidden` : `${r} is forbidden`;
          return fail(
            403,
            f.message ?? `${what}: User "${user}" cannot ${verb} resource "${r}" in API group ${group}${where}`,
            { ...(route.name ? { name: route.name } : {}), kind: r },
          );
        }
        case 404:
          return fail(404, f.message ?? `${r} "${route.name ?? ''}" not found`, { name: route.name ?? '', kind: r });
        case 410:
          return fail(
            410,
            f.message ??
              (verb === 'watch' ? `too old resource version: ${query.resourceVersion ?? ''} (${rv})` : 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'),
          );
        case 429: {
          const after = f.retryAfterSeconds ?? 1;
          return fail(429, f.message ?? 'Too many requests, please try again later.', { retryAfterSeconds: after }, { 'Retry-After': String(after) });
        }
        case 503:
          return fail(503, f.message ?? 'the server is currently unable to handle the request');
        default:
          return fail(500, f.message ?? 'Internal error occurred: injected fault');
      }
    };

    const wantsTable = () => /as=Table/.test(accept ?? '');

    const getOne = (route: Route) => {
      const key = `${route.info.namespaced ? (route.namespace ?? '') : ''}/${route.name ?? ''}`;
      let obj = store.get(route.info.resource)?.get(key);
      if (!obj) return fail(404, `${route.info.resource} "${route.name}" not found`, { name: route.name, kind: route.info.resource });
      if (route.group === 'events.k8s.io') obj = toEventsV1(obj);
      if (wantsTable())
        return send(200, toTable(route.info.resource, [obj], { resourceVersion: String(rv) }, query.includeObject ?? 'Metadata'));
      return send(200, obj);
    };

    const selectors = (route: Route) => {
      const fieldMatch = parseFieldSelector(query.fieldSelector, route.info.resource);
      const labelMatch = parseLabelSelector(query.labelSelector);
      return (o: Obj) => fieldMatch(o) && labelMatch(o);
    };

    /** Objects as a watch sends them: the group's view, as a one-row Table when asked (columns in the first only, as the server does). */
    const watchView = (route: Route): ((o: Obj) => Obj) => {
      const group = route.group === 'events.k8s.io' ? toEventsV1 : (o: Obj) => o;
      if (!wantsTable()) return group;
      let first = true;
      return (o) => {
        const t = toTable(route.info.resource, [group(o)], { resourceVersion: metaOf(o).resourceVersion }, query.includeObject ?? 'Metadata');
        if (!first) t.columnDefinitions = [];
        first = false;
        return t;
      };
    };

    const watch = (route: Route) => {
      let match: (o: Obj) => boolean;
      try {
        match = selectors(route);
      } catch (e) {
        if (e instanceof SelectorError) return fail(400, e.message);
        throw e;
      }
      if (logRequests) requests.push({ method, path: url.pathname, query, status: 200, ...(accept ? { accept } : {}) });
      const timeout = Number(query.timeoutSeconds);
      hub.serve(
        {
          resource: route.info.resource,
          kind: route.info.kind,
          apiVersion: route.group ? `${route.group}/${route.version}` : route.version,
          ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
          match,
          ...(query.resourceVersion !== undefined ? { resourceVersion: query.resourceVersion } : {}),
          bookmarks: query.allowWatchBookmarks === 'true',
          ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutSeconds: timeout } : {}),
          view: watchView(route),
          current: () => listOf(route.info.resource).filter((o) => (route.namespace === undefined || metaOf(o).namespace === route.namespace) && match(o)),
        },
        res,
      );
    };

    const list = (route: Route, cont: ContinueToken | undefined) => {
      let fieldMatch, labelMatch;
      try {
        fieldMatch = parseFieldSelector(query.fieldSelector, route.info.resource);
        labelMatch = parseLabelSelector(query.labelSelector);
      } catch (e) {
        if (e instanceof SelectorError) return fail(400, e.message);
        throw e;
      }
      const all = listOf(route.info.resource).filter(
        (o) => (route.namespace === undefined || metaOf(o).namespace === route.namespace) && fieldMatch(o) && labelMatch(o),
      );
      const limit = Number(query.limit ?? 0);
      const offset = cont?.offset ?? 0;
      const end = limit > 0 ? Math.min(all.length, offset + limit) : all.length;
      let items = all.slice(offset, end);
      if (route.group === 'events.k8s.io') items = items.map(toEventsV1);
      const listRv = cont?.rv ?? String(rv);
      const meta: Obj = { resourceVersion: listRv };
      if (end < all.length) {
        meta.continue = Buffer.from(JSON.stringify({ rv: listRv, offset: end, page: (cont?.page ?? 1) + 1 })).toString('base64url');
        meta.remainingItemCount = all.length - end;
      }
      if (wantsTable()) return send(200, toTable(route.info.resource, items, meta, query.includeObject ?? 'Metadata'));
      const apiVersion = route.group ? `${route.group}/${route.version}` : route.version;
      // Serialised objects are cached, so big lists cost the double little (benchmarks).
      const head = JSON.stringify({ kind: `${route.info.kind}List`, apiVersion, metadata: meta });
      return send(200, `${head.slice(0, -1)},"items":[${items.map(jsonOf).join(',')}]}`);
    };

    if (opts.latencyMs) setTimeout(run, opts.latencyMs);
    else run();
  };

  const server = pki
    ? https.createServer({ cert: pki.certPem, key: pki.keyPem }, handler)
    : http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${pki ? 'https' : 'http'}://127.0.0.1:${port}`,
    ...(pki ? { caFile: pki.caFile, caData: Buffer.from(pki.caPem).toString('base64') } : {}),
    token,
    user,
    requests,
    setFaults,
    addObjects,
    deleteObjects,
    getObject: (kind, name, namespace) => {
      const info = BY_KIND.get(kind);
      return info ? store.get(info.resource)?.get(`${info.namespaced ? (namespace ?? 'default') : ''}/${name}`) : undefined;
    },
    get resourceVersion() {
      return rv;
    },
    compact: () => hub.compact(),
    dropWatches: () => hub.drop(),
    bookmark: () => hub.bookmark(),
    get openWatches() {
      return hub.open;
    },
    close: async () => {
      hub.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (pki) rmSync(pki.dir, { recursive: true, force: true });
    },
  };
}

function decodeContinue(token: string): ContinueToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    return typeof t.offset === 'number' && typeof t.page === 'number' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** `/api/v1/...` and `/apis/events.k8s.io/v1/...` resource paths. */
function parseRoute(p: string): Route | undefined {
  const parts = p.split('/').filter(Boolean);
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    version = 'v1';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts[1] === 'events.k8s.io' && parts[2] === 'v1') {
    group = 'events.k8s.io';
    version = 'v1';
    rest = parts.slice(3);
  } else return undefined;
  const mk = (resource: string | undefined, namespace?: string, name?: string): Route | undefined => {
    const info = resource ? BY_RESOURCE.get(resource) : undefined;
    if (!info || (group && info.resource !== 'events')) return undefined;
    if (namespace !== undefined && !info.namespaced) return undefined;
    return { group, version, info, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}) };
  };
  if (rest[0] === 'namespaces' && rest.length >= 3) return rest.length === 3 ? mk(rest[2], rest[1]) : rest.length === 4 ? mk(rest[2], rest[1], rest[3]) : undefined;
  if (rest.length === 1) return mk(rest[0]);
  if (rest.length === 2) {
    const info = BY_RESOURCE.get(rest[0] ?? '');
    return info && !info.namespaced ? mk(rest[0], undefined, rest[1]) : undefined;
  }
  return undefined;
}

function resourceList(groupVersion: string, infos: ResourceInfo[]): Obj {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: infos.map((r) => ({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.resource === 'pods' ? { categories: ['all'] } : {}),
      storageVersionHash: Buffer.from(r.resource).toString('base64').slice(0, 11),
    })),
  };
}

function serveDiscovery(p: string, tls: boolean, version?: { major: string; minor: string }): Obj | undefined {
  switch (p) {
    case '/version': {
      const v = version ?? { major: '1', minor: '32' };
      return {
        major: v.major,
        minor: v.minor,
        gitVersion: `v${v.major}.${v.minor}.0`,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2024-12-11T00:00:00Z',
        goVersion: 'go1.23.4',
        compiler: 'gc',
        platform: 'linux/amd64',
      };
    }
    case '/api':
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${tls ? 443 : 80}` }],
      };
    case '/apis':
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [
          {
            name: 'events.k8s.io',
            versions: [{ groupVersion: 'events.k8s.io/v1', version: 'v1' }],
            preferredVersion: { groupVersion: 'events.k8s.io/v1', version: 'v1' },
          },
        ],
      };
    case '/api/v1':
      return resourceList('v1', CORE_RESOURCES);
    case '/apis/events.k8s.io/v1':
      return resourceList('events.k8s.io/v1', CORE_RESOURCES.filter((r) => r.resource === 'events'));
    default:
      return undefined;
  }
}
