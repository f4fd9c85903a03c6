/**
 * The live source end to end: kubeconfig → client-node auth/TLS → the API double's real REST
 * paths → one Snapshot per context.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { stringify } from 'yaml';
import { collectClusters, missingPodNames, type ApiRequestEvent, type ClusterScanOptions } from '../src/collect/cluster.js';
import { loadKubeconfig, resolveContexts } from '../src/collect/kubeconfig.js';
import { UserError } from '../src/model/errors.js';
import type { ProgressUpdate } from '../src/model/progress.js';
import {
  IMAGE_PULL_BACKOFF,
  makeTestPki,
  node,
  pod,
  podEvent,
  pullSecret,
  serviceAccount,
  startApiServer,
  writeKubeconfig,
  type ApiServer,
  type RequestRecord,
} from './apiserver/index.js';
import { unusedPort } from './helpers/ports.js';

const SHOP_PODS = 1203; // 3 pages of 500
const SHOP_EVENTS = 600; // 2 pages

function shopObjects(): unknown[] {
  const objs: unknown[] = [];
  for (let i = 0; i < SHOP_PODS; i++) {
    const name = `web-${String(i).padStart(4, '0')}`;
    const broken = i % 100 === 0;
    objs.push(
      pod({
        namespace: 'shop',
        name,
        replicaSet: 'web-5f7c9d8b6',
        // Every pod names regcred; a few also name a secret that lives in `other` only.
        pullSecrets: broken ? ['regcred', 'missing-cred'] : ['regcred'],
        serviceAccount: i % 2 ? 'builder' : 'default',
        labels: { tier: i < 10 ? 'frontend' : 'backend' },
        ...(broken ? { waiting: IMAGE_PULL_BACKOFF } : {}),
      }),
    );
  }
  for (let i = 0; i < SHOP_EVENTS; i++) {
    const target = objs[i % 20] as Record<string, unknown>;
    objs.push(podEvent(target, { reason: 'BackOff', message: IMAGE_PULL_BACKOFF.message, type: 'Normal', count: 3 }));
  }
  objs.push(
    serviceAccount('shop'),
    serviceAccount('shop', 'builder', ['sa-cred']),
    pullSecret('shop', 'regcred'),
    pullSecret('shop', 'sa-cred'),
    pullSecret('shop', 'unrelated'),
    pullSecret('other', 'missing-cred'),
    serviceAccount('other'),
  );
  const pay = pod({ namespace: 'payments', name: 'api-0', pullSecrets: ['paycred', 'ghost'], waiting: IMAGE_PULL_BACKOFF });
  objs.push(
    pay,
    pod({ namespace: 'payments', name: 'api-1', pullSecrets: ['paycred'] }),
    podEvent(pay, { reason: 'Failed', message: 'Error: ErrImagePull', count: 2 }),
    serviceAccount('payments'),
    pullSecret('payments', 'paycred'),
    node('worker-1'),
    node('worker-2', 'arm64'),
  );
  return objs;
}

let main: ApiServer; // HTTPS, the big cluster
let edge: ApiServer; // plain HTTP, a small second cluster
let kubeconfig: string;
let deadPort: number;
const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
/** An empty HOME, so ~/.kube/config of the machine never leaks in. */
let emptyHome: string;

beforeAll(async () => {
  main = await startApiServer({ tls: true, objects: shopObjects(), gzip: true, user: 'system:serviceaccount:ops:pulldoctor' });
  edge = await startApiServer({
    objects: [
      pod({ namespace: 'default', name: 'edge-proxy-0', pullSecrets: ['edge-cred'], waiting: IMAGE_PULL_BACKOFF }),
      serviceAccount('default'),
      pullSecret('default', 'edge-cred'),
    ],
  });
  deadPort = await unusedPort();
  emptyHome = tmp('pulldoctor-home-');
  kubeconfig = writeKubeconfig({
    file: path.join(tmp('pulldoctor-kc-'), 'config'),
    contexts: [
      { name: 'prod', server: main, namespace: 'shop', cluster: 'prod-cluster' },
      { name: 'prod-payments', server: main, namespace: 'payments', cluster: 'prod-cluster-2', ca: 'file' },
      { name: 'edge', server: edge, cluster: 'edge-cluster' },
      { name: 'dead', server: edge, url: `http://127.0.0.1:${deadPort}`, cluster: 'dead-cluster' },
    ],
    currentContext: 'prod',
  });
});

