/**
 * A reflector: one collection (a resource, a namespace or the whole scope, selectors) kept
 * current by list + watch, as client-go's reflector does it, over api-transport.ts:
 *
 * - list with pagination (api-pager.ts), then watch from the list's resourceVersion with
 *   `allowWatchBookmarks=true` and a server-side `timeoutSeconds` of 5–10 minutes;
 * - every ADDED/MODIFIED/DELETED/BOOKMARK moves the resourceVersion it resumes from;
 * - a stream the server ends cleanly is watched again at once; a dropped connection, a 429 or
 *   a 5xx resumes from the last resourceVersion after a jittered back-off (0.5 s doubling to 30 s);
 * - 410 Gone / Expired (an HTTP answer or an ERROR event) means the history is gone: list again;
 * - a forbidden list (403) is the caller's access problem; the list is tried again after 1 s,
 *   2 s, 4 s, … up to every `forbiddenRetryMs` in case access is granted; a forbidden watch falls back to a list every
 *   `pollMs` (documented: cost then grows with the collection, as a rescan would).
 *
 * Objects go to the sink one by one as they arrive (reduced there), never kept raw. A list
 * fills a new generation; the sink swaps it in only when the list completed.
 */
import { listPages, type ListOutcome } from './api-pager.js';
import type { HttpResult, Transport } from './api-transport.js';
import { firstLine } from '../util/text.js';
import { UserError } from '../model/errors.js';
import { isObj } from './reduce.js';

type Raw = Record<string, unknown>;

export interface ReflectorSink<P = unknown> {
  /** A (re)list starts: the following `add`s form the new complete content. */
  begin(): void;
  /**
   * What `add` gets for a list item as served (it may not even be an object), computed as soon
   * as the item arrived (api-pager.ts `prepare`): it must change nothing of the sink.
   */
  prepare(item: unknown): P;
  /** A list item, as `prepare` made it, once its page is whole. */
  add(item: P): void;
  /** The list completed: what was added since `begin` replaces the old content. */
  commit(): void;
  upsert(item: Raw): void;
  remove(item: Raw): void;
  /** The list was refused (403); undefined once a later list succeeded. */
  forbidden(res: HttpResult | undefined): void;
  /** Something changed (coalesced by the caller). */
  changed(): void;
}

/**
 * One whole list into a sink: `begin`, each item prepared as it arrives and added once its page
 * is whole, `commit` when the list completed. A refusal (403) is the outcome; any other failure
 * is thrown.
 */
export async function listIntoSink(
  t: Transport,
  sink: ReflectorSink,
  spec: Pick<ReflectorSpec, 'resource' | 'path' | 'query' | 'pageSize' | 'onProgress'>,
): Promise<ListOutcome> {
  sink.begin();
  const r = await listPages(t, {
    resource: spec.resource,
    path: spec.path,
    query: spec.query,
    pageSize: spec.pageSize,
    prepare: (item) => sink.prepare(item),
    onItem: (item) => sink.add(item),
    reset: () => sink.begin(),
    onPage: (pages, objects) => spec.onProgress?.(pages, objects, false),
  });
  spec.onProgress?.(r.pages, r.objects, true);
  if (!r.ok && r.status !== 403) throw new UserError(`${spec.resource}: ${r.message}`);
  if (r.ok) sink.commit();
  return r;
}

export interface ReflectorSpec {
  /** Plural resource for messages and access problems. */
  resource: string;
  path: string;
  query: Record<string, string | undefined>;
  pageSize: number;
  /** Start from this list (already read by the caller) instead of listing: watch from `resourceVersion`. */
  seededAt?: string;
  /** After each page of a list; `done` once it completed. */
  onProgress?: (pages: number, objects: number, done: boolean) => void;
}

export interface ReflectorTiming {
  /** Relist interval when watching is forbidden. */
  pollMs: number;
  /** Retry interval of a forbidden list. */
  forbiddenRetryMs: number;
  /** Server-side watch timeout range in seconds [min, max). */
  watchTimeoutSeconds: [number, number];
  /** First back-off after a failure; doubles up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_TIMING: ReflectorTiming = {
  pollMs: 30_000,
  forbiddenRetryMs: 60_000,
  watchTimeoutSeconds: [300, 600],
  backoffMs: 500,
  maxBackoffMs: 30_000,
};

export type ReflectorPhase = 'listing' | 'watching' | 'backoff' | 'polling' | 'forbidden' | 'stopped';

export interface ReflectorStatus {
  phase: ReflectorPhase;
  /** The last list or watch request reached the server (false while reconnecting). */
  connected: boolean;
  /** The first complete list is in. */
  synced: boolean;
  resourceVersion?: string;
  lastError?: string;
  /** When the last list completed or the last watch event arrived. */
  lastSyncAt?: number;
}

