/**
 * listPages asks for the next page as soon as its token is known (from the first bytes of a
 * page's body, else once it is parsed), before it hands the current page's items over (the
 * server prepares page n+1 while the client receives and reduces page n), and otherwise behaves
 * as one page after the other: same requests, items in order, a 410 restart, failures, and no
 * request left running when a caller's onItem throws.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { headListMeta, listPages, type ListRequest } from '../src/collect/api-pager.js';
import { Transport, type GetOptions, type HttpResult } from '../src/collect/api-transport.js';
import { loadKubeconfig, resolveContexts } from '../src/collect/kubeconfig.js';
import { pod, startApiServer, writeKubeconfig, type ApiServer } from './apiserver/index.js';

type Page = { items: unknown[]; continue?: string; status?: number; /** The continue token the body's first bytes show (default: the page's). */ headContinue?: string };

/**
 * A transport over fixed pages keyed by continue token ('' = first page); logs every step. With
 * `heads`, each 2xx answer's first bytes (kind, apiVersion, metadata) reach `onHead` right after
 * the request (a microtask), before the whole answer (a 5 ms timer), as they do over HTTP. Not a
 * timer of its own: on a busy machine two due timers of different lengths may run in either
 * order, and a head must never come after its answer.
 */
function fakeTransport(pages: Record<string, Page | (() => Page)>, log: string[], heads = false): Transport {
  const t = {
    get(_path: string, query: Record<string, string | undefined>, go: GetOptions = {}): Promise<HttpResult> {
      const token = query.continue ?? '';
      log.push(`request ${token || 'first'}`);
      const p = pages[token];
      const page = typeof p === 'function' ? p() : p;
      if (heads && page && !page.status && go.onHead) {
        const cont = page.headContinue ?? page.continue;
        const head = `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"${cont ? `,"continue":"${cont}"` : ''}},"items":[{"metadata":{"name":`;
        queueMicrotask(() => go.onHead?.(Buffer.from(head)));
      }
      return new Promise((resolve) =>
        setTimeout(() => {
          log.push(`answer ${token || 'first'}`);
          if (!page) resolve({ status: 404, body: { kind: 'Status', message: 'no such page' } });
          else if (page.status) resolve({ status: page.status, body: { kind: 'Status', message: 'expired' } });
          else resolve({ status: 200, body: { metadata: { resourceVersion: '7', ...(page.continue ? { continue: page.continue } : {}) }, items: page.items } });
        }, 5),
      );
    },
  };
  return t as unknown as Transport;
}

function request(log: string[], onItem?: (item: unknown) => void): ListRequest {
  return {
    resource: 'pods',
    path: '/api/v1/pods',
    query: {},
    pageSize: 2,
    onItem: onItem ?? ((item) => log.push(`item ${String(item)}`)),
    reset: () => log.push('reset'),
  };
}

