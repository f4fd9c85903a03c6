/**
 * Watch for the API server double, with the real server's semantics:
 * - `?watch=1&resourceVersion=RV` streams every change after RV as JSON lines
 *   (`{"type":"ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|"ERROR","object":…}`), HTTP 200, chunked;
 * - no resourceVersion (or "0"): synthetic ADDED events for the current state first;
 * - an RV older than the retained history (see `compact`) gets one ERROR event with a 410
 *   `Expired` Status ("too old resource version: X (Y)", as the watch cache words it) and the
 *   stream ends;
 * - selectors and namespaces filter like the server: an object that leaves a watch's selection
 *   is a DELETED for that watch, one that enters it an ADDED;
 * - `allowWatchBookmarks=true` gets BOOKMARK events (only `metadata.resourceVersion`);
 * - `timeoutSeconds` ends the stream cleanly; `drop()` cuts every open stream (a lost connection).
 */
import type http from 'node:http';

type Obj = Record<string, unknown>;

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  rv: number;
  type: ChangeType;
  resource: string;
  obj: Obj;
  /** The object before a MODIFIED or DELETED. */
  prev?: Obj;
}

export interface WatchRequest {
  resource: string;
  kind: string;
  apiVersion: string;
  namespace?: string;
  /** Field and label selectors of the request, already parsed. */
  match: (o: Obj) => boolean;
  /** The raw `resourceVersion` query parameter. */
  resourceVersion?: string;
  bookmarks: boolean;
  timeoutSeconds?: number;
  /** The group's view of an object (events.k8s.io Events). */
  view: (o: Obj) => Obj;
  /** Current matching objects, for a watch without a resourceVersion. */
  current: () => Obj[];
}

interface Watcher {
  req: WatchRequest;
  res: http.ServerResponse;
  timers: NodeJS.Timeout[];
}

const metaOf = (o: Obj): Obj => (typeof o.metadata === 'object' && o.metadata !== null ? (o.metadata as Obj) : {});

export class WatchHub {
  private log: Change[] = [];
  /** Changes up to this revision are no longer in the history: a watch from before it gets 410. */
  private compactedAt = 0;
  private readonly watchers = new Set<Watcher>();

  constructor(
    private readonly currentRv: () => number,
    private readonly bookmarkIntervalMs: number,
    private readonly maxHistory = 200_000,
  ) {}

  /** How many watch streams are open now. */
  get open(): number {
    return this.watchers.size;
  }

  record(c: Change): void {
    this.log.push(c);
    // Compact in batches (down to maxHistory once it is a quarter over): cutting one change at
    // a time copies the whole history for every write, minutes for a 50k-pod cluster's load.
    if (this.log.length > this.maxHistory * 1.25) {
      const cut = this.log.length - this.maxHistory;
      this.compactedAt = this.log[cut - 1]?.rv ?? this.compactedAt;
      this.log = this.log.slice(cut);
    }
    for (const w of this.watchers) this.offer(w, c);
  }

  /** Forget the history up to now (etcd compaction): every resume from an older RV gets 410 Expired. */
  compact(): void {
    this.compactedAt = this.currentRv();
    this.log = [];
  }

  /** Cut every open watch connection without a clean end, as a lost network path does. */
  drop(): void {
    for (const w of [...this.watchers]) {
      this.close(w);
      w.res.socket?.destroy();
    }
  }

  /** A BOOKMARK at the current revision on every stream that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) if (w.req.bookmarks) this.sendBookmark(w);
  }

  closeAll(): void {
    for (const w of [...this.watchers]) {
      this.close(w);
      w.res.end();
    }
  }

  serve(req: WatchRequest, res: http.ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const w: Watcher = { req, res, timers: [] };
    const rvParam = req.resourceVersion;
    const from = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
    if (from !== undefined && (!Number.isFinite(from) || from < this.compactedAt)) {
      const message = `too old resource version: ${rvParam} (${this.compactedAt})`;
      const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 };
      res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      return;
    }
    if (from === undefined) {
      for (const o of req.current()) this.write(w, 'ADDED', req.view(o));
    } else {
      for (const c of this.log) if (c.rv > from) this.offer(w, c);
    }
    this.watchers.add(w);
    res.on('close', () => this.close(w));
    if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) {
      w.timers.push(
        setTimeout(() => {
          this.close(w);
          res.end();
        }, req.timeoutSeconds * 1000),
      );
    }
    if (req.bookmarks && this.bookmarkIntervalMs > 0) w.timers.push(setInterval(() => this.sendBookmark(w), this.bookmarkIntervalMs));
  }

  private close(w: Watcher): void {
    for (const t of w.timers) clearTimeout(t);
    w.timers = [];
    this.watchers.delete(w);
  }

  private sendBookmark(w: Watcher): void {
    const object = { kind: w.req.kind, apiVersion: w.req.apiVersion, metadata: { resourceVersion: String(this.currentRv()) } };
    w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
  }

  private write(w: Watcher, type: ChangeType, object: Obj): void {
    w.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  private inScope(w: Watcher, o: Obj | undefined): boolean {
    if (!o) return false;
    if (w.req.namespace !== undefined && metaOf(o).namespace !== w.req.namespace) return false;
    return w.req.match(o);
  }

  private offer(w: Watcher, c: Change): void {
    if (c.resource !== w.req.resource) return;
    const was = c.type !== 'ADDED' && this.inScope(w, c.prev);
    const is = c.type !== 'DELETED' && this.inScope(w, c.obj);
    let type: ChangeType | undefined;
    if (c.type === 'DELETED') type = was ? 'DELETED' : undefined;
    else if (is) type = was ? 'MODIFIED' : 'ADDED';
    else if (was) type = 'DELETED';
    if (!type) return;
    // An object that left the selection goes as its last matching state at the new revision.
    const leaving = type === 'DELETED' && c.type === 'MODIFIED' && c.prev;
    const obj = leaving ? { ...c.prev, metadata: { ...metaOf(c.prev as Obj), resourceVersion: String(c.rv) } } : c.obj;
    this.write(w, type, w.req.view(obj));
  }
}