/** A failure of the initial list: the caller's `start()` rejects with it. */
export class InitialListError extends Error {}

export class Reflector {
  private rv: string | undefined;
  private phase: ReflectorPhase = 'listing';
  private synced = false;
  private lastError: string | undefined;
  private lastSyncAt: number | undefined;
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private failures = 0;
  /** Forbidden lists in a row. */
  private refusals = 0;
  private loop: Promise<void> | undefined;
  /** The last watch was refused: the collection is listed every pollMs until a watch is allowed. */
  private watchRefused = false;
  /** The last list or watch reached the server; false from a failure until the next success. */
  private reachable = true;

  constructor(
    private readonly t: Transport,
    private readonly spec: ReflectorSpec,
    private readonly sink: ReflectorSink,
    private readonly timing: ReflectorTiming = DEFAULT_TIMING,
  ) {
    if (spec.seededAt) {
      this.rv = spec.seededAt;
      this.synced = true;
      this.lastSyncAt = Date.now();
    }
  }

  get resource(): string {
    return this.spec.resource;
  }

  status(): ReflectorStatus {
    const s: ReflectorStatus = { phase: this.phase, synced: this.synced, connected: this.reachable };
    if (this.rv !== undefined) s.resourceVersion = this.rv;
    const err =
      this.lastError ?? (this.watchRefused ? `watch ${this.spec.resource} is forbidden: listing every ${Math.round(this.timing.pollMs / 1000)}s instead` : undefined);
    if (err !== undefined) s.lastError = err;
    if (this.lastSyncAt !== undefined) s.lastSyncAt = this.lastSyncAt;
    return s;
  }