describe('listPages', () => {
  test('the next page is asked for before this page is handed over; items arrive in order', async () => {
    const log: string[] = [];
    const t = fakeTransport({ '': { items: ['a', 'b'], continue: 'p2' }, p2: { items: ['c', 'd'], continue: 'p3' }, p3: { items: ['e'] } }, log);
    const out = await listPages(t, request(log));
    expect(out).toEqual({ ok: true, pages: 3, objects: 5, resourceVersion: '7' });
    expect(log).toEqual([
      'request first',
      'answer first',
      'request p2',
      'item a',
      'item b',
      'answer p2',
      'request p3',
      'item c',
      'item d',
      'answer p3',
      'item e',
    ]);
  });

  test("the next page is asked for as soon as this page's first bytes name its token, one page ahead at most", async () => {
    const log: string[] = [];
    const pages = { '': { items: ['a', 'b'], continue: 'p2' }, p2: { items: ['c', 'd'], continue: 'p3' }, p3: { items: ['e'] } };
    const out = await listPages(fakeTransport(pages, log, true), request(log));
    expect(out).toEqual({ ok: true, pages: 3, objects: 5, resourceVersion: '7' });
    // p2 is on its way before the first page has arrived; p3 waits until the first page is handed
    // over, though p2's head named it earlier: never two pages ahead.
    expect(log).toEqual([
      'request first',
      'request p2',
      'answer first',
      'item a',
      'item b',
      'request p3',
      'answer p2',
      'item c',
      'item d',
      'answer p3',
      'item e',
    ]);
  });

  test('a page asked for with a token the whole page does not confirm is dropped unread and asked for again', async () => {
    const log: string[] = [];
    const pages = { '': { items: ['a'], continue: 'p2', headContinue: 'stale' }, stale: { items: ['never'] }, p2: { items: ['b'] } };
    const out = await listPages(fakeTransport(pages, log, true), request(log));
    expect(out).toEqual({ ok: true, pages: 2, objects: 2, resourceVersion: '7' });
    expect(log.filter((l) => !l.startsWith('answer'))).toEqual(['request first', 'request stale', 'request p2', 'item a', 'item b']);
  });

  test('410 Gone on a later page: the page before it is handed over, then the list restarts from scratch', async () => {
    const log: string[] = [];
    let gone = true;
    const t = fakeTransport(
      {
        '': { items: ['a', 'b'], continue: 'p2' },
        p2: () => {
          const page = gone ? { items: [], status: 410 } : { items: ['c'] };
          gone = false;
          return page;
        },
      },
      log,
    );
    const out = await listPages(t, request(log));
    expect(out).toEqual({ ok: true, pages: 3, objects: 3, resourceVersion: '7' });
    expect(log.filter((l) => !l.startsWith('answer'))).toEqual(['request first', 'request p2', 'item a', 'item b', 'reset', 'request first', 'request p2', 'item a', 'item b', 'item c']);
  });

  test('a failing later page: what was read stays read and the failure is the outcome', async () => {
    const log: string[] = [];
    const t = fakeTransport({ '': { items: ['a', 'b'], continue: 'missing' } }, log);
    const out = await listPages(t, request(log));
    expect(out).toMatchObject({ ok: false, pages: 1, objects: 2, status: 404 });
    expect(log.filter((l) => l.startsWith('item'))).toEqual(['item a', 'item b']);
  });

  test('when onItem throws, the request already sent is answered before the error comes out', async () => {
    const log: string[] = [];
    const t = fakeTransport({ '': { items: ['a', 'b'], continue: 'p2' }, p2: { items: ['c'] } }, log);
    const boom = new Error('boom');
    await expect(
      listPages(
        t,
        request(log, () => {
          throw boom;
        }),
      ),
    ).rejects.toBe(boom);
    expect(log).toEqual(['request first', 'answer first', 'request p2', 'answer p2']);
  });
});

describe('headListMeta', () => {
  // The API server encodes a list as kind, apiVersion, then metadata (ListMeta: selfLink,
  // resourceVersion, continue, remainingItemCount; k8s.io/apimachinery pkg/apis/meta/v1
  // types.go), then items: the token is in the first bytes of the body.
  const head = (meta: string, rest = '{"metadata":{"name":"web-0"') => Buffer.from(`{"kind":"PodList","apiVersion":"v1","metadata":${meta},"items":[${rest}`);

  test("a page's token and resourceVersion, from the body's first bytes", () => {
    expect(headListMeta(head('{"resourceVersion":"5890","continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NTg5MCwic3RhcnQiOiJzaG9wL3dlYi0wNDk5XHUwMDAwIn0","remainingItemCount":703}'))).toEqual({
      resourceVersion: '5890',
      cont: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NTg5MCwic3RhcnQiOiJzaG9wL3dlYi0wNDk5XHUwMDAwIn0',
    });
  });

  test('the last page: no token', () => {
    expect(headListMeta(head('{"resourceVersion":"5890"}'))).toEqual({ resourceVersion: '5890' });
  });

  test('not yet known: metadata cut short, or not where the API server puts it', () => {
    expect(headListMeta(Buffer.from('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"58'))).toBeUndefined();
    expect(headListMeta(Buffer.from('{"items":[],"metadata":{"continue":"x"}}'))).toBeUndefined();
    expect(headListMeta(Buffer.from('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure"'))).toEqual({});
    expect(headListMeta(Buffer.from('<html><body>502 Bad Gateway'))).toBeUndefined();
  });
});

