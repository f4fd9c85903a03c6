/**
 * A paginated list: `limit` + `continue` until the server has no more, each item prepared as it
 * arrives and handed over once its page is whole (nothing but what `prepare` returns and
 * `onItem` keeps outlives a page). When a continue token expires (410 Gone) the list starts
 * again from scratch, at most MAX_LIST_RESTARTS times.
 *
 * A list the server refuses (403), keeps failing (5xx after the transport's retries, any other
 * error status) or does not answer in time is an outcome, not an exception: the scan records
 * what it could not read and goes on with the other lists. Only what ends the whole cluster's
 * scan (refused connection, TLS, 401) is thrown.
 */
import { statusMessage } from './api-protocol.js';
import { NoAnswer, type HttpResult, type Transport } from './api-transport.js';
import { heapGuard } from './heap.js';
import { NOT_A_LIST_OBJECT } from './list-body.js';
import { isObj } from './reduce.js';

/** How many times a list restarts after 410 Gone before giving up. */
const MAX_LIST_RESTARTS = 3;

export interface ListRequest<P = unknown> {
  /** Plural resource, for the error message (`list pods failed: …`). */
  resource: string;
  path: string;
  query: Record<string, string | undefined>;
  pageSize: number;
  /**
   * What `onItem` gets for an item, computed as soon as the item has arrived, while the rest of
   * its page is still on its way (see ./list-body.ts): e.g. the item validated and reduced, so
   * the parsed item is garbage at once. It must change nothing the caller keeps: a page that
   * fails, or is read again, drops what it returned. Default: the item itself.
   */
  prepare?: (item: unknown) => P;
  /** Every item, objects or not (the builder skips what is not an object, with the reason), once its page is whole. */
  onItem: (item: P) => void;
  /** Undo what `onItem` kept before the list restarts after 410 Gone. */
  reset: () => void;
  /** After each page: pages fetched so far, objects of the current (restarted) list. */
  onPage?: (pages: number, objects: number) => void;
}

/** Why a read could not be done: the server's answer (`status` 0 when none came), one line. */
export interface ReadFailure {
  status: number;
  /** The answer's body (a `Status`), for the access problem of a 403. */
  body?: unknown;
  /** `403 pods is forbidden: …`, `503 the server is currently unable…`, `no answer within 10s`. */
  message: string;
}

export type ListOutcome =
  /** `resourceVersion`: the list's, to watch from. */
  | { ok: true; pages: number; objects: number; resourceVersion?: string }
  /** Refused (403), failed or unanswered: what was read before it stays read. */
  | ({ ok: false; pages: number; objects: number } & ReadFailure);

/** The failure of one request that concerns it alone; anything else is rethrown. */
export function readFailure(e: unknown): ReadFailure {
  if (e instanceof NoAnswer) return { status: 0, message: e.detail };
  throw e;
}

/** The failure an error answer stands for. */
export function answerFailure(res: { status: number; body: unknown }): ReadFailure {
  return { status: res.status, body: res.body, message: `${res.status} ${statusMessage(res.body, res.status)}` };
}

/** A page's answer, or why there is none (a failure that concerns this request alone). */
type PageAnswer = { res: HttpResult } | { failure: ReadFailure };

/** What a page says about the list: the next page's token and the list's resourceVersion. */
interface PageMeta {
  cont?: string;
  resourceVersion?: string;
}

/**
 * A page asked for. `ahead` is the next page's token as the start of this page's body told it,
 * before the rest arrived (undefined: not known yet; '' : this is the last page).
 */
interface PageAsk {
  answer: Promise<PageAnswer>;
  ahead?: string;
  /** Called once when `ahead` becomes known. */
  onAhead?: () => void;
}

function askPage<P>(t: Transport, req: ListRequest<P>, cont: string | undefined): PageAsk {
  const ask: PageAsk = { answer: undefined as unknown as Promise<PageAnswer> };
  const onHead = (head: Buffer): boolean => {
    const meta = headListMeta(head);
    if (!meta) return false;
    if (ask.ahead === undefined) {
      ask.ahead = meta.cont ?? '';
      ask.onAhead?.();
    }
    return true;
  };
  ask.answer = t.get(req.path, { ...req.query, limit: String(req.pageSize), continue: cont }, { onHead, item: req.prepare ?? itself }).then(
    (res) => ({ res }),
    (e: unknown) => ({ failure: readFailure(e) }),
  );
  // A page asked for ahead may be dropped unread when the list ends early: never unhandled.
  ask.answer.catch(() => undefined);
  return ask;
}

/**
 * A list's `metadata` from the first bytes of its body, or undefined when they do not hold it
 * (yet). The API server writes `kind`, `apiVersion` and then `metadata` (a ListMeta: strings and
 * a number, no nested object) before `items`; anything else is left to the whole body's parse.
 */
