/**
 * One cluster's HTTP side: auth headers and TLS options from client-node (token, client
 * certificates, exec and OIDC plugins, CA), a keep-alive agent, JSON bodies (gzip accepted; a
 * list page's items parsed one by one as they arrive, ./list-body.ts),
 * a per-request timeout and the scan's overall deadline, bounded retries of 429/5xx and dropped
 * connections with jittered back-off that honours `Retry-After`, one fresh-credentials retry on
 * 401, and one-line UserErrors for TLS, 401, unreachable and deadline failures.
 *
 * Every HTTP request goes through `exchange`, the single place to observe them: `onRequest`
 * sees each attempt (retries included) with its verb, resource and HTTP code.
 *
 * client-node itself is only a type here: its classes come through kubeconfig.ts, which loads
 * the package on first use, so importing this module costs nothing at start-up.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../model/errors.js';
import { isTlsErrorCode } from '../model/tls.js';
import { firstLine } from '../util/text.js';
import { ListBodyReader } from './list-body.js';
import { isRetryableNetworkError, isRetryableStatus, requestInfo, retryAfterMs, statusMessage, type RequestInfo } from './api-protocol.js';
import { newKubeConfig, type ResolvedContext } from './kubeconfig.js';

const AUTH_REFRESH_MS = 60_000;
const USER_AGENT = `pulldoctor (${process.platform}/${process.arch}) node/${process.versions.node}`;

/** A final answer: the HTTP status and the body, parsed as JSON when it is JSON. */
export interface HttpResult {
  status: number;
  body: unknown;
}

/** One HTTP request to an API server, as `onRequest` sees it: every attempt, retries included. */
export interface ApiRequestEvent extends RequestInfo {
  /** The kubeconfig context the request was sent for. */
  context: string;
  /** HTTP status code; 0 when no answer arrived (refused, reset, TLS failure, timeout). */
  code: number;
  /** The network error code (`ECONNREFUSED`, `REQUEST_TIMEOUT`, …) when `code` is 0. */
  error?: string;
}

export type ApiRequestObserver = (event: ApiRequestEvent) => void;

/** How far into a body `onHead` looks: a list's `metadata` comes first, in its first bytes. */
const HEAD_BYTES = 16 * 1024;

export interface GetOptions {
  /**
   * The start of a 2xx answer's body (decompressed), as it arrives and before the rest: called
   * with the bytes so far until it returns true or the first HEAD_BYTES are past. A retried
   * request calls it again from the start.
   */
  onHead?: (head: Buffer) => boolean;
  /**
   * Read a 2xx answer's body as a list page while it arrives (./list-body.ts): each element of
   * its `items` goes through `item` as soon as it is whole, and the body's `items` holds what
   * `item` returned. A retried request reads its new answer from the start.
   */
  item?: (raw: unknown) => unknown;
}

export interface TransportOptions {
  /** Per request. */
  timeoutMs: number;
  /** Epoch ms by which the whole scan must be done. */
  deadlineAt: number;
  /** Retries of 429, 5xx and dropped connections per request. */
  maxRetries: number;
  onRequest?: ApiRequestObserver;
}

type Answer = HttpResult & { retryAfter?: string | string[] };

/**
 * A request that got no answer in time: its per-request timeout (after the retries) or the
 * scan's deadline. Unlike a refused connection, a TLS failure or a 401, it concerns this request
 * only, so a scan records what it could not read and goes on. `detail` is the message without
 * the `context NAME (SERVER): ` prefix.
 */
