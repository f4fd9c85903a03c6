/**
 * serve's HTTP endpoints:
 *
 *   GET /metrics          Prometheus text format (prom-client)
 *   GET /report.json      the current report, schema v1 (as `-o json`); 503 before the first sync
 *   GET /healthz          the process is alive: 200 `ok`
 *   GET /readyz           initial sync done and API server reachable: 200, else 503; plain text,
 *                         with what the scan could not read
 *   GET /                 the current findings (HTML)
 *   GET /runbooks/<id>    a rule's runbook (rules/<id>.md) or a serve alert's, as HTML
 *
 * Only GET and HEAD; everything else is 405. A handler failure is a 500 with one line.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { findRule } from '../../rules/index.js';
import { UserError } from '../model/errors.js';
import { readRunbook } from '../paths.js';
import { renderJson } from '../report/json.js';
import { firstLine } from '../util/text.js';
import { ALERT_RUNBOOKS } from './alert-runbooks.js';
import { HTML_CSP, indexPage, notFoundPage, runbookPage } from './html.js';
import type { ServeMetrics } from './metrics.js';
import type { ServeService } from './service.js';

export interface ListenAddress {
  /** undefined: every interface. */
  host?: string;
  port: number;
}

/**
 * `--listen`: `HOST:PORT`, `:PORT` (every interface) or `[IPV6]:PORT`.
 * Throws a UserError naming the flag.
 */
export function parseListen(s: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(s.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new UserError(`--listen: expected HOST:PORT or :PORT (e.g. 127.0.0.1:9489 or :9489), got "${s}"`);
  const host = m[1] ?? m[2];
  return host ? { host, port } : { port };
}

export interface RunningServer {
  /** `http://HOST:PORT` as bound (the real port when 0 was asked for). */
  url: string;
  close(graceMs?: number): Promise<void>;
}

type Send = (status: number, type: string, body: string, headers?: Record<string, string>) => void;

const TEXT = 'text/plain; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

async function route(path: string, send: Send, service: ServeService, metrics: ServeMetrics): Promise<void> {
  if (path === '/metrics') return send(200, metrics.contentType, await metrics.text());
  if (path === '/healthz') return send(200, TEXT, 'ok\n');
  if (path === '/readyz') {
    const r = service.readiness();
    return send(r.ready ? 200 : 503, TEXT, r.lines.join('\n') + '\n');
  }
  if (path === '/report.json') {
    const cur = service.view;
    if (!cur) return send(503, TEXT, `${service.readiness().lines.join('\n')}\n`);
    return send(200, 'application/json; charset=utf-8', renderJson(cur.view.report));
  }
  if (path === '/') return send(200, HTML, indexPage({ readiness: service.readiness(), ...(service.view ? { current: service.view } : {}) }));
  const rb = /^\/runbooks\/([^/]+)$/.exec(path);
  if (rb) {
    let id: string;
    try {
      id = decodeURIComponent(rb[1]!);
    } catch {
      return send(400, TEXT, 'bad runbook name\n');
    }
    const markdown = ALERT_RUNBOOKS[id] ?? (findRule(id) ? readRunbook(id) : undefined);
    if (markdown === undefined) return send(404, HTML, notFoundPage(`no runbook named "${id}"`));
    return send(200, HTML, runbookPage(id, markdown));
  }
  return send(404, TEXT, 'not found\n');
}

/** Listen; resolves once bound. A bind failure is a UserError naming the address. */
export async function startHttpServer(
  addr: ListenAddress,
  service: ServeService,
  metrics: ServeMetrics,
  log: (line: string) => void = () => {},
): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    const send: Send = (status, type, body, headers = {}) => {
      res.writeHead(status, {
        'Content-Type': type,
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...(type === HTML ? { 'Content-Security-Policy': HTML_CSP } : {}),
        ...headers,
      });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, TEXT, 'method not allowed\n', { Allow: 'GET, HEAD' });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    route(path, send, service, metrics).catch((e: unknown) => {
      log(`${req.method} ${path} failed: ${firstLine(e)}`);
      if (!res.headersSent) send(500, TEXT, 'internal error\n');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000; // longer than Prometheus' idle connections
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = `${addr.host ?? ''}:${addr.port}`;
      const why = e.code === 'EADDRINUSE' ? 'address already in use' : e.code === 'EACCES' ? 'permission denied' : firstLine(e);
      reject(new UserError(`cannot listen on ${where}: ${why}`, { cause: e }));
    });
    server.listen(addr.port, addr.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}`,
    close(graceMs = 5_000) {
      return new Promise<void>((resolve) => {
        // Stop accepting, let requests in flight finish (up to graceMs), drop idle keep-alives.
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
