/**
 * The registry probe against real CNCF Distribution registries (Debian's `docker-registry`)
 * started on 127.0.0.1 with generated configs: htpasswd + TLS, plain HTTP, and token auth with
 * a token service written here; plus small node:http stubs for 429s, redirects and timeouts.
 *
 * These tests never skip: without docker-registry they fail, saying `.ci/run` installs it.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { seal } from '../src/credentials/vault.js';
import type { ContainerProbe } from '../src/model/finding.js';
import type { ProbeTarget } from '../src/model/probe.js';
import { buildCaList, probeTargets, ProbeConfigError, type ProbeOptions } from '../src/probe/probe.js';
import { parseChallenges } from '../src/probe/challenge.js';
import { scrub } from '../src/probe/credential.js';
import { classifyNodeError } from '../src/probe/net-error.js';
import { parseErrorBody } from '../src/probe/outcome.js';
import { registryHost } from '../src/probe/target.js';
import { DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, pushTestImage, sha256, type PushedImage } from './registry/images.js';
import { makeCa, makeServerCert, makeSigningCert, type Ca, type ServerCert } from './registry/pki.js';
import {
  requireDockerRegistry,
  requireHtpasswd,
  requireOpenssl,
  startRegistry,
  writeHtpasswd,
  type RegistryInstance,
} from './registry/registry.js';
import { unusedPort } from './helpers/ports.js';
import { json, rateLimitedStub, startStub, type Stub } from './registry/stubs.js';
import { startTokenService, type TokenService } from './registry/token-service.js';

// ───────────── secrets of this run (random, so nothing can match them by accident) ─────────────

const pw = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const SECRETS = {
  alice: pw('alice'),
  wrong: pw('wrong'),
  wrong2: pw('wrong2'),
  bob: pw('bob'),
  stub: pw('stub'),
};
const SECRET_VALUES = Object.values(SECRETS);
const b64 = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString('base64');
const FORBIDDEN = [
  ...SECRET_VALUES,
  b64('alice', SECRETS.alice),
  b64('alice', SECRETS.wrong),
  b64('alice', SECRETS.wrong2),
  b64('bob', SECRETS.bob),
  b64('alice', SECRETS.stub),
];

/** Everything the probe produced or printed, scanned for secrets at the end. */
const outputs: string[] = [];
const record = (m: Map<string, ContainerProbe>) => {
  outputs.push(JSON.stringify([...m]), inspect([...m], { depth: 10 }));
  return m;
};

const REPO = 'team/app';
const SERVICE = 'pulldoctor-test-registry';
const ISSUER = 'pulldoctor-test-issuer';

let ca: Ca;
let serverCert: ServerCert;
let basicReg: RegistryInstance;
let plainReg: RegistryInstance;
let tokenReg: RegistryInstance;
let tokenSvc: TokenService;
let basicImage: PushedImage;
let plainImage: PushedImage;
let tokenImage: PushedImage;
const stubs: Stub[] = [];

const cred = (secret: string, username: string, password: string, registryKey = 'registry') => ({
  secret,
  registryKey,
  username,
  credential: seal({ username, password }),
});

function target(
  key: string,
  host: string,
  ref: { path?: string; tag?: string; digest?: string },
  credentials: ProbeTarget['credentials'] = [],
): ProbeTarget {
  return {
    key,
    domain: host,
    path: ref.path ?? REPO,
    ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
    ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
    credentials,
  };
}

async function probeOne(t: ProbeTarget, opts: ProbeOptions = {}): Promise<ContainerProbe> {
  const m = record(await probeTargets([t], { caFiles: [ca.certFile], requestTimeoutMs: 5_000, ...opts }));
  const p = m.get(t.key);
  if (!p) throw new Error(`no probe result for ${t.key}`);
  return p;
}

const logged: string[] = [];