  /**
   * Resolves when the first list is in (at once when seeded); with `failFast` (the default)
   * rejects when it fails (the cluster cannot be reached, a 5xx after retries), otherwise keeps
   * trying with back-off. The watch goes on in the background.
   */
  start(failFast = true): Promise<void> {
    if (this.synced) {
      this.loop = this.run();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      let first = true;
      this.loop = this.run(failFast, () => {
        if (first) resolve();
        first = false;
      }).then(
        () => {
          // Stopped before the first list was in: the caller is told, not left waiting.
          if (first) reject(new UserError(`${this.spec.resource}: stopped before the first list`));
          first = false;
        },
        (e: unknown) => {
          if (first) reject(e);
          first = false;
        },
      );
    });
  }

  async stop(): Promise<void> {
    this.phase = 'stopped';
    this.abort.abort();
    this.wake?.();
    await this.loop?.catch(() => undefined);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private backoffMs(): number {
    const base = Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** this.failures);
    this.failures++;
    return base * (0.8 + Math.random() * 0.4);
  }

  /** List everything; false when forbidden. Throws for any other failure. */
  private async list(): Promise<boolean> {
    this.phase = 'listing';
    const r = await listIntoSink(this.t, this.sink, this.spec);
    if (!r.ok) {
      this.sink.forbidden({ status: r.status, body: r.body });
      this.sink.changed();
      return false;
    }
    this.sink.forbidden(undefined);
    this.rv = r.resourceVersion;
    this.synced = true;
    this.lastError = undefined;
    this.reachable = true;
    this.failures = 0;
    this.lastSyncAt = Date.now();
    this.sink.changed();
    return true;
  }

  private async run(failFast = true, onFirstList?: () => void): Promise<void> {
    let needList = !this.synced;
    let first = !this.synced;
    while (!this.stopped) {
      if (needList) {
        let ok: boolean;
        try {
          ok = await this.list();
        } catch (e) {
          if (first && failFast) throw e;
          if (this.stopped) return;
          this.fail(e);
          this.phase = 'backoff';
          await this.sleep(this.backoffMs());
          continue;
        }
        if (first) {
          first = false;
          onFirstList?.();
        }
        if (!ok) {
          // Access may come back (an RBAC fix): ask again soon, then less often, up to
          // forbiddenRetryMs — a constant request rate, however long the refusal lasts.
          this.phase = 'forbidden';
          this.refusals++;
          await this.sleep(Math.min(this.timing.forbiddenRetryMs, 1000 * 2 ** (this.refusals - 1)));
          continue;
        }
        this.refusals = 0;
        needList = false;
      }
      if (this.stopped) return;
      const outcome = await this.watchOnce();
      if (outcome === 'relist') needList = true;
      else if (outcome === 'poll') {
        this.phase = 'polling';
        await this.sleep(this.timing.pollMs);
        needList = true;
      } else if (outcome === 'backoff') {
        this.phase = 'backoff';
        await this.sleep(this.backoffMs());
      }
    }
  }

  private fail(e: unknown): void {
    this.lastError = e instanceof Error ? e.message : String(e);
    this.reachable = false;
  }

  /** One watch request from the current resourceVersion; what to do next. */
  private async watchOnce(): Promise<'rewatch' | 'relist' | 'poll' | 'backoff'> {
    this.phase = 'watching';
    const [lo, hi] = this.timing.watchTimeoutSeconds;
    const timeout = Math.floor(lo + Math.random() * Math.max(0, hi - lo));
    let expired = false;
    let streamError: string | undefined;
    let events = 0;
    const onLine = (line: string) => {
      let ev: unknown;
      try {
        ev = JSON.parse(line);
      } catch {
        return;
      }
      if (!isObj(ev) || !isObj(ev.object)) return;
      const obj = ev.object;
      if (ev.type === 'ERROR') {
        const code = typeof obj.code === 'number' ? obj.code : 0;
        if (code === 410) expired = true;
        else streamError = `watch ${this.spec.resource}: ${code} ${typeof obj.message === 'string' ? obj.message : ''}`.trim();
        return;
      }
      const meta = isObj(obj.metadata) ? obj.metadata : {};
      if (typeof meta.resourceVersion === 'string' && meta.resourceVersion) this.rv = meta.resourceVersion;
      events++;
      this.lastSyncAt = Date.now();
      switch (ev.type) {
        case 'ADDED':
        case 'MODIFIED':
          this.sink.upsert(obj);
          this.sink.changed();
          break;
        case 'DELETED':
          this.sink.remove(obj);
          this.sink.changed();
          break;
        default:
          // BOOKMARK: only the resourceVersion moves.
          break;
      }
    };
    let end;
    const startedAt = Date.now();
    try {
      end = await this.t.stream(
        this.spec.path,
        {
          ...this.spec.query,
          watch: '1',
          resourceVersion: this.rv,
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(timeout),
        },
        onLine,
        {
          idleTimeoutMs: (timeout + 30) * 1000,
          signal: this.abort.signal,
          onOpen: () => {
            this.reachable = true;
            this.lastError = undefined;
          },
        },
      );
    } catch (e) {
      if (this.stopped) return 'rewatch';
      const code = (e as NodeJS.ErrnoException).code;
      const lost = code === 'ECONNRESET' || code === 'EPIPE' || (e instanceof Error && e.message === 'aborted');
      this.fail(new Error(`watch ${this.spec.resource}: ${lost ? 'connection lost' : firstLine(e)}${code && lost ? ` (${code})` : ''}`));
      // A stream that delivered events was healthy: resume with the shortest wait.
      if (events > 0) this.failures = 0;
      return expired ? 'relist' : 'backoff';
    }
    if (this.stopped) return 'rewatch';
    if (expired || end.status === 410) return 'relist';
    if (end.status === 403) {
      this.watchRefused = true;
      return 'poll';
    }
    this.watchRefused = false;
    if (end.status >= 200 && end.status <= 299 && !streamError) {
      // A server that ends every watch at once would make this loop spin: wait as after a failure.
      if (events === 0 && Date.now() - startedAt < 1000) return 'backoff';
      this.failures = 0;
      this.lastError = undefined;
      return 'rewatch';
    }
    this.lastError = streamError ?? this.t.failure({ status: end.status, body: end.body }, `watch ${this.spec.resource}`).message;
    this.reachable = false;
    return 'backoff';
  }
}