export class NoAnswer extends UserError {
  constructor(
    where: string,
    readonly detail: string,
    cause?: unknown,
  ) {
    super(`${where}: ${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'NoAnswer';
  }
}

/** What a GetOptions.item threw: a fault of the caller's, not of the request, so never retried and thrown as it was. */
class ItemFault {
  constructor(readonly error: unknown) {}
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** How a watch stream ended: the server closed it (200), or a non-2xx answer with its body. */
export interface StreamEnd {
  status: number;
  body?: unknown;
}

export interface StreamOptions {
  /** No byte for this long: the connection is taken for dead (`REQUEST_TIMEOUT`). */
  idleTimeoutMs: number;
  /** Aborting ends the stream; the promise then resolves with status 0. */
  signal?: AbortSignal;
  /** The server accepted the stream (a 2xx status line arrived). */
  onOpen?: () => void;
}

export class Transport {
  /** Set by close(): no request starts or retries after it. */
  private closed = false;
  private agent: http.Agent | undefined;
  /** Watches hold their connection for minutes: their own pool, so they never starve the GETs. */
  private streamAgent: http.Agent | undefined;
  private headers: Record<string, string> = {};
  private authAt = 0;
  private readonly isHttps: boolean;
  private readonly kc: KubeConfig;
  /** `context NAME (SERVER)`: how every error of this transport starts. */
  readonly where: string;

  private readonly o: TransportOptions;

  constructor(
    readonly ctx: ResolvedContext,
    o: TransportOptions,
  ) {
    this.o = { ...o };
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
      if (this.ctx.config.getCurrentCluster()?.proxyUrl) this.agent = this.streamAgent = o.agent as http.Agent;
      else if (!this.isHttps) {
        this.agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
        this.streamAgent = new http.Agent({ keepAlive: true });
      } else {
        const tls: https.AgentOptions = { keepAlive: true, maxSockets: 16 };
        for (const k of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const) {
          if (o[k] !== undefined) (tls as Record<string, unknown>)[k] = o[k];
        }
        this.agent = new https.Agent(tls);
        this.streamAgent = new https.Agent({ ...tls, maxSockets: Infinity });
      }
    }
  }

  close(): void {
    this.closed = true;
    this.agent?.destroy();
    if (this.streamAgent !== this.agent) this.streamAgent?.destroy();
  }

  /** A request asked for, or ended by, close(): the caller is stopping and ignores it. */
  private closedError(): UserError {
    return new UserError(`${this.where}: stopped`);
  }

  /** Move the overall deadline (a long-running watch has none once its first list is done). */
  setDeadline(at: number): void {
    this.o.deadlineAt = at;
  }

  /** GET with per-request timeout, the overall deadline, and bounded retries (429, 5xx, resets). */
  async get(path: string, query: Record<string, string | undefined> = {}, go: GetOptions = {}): Promise<HttpResult> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, v);
    const url = `${this.ctx.server}${path}${qs.size ? `?${qs.toString()}` : ''}`;
    const info = requestInfo(path, query);
    let reauthed = false;
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw this.closedError();
      await this.auth();
      const remaining = this.o.deadlineAt - Date.now();
      if (remaining <= 0) throw this.deadlineError();
      let res: Answer;
      try {
        res = await this.exchange(url, info, Math.min(this.o.timeoutMs, remaining), go);
      } catch (e) {
        if (e instanceof ItemFault) throw e.error;
        const code = (e as NodeJS.ErrnoException).code ?? '';
        // Closed while the request was in flight (the source is stopping): no retry.
        if (this.closed) throw this.closedError();
        if (isRetryableNetworkError(code) && attempt < this.o.maxRetries) {
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
      if (isRetryableStatus(res.status) && attempt < this.o.maxRetries) {
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

  /**
   * A streaming GET (a watch): each complete line of the body goes to `onLine` as it arrives.
   * Resolves when the server ends the stream (status 200) or with a non-2xx answer and its
   * body; rejects on a network failure (reset, refused, idle timeout) with the error's `code`.
   * One fresh-credentials retry on 401, no other retries: the caller decides how to resume.
   */
  async stream(path: string, query: Record<string, string | undefined>, onLine: (line: string) => void, so: StreamOptions): Promise<StreamEnd> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, v);
    const url = `${this.ctx.server}${path}${qs.size ? `?${qs.toString()}` : ''}`;
    const info = requestInfo(path, query);
    for (let reauthed = false; ; reauthed = true) {
      await this.auth(reauthed);
      const end = await this.streamOnce(url, info, onLine, so);
      if (end.status === 401 && !reauthed) continue;
      return end;
    }
  }

  private streamOnce(url: string, info: RequestInfo, onLine: (line: string) => void, so: StreamOptions): Promise<StreamEnd> {
    return new Promise((resolve, reject) => {
      if (so.signal?.aborted) return resolve({ status: 0 });
      let observed = false;
      const observe = (code: number, error?: string) => {
        if (observed || !this.o.onRequest) return;
        observed = true;
        this.o.onRequest({ context: this.ctx.name, ...info, code, ...(error ? { error } : {}) });
      };
      let timer: NodeJS.Timeout | undefined;
      const idle = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const err = new Error(`watch idle for ${so.idleTimeoutMs}ms`) as NodeJS.ErrnoException;
          err.code = 'REQUEST_TIMEOUT';
          req.destroy(err);
        }, so.idleTimeoutMs);
      };
      const onAbort = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: 0 });
      };
      const mod = this.isHttps ? https : http;
      const req = mod.request(
        url,
        { method: 'GET', agent: this.streamAgent, headers: { ...this.headers, Accept: 'application/json', 'User-Agent': USER_AGENT } },
        (res) => {
          const status = res.statusCode ?? 0;
          observe(status);
          idle();
          if (status < 200 || status > 299) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              clearTimeout(timer);
              so.signal?.removeEventListener('abort', onAbort);
              const text = Buffer.concat(chunks).toString('utf8');
              let body: unknown = text;
              try {
                body = JSON.parse(text);
              } catch {
                // not JSON: keep the text
              }
              resolve({ status, body });
            });
            return;
          }
          so.onOpen?.();
          res.setEncoding('utf8');
          let pending = '';
          res.on('data', (chunk: string) => {
            idle();
            pending += chunk;
            let nl: number;
            while ((nl = pending.indexOf('\n')) >= 0) {
              const line = pending.slice(0, nl);
              pending = pending.slice(nl + 1);
              if (line.trim()) onLine(line);
            }
          });
          res.on('error', (e) => {
            clearTimeout(timer);
            so.signal?.removeEventListener('abort', onAbort);
            reject(e);
          });
          res.on('end', () => {
            clearTimeout(timer);
            so.signal?.removeEventListener('abort', onAbort);
            if (pending.trim()) onLine(pending);
            resolve({ status });
          });
          res.on('close', () => {
            // Cut before the end of the chunked body: the connection was lost.
            if (res.complete) return;
            clearTimeout(timer);
            so.signal?.removeEventListener('abort', onAbort);
            reject(Object.assign(new Error('connection lost during the watch'), { code: 'ECONNRESET' }));
          });
        },
      );
      so.signal?.addEventListener('abort', onAbort, { once: true });
      idle();
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        so.signal?.removeEventListener('abort', onAbort);
        observe(0, e.code ?? 'ERROR');
        reject(e);
      });
      req.end();
    });
  }

  /** The one-line error for an answer the caller cannot use (`list pods failed: 500 …`). */
  failure(res: HttpResult, what: string): UserError {
    return new UserError(`${this.where}: ${what} failed: ${res.status} ${statusMessage(res.body, res.status)}`);
  }

  private async backoff(attempt: number, hintMs?: number): Promise<void> {
    const base = Math.min(8_000, 250 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
    const wait = Math.min(hintMs !== undefined && hintMs >= 0 ? hintMs : base, 30_000);
    if (Date.now() + wait >= this.o.deadlineAt) throw this.deadlineError();
    await sleep(wait);
  }

  private deadlineError(): UserError {
    return new NoAnswer(this.where, 'the scan did not finish before its deadline');
  }

  private networkError(e: unknown, code: string): UserError {
    const msg = firstLine(e);
    if (isTlsErrorCode(code) || /certificate|ssl|tls/i.test(msg))
      return new UserError(
        `${this.where}: TLS verification failed: ${msg}${code && !msg.includes(code) ? ` (${code})` : ''}; check certificate-authority in the kubeconfig`,
        { cause: e },
      );
    if (code === 'REQUEST_TIMEOUT') return new NoAnswer(this.where, `no answer within ${this.o.timeoutMs % 1000 === 0 ? `${this.o.timeoutMs / 1000}s` : `${Math.round(this.o.timeoutMs)}ms`}`, e);
    return new UserError(`${this.where}: cannot connect: ${msg}`, { cause: e });
  }

  /**
   * One HTTP request, the only place one is sent: the observer hears of it once, when the
   * status line arrives or when the request fails without one.
   */
  private exchange(url: string, info: RequestInfo, timeoutMs: number, go: GetOptions): Promise<Answer> {
    let observed = false;
    const observe = (code: number, error?: string) => {
      if (observed || !this.o.onRequest) return;
      observed = true;
      this.o.onRequest({ context: this.ctx.name, ...info, code, ...(error ? { error } : {}) });
    };
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
          const status = res.statusCode ?? 0;
          observe(status);
          const fail = (e: Error) => {
            clearTimeout(timer);
            reject(e);
          };
          // A gzipped body is inflated as it arrives, not once it is all here.
          let body: Readable = res;
          if (res.headers['content-encoding'] === 'gzip') {
            const gunzip = createGunzip();
            res.on('error', fail);
            gunzip.on('error', (e) => {
              res.destroy();
              fail(e);
            });
            body = res.pipe(gunzip);
          }
          const ok = status >= 200 && status <= 299;
          const list = ok && go.item ? new ListBodyReader(go.item) : undefined;
          // The whole body, or (a list read as it arrives) its first bytes while `peek` looks.
          const chunks: Buffer[] = [];
          let size = 0;
          let peek = ok ? go.onHead : undefined;
          let faulted = false;
          const failItem = (e: unknown) => {
            faulted = true;
            clearTimeout(timer);
            res.destroy();
            reject(new ItemFault(e));
          };
          body.on('data', (c: Buffer) => {
            if (faulted) return;
            size += c.length;
            if (!list || peek) chunks.push(c);
            if (peek && (peek(chunks.length === 1 ? c : Buffer.concat(chunks)) || size >= HEAD_BYTES)) peek = undefined;
            if (!list) return;
            if (!peek) chunks.length = 0;
            try {
              list.write(c);
            } catch (e) {
              failItem(e);
            }
          });
          body.on('error', fail);
          body.on('end', () => {
            clearTimeout(timer);
            if (faulted) return;
            if (list) {
              let parsed: unknown;
              try {
                parsed = list.end();
              } catch (e) {
                return failItem(e);
              }
              return resolve({ status, body: parsed, retryAfter: res.headers['retry-after'] });
            }
            const text = Buffer.concat(chunks, size).toString('utf8');
            chunks.length = 0;
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // Not JSON (a proxy's HTML page): keep the text for the message.
            }
            resolve({ status, body: parsed, retryAfter: res.headers['retry-after'] });
          });
        },
      );
      const timer = setTimeout(() => {
        const err = new Error(`request timed out after ${timeoutMs}ms`) as NodeJS.ErrnoException;
        err.code = 'REQUEST_TIMEOUT';
        req.destroy(err);
      }, timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        observe(0, e.code ?? 'ERROR');
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