beforeAll(async () => {
  // Loud, never skipped: the lead's .ci/run installs these.
  requireDockerRegistry();
  requireHtpasswd();
  requireOpenssl();
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
    });
  }

  ca = makeCa('pulldoctor-probe-test-ca');
  serverCert = makeServerCert(ca, 'registry');
  const caPem = ca.certPem;

  // 1. htpasswd (bcrypt) + TLS
  const htDir = ca.dir;
  const htpasswd = writeHtpasswd(htDir, { alice: SECRETS.alice });
  basicReg = await startRegistry({ tls: serverCert, auth: { htpasswd: { realm: 'pulldoctor-basic', path: htpasswd } } });
  basicImage = await pushTestImage({ base: basicReg.url, ca: caPem, authorization: () => `Basic ${b64('alice', SECRETS.alice)}` }, REPO);

  // 2. plain HTTP, no auth
  plainReg = await startRegistry({});
  plainImage = await pushTestImage({ base: plainReg.url }, REPO);

  // 3. token auth, with our token service
  const signer = makeSigningCert(ca.dir);
  tokenSvc = await startTokenService({
    tls: serverCert,
    signer,
    service: SERVICE,
    issuer: ISSUER,
    users: {
      alice: { password: SECRETS.alice, access: { [REPO]: ['pull'], 'team/missing': ['pull'] } },
      bob: { password: SECRETS.bob, access: { 'other/thing': ['pull'] } },
    },
  });
  tokenReg = await startRegistry({
    tls: serverCert,
    auth: { token: { realm: tokenSvc.realm, service: SERVICE, issuer: ISSUER, rootcertbundle: signer.certFile } },
  });
  tokenImage = await pushTestImage(
    {
      base: tokenReg.url,
      ca: caPem,
      authorization: (repo) => `Bearer ${tokenSvc.mint('pusher', [{ type: 'repository', name: repo, actions: ['pull', 'push'] }])}`,
    },
    REPO,
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([basicReg?.stop(), plainReg?.stop(), tokenReg?.stop(), tokenSvc?.stop(), ...stubs.map((s) => s.stop())]);
  if (ca) rmSync(ca.dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('prerequisites', () => {
  it('docker-registry and htpasswd are installed (.ci/run installs them)', () => {
    expect(requireDockerRegistry()).toMatch(/docker-registry$/);
    expect(requireHtpasswd()).toMatch(/htpasswd$/);
  });
});

describe('protocol helpers', () => {
  it('parses RFC 7235 challenges', () => {
    expect(
      parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
      },
    ]);
    expect(parseChallenges('Basic realm="Registry Realm"')).toEqual([{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    expect(parseChallenges('Basic realm="a, \\"b\\"", Bearer realm="https://x/t" , error=insufficient_scope')).toEqual([
      { scheme: 'basic', params: { realm: 'a, "b"' } },
      { scheme: 'bearer', params: { realm: 'https://x/t', error: 'insufficient_scope' } },
    ]);
    expect(parseChallenges(['Negotiate abc+/def==', 'BASIC REALM=x'])).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'abc+/def==' },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
    expect(parseChallenges('Bearer')).toEqual([{ scheme: 'bearer', params: {} }]);
    expect(parseChallenges(undefined)).toEqual([]);
  });

  it('parses registry error bodies', () => {
    expect(parseErrorBody('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}')).toEqual([
      { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' },
    ]);
    expect(parseErrorBody('<html>nope</html>')).toEqual([]);
    expect(parseErrorBody('')).toEqual([]);
  });

  it('maps Docker Hub names to its real endpoint', () => {
    expect(registryHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryHost('index.docker.io')).toBe('registry-1.docker.io');
    expect(registryHost('registry-1.docker.io')).toBe('registry-1.docker.io');
    expect(registryHost('Registry.Example.com:443')).toBe('registry.example.com');
    expect(registryHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });

  it('says what a certificate failure means and what to do (Node/OpenSSL verify codes and texts)', () => {
    const url = new URL('https://registry.example.com:5000/v2/');
    const said = (code: string, message: string) => {
      const e = classifyNodeError(Object.assign(new Error(message), { code }), url);
      expect(e.kind).toBe('tls');
      return e.message;
    };
    const failed = 'TLS handshake with https://registry.example.com:5000 failed';
    for (const [code, text] of [
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
      ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate'],
      ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
    ]) {
      expect(said(code!, text!)).toBe(
        `${failed}: certificate signed by an unknown authority (pass the CA with --registry-ca FILE or NODE_EXTRA_CA_CERTS) [${code}]`,
      );
    }
    expect(said('CERT_HAS_EXPIRED', 'certificate has expired')).toBe(`${failed}: the server certificate has expired [CERT_HAS_EXPIRED]`);
    expect(said('CERT_NOT_YET_VALID', 'certificate is not yet valid')).toBe(
      `${failed}: the server certificate is not yet valid (check the clocks) [CERT_NOT_YET_VALID]`,
    );
    expect(said('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames")).toBe(
      `${failed}: the certificate is not valid for registry.example.com (Hostname/IP does not match certificate's altnames) [ERR_TLS_CERT_ALTNAME_INVALID]`,
    );
    expect(said('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number')).toBe(
      `${failed}: the server does not speak TLS — it looks like a plain-HTTP registry (to allow that, list registry.example.com:5000 with --insecure-registry) [ERR_SSL_WRONG_VERSION_NUMBER]`,
    );
    expect(said('CERT_REVOKED', 'certificate revoked')).toBe(`${failed}: certificate revoked [CERT_REVOKED]`);
  });

  it('scrubs secrets', () => {
    expect(scrub(`x ${SECRETS.alice} y`, [SECRETS.alice])).toBe('x [redacted] y');
  });

  it('builds a CA list from --registry-ca files and NODE_EXTRA_CA_CERTS', () => {
    const extra = path.join(ca.dir, 'extra.pem');
    writeFileSync(extra, makeCa('extra-ca', ca.dir).certPem);
    expect(buildCaList(undefined)).toBeUndefined();
    const list = buildCaList([ca.certFile], { NODE_EXTRA_CA_CERTS: extra })!;
    expect(list).toContain(ca.certPem);
    expect(list.some((p) => p.includes('BEGIN CERTIFICATE') && p !== ca.certPem && p.length > 0)).toBe(true);
    expect(list.length).toBeGreaterThan(100); // Node's roots stay trusted
    expect(() => buildCaList([path.join(ca.dir, 'nope.pem')])).toThrow(ProbeConfigError);
    expect(() => buildCaList([path.join(ca.dir, 'nope.pem')])).toThrow(/--registry-ca .*nope\.pem: cannot read it \(ENOENT\)/);
  });
});

describe('htpasswd + TLS registry', () => {
  const alice = () => cred('regcred', 'alice', SECRETS.alice, basicReg.host);

  it('right credentials and an existing tag → ok with the digest', async () => {
    const p = await probeOne(target('ns/pod/app', basicReg.host, { tag: '1.0' }, [alice()]));
    expect(p.outcome).toBe('ok');
    expect(p.registry).toBe(basicReg.host);
    expect(p.from).toMatch(/^this machine \(.+\)$/);
    expect(p.attempts).toHaveLength(1);
    expect(p.attempts[0]).toMatchObject({
      credential: 'regcred',
      username: 'alice',
      registryKey: basicReg.host,
      outcome: 'ok',
      httpStatus: 200,
      digest: basicImage.single.digest,
      mediaType: OCI_MANIFEST,
    });
    expect(p.attempts[0]!.platforms).toBeUndefined();
  });

  it('a Docker v2 manifest and a digest reference', async () => {
    const d = await probeOne(target('d', basicReg.host, { tag: 'docker' }, [alice()]));
    expect(d.attempts[0]).toMatchObject({ outcome: 'ok', mediaType: DOCKER_MANIFEST, digest: basicImage.docker.digest });
    const byDigest = await probeOne(target('g', basicReg.host, { digest: basicImage.single.digest }, [alice()]));
    expect(byDigest.attempts[0]).toMatchObject({ outcome: 'ok', digest: basicImage.single.digest });
  });

  it('the multi-arch index → platforms listed', async () => {
    const p = await probeOne(target('m', basicReg.host, { tag: 'multi' }, [alice()]));
    expect(p.attempts[0]).toMatchObject({ outcome: 'ok', mediaType: OCI_INDEX, digest: basicImage.index.digest });
    expect(p.attempts[0]!.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('wrong password → credentials-rejected', async () => {
    const p = await probeOne(target('w', basicReg.host, { tag: '1.0' }, [cred('oldcred', 'alice', SECRETS.wrong, basicReg.host)]));
    expect(p.outcome).toBe('credentials-rejected');
    expect(p.attempts[0]).toMatchObject({ credential: 'oldcred', username: 'alice', httpStatus: 401 });
    expect(p.attempts[0]!.detail).toMatch(/rejected the credentials of user "alice"/);
  });

  it('missing tag → tag-not-found', async () => {
    const p = await probeOne(target('t', basicReg.host, { tag: '9.9.9' }, [alice()]));
    expect(p.outcome).toBe('tag-not-found');
    expect(p.attempts[0]!.httpStatus).toBe(404);
    expect(p.attempts[0]!.detail).toMatch(/tag "9\.9\.9" not found in .*team\/app; the repository exists/);
  });

  it('missing digest → tag-not-found (the manifest is unknown)', async () => {
    const missing = 'sha256:' + '0'.repeat(64);
    const p = await probeOne(target('t2', basicReg.host, { digest: missing }, [alice()]));
    expect(p.outcome).toBe('tag-not-found');
    expect(p.attempts[0]!.detail).toContain(`manifest ${missing} not found`);
  });

  it('missing repository → repository-not-found', async () => {
    const p = await probeOne(target('r', basicReg.host, { path: 'team/nope', tag: '1.0' }, [alice()]));
    expect(p.outcome).toBe('repository-not-found');
    expect(p.attempts[0]!.detail).toMatch(/repository .*team\/nope does not exist/);
  });

  it('no credentials → one anonymous attempt, refused by the Basic challenge', async () => {
    const p = await probeOne(target('a', basicReg.host, { tag: '1.0' }));
    expect(p.attempts).toHaveLength(1);
    expect(p.attempts[0]).toMatchObject({ credential: 'anonymous', outcome: 'credentials-rejected', httpStatus: 401 });
    expect(p.attempts[0]!.username).toBeUndefined();
    expect(p.attempts[0]!.detail).toMatch(/anonymous pull refused.*Basic realm "pulldoctor-basic"/);
  });

  it('kubelet order: stops at the first success, records every attempt, else the last outcome decides', async () => {
    const wrong = cred('stale', 'alice', SECRETS.wrong, basicReg.host);
    const wrong2 = cred('older', 'alice', SECRETS.wrong2, basicReg.host);
    const m = record(
      await probeTargets(
        [
          target('wrong-then-right', basicReg.host, { tag: '1.0' }, [wrong, alice()]),
          target('right-then-wrong', basicReg.host, { tag: '1.0' }, [alice(), wrong]),
          target('both-wrong', basicReg.host, { tag: '1.0' }, [wrong, wrong2]),
        ],
        { caFiles: [ca.certFile] },
      ),
    );
    expect([...m.keys()]).toEqual(['wrong-then-right', 'right-then-wrong', 'both-wrong']);
    const a = m.get('wrong-then-right')!;
    expect(a.attempts.map((x) => [x.credential, x.outcome])).toEqual([
      ['stale', 'credentials-rejected'],
      ['regcred', 'ok'],
    ]);
    expect(a.outcome).toBe('ok');
    const b = m.get('right-then-wrong')!;
    expect(b.attempts.map((x) => x.credential)).toEqual(['regcred']);
    const c = m.get('both-wrong')!;
    expect(c.attempts.map((x) => x.credential)).toEqual(['stale', 'older']);
    expect(c.outcome).toBe('credentials-rejected');
  });

  it('untrusted CA → tls-error; trusted through the registry-CA option → ok', async () => {
    const t = target('tls', basicReg.host, { tag: '1.0' }, [alice()]);
    const untrusted = await probeOne(t, { caFiles: [] });
    expect(untrusted.outcome).toBe('tls-error');
    expect(untrusted.attempts[0]!.detail).toMatch(/unknown authority.*--registry-ca/);
    const trusted = await probeOne(t, { caFiles: [ca.certFile] });
    expect(trusted.outcome).toBe('ok');
  });

  it('a certificate for another name → tls-error', async () => {
    const wrongName = makeServerCert(ca, 'wrong-name', 'DNS:registry.invalid');
    const s = await startStub((_req, res) => json(res, 200, {}), wrongName);
    stubs.push(s);
    const p = await probeOne(target('name', s.host, { tag: '1.0' }));
    expect(p.outcome).toBe('tls-error');
    expect(p.attempts[0]!.detail).toMatch(/not valid for 127\.0\.0\.1/);
  });
});

describe('plain-HTTP registry', () => {
  it('without --insecure-registry → tls-error that says so', async () => {
    const p = await probeOne(target('h', plainReg.host, { tag: '1.0' }));
    expect(p.outcome).toBe('tls-error');
    expect(p.attempts[0]!.detail).toContain(`plain-HTTP registry (to allow that, list ${plainReg.host} with --insecure-registry)`);
  });

  it('with --insecure-registry → ok over plain HTTP', async () => {
    const p = await probeOne(target('h2', plainReg.host, { tag: 'multi' }), { insecureRegistries: [plainReg.host] });
    expect(p.outcome).toBe('ok');
    expect(p.attempts[0]).toMatchObject({ digest: plainImage.index.digest, platforms: ['linux/amd64', 'linux/arm64'] });
    expect(p.attempts[0]!.detail).toMatch(/over plain HTTP/);
  });

  it('credentials are never sent over plain HTTP to a host that is not listed', async () => {
    const s = await startStub((req, res) => json(res, 401, {}, { 'www-authenticate': 'Basic realm="x"' }));
    stubs.push(s);
    const p = await probeOne(target('hp', s.host, { tag: '1.0' }, [cred('c', 'alice', SECRETS.stub)]));
    expect(p.outcome).toBe('tls-error');
    expect(s.requests.every((r) => !r.hasAuthorization)).toBe(true);
  });
});

describe('unreachable and slow registries', () => {
  it('closed port → unreachable', async () => {
    const port = await unusedPort(); // nothing listens there
    const p = await probeOne(target('c', `127.0.0.1:${port}`, { tag: '1.0' }, [cred('c', 'alice', SECRETS.alice)]));
    expect(p.outcome).toBe('unreachable');
    expect(p.attempts[0]!.detail).toMatch(/refused/);
  });

  it('a registry that never answers → unreachable after the request timeout, sockets released', async () => {
    const s = await startStub(() => {
      /* never answer */
    });
    stubs.push(s);
    const started = Date.now();
    const p = await probeOne(target('slow', s.host, { tag: '1.0' }), { insecureRegistries: [s.host], requestTimeoutMs: 300 });
    expect(p.outcome).toBe('unreachable');
    expect(p.attempts[0]!.detail).toMatch(/within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the overall deadline ends every probe', async () => {
    const s = await startStub(() => {
      /* never answer */
    });
    stubs.push(s);
    const m = record(
      await probeTargets(
        [target('d1', s.host, { tag: '1' }), target('d2', s.host, { tag: '2' })],
        { insecureRegistries: [s.host], requestTimeoutMs: 10_000, deadlineMs: 300 },
      ),
    );
    for (const p of m.values()) {
      expect(p.outcome).toBe('error');
      expect(p.attempts[0]!.detail).toMatch(/deadline/);
    }
  });
});

describe('token-auth registry (Bearer flow)', () => {
  const alice = () => cred('team-pull', 'alice', SECRETS.alice, tokenReg.host);

  it('right credentials → token for repository:<path>:pull, then ok', async () => {
    const before = tokenSvc.log.length;
    const p = await probeOne(target('tk', tokenReg.host, { tag: '1.0' }, [alice()]));
    expect(p.outcome).toBe('ok');
    expect(p.attempts[0]).toMatchObject({ digest: tokenImage.single.digest, mediaType: OCI_MANIFEST });
    const calls = tokenSvc.log.slice(before);
    expect(calls).toEqual([{ who: 'alice', scope: [`repository:${REPO}:pull`], service: SERVICE, status: 200 }]);
  });

  it('the index through a token → platforms', async () => {
    const p = await probeOne(target('ti', tokenReg.host, { tag: 'multi' }, [alice()]));
    expect(p.attempts[0]).toMatchObject({ outcome: 'ok', digest: tokenImage.index.digest, platforms: ['linux/amd64', 'linux/arm64'] });
  });

  it('wrong password → credentials-rejected by the token service', async () => {
    const p = await probeOne(target('tw', tokenReg.host, { tag: '1.0' }, [cred('stale', 'alice', SECRETS.wrong, tokenReg.host)]));
    expect(p.outcome).toBe('credentials-rejected');
    expect(p.attempts[0]!.detail).toMatch(/token service https:\/\/127\.0\.0\.1:\d+\/token rejected the credentials of user "alice"/);
  });

  it('a user without access to the repository → access-denied (insufficient_scope)', async () => {
    const p = await probeOne(target('tb', tokenReg.host, { tag: '1.0' }, [cred('bob-cred', 'bob', SECRETS.bob, tokenReg.host)]));
    expect(p.outcome).toBe('access-denied');
    expect(p.attempts[0]).toMatchObject({ httpStatus: 401, username: 'bob' });
    expect(p.attempts[0]!.detail).toMatch(/user "bob" authenticated but has no pull access \(HTTP 401, insufficient_scope\)/);
  });

  it('anonymous → refused, the repository needs credentials', async () => {
    const p = await probeOne(target('tanon', tokenReg.host, { tag: '1.0' }));
    expect(p.outcome).toBe('credentials-rejected');
    expect(p.attempts[0]!.detail).toMatch(/anonymous pull refused/);
  });

  it('missing tag and missing repository with pull access', async () => {
    const t = await probeOne(target('tt', tokenReg.host, { tag: 'nope' }, [alice()]));
    expect(t.outcome).toBe('tag-not-found');
    const r = await probeOne(target('tr', tokenReg.host, { path: 'team/missing', tag: '1.0' }, [alice()]));
    expect(r.outcome).toBe('repository-not-found');
  });

  it('a token realm over plain HTTP is refused before any credential is sent', async () => {
    const realm = await startStub((_req, res) => json(res, 200, { token: 'x' }));
    stubs.push(realm);
    const reg = await startStub((_req, res) =>
      json(res, 401, {}, { 'www-authenticate': `Bearer realm="http://${realm.host}/token",service="s"` }),
    );
    stubs.push(reg);
    const p = await probeOne(target('rl', reg.host, { tag: '1.0' }, [cred('c', 'alice', SECRETS.stub)]), { insecureRegistries: [reg.host] });
    expect(p.outcome).toBe('error');
    expect(p.attempts[0]!.detail).toMatch(/is not HTTPS; credentials were not sent/);
    expect(realm.requests).toHaveLength(0);
  });
});

describe('rate limits, redirects, dedupe and concurrency (stubs)', () => {
  it('429 → rate-limited with Docker Hub rate-limit headers', async () => {
    const s = await rateLimitedStub();
    stubs.push(s);
    const p = await probeOne(target('rl', s.host, { tag: '1.0' }), { insecureRegistries: [s.host] });
    expect(p.outcome).toBe('rate-limited');
    expect(p.attempts[0]).toMatchObject({ httpStatus: 429, rateLimit: { limit: '100;w=21600', remaining: '0;w=21600' } });
    expect(p.attempts[0]!.detail).toMatch(/rate limited by 127\.0\.0\.1:\d+ \(HTTP 429\) \(limit 100;w=21600, remaining 0;w=21600\)/);
  });

  it('a manifest redirect to another host is followed without the Authorization header', async () => {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] });
    const cdn = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': 'sha256:' + 'a'.repeat(64) });
      res.end(_req.method === 'HEAD' ? undefined : manifest);
    });
    stubs.push(cdn);
    const reg = await startStub((req, res) => {
      if (!req.headers.authorization) return json(res, 401, {}, { 'www-authenticate': 'Basic realm="stub"' });
      res.writeHead(307, { location: `http://${cdn.host}/blobs/manifest` });
      res.end();
    });
    stubs.push(reg);
    const p = await probeOne(target('redir', reg.host, { tag: '1.0' }, [cred('c', 'alice', SECRETS.stub)]), {
      insecureRegistries: [reg.host, cdn.host],
    });
    expect(p.outcome).toBe('ok');
    expect(p.attempts[0]!.digest).toBe('sha256:' + 'a'.repeat(64));
    expect(reg.requests.some((r) => r.path.includes('/manifests/') && r.hasAuthorization)).toBe(true);
    expect(cdn.requests.length).toBeGreaterThan(0);
    expect(cdn.requests.every((r) => !r.hasAuthorization)).toBe(true);
  });

  it('one probe per (registry, repository, reference, credential) and bounded concurrency', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const s = await startStub((req, res) => {
      if (req.url === '/v2/') return json(res, 200, {});
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': 'sha256:' + 'b'.repeat(64) });
        res.end();
      }, 80);
    });
    stubs.push(s);
    const targets: ProbeTarget[] = [];
    for (let i = 0; i < 3; i++) targets.push(target(`same-${i}`, s.host, { tag: '1.0' }));
    for (let i = 0; i < 6; i++) targets.push(target(`tag-${i}`, s.host, { tag: `t${i}` }));
    const m = record(await probeTargets(targets, { insecureRegistries: [s.host], concurrency: 2 }));
    expect(m.size).toBe(9);
    expect([...m.values()].every((p) => p.outcome === 'ok')).toBe(true);
    const manifestHeads = s.requests.filter((r) => r.method === 'HEAD');
    expect(manifestHeads.filter((r) => r.path.endsWith('/manifests/1.0'))).toHaveLength(1);
    expect(manifestHeads).toHaveLength(7);
    expect(s.requests.filter((r) => r.path === '/v2/')).toHaveLength(1);
    expect(maxInFlight).toBeLessThanOrEqual(2);
  });

  it('a registry without HEAD support: falls back to GET', async () => {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] });
    const s = await startStub((req, res) => {
      if (req.url === '/v2/') return json(res, 200, {});
      if (req.method === 'HEAD') {
        res.writeHead(405);
        return res.end();
      }
      res.writeHead(200, { 'content-type': OCI_MANIFEST });
      res.end(manifest);
    });
    stubs.push(s);
    const p = await probeOne(target('nohead', s.host, { tag: '1.0' }), { insecureRegistries: [s.host] });
    expect(p.outcome).toBe('ok');
    // no Docker-Content-Digest header: the digest is computed from the body
    expect(p.attempts[0]).toMatchObject({ digest: sha256(manifest), mediaType: OCI_MANIFEST });
  });

  it('targets outside the reference grammar are not probed', async () => {
    const p = await probeOne(target('bad', 'evil@127.0.0.1:1', { path: 'a/../b', tag: '1' }));
    expect(p.outcome).toBe('error');
    expect(p.attempts[0]!.detail).toMatch(/^not probed: /);
    const q = await probeOne(target('bad2', '127.0.0.1:1', { path: 'a/b', tag: '1?x=y' }));
    expect(q.attempts[0]!.detail).toMatch(/reference "1\?x=y" is not a valid tag or digest/);
  });

  it('a registry name outside the grammar is refused as it is, not rewritten into another host and asked', async () => {
    const s = await startStub((_req, res) => json(res, 200, {}));
    stubs.push(s);
    for (const domain of [`evil@${s.host}`, `${s.host}/extra`]) {
      const p = await probeOne(target(domain, domain, { tag: '1.0' }), { insecureRegistries: [s.host] });
      expect(p.registry).toBe(domain);
      expect(p.attempts[0]!.detail).toBe(`not probed: registry host ${JSON.stringify(domain)} is not a host[:port]`);
    }
    expect(s.requests).toHaveLength(0);
  });

  it('a port the image grammar allows but a URL does not (:70000) is not probed, and the run goes on', async () => {
    const m = record(
      await probeTargets([target('big-port', 'registry.example.com:70000', { tag: '1.0' }), target('bad-digest', 'registry.example.com', { digest: 'sha256:zz' })], {}),
    );
    expect(m.get('big-port')!.attempts[0]).toMatchObject({
      outcome: 'error',
      detail: 'not probed: registry host "registry.example.com:70000" is not a host[:port]',
    });
    expect(m.get('bad-digest')!.attempts[0]!.detail).toBe('not probed: reference "sha256:zz" is not a valid tag or digest');
  });

  it('unusable options are reported before any traffic, without secrets', async () => {
    await expect(
      probeTargets([target('x', '127.0.0.1:1', { tag: '1' }, [cred('c', 'alice', SECRETS.alice)])], { caFiles: ['/nonexistent/ca.pem'] }),
    ).rejects.toThrow(ProbeConfigError);
    try {
      await probeTargets([target('x', '127.0.0.1:1', { tag: '1' }, [cred('c', 'alice', SECRETS.alice)])], { caFiles: ['/nonexistent/ca.pem'] });
    } catch (err) {
      outputs.push(String(err), inspect(err));
    }
  });
});

describe('secrets never leave the vault', () => {
  it('no result, log line, thrown error or registry log contains a password or its Basic encoding', () => {
    expect(outputs.length).toBeGreaterThan(20);
    const everything = [
      ...outputs,
      ...logged,
      basicReg.logs(),
      plainReg.logs(),
      tokenReg.logs(),
      JSON.stringify(tokenSvc.log),
      JSON.stringify(stubs.map((s) => s.requests)),
    ].join('\n');
    for (const s of FORBIDDEN) expect(everything.includes(s), 'a secret leaked into the output').toBe(false);
  });
});