export function headListMeta(head: Buffer): PageMeta | undefined {
  const m = /^\s*\{\s*(?:"(?:kind|apiVersion)"\s*:\s*"[^"\\]*"\s*,\s*)*"metadata"\s*:\s*(\{[^{}]*\})/.exec(head.toString('latin1'));
  if (!m) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(m[1]!);
  } catch {
    return undefined;
  }
  return isObj(meta) ? pageMeta({ metadata: meta }) : undefined;
}

/** What an answer means for the list: a page to hand over, a restart, or why the list stops. */
type PageVerdict = { body: Record<string, unknown> } | { gone: true } | { failure: ReadFailure };

/** `restartable`: a continued list that may still restart, for which 410 Gone means start again. */
function pageVerdict(answer: PageAnswer, restartable: boolean): PageVerdict {
  if ('failure' in answer) return answer;
  const { status, body } = answer.res;
  if (status === 410 && restartable) return { gone: true };
  if (status < 200 || status > 299) return { failure: answerFailure({ status, body }) };
  if (!isObj(body)) return { failure: { status, message: `${status} ${NOT_A_LIST_OBJECT}` } };
  return { body };
}

const itself = (item: unknown) => item;

/** Each item of a page to `onItem`; how many there were. */
function handOver<P>(req: ListRequest<P>, body: Record<string, unknown>): number {
  // The transport put what `prepare` returned in `items` (GetOptions.item).
  const items = Array.isArray(body.items) ? (body.items as P[]) : [];
  for (const item of items) req.onItem(item);
  return items.length;
}

function pageMeta(body: Record<string, unknown>): PageMeta {
  const meta = isObj(body.metadata) ? body.metadata : {};
  const out: PageMeta = {};
  if (typeof meta.continue === 'string' && meta.continue) out.cont = meta.continue;
  if (typeof meta.resourceVersion === 'string' && meta.resourceVersion) out.resourceVersion = meta.resourceVersion;
  return out;
}

/**
 * Page through a list. The next page is asked for as soon as its `continue` token is known: from
 * the first bytes of a page's body (its `metadata` comes before its items), else once the page
 * is parsed. So the server prepares page n+1 while page n still arrives and while the client
 * parses, validates and reduces it; at most one page is asked for ahead. The token the whole
 * page gives is the one that counts: a page asked for with another (which the API server never
 * sends) is dropped unread and asked for again. The requests, and the order in which items,
 * resets and outcomes reach the caller, are those of one page after the other; only their
 * timing overlaps.
 */
export async function listPages<P>(t: Transport, req: ListRequest<P>): Promise<ListOutcome> {
  let pages = 0;
  let objects = 0;
  for (let restarts = 0; ; restarts++) {
    let cont: string | undefined;
    let gone = false;
    let resourceVersion: string | undefined;
    let current: PageAsk | undefined = askPage(t, req, undefined);
    while (current) {
      let next: { cont: string; ask: PageAsk } | undefined;
      // Released once answered: the page's body must not outlive its hand-over (heap check).
      let page: PageAsk | undefined = current;
      const ahead = () => {
        if (page?.ahead && !next) next = { cont: page.ahead, ask: askPage(t, req, page.ahead) };
      };
      page.onAhead = ahead;
      ahead();
      let verdict: PageVerdict | undefined = pageVerdict(await page.answer, !!cont && restarts < MAX_LIST_RESTARTS);
      page.onAhead = undefined;
      page = current = undefined;
      if (!('body' in verdict)) {
        // Nothing outlives the list: the page asked for ahead is answered (or fails) first.
        await next?.ask.answer.catch(() => undefined);
        if ('gone' in verdict) {
          gone = true;
          break;
        }
        return { ok: false, pages, objects, ...verdict.failure };
      }
      let body: Record<string, unknown> | undefined = verdict.body;
      verdict = undefined;
      const meta = pageMeta(body);
      cont = meta.cont;
      if (meta.resourceVersion) resourceVersion = meta.resourceVersion;
      if (next && next.cont !== cont) {
        await next.ask.answer.catch(() => undefined);
        next = undefined;
      }
      current = next ? next.ask : cont ? askPage(t, req, cont) : undefined;
      try {
        const n = handOver(req, body);
        body = undefined; // the page is garbage now, for the heap check below
        pages++;
        objects += n;
        req.onPage?.(pages, objects);
        heapGuard.check();
      } catch (e) {
        // Nothing outlives the list: the request already sent is answered (or fails) first.
        await current?.answer.catch(() => undefined);
        throw e;
      }
    }
    if (!gone) return { ok: true, pages, objects, ...(resourceVersion ? { resourceVersion } : {}) };
    // The continue token expired (410 Gone): start the list again from scratch.
    req.reset();
    objects = 0;
  }
}
