/**
 * HTTP for the probe, through node:http/node:https (not the global fetch) so it can take a CA
 * list, follow redirects itself and decide per hop whether an Authorization header may go
 * there. Safety rules:
 * - the Authorization header goes only to the hosts the caller names (the registry host, or the
 *   token realm for Basic credentials); a redirect elsewhere is followed without it;
 * - only over HTTPS, unless the host is listed as insecure (then plain HTTP is allowed there);
 * - every response body is read up to a cap or the socket is destroyed; every request has a
 *   timeout and honours the overall deadline;
 * - errors say hosts and error codes only (see net-error.ts), never a header.
 */
import http from 'node:http';
import https from 'node:https';

import { classifyNodeError, NetError } from './net-error.js';
import { normalizeHost } from './target.js';

const MAX_REDIRECTS = 5;
/** Error bodies and token responses are small; anything larger is cut (and the socket closed). */
export const MAX_SMALL_BODY = 64 * 1024;
const USER_AGENT = 'pulldoctor-probe';

/** `--insecure-registry` entries: `host[:port]`, tolerating a scheme or a trailing slash. */
export function normalizeInsecure(entries: readonly string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const raw of entries ?? []) {
    const e = raw.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
    if (!e) continue;
    out.add(e.toLowerCase());
    out.add(normalizeHost(e));
  }
  return out;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every `WWW-Authenticate` value, unjoined. */
  wwwAuthenticate: string[];
  body: Buffer;
  truncated: boolean;
  url: URL;
}

export interface TransportOptions {
  /** CA certificates (PEM) replacing the default trust store; undefined → Node's defaults (incl. NODE_EXTRA_CA_CERTS). */
  ca?: string[];
  requestTimeoutMs: number;
  /** Aborts every request when the overall deadline passes. */
  signal?: AbortSignal;
  /** Hosts (`host[:port]`) that may be reached over plain HTTP. */
  insecure: Set<string>;
  maxSockets?: number;
}

export interface SendRequest {
  method: 'GET' | 'HEAD';
  url: URL;
  headers?: Record<string, string>;
  /** Sent only to hosts in `authHosts`, and only over HTTPS or to an insecure-listed host. */
  authorization?: string;
  authHosts?: ReadonlySet<string>;
  maxBody?: number;
}

/** HTTP(S) with per-request timeouts, a deadline, capped bodies and a careful redirect policy. */
export class Transport {
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;
  constructor(readonly opts: TransportOptions) {
    const maxSockets = opts.maxSockets ?? 8;
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, ...(opts.ca ? { ca: opts.ca } : {}) });
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  }

  isInsecure(host: string): boolean {
    return this.opts.insecure.has(host.toLowerCase());
  }

  /** May this URL be used at all (HTTPS, or HTTP to an insecure-listed host)? */
  allowed(url: URL): boolean {
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && this.isInsecure(url.host);
  }

  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }

  async send(req: SendRequest): Promise<RawResponse> {
    let url = req.url;
    let method = req.method;
    for (let hop = 0; ; hop++) {
      if (!this.allowed(url)) {
        throw new NetError(
          'policy',
          hop === 0
            ? `refusing plain HTTP to ${url.host} (list it with --insecure-registry to allow)`
            : `refusing a redirect to plain HTTP ${url.host} (list it with --insecure-registry to allow)`,
        );
      }
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...(req.headers ?? {}) };
      if (req.authorization !== undefined && req.authHosts?.has(url.host.toLowerCase())) headers.authorization = req.authorization;
      const res = await this.once(method, url, headers, req.maxBody ?? MAX_SMALL_BODY);
      const location = res.headers.location;
      if ([301, 302, 303, 307, 308].includes(res.status) && typeof location === 'string' && location) {
        if (hop >= MAX_REDIRECTS) throw new NetError('protocol', `too many redirects from ${req.url.host}`);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new NetError('protocol', `${url.host} redirected to an invalid location`);
        }
        if (next.username || next.password) {
          next.username = '';
          next.password = '';
        }
        if (res.status === 303 && method !== 'HEAD') method = 'GET';
        url = next;
        continue;
      }
      return res;
    }
  }

  private once(method: string, url: URL, headers: Record<string, string>, maxBody: number): Promise<RawResponse> {
    const { signal, requestTimeoutMs } = this.opts;
    return new Promise<RawResponse>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new NetError('deadline', 'the overall probe deadline passed'));
        return;
      }
      let settled = false;
      const timer = setTimeout(
        () => fail(new NetError('timeout', `no answer from ${url.protocol}//${url.host} within ${requestTimeoutMs} ms`)),
        requestTimeoutMs,
      );
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        cleanup();
        req.destroy();
        reject(classifyNodeError(err, url));
      };
      const onAbort = () => fail(new NetError('deadline', 'the overall probe deadline passed'));
      const secure = url.protocol === 'https:';
      const options: https.RequestOptions = {
        method,
        headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
      };
      const req = (secure ? https : http).request(url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const done = () => {
          if (settled) return;
          settled = true;
          cleanup();
          const raw = res.rawHeaders;
          const www: string[] = [];
          for (let k = 0; k + 1 < raw.length; k += 2) if (raw[k]!.toLowerCase() === 'www-authenticate') www.push(raw[k + 1]!);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, wwwAuthenticate: www, body: Buffer.concat(chunks), truncated, url });
        };
        res.on('data', (c: Buffer) => {
          if (settled) return;
          if (size + c.length > maxBody) {
            chunks.push(c.subarray(0, Math.max(0, maxBody - size)));
            size = maxBody;
            truncated = true;
            res.destroy(); // do not read (or hang on) the rest
            done();
            return;
          }
          chunks.push(c);
          size += c.length;
        });
        res.on('end', done);
        res.on('error', fail);
        res.on('close', () => {
          if (!settled && !res.complete) fail(new NetError('unreachable', `connection to ${url.host} closed before the response was complete`));
          else done();
        });
      });
      req.on('error', fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end();
    });
  }
}

/** A response header as one string (repeated headers joined). */
export function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