afterAll(async () => {
  await main?.close();
  await edge?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every request of every test, for the read-only check. */
const history: RequestRecord[] = [];

beforeEach(() => {
  history.push(...main.requests, ...edge.requests);
  main.requests.length = 0;
  edge.requests.length = 0;
  main.setFaults([]);
  edge.setFaults([]);
});

const scan = (o: Partial<ClusterScanOptions> = {}) =>
  collectClusters({ kubeconfig, env: { HOME: emptyHome }, ...o });

const one = async (o: Partial<ClusterScanOptions> = {}) => {
  const r = await scan(o);
  expect(r.errors).toEqual([]);
  expect(r.snapshots).toHaveLength(1);
  return r.snapshots[0] as NonNullable<(typeof r.snapshots)[0]>;
};

const lists = (reqs: RequestRecord[], p: string) => reqs.filter((r) => r.path === p);
const pages = (n: number, size = 500) => Math.max(1, Math.ceil(n / size));

describe('pagination and request budget', () => {
  test('namespace from the context, limit 500 + continue, exactly pages + distinct secrets + one list per missing name (no typed lists: every failing pull is covered by regcred)', async () => {
    const progress: ProgressUpdate[] = [];
    const s = await one({ onProgress: (u) => progress.push(u) });
    expect(s.source).toMatchObject({
      kind: 'cluster',
      description: `context prod (${main.url})`,
      cluster: 'prod-cluster',
      context: 'prod',
      namespaces: ['shop'],
    });
    expect(s.pods).toHaveLength(SHOP_PODS);
    expect(new Set(s.pods.map((p) => p.metadata.name)).size).toBe(SHOP_PODS);
    expect(s.events).toHaveLength(SHOP_EVENTS);
    expect(s.serviceAccounts.map((x) => x.metadata.name).sort()).toEqual(['builder', 'default']);
    // regcred + sa-cred (through the builder ServiceAccount) in shop; missing-cred found in `other`.
    expect(s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`).sort()).toEqual([
      'other/missing-cred',
      'shop/regcred',
      'shop/sa-cred',
    ]);
    expect(s.coverage).toEqual({ secrets: 'referenced', serviceAccounts: 'all', events: 'all', nodes: 'none' });
    expect(s.accessProblems).toEqual([]);

    const reqs = main.requests;
    const podReqs = lists(reqs, '/api/v1/namespaces/shop/pods');
    expect(podReqs).toHaveLength(pages(SHOP_PODS));
    expect(podReqs.every((r) => r.query.limit === '500')).toBe(true);
    expect(podReqs[0]?.query.continue).toBeUndefined();
    expect(podReqs.slice(1).every((r) => r.query.continue)).toBe(true);
    expect(lists(reqs, '/api/v1/namespaces/shop/events')).toHaveLength(pages(SHOP_EVENTS));
    expect(lists(reqs, '/api/v1/namespaces/shop/serviceaccounts')).toHaveLength(1);
    const secretGets = reqs.filter((r) => r.path.startsWith('/api/v1/namespaces/shop/secrets/'));
    expect(secretGets.map((r) => r.path).sort()).toEqual([
      '/api/v1/namespaces/shop/secrets/missing-cred',
      '/api/v1/namespaces/shop/secrets/regcred',
      '/api/v1/namespaces/shop/secrets/sa-cred',
    ]);
    const missingLists = lists(reqs, '/api/v1/secrets');
    expect(missingLists.map((r) => r.query.fieldSelector)).toEqual(['metadata.name=missing-cred']);
    expect(reqs).toHaveLength(pages(SHOP_PODS) + pages(SHOP_EVENTS) + 1 + 3 + 1);

    const podProgress = progress.filter((u) => u.resource === 'pods');
    expect(podProgress.at(-1)).toEqual({ cluster: 'prod', resource: 'pods', pages: 3, objects: SHOP_PODS, done: true });
    expect(progress.filter((u) => u.resource === 'secrets').at(-1)).toMatchObject({ done: true, objects: 3 });
  });

  test('-A lists cluster-wide; a secret missing everywhere is looked up once and stays missing', async () => {
    const s = await one({ allNamespaces: true });
    expect(s.source.namespaces).toBeUndefined();
    expect(s.pods).toHaveLength(SHOP_PODS + 2);
    const reqs = main.requests;
    expect(lists(reqs, '/api/v1/pods')).toHaveLength(pages(SHOP_PODS + 2));
    expect(lists(reqs, '/api/v1/events')).toHaveLength(pages(SHOP_EVENTS + 1));
    expect(lists(reqs, '/api/v1/serviceaccounts')).toHaveLength(1);
    // shop: regcred, missing-cred, sa-cred; payments: paycred, ghost.
    const gets = reqs.filter((r) => /^\/api\/v1\/namespaces\/[^/]+\/secrets\/[^/]+$/.test(r.path));
    expect(gets).toHaveLength(5);
    expect(lists(reqs, '/api/v1/secrets').map((r) => r.query.fieldSelector).sort()).toEqual([
      'metadata.name=ghost',
      'metadata.name=missing-cred',
    ]);
    expect(reqs).toHaveLength(pages(SHOP_PODS + 2) + pages(SHOP_EVENTS + 1) + 1 + 5 + 2);
    expect(s.secrets.some((x) => x.metadata.name === 'ghost')).toBe(false);
    expect(s.secrets.some((x) => x.metadata.name === 'unrelated')).toBe(false);
  });

  test('a small page size pages everything (pods, events, service accounts)', async () => {
    const s = await one({ namespace: 'payments', pageSize: 1 });
    expect(s.pods.map((p) => p.metadata.name)).toEqual(['api-0', 'api-1']);
    expect(lists(main.requests, '/api/v1/namespaces/payments/pods')).toHaveLength(2);
    expect(lists(main.requests, '/api/v1/namespaces/payments/pods').every((r) => r.query.limit === '1')).toBe(true);
  });
});

describe('scope', () => {
  test('-n overrides the context namespace; the context namespace is the default', async () => {
    const s = await one({ contexts: ['prod-payments'] });
    expect(s.source.namespaces).toEqual(['payments']);
    expect(s.source.description).toBe(`context prod-payments (${main.url})`);
    expect(s.pods.map((p) => p.metadata.name)).toEqual(['api-0', 'api-1']);
    const s2 = await one({ contexts: ['prod-payments'], namespace: 'other' });
    expect(s2.source.namespaces).toEqual(['other']);
    expect(s2.pods).toEqual([]);
  });

  test('-l is sent as labelSelector and only those pods’ secrets are read', async () => {
    const s = await one({ labelSelector: 'tier=frontend,app in (web)' });
    expect(s.source.labelSelector).toBe('tier=frontend,app in (web)');
    expect(s.pods).toHaveLength(10);
    const podReq = lists(main.requests, '/api/v1/namespaces/shop/pods')[0];
    expect(podReq?.query.labelSelector).toBe('tier=frontend,app in (web)');
    // web-0000 is broken (missing-cred); odd pods use the builder SA (sa-cred).
    expect(s.secrets.map((x) => x.metadata.name).sort()).toEqual(['missing-cred', 'regcred', 'sa-cred']);
    // Events about pods out of scope are dropped.
    const names = new Set(s.pods.map((p) => p.metadata.name));
    expect(s.events.every((e) => names.has(e.involvedObject.name ?? ''))).toBe(true);
    expect(s.events.length).toBe(300);
  });

  test('pod names: one name uses a field selector; several are filtered from the list', async () => {
    const s = await one({ podNames: ['web-0001'] });
    expect(s.pods.map((p) => p.metadata.name)).toEqual(['web-0001']);
    expect(s.source.podNames).toEqual(['web-0001']);
    const podReqs = lists(main.requests, '/api/v1/namespaces/shop/pods');
    expect(podReqs).toHaveLength(1);
    expect(podReqs[0]?.query.fieldSelector).toBe('metadata.name=web-0001');
    expect(lists(main.requests, '/api/v1/namespaces/shop/events')[0]?.query.fieldSelector).toBe(
      'involvedObject.kind=Pod,involvedObject.name=web-0001',
    );
    expect(s.events.length).toBe(30);

    const s2 = await one({ podNames: ['web-0002', 'web-0100', 'nope'] });
    expect(s2.pods.map((p) => p.metadata.name).sort()).toEqual(['web-0002', 'web-0100']);
    expect(missingPodNames([s2], ['web-0002', 'web-0100', 'nope'])).toEqual(['nope']);
  });

  test('nodes only when asked', async () => {
    const s = await one({ includeNodes: true });
    expect(s.nodes.map((n) => `${n.name}/${n.architecture}`)).toEqual(['worker-1/amd64', 'worker-2/arm64']);
    expect(s.coverage.nodes).toBe('all');
  });
});

describe('access problems (403) keep the scan going', () => {
  test('secrets forbidden in one namespace', async () => {
    main.setFaults([{ resource: 'secrets', namespace: 'payments', status: 403 }]);
    const s = await one({ allNamespaces: true });
    expect(s.pods).toHaveLength(SHOP_PODS + 2);
    expect(s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`).sort()).toEqual([
      'other/missing-cred',
      'shop/regcred',
      'shop/sa-cred',
    ]);
    const problems = s.accessProblems.filter((p) => p.resource === 'secrets').sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
    expect(problems).toEqual([
      {
        resource: 'secrets',
        namespace: 'payments',
        name: 'ghost',
        verb: 'get',
        status: 403,
        message: 'secrets "ghost" is forbidden: User "system:serviceaccount:ops:pulldoctor" cannot get resource "secrets" in API group "" in the namespace "payments"',
        canI: 'kubectl auth can-i get secrets -n payments',
      },
      expect.objectContaining({ name: 'paycred', canI: 'kubectl auth can-i get secrets -n payments' }),
    ]);
    expect(s.coverage.secrets).toBe('referenced');
  });

  test('events, cluster-wide secret lookup and nodes forbidden; --context appears in can-i when chosen', async () => {
    main.setFaults([
      { resource: 'events', status: 403 },
      { path: '/api/v1/secrets', status: 403 },
      { resource: 'nodes', status: 403 },
    ]);
    const s = await one({ contexts: ['prod'], includeNodes: true });
    expect(s.pods).toHaveLength(SHOP_PODS);
    expect(s.coverage).toEqual({ secrets: 'referenced', serviceAccounts: 'all', events: 'none', nodes: 'none' });
    const byRes = Object.fromEntries(s.accessProblems.map((p) => [p.resource + (p.namespace ? '' : ':cluster'), p]));
    expect(byRes.events).toMatchObject({ verb: 'list', namespace: 'shop', status: 403, canI: 'kubectl auth can-i list events -n shop --context prod' });
    expect(byRes['secrets:cluster']).toMatchObject({ verb: 'list', canI: 'kubectl auth can-i list secrets -A --context prod' });
    expect(byRes['nodes:cluster']).toMatchObject({ verb: 'list', canI: 'kubectl auth can-i list nodes --context prod' });
    expect(byRes.events?.message).toContain('cannot list resource "events"');
  });
});

describe('retries and restarts', () => {
  test('410 Gone on page 2 restarts the list without duplicates', async () => {
    main.setFaults([{ resource: 'pods', page: 2, status: 410, times: 1 }]);
    const s = await one();
    expect(s.pods).toHaveLength(SHOP_PODS);
    expect(new Set(s.pods.map((p) => p.metadata.name)).size).toBe(SHOP_PODS);
    const podReqs = lists(main.requests, '/api/v1/namespaces/shop/pods');
    expect(podReqs.map((r) => [r.status, r.query.continue ? 'cont' : 'first'])).toEqual([
      [200, 'first'],
      [410, 'cont'],
      [200, 'first'],
      [200, 'cont'],
      [200, 'cont'],
    ]);
  });

  test('a connection dropped in the middle of a page (its first items already read) is asked again; each object is read once', async () => {
    // 20 kB into the gzipped body of the pods' second page and of the events' first.
    main.setFaults([
      { resource: 'pods', page: 2, cutAfterBytes: 20_000, times: 1 },
      { resource: 'events', page: 1, cutAfterBytes: 20_000, times: 1 },
    ]);
    const s = await one();
    const clean = await (async () => {
      main.setFaults([]);
      return one();
    })();
    expect(s.pods).toHaveLength(SHOP_PODS);
    expect(new Set(s.pods.map((p) => p.metadata.name)).size).toBe(SHOP_PODS);
    expect(s.pods).toEqual(clean.pods);
    expect(s.events).toEqual(clean.events);
    expect(s.events.length).toBeGreaterThan(0);
    expect(s.objectsRead).toBe(clean.objectsRead);
    const podReqs = lists(main.requests, '/api/v1/namespaces/shop/pods');
    // Page 2 twice (cut, then whole), before the clean scan's three pages.
    expect(podReqs.map((r) => (r.query.continue ? 'cont' : 'first'))).toEqual(['first', 'cont', 'cont', 'cont', 'first', 'cont', 'cont']);
  });

  test('429 with Retry-After, then success', async () => {
    main.setFaults([{ resource: 'pods', status: 429, retryAfterSeconds: 1, times: 1 }]);
    const t0 = Date.now();
    const s = await one({ namespace: 'payments' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(s.pods).toHaveLength(2);
    expect(lists(main.requests, '/api/v1/namespaces/payments/pods').map((r) => r.status)).toEqual([429, 200]);
  });

  test('500 twice then success; a list that keeps failing is recorded as not read and the scan goes on', async () => {
    main.setFaults([{ resource: 'events', status: 500, times: 2 }]);
    const s = await one({ namespace: 'payments' });
    expect(s.events).toHaveLength(1);
    expect(lists(main.requests, '/api/v1/namespaces/payments/events').map((r) => r.status)).toEqual([500, 500, 200]);

    main.setFaults([{ resource: 'serviceaccounts', status: 500 }]);
    history.push(...main.requests.splice(0));
    const s2 = await one({ namespace: 'payments', maxRetries: 1 });
    expect(s2.pods.map((p) => p.metadata.name)).toEqual(['api-0', 'api-1']);
    expect(s2.coverage.serviceAccounts).toBe('none');
    expect(s2.skippedObjects).toEqual([
      {
        kind: 'ServiceAccount',
        namespace: 'payments',
        reason: 'list failed: 500 Internal error occurred: injected fault',
        source: '/api/v1/namespaces/payments/serviceaccounts',
        status: 500,
        check: 'kubectl auth can-i list serviceaccounts -n payments',
      },
    ]);
    expect(lists(main.requests, '/api/v1/namespaces/payments/serviceaccounts').map((r) => r.status)).toEqual([500, 500]);
  });

  test('a secret GET that keeps failing is recorded as not read; the other secrets are still read', async () => {
    main.setFaults([{ resource: 'secrets', namespace: 'payments', status: 500 }]);
    const s = await one({ allNamespaces: true, maxRetries: 0, secretConcurrency: 2 });
    expect(s.skippedObjects).toEqual([
      {
        kind: 'Secret',
        namespace: 'payments',
        name: 'paycred',
        reason: 'get failed: 500 Internal error occurred: injected fault',
        source: '/api/v1/namespaces/payments/secrets/paycred',
        status: 500,
        check: 'kubectl auth can-i get secrets -n payments',
      },
      {
        kind: 'Secret',
        namespace: 'payments',
        name: 'ghost',
        reason: 'get failed: 500 Internal error occurred: injected fault',
        source: '/api/v1/namespaces/payments/secrets/ghost',
        status: 500,
        check: 'kubectl auth can-i get secrets -n payments',
      },
      // The namespace's pull secrets (a failing pull there got no credential): that list fails too.
      {
        kind: 'Secret',
        namespace: 'payments',
        reason: 'list failed: 500 Internal error occurred: injected fault',
        source: '/api/v1/namespaces/payments/secrets',
        status: 500,
        check: 'kubectl auth can-i list secrets -n payments',
      },
    ]);
    expect(s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`).sort()).toEqual([
      'other/missing-cred',
      'shop/regcred',
      'shop/sa-cred',
    ]);
    // Every referenced secret was asked for once (no retries with maxRetries 0).
    expect(main.requests.filter((r) => /\/secrets\/[^/]+$/.test(r.path))).toHaveLength(5);
  });

  test('a secret whose GET failed but that the namespace\'s pull secret list then read is not reported as not read', async () => {
    main.setFaults([{ path: '/api/v1/namespaces/payments/secrets/paycred', status: 500 }]);
    const s = await one({ allNamespaces: true, maxRetries: 0, secretConcurrency: 2 });
    expect(s.skippedObjects).toEqual([]);
    expect(s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`)).toContain('payments/paycred');
  });

  test('a slow server hits the per-request timeout, then the retry succeeds', async () => {
    main.setFaults([{ resource: 'pods', namespace: 'payments', delayMs: 2500, times: 1 }]);
    const t0 = Date.now();
    const s = await one({ namespace: 'payments', requestTimeoutMs: 1000 });
    expect(s.pods).toHaveLength(2);
    expect(Date.now() - t0).toBeLessThan(2500);
    // The double logs the abandoned request when it finally answers; wait for it so it does
    // not leak into the next test's log.
    await vi.waitFor(() => expect(lists(main.requests, '/api/v1/namespaces/payments/pods')).toHaveLength(2), { timeout: 5000 });
  });

  test('the overall deadline: what could not be read in time is recorded, the rest is kept', async () => {
    main.setFaults([{ resource: 'pods', status: 503 }]);
    const s = await one({ namespace: 'payments', deadlineMs: 600 });
    expect(s.pods).toEqual([]);
    expect(s.skippedObjects).toEqual([
      {
        kind: 'Pod',
        namespace: 'payments',
        reason: 'list failed: the scan did not finish before its deadline',
        source: '/api/v1/namespaces/payments/pods',
        status: 0,
        check: 'kubectl auth can-i list pods -n payments',
      },
    ]);
    expect(s.serviceAccounts.map((x) => x.metadata.name)).toEqual(['default']);
  });

  test('several namespaces: one whose pods are refused or failing leaves the others scanned; restarts stay in their namespace', async () => {
    main.setFaults([
      { resource: 'pods', namespace: 'payments', status: 403 },
      { resource: 'events', namespace: 'other', status: 503 },
      { resource: 'pods', namespace: 'shop', page: 2, status: 410, times: 1 },
    ]);
    const s = await one({ namespaces: ['shop', 'payments', 'other'], maxRetries: 0 });
    expect(s.source.namespaces).toEqual(['shop', 'payments', 'other']);
    expect(s.pods).toHaveLength(SHOP_PODS);
    expect(new Set(s.pods.map((p) => p.metadata.name)).size).toBe(SHOP_PODS);
    expect(s.accessProblems.map((a) => `${a.verb} ${a.resource} ${a.namespace} ${a.canI}`)).toEqual([
      'list pods payments kubectl auth can-i list pods -n payments',
    ]);
    expect(s.skippedObjects?.map((e) => `${e.kind} ${e.namespace} ${e.status}`)).toEqual(['Event other 503']);
    expect(s.serviceAccounts.map((x) => `${x.metadata.namespace}/${x.metadata.name}`).sort()).toEqual([
      'other/default',
      'payments/default',
      'shop/builder',
      'shop/default',
    ]);
    expect(s.events).toHaveLength(SHOP_EVENTS + 1);
  });
});

describe('malformed objects from the API', () => {
  test('a pull secret served malformed is skipped with the name it was asked by, and never taken for a missing one', async () => {
    const bad = pullSecret('default', 'edge-cred');
    (bad as { data: unknown }).data = { '.dockerconfigjson': 7 };
    const srv = await startApiServer({
      objects: [pod({ namespace: 'default', name: 'edge-0', pullSecrets: ['edge-cred'], waiting: IMAGE_PULL_BACKOFF }), serviceAccount('default'), bad],
    });
    try {
      const file = writeKubeconfig({ file: path.join(tmp('pulldoctor-kc-'), 'config'), contexts: [{ name: 'e', server: srv }] });
      const r = await collectClusters({ kubeconfig: file, env: {} });
      const s = r.snapshots[0];
      expect(s?.secrets).toEqual([]);
      expect(s?.skippedObjects).toEqual([
        { kind: 'Secret', namespace: 'default', name: 'edge-cred', reason: 'data[".dockerconfigjson"]: must be string', source: '/api/v1/namespaces/default/secrets/edge-cred' },
      ]);
      // Not missing, so no look-up of the name in other namespaces.
      expect(srv.requests.filter((q) => q.path === '/api/v1/secrets')).toEqual([]);
    } finally {
      await srv.close();
    }
  });
});

describe('every request passes one observer', () => {
  test('onRequest hears each attempt with its verb, resource and code, exactly as the server saw them', async () => {
    main.setFaults([
      { resource: 'pods', status: 429, retryAfterSeconds: 0, times: 1 },
      { resource: 'events', status: 403 },
    ]);
    const seen: ApiRequestEvent[] = [];
    const s = await one({ namespace: 'payments', includeNodes: true, onRequest: (e) => seen.push(e) });
    expect(s.pods).toHaveLength(2);
    const line = (e: ApiRequestEvent) => `${e.verb} ${e.resource} ${e.namespace ?? '-'} ${e.name ?? '-'} ${e.code}`;
    expect(seen.map(line).sort()).toEqual(
      [
        'list pods payments - 429',
        'list pods payments - 200',
        'list serviceaccounts payments - 200',
        'list events payments - 403',
        'get secrets payments paycred 200',
        'get secrets payments ghost 404',
        'list secrets - - 200', // the cluster-wide look-up of `ghost`
        'list nodes - - 200',
      ].sort(),
    );
    expect(seen).toHaveLength(main.requests.length);
    expect(seen.every((e) => e.context === 'prod' && e.group === '' && e.error === undefined)).toBe(true);
  });

  test('a request that gets no answer is heard with code 0 and the network error', async () => {
    const seen: ApiRequestEvent[] = [];
    await expect(scan({ contexts: ['dead'], onRequest: (e) => seen.push(e) })).rejects.toThrow(/cannot connect/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ context: 'dead', code: 0, error: 'ECONNREFUSED' });
  });
});

describe('connection failures name the context and server (exit 2)', () => {
  test('unreachable server', async () => {
    const err = await scan({ contexts: ['dead'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(
      new RegExp(`^context dead \\(http://127\\.0\\.0\\.1:${deadPort}\\): cannot connect: .*ECONNREFUSED`),
    );
    expect((err as Error).message).not.toContain('\n');
  });

  test('401: credentials rejected', async () => {
    const file = writeKubeconfig({ file: path.join(tmp('pulldoctor-kc-'), 'config'), contexts: [{ name: 'stale', server: main, token: 'expired' }] });
    const err = await collectClusters({ kubeconfig: file, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(new RegExp(`^context stale \\(${main.url.replace(/\./g, '\\.')}\\): unauthorized \\(401\\)`));
  });

  test('TLS: a server certificate from another CA is refused; inline CA data and CA file both work', async () => {
    const other = makeTestPki('someone-else');
    dirs.push(other.dir);
    const file = writeKubeconfig({
      file: path.join(tmp('pulldoctor-kc-'), 'config'),
      contexts: [{ name: 'mitm', server: { ...main, caData: Buffer.from(other.caPem).toString('base64') } }],
    });
    const err = await collectClusters({ kubeconfig: file, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^context mitm \(https:\/\/127\.0\.0\.1:\d+\): TLS verification failed: /);

    // prod uses certificate-authority-data, prod-payments certificate-authority (a file).
    const r = await scan({ contexts: ['prod', 'prod-payments'], namespace: 'payments' });
    expect(r.errors).toEqual([]);
    expect(r.snapshots.map((x) => x.source.context)).toEqual(['prod', 'prod-payments']);
  });
});

describe('auth plugins through client-node', () => {
  test('an exec credential plugin supplies the bearer token', async () => {
    const d = tmp('pulldoctor-exec-');
    const plugin = path.join(d, 'get-token.sh');
    const cred = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: main.token } };
    writeFileSync(plugin, `#!/bin/sh\necho '${JSON.stringify(cred)}'\n`, { mode: 0o755 });
    const file = path.join(d, 'config');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: main.url, 'certificate-authority-data': main.caData } }],
        users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } }],
        contexts: [{ name: 'sso', context: { cluster: 'c', user: 'u', namespace: 'payments' } }],
        'current-context': 'sso',
      }),
    );
    const r = await collectClusters({ kubeconfig: file, env: {} });
    expect(r.snapshots[0]?.pods.map((p) => p.metadata.name)).toEqual(['api-0', 'api-1']);
  });
});

