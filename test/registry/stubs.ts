/**
 * Tiny node:http stand-ins for registry behaviours a real registry will not produce on demand:
 * Docker Hub's 429 with rate-limit headers, cross-host redirects, a server that never answers.
 * Every request is recorded (method, path, whether an Authorization header came — never its value).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

import type { ServerCert } from './pki.js';

export interface StubRequest {
  method: string;
  path: string;
  hasAuthorization: boolean;
}

export interface Stub {
  host: string;
  port: number;
  url: string;
  requests: StubRequest[];
  stop(): Promise<void>;
}

export type StubHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export async function startStub(handler: StubHandler, tls?: ServerCert): Promise<Stub> {
  const requests: StubRequest[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', hasAuthorization: req.headers.authorization !== undefined });
    handler(req, res);
  };
  const server = tls ? https.createServer({ cert: tls.certPem, key: tls.keyPem }, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    port,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Docker Hub's answer when the pull limit is used up. */
export function rateLimitedStub(): Promise<Stub> {
  return startStub((req, res) => {
    if (req.url === '/v2/') return json(res, 200, {});
    json(
      res,
      429,
      { errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.' }] },
      { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600', 'docker-ratelimit-source': '192.0.2.1' },
    );
  });
}
