/**
 * listPages asks for the next page before it hands the current page's items over (the server
 * prepares page n+1 while the client reduces page n), and otherwise behaves as one page after
 * the other: same requests, items in order, a 410 restart, failures, and no request left running
 * when a caller's onItem throws.
 */
import { describe, expect, test } from 'vitest';
import { listPages, type ListRequest } from '../src/collect/api-pager.js';
import type { HttpResult, Transport } from '../src/collect/api-transport.js';

type Page = { items: unknown[]; continue?: string; status?: number };

/** A transport over fixed pages keyed by continue token ('' = first page); logs every step. */
function fakeTransport(pages: Record<string, Page | (() => Page)>, log: string[]): Transport {
  const t = {
    get(_path: string, query: Record<string, string | undefined>): Promise<HttpResult> {
      const token = query.continue ?? '';
      log.push(`request ${token || 'first'}`);
      const p = pages[token];
      const page = typeof p === 'function' ? p() : p;
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