describe('fleet', () => {
  test('several contexts scan concurrently; a dead one is an error entry, not a throw', async () => {
    const r = await scan({ contexts: ['prod-payments', 'edge', 'dead'] });
    expect(r.snapshots.map((s) => [s.source.context, s.source.cluster, s.pods.length])).toEqual([
      ['prod-payments', 'prod-cluster-2', 2],
      ['edge', 'edge-cluster', 1],
    ]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.cluster).toBe('dead-cluster');
    expect(r.errors[0]?.message).toMatch(/^context dead \(http:\/\/127\.0\.0\.1:\d+\): cannot connect/);
    expect(edge.requests.map((q) => q.path).sort()).toEqual([
      '/api/v1/namespaces/default/events',
      '/api/v1/namespaces/default/pods',
      '/api/v1/namespaces/default/secrets/edge-cred',
      '/api/v1/namespaces/default/serviceaccounts',
    ]);
  });

  test('--all-contexts scans every context', async () => {
    const r = await scan({ allContexts: true, namespace: 'payments' });
    expect(r.snapshots.map((s) => s.source.context).sort()).toEqual(['edge', 'prod', 'prod-payments']);
    expect(r.errors.map((e) => e.cluster)).toEqual(['dead-cluster']);
  });
});

describe('kubeconfig discovery like kubectl', () => {
  test('$KUBECONFIG merges several files: first definition and first current-context win', async () => {
    const d = tmp('pulldoctor-merge-');
    const a = writeKubeconfig({ file: path.join(d, 'a'), contexts: [{ name: 'edge', server: edge, namespace: 'default' }], currentContext: null });
    const b = writeKubeconfig({
      file: path.join(d, 'b'),
      contexts: [
        { name: 'edge', server: main, namespace: 'shop' },
        { name: 'pay', server: main, namespace: 'payments' },
      ],
      currentContext: 'pay',
    });
    const env = { KUBECONFIG: [path.join(d, 'does-not-exist'), a, b].join(path.delimiter), HOME: emptyHome };
    const loaded = await loadKubeconfig({ env });
    expect(loaded.origin).toBe('env');
    expect(loaded.files).toEqual([a, b]);
    expect(loaded.config.getCurrentContext()).toBe('pay');
    const { contexts } = resolveContexts(loaded, { contexts: ['edge'] });
    expect(contexts[0]).toMatchObject({ name: 'edge', server: edge.url, namespace: 'default', explicit: true });

    const r = await collectClusters({ env });
    expect(r.snapshots[0]?.source.context).toBe('pay');
    expect(r.snapshots[0]?.pods.map((p) => p.metadata.name)).toEqual(['api-0', 'api-1']);
  });

  test('~/.kube/config is used when KUBECONFIG is unset; --kubeconfig wins over both', async () => {
    const home = tmp('pulldoctor-home-');
    writeKubeconfig({ file: path.join(home, 'config-tmp'), contexts: [{ name: 'home', server: edge }] });
    mkdirSync(path.join(home, '.kube'));
    renameSync(path.join(home, 'config-tmp'), path.join(home, '.kube', 'config'));
    expect((await loadKubeconfig({ env: { HOME: home } })).origin).toBe('home');
    const r = await collectClusters({ env: { HOME: home } });
    expect(r.snapshots[0]?.source.context).toBe('home');
    expect((await loadKubeconfig({ kubeconfig, env: { HOME: home } })).config.getCurrentContext()).toBe('prod');
  });

  test('unknown --context and a missing --kubeconfig are one-line UserErrors', async () => {
    await expect(scan({ contexts: ['nope'] })).rejects.toThrow(/^context "nope" not found in .* \(available: prod, prod-payments, edge, dead\)$/);
    await expect(collectClusters({ kubeconfig: '/nonexistent/kubeconfig', env: {} })).rejects.toThrow(
      'kubeconfig /nonexistent/kubeconfig: no such file',
    );
  });

  test('no kubeconfig and not in a cluster: suggests --demo or -f', async () => {
    const err = await collectClusters({ env: { HOME: emptyHome }, serviceAccountDir: tmp('pulldoctor-nosa-') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/--demo or -f/);
  });

  test('in-cluster service-account config (env + token/CA/namespace files)', async () => {
    const sa = tmp('pulldoctor-sa-');
    writeFileSync(path.join(sa, 'token'), `${main.token}\n`);
    writeFileSync(path.join(sa, 'ca.crt'), Buffer.from(main.caData as string, 'base64'));
    writeFileSync(path.join(sa, 'namespace'), 'payments');
    const port = new URL(main.url).port;
    const env = { HOME: emptyHome, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port };
    const r = await collectClusters({ env, serviceAccountDir: sa });
    expect(r.errors).toEqual([]);
    const s = r.snapshots[0];
    expect(s?.source).toMatchObject({ context: 'in-cluster', cluster: 'in-cluster', namespaces: ['payments'], description: `context in-cluster (https://127.0.0.1:${port})` });
    expect(s?.pods.map((p) => p.metadata.name)).toEqual(['api-0', 'api-1']);
    // -A from inside the cluster; forbidden secrets say can-i without --context.
    main.setFaults([{ resource: 'secrets', status: 403 }]);
    const all = await collectClusters({ env, serviceAccountDir: sa, allNamespaces: true });
    expect(all.snapshots[0]?.pods).toHaveLength(SHOP_PODS + 2);
    expect(all.snapshots[0]?.accessProblems.map((p) => p.canI)).toContain('kubectl auth can-i get secrets -n shop');
  });
});

describe('the pull secrets of affected namespaces: two typed lists each, nowhere else', () => {
  const IMG = 'registry.acme.io/shop/cart:2.3.0';
  const BACKOFF = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMG}"` };
  /** A kubernetes.io/dockercfg secret (the legacy format), for the second typed list. */
  const dockercfg = (namespace: string, name: string) => ({
    apiVersion: 'v1',
    data: { '.dockercfg': Buffer.from(JSON.stringify({ 'registry.acme.io': { username: 'legacy', password: 'pw-legacy', auth: Buffer.from('legacy:pw-legacy').toString('base64') } })).toString('base64') },
    kind: 'Secret',
    metadata: { creationTimestamp: '2025-05-01T09:00:00Z', name, namespace, resourceVersion: '310001', uid: '6f1c2a9e-0b7d-4c1e-9a3f-00000000cf01' },
    type: 'kubernetes.io/dockercfg',
  });
  const opaque = { ...pullSecret('shop', 'cart-tls'), type: 'Opaque', data: { 'tls.crt': 'Zm9v' } };
  let api: ApiServer;
  let kc: string;
  beforeAll(async () => {
    api = await startApiServer({
      objects: [
        // shop: failing, references nothing; acme-pull (and a legacy dockercfg) exist unreferenced.
        pod({ namespace: 'shop', name: 'cart-0', image: IMG, waiting: BACKOFF }),
        pod({ namespace: 'shop', name: 'cart-1', image: IMG, waiting: BACKOFF }),
        pullSecret('shop', 'acme-pull', 'registry.acme.io', 'acme-robot'),
        dockercfg('shop', 'legacy-cfg'),
        opaque,
        serviceAccount('shop'),
        // pay: failing, but its own secret covers the image: not affected.
        pod({ namespace: 'pay', name: 'api-0', pullSecrets: ['paycred'], waiting: IMAGE_PULL_BACKOFF }),
        pullSecret('pay', 'paycred'),
        pullSecret('pay', 'spare'),
        serviceAccount('pay'),
        // ghosts: names a secret that does not exist anywhere: affected (and one by-name look-up).
        pod({ namespace: 'ghosts', name: 'job-0', pullSecrets: ['ghost'], waiting: IMAGE_PULL_BACKOFF }),
        serviceAccount('ghosts'),
        // calm: nothing fails: not affected.
        pod({ namespace: 'calm', name: 'web-0', image: IMG }),
        pullSecret('calm', 'acme-pull', 'registry.acme.io'),
        serviceAccount('calm'),
      ],
    });
    kc = writeKubeconfig({ file: path.join(tmp('pulldoctor-kc-'), 'config'), contexts: [{ name: 'acme', server: api, namespace: 'shop' }] });
  });
  afterAll(() => api?.close());
  beforeEach(() => {
    api.requests.length = 0;
    api.setFaults([]);
  });
  const scanAll = async () => {
    const r = await collectClusters({ kubeconfig: kc, env: { HOME: emptyHome }, allNamespaces: true });
    expect(r.errors).toEqual([]);
    return r.snapshots[0] as NonNullable<(typeof r.snapshots)[0]>;
  };
  const typed = (reqs: RequestRecord[]) =>
    reqs.filter((r) => /^\/api\/v1\/namespaces\/[^/]+\/secrets$/.test(r.path)).map((r) => `${r.path.split('/')[4]} ${r.query.fieldSelector} ${r.status}`);

  test('exactly pages + distinct referenced secrets + missing-name look-ups + two typed lists per affected namespace', async () => {
    const s = await scanAll();
    expect(typed(api.requests).sort()).toEqual([
      'ghosts type=kubernetes.io/dockercfg 200',
      'ghosts type=kubernetes.io/dockerconfigjson 200',
      'shop type=kubernetes.io/dockercfg 200',
      'shop type=kubernetes.io/dockerconfigjson 200',
    ]);
    const gets = api.requests.filter((r) => /^\/api\/v1\/namespaces\/[^/]+\/secrets\/[^/]+$/.test(r.path)).map((r) => r.path).sort();
    expect(gets).toEqual(['/api/v1/namespaces/ghosts/secrets/ghost', '/api/v1/namespaces/pay/secrets/paycred']);
    expect(lists(api.requests, '/api/v1/secrets').map((r) => r.query.fieldSelector)).toEqual(['metadata.name=ghost']);
    // pods, events, service accounts: one page each; 2 GETs; 1 look-up; 2 affected namespaces × 2 typed lists.
    expect(api.requests).toHaveLength(3 + 2 + 1 + 2 * 2);
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(s.pullSecretNamespaces).toEqual(['ghosts', 'shop']);
    expect(s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}:${x.type}`).sort()).toEqual([
      'pay/paycred:kubernetes.io/dockerconfigjson',
      'shop/acme-pull:kubernetes.io/dockerconfigjson',
      'shop/legacy-cfg:kubernetes.io/dockercfg',
    ]);
    expect(s.accessProblems).toEqual([]);
  });

  test('a forbidden list degrades: the access problem with its can-i line, no second list, the scan goes on', async () => {
    api.setFaults([{ resource: 'secrets', namespace: 'shop', verb: 'list', status: 403 }]);
    const s = await scanAll();
    expect(typed(api.requests).sort()).toEqual([
      'ghosts type=kubernetes.io/dockercfg 200',
      'ghosts type=kubernetes.io/dockerconfigjson 200',
      'shop type=kubernetes.io/dockerconfigjson 403',
    ]);
    expect(s.accessProblems).toEqual([
      expect.objectContaining({ resource: 'secrets', verb: 'list', namespace: 'shop', status: 403, canI: 'kubectl auth can-i list secrets -n shop' }),
    ]);
    expect(s.pullSecretNamespaces).toEqual(['ghosts']);
    expect(s.pods).toHaveLength(5);
    expect(s.secrets.some((x) => x.metadata.namespace === 'shop')).toBe(false);
  });

  test('a namespace whose referenced secret is forbidden is not listed (a list would be refused the same way)', async () => {
    api.setFaults([{ resource: 'secrets', namespace: 'ghosts', status: 403 }]);
    await scanAll();
    expect(typed(api.requests).filter((t) => t.startsWith('ghosts'))).toEqual([]);
  });
});

describe('read-only', () => {
  test('every request any scan in this file sent was a GET', async () => {
    await scan({ allContexts: true, allNamespaces: true, includeNodes: true, labelSelector: 'tier' });
    const all = [...history, ...main.requests, ...edge.requests];
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
