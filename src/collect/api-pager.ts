/**
 * A paginated list: `limit` + `continue` until the server has no more, each item handed over
 * as its page arrives (nothing but what `onItem` keeps outlives a page). When a continue token
 * expires (410 Gone) the list starts again from scratch, at most MAX_LIST_RESTARTS times.
 */
import type { Transport } from './api-transport.js';
import { heapGuard } from './heap.js';
import { isObj } from './reduce.js';

/** How many times a list restarts after 410 Gone before giving up. */
const MAX_LIST_RESTARTS = 3;

export interface ListRequest {
  /** Plural resource, for the error message (`list pods failed: …`). */
  resource: string;
  path: string;
  query: Record<string, string | undefined>;
  pageSize: number;
  onItem: (item: Record<string, unknown>) => void;
  /** Undo what `onItem` kept before the list restarts after 410 Gone. */
  reset: () => void;
  /** After each page: pages fetched so far, objects of the current (restarted) list. */
  onPage?: (pages: number, objects: number) => void;
}

export type ListOutcome =
  /** `resourceVersion`: the list's, to watch from. */
  | { ok: true; pages: number; objects: number; resourceVersion?: string }
  /** 403: the server's answer, for the access problem. */
  | { ok: false; forbidden: { status: number; body: unknown }; pages: number; objects: number };

/** Page through a list. Throws a one-line UserError for any answer but 2xx and 403. */
export async function listPages(t: Transport, req: ListRequest): Promise<ListOutcome> {
  let pages = 0;
  let objects = 0;
  for (let restarts = 0; ; restarts++) {
    let cont: string | undefined;
    let gone = false;
    let resourceVersion: string | undefined;
    do {
      heapGuard.check();
      const res = await t.get(req.path, { ...req.query, limit: String(req.pageSize), continue: cont });
      if (res.status === 410 && cont && restarts < MAX_LIST_RESTARTS) {
        gone = true;
        break;
      }
      if (res.status === 403) return { ok: false, forbidden: res, pages, objects };
      if (res.status < 200 || res.status > 299 || !isObj(res.body)) throw t.failure(res, `list ${req.resource}`);
      const items = Array.isArray(res.body.items) ? res.body.items : [];
      for (const item of items) if (isObj(item)) req.onItem(item);
      pages++;
      objects += items.length;
      req.onPage?.(pages, objects);
      const meta = isObj(res.body.metadata) ? res.body.metadata : {};
      cont = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
      if (typeof meta.resourceVersion === 'string' && meta.resourceVersion) resourceVersion = meta.resourceVersion;
    } while (cont);
    if (!gone) return { ok: true, pages, objects, ...(resourceVersion ? { resourceVersion } : {}) };
    // The continue token expired (410 Gone): start the list again from scratch.
    req.reset();
    objects = 0;
  }
}