describe('over HTTP (the API double, gzip)', () => {
  let api: ApiServer;
  let transport: Transport;
  beforeAll(async () => {
    const objects = Array.from({ length: 1100 }, (_, i) => pod({ namespace: 'shop', name: `web-${String(i).padStart(4, '0')}` }));
    api = await startApiServer({ tls: true, gzip: true, objects });
    const file = writeKubeconfig({ contexts: [{ name: 'shop', server: api }] });
    const { contexts } = resolveContexts(await loadKubeconfig({ kubeconfig: file }));
    transport = new Transport(contexts[0]!, { timeoutMs: 10_000, deadlineAt: Date.now() + 60_000, maxRetries: 0 });
  });
  afterAll(async () => {
    transport.close();
    await api.close();
  });

  test("a gzipped page's first bytes reach onHead inflated, and they name the same token as the whole page", async () => {
    let first: Buffer | undefined;
    const res = await transport.get('/api/v1/pods', { limit: '500' }, { onHead: (h) => ((first = h), headListMeta(h) !== undefined) });
    const body = res.body as { metadata: { continue: string; resourceVersion: string } };
    expect(res.status).toBe(200);
    expect(first?.subarray(0, 18).toString()).toBe('{"kind":"PodList",');
    expect(headListMeta(first!)).toEqual({ cont: body.metadata.continue, resourceVersion: body.metadata.resourceVersion });
  });

  test('a paged list reads every item once, with one request per page', async () => {
    const names: string[] = [];
    const before = api.requests.length;
    const out = await listPages(transport, {
      resource: 'pods',
      path: '/api/v1/pods',
      query: {},
      pageSize: 500,
      onItem: (item) => names.push((item as { metadata: { name: string } }).metadata.name),
      reset: () => (names.length = 0),
    });
    expect(out).toMatchObject({ ok: true, pages: 3, objects: 1100 });
    expect(new Set(names).size).toBe(1100);
    expect(api.requests.length - before).toBe(3);
  });

  test('items are prepared as they arrive; an answer cut off mid-page is asked for again and its items reach onItem once', async () => {
    const retrying = new Transport(resolveContexts(await loadKubeconfig({ kubeconfig: writeKubeconfig({ contexts: [{ name: 'shop', server: api }] }) })).contexts[0]!, {
      timeoutMs: 10_000,
      deadlineAt: Date.now() + 60_000,
      maxRetries: 1,
    });
    // The second page's connection drops 20 kB into its gzipped body: its first items were whole before that.
    api.setFaults([{ resource: 'pods', verb: 'list', page: 2, cutAfterBytes: 20_000, times: 1 }]);
    const prepared: string[] = [];
    const names: string[] = [];
    const before = api.requests.length;
    try {
      const out = await listPages(retrying, {
        resource: 'pods',
        path: '/api/v1/pods',
        query: {},
        pageSize: 500,
        prepare: (item) => {
          const name = (item as { metadata: { name: string } }).metadata.name;
          prepared.push(name);
          return name;
        },
        onItem: (name) => names.push(name),
        reset: () => (names.length = 0),
      });
      expect(out).toMatchObject({ ok: true, pages: 3, objects: 1100 });
    } finally {
      api.setFaults([]);
      retrying.close();
    }
    expect(api.requests.length - before).toBe(4);
    // Prepared twice: the items of the second page that arrived before the cut.
    expect(prepared.length).toBeGreaterThan(1100);
    expect(prepared.length).toBeLessThan(1600);
    expect(names).toEqual(Array.from({ length: 1100 }, (_, i) => `web-${String(i).padStart(4, '0')}`));
  });

  test('an exception of prepare comes out as it is, and the request is not tried again', async () => {
    const retrying = new Transport(resolveContexts(await loadKubeconfig({ kubeconfig: writeKubeconfig({ contexts: [{ name: 'shop', server: api }] }) })).contexts[0]!, {
      timeoutMs: 10_000,
      deadlineAt: Date.now() + 60_000,
      maxRetries: 3,
    });
    const before = api.requests.length;
    let n = 0;
    try {
      const list = listPages(retrying, {
        resource: 'pods',
        path: '/api/v1/pods',
        query: {},
        pageSize: 500,
        prepare: (item) => {
          if (++n === 3) throw new TypeError('a fault of the caller');
          return item;
        },
        onItem: () => undefined,
        reset: () => undefined,
      });
      await expect(list).rejects.toThrow(new TypeError('a fault of the caller'));
    } finally {
      retrying.close();
    }
    expect(api.requests.slice(before).filter((r) => !r.query.continue)).toHaveLength(1);
  });

  test("a page answered 200 with a proxy's HTML page: the list fails with one line, the pages before it stay read", async () => {
    api.setFaults([{ resource: 'pods', verb: 'list', page: 2, htmlBody: '<html><body><h1>502 Bad Gateway</h1></body></html>' }]);
    const names: unknown[] = [];
    try {
      const out = await listPages(transport, { resource: 'pods', path: '/api/v1/pods', query: {}, pageSize: 500, onItem: (item) => names.push(item), reset: () => undefined });
      expect(out).toEqual({ ok: false, pages: 1, objects: 500, status: 200, message: '200 the answer is not a JSON object' });
    } finally {
      api.setFaults([]);
    }
    expect(names).toHaveLength(500);
  });
});
