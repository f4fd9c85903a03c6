/**
 * A small Docker Registry token service (the distribution token spec) for the Bearer-flow
 * tests: HTTPS on 127.0.0.1, `GET /token?service=…&scope=repository:<name>:<actions>` with
 * optional Basic credentials; it grants the intersection of the requested scope and the
 * user's ACL and signs an RS256 JWT whose `x5c` header carries a certificate the registry
 * trusts through `rootcertbundle`. Wrong credentials → 401 (as Docker Hub's auth service).
 */
import { createSign, randomBytes, timingSafeEqual } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

import type { ServerCert, SigningCert } from './pki.js';

export interface TokenUser {
  password: string;
  /** repository name → allowed actions (`pull`, `push`, …). */
  access: Record<string, string[]>;
}

export interface TokenServiceOptions {
  tls: ServerCert;
  signer: SigningCert;
  service: string;
  issuer: string;
  users: Record<string, TokenUser>;
  /** What anonymous callers get (default: nothing). */
  anonymous?: Record<string, string[]>;
}

export interface TokenRequestLog {
  /** The authenticated user, `anonymous`, or `rejected:<user>`. */
  who: string;
  scope: string[];
  service?: string;
  status: number;
}

export interface TokenService {
  realm: string;
  host: string;
  log: TokenRequestLog[];
  /** Mint a token directly (for pushing test images). */
  mint(sub: string, access: { type: string; name: string; actions: string[] }[]): string;
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signJwt(signer: SigningCert, claims: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'RS256', x5c: [signer.certDerBase64] };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = createSign('RSA-SHA256').update(input).sign(signer.keyPem);
  return `${input}.${b64url(sig)}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startTokenService(opts: TokenServiceOptions): Promise<TokenService> {
  const log: TokenRequestLog[] = [];
  const mint = (sub: string, access: { type: string; name: string; actions: string[] }[]) => {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(opts.signer, {
      iss: opts.issuer,
      sub,
      aud: opts.service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access,
    });
  };

  const server = https.createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://token.invalid');
    const scopes = url.searchParams.getAll('scope');
    const service = url.searchParams.get('service') ?? undefined;
    const send = (status: number, body: unknown, who: string) => {
      log.push({ who, scope: scopes, ...(service !== undefined ? { service } : {}), status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/token' || req.method !== 'GET') return send(404, { details: 'not found' }, 'none');
    if (service !== opts.service) return send(400, { details: 'unknown service' }, 'none');

    let who = 'anonymous';
    let acl = opts.anonymous ?? {};
    const auth = req.headers.authorization;
    if (auth) {
      const m = /^Basic\s+(\S+)$/i.exec(auth);
      const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      const user = colon >= 0 ? decoded.slice(0, colon) : '';
      const pass = colon >= 0 ? decoded.slice(colon + 1) : '';
      const entry = Object.hasOwn(opts.users, user) ? opts.users[user] : undefined;
      if (!entry || !safeEqual(entry.password, pass)) return send(401, { details: 'incorrect username or password' }, `rejected:${user}`);
      who = user;
      acl = entry.access;
    }
    const access: { type: string; name: string; actions: string[] }[] = [];
    for (const scope of scopes) {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || !name || !actions) continue;
      const allowed = Object.hasOwn(acl, name) ? acl[name]! : [];
      const granted = actions.split(',').filter((a) => allowed.includes(a));
      if (granted.length) access.push({ type, name, actions: granted });
    }
    const token = mint(who, access);
    send(200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }, who);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `https://127.0.0.1:${port}/token`,
    host: `127.0.0.1:${port}`,
    log,
    mint,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
