/** A small HTTP(S) client for test setup (pushing images): node:https with an explicit CA. */
import http from 'node:http';
import https from 'node:https';

export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function request(
  url: string | URL,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string; ca?: string } = {},
): Promise<TestResponse> {
  const u = typeof url === 'string' ? new URL(url) : url;
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: opts.method ?? 'GET',
        headers: {
          ...(opts.headers ?? {}),
          ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
        },
        agent: false,
        ...(opts.ca ? { ca: opts.ca } : {}),
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`test request to ${u.host} timed out`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}
