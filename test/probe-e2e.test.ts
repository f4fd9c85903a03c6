/**
 * `--probe` end to end (issue 5): the BUILT CLI against real CNCF Distribution registries
 * (Debian's `docker-registry`, started by test/registry/*) with a generated kubectl dump whose
 * pods fail to pull from them the way containerd reports it. For each failing image the
 * report must name which credential works or why none does, and the probe must move findings
 * from "likely" to "confirmed". Without `--probe` nothing touches the network.
 *
 * Registries sit behind a counting TCP proxy (test/registry/counting-proxy.ts): the image
 * references use the proxy's port, so every connection the CLI makes is counted.
 *
 * `npm test` builds first; these tests never skip (without docker-registry they fail loudly).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ContainerProbe, Evidence, Report } from '../src/model/finding.js';
import { CLI } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';
import { startCountingProxy, type CountingProxy } from './registry/counting-proxy.js';
import { containerdHttp, containerdNotFound, containerdOauth, containerdStatus, dockerConfigJson, kubectlDump, type DumpSecret } from './registry/dump.js';
import { pushTestImage, type PushedImage } from './registry/images.js';
import { makeCa, makeServerCert, makeSigningCert, tempDir, type Ca } from './registry/pki.js';
import { requireDockerRegistry, requireHtpasswd, requireOpenssl, startRegistry, writeHtpasswd, type RegistryInstance } from './registry/registry.js';
import { startTokenService, type TokenService } from './registry/token-service.js';

const NOW = '2026-11-28T12:00:00Z';
const NS = 'team';
const REPO = 'team/app';
const SERVICE = 'pulldoctor-e2e-registry';
const ISSUER = 'pulldoctor-e2e-issuer';

// ───────────── secrets of this run (random, so nothing can match them by accident) ─────────────

const pw = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const PASSWORDS = { alice: pw('alice'), stale: pw('stale'), bob: pw('bob') };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

// ───────────── the built CLI, run asynchronously (the token service lives in this process) ─────────────

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every byte any run printed, scanned for secrets at the end. */
const printed: string[] = [];

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '' };
    // This machine's trust only: the test CA must come from --registry-ca, never the environment.
    delete env.NODE_EXTRA_CA_CERTS;
    delete env.SSL_CERT_FILE;
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      printed.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

async function json(args: string[]): Promise<Report> {
  const r = await cli([...args, '-o', 'json', '--now', NOW]);
  expect(r.stderr).toBe('');
  expect(r.code, r.stdout.slice(0, 2000)).toBe(1); // error findings
  const report = JSON.parse(r.stdout) as Report;
  expect(validate(report), JSON.stringify(validate.errors, null, 1)).toBe(true);
  return report;
}

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));

// ───────────── report accessors ─────────────

function probeOf(report: Report, deployment: string): ContainerProbe | undefined {
  const pod = report.pods.find((p) => p.workload.name === deployment);
  if (!pod) throw new Error(`no pod of deployment ${deployment} in the report`);
  return pod.containers[0]?.probe;
}

function findingsOf(report: Report, deployment: string) {
  return report.findings.filter((f) => f.workload.name === deployment);
}

function findingOf(report: Report, deployment: string, rule?: string) {
  const fs = findingsOf(report, deployment).filter((f) => rule === undefined || f.rule === rule);
  expect(fs.map((f) => f.rule), `findings of ${deployment}`).toHaveLength(1);
  return fs[0]!;
}

const probeEvidence = (e: Evidence[]) => e.filter((x) => x.source === 'probe');

// ───────────── registries, images and dumps ─────────────

let ca: Ca;
let work: string;
let basicReg: RegistryInstance;
let tokenReg: RegistryInstance;
let plainReg: RegistryInstance;
let tokenSvc: TokenService;
let basic: CountingProxy;
let token: CountingProxy;
let plain: CountingProxy;
let basicImage: PushedImage;
let caFile: string;
const dumps = { basic: '', token: '', plain: '' };
const dumpTexts: string[] = [];

const img = (p: CountingProxy, ref: string, repo = REPO) => `${p.host}/${repo}:${ref}`;

beforeAll(async () => {
  requireDockerRegistry();
  requireHtpasswd();
  requireOpenssl();
  expect(existsSync(CLI), `${CLI} is missing: run npm run build first (npm test does)`).toBe(true);

  ca = makeCa('pulldoctor-probe-e2e-ca');
  caFile = ca.certFile;
  const serverCert = makeServerCert(ca, 'registry');
  work = tempDir('probe-e2e');

  // htpasswd (bcrypt) + TLS
  const htpasswd = writeHtpasswd(ca.dir, { alice: PASSWORDS.alice });
  basicReg = await startRegistry({ tls: serverCert, auth: { htpasswd: { realm: 'pulldoctor-e2e', path: htpasswd } } });
  basicImage = await pushTestImage({ base: basicReg.url, ca: ca.certPem, authorization: () => `Basic ${b64(`alice:${PASSWORDS.alice}`)}` }, REPO);
  basic = await startCountingProxy(basicReg.port);

  // token auth: our token service; alice may pull team/app, bob only other/thing
  const signer = makeSigningCert(ca.dir);
  tokenSvc = await startTokenService({
    tls: serverCert,
    signer,
    service: SERVICE,
    issuer: ISSUER,
    users: {
      alice: { password: PASSWORDS.alice, access: { [REPO]: ['pull'] } },
      bob: { password: PASSWORDS.bob, access: { 'other/thing': ['pull'] } },
    },
  });
  tokenReg = await startRegistry({
    tls: serverCert,
    auth: { token: { realm: tokenSvc.realm, service: SERVICE, issuer: ISSUER, rootcertbundle: signer.certFile } },
  });
  await pushTestImage(
    {
      base: tokenReg.url,
      ca: ca.certPem,
      authorization: (repo) => `Bearer ${tokenSvc.mint('pusher', [{ type: 'repository', name: repo, actions: ['pull', 'push'] }])}`,
    },
    REPO,
  );
  token = await startCountingProxy(tokenReg.port);

  // plain HTTP, no auth
  plainReg = await startRegistry({});
  await pushTestImage({ base: plainReg.url }, REPO);
  plain = await startCountingProxy(plainReg.port);

  // ── the dumps ──
  const good = (key: string) => ({ [key]: { username: 'alice', password: PASSWORDS.alice } });
  const stale = (key: string) => ({ [key]: { username: 'alice', password: PASSWORDS.stale } });
  const basicSecrets: DumpSecret[] = [
    { name: 'team-pull', auths: good(basic.host) },
    { name: 'team-pull-old', auths: stale(basic.host), createdAt: '2026-09-01T08:00:00Z' },
  ];
  const unauthorized = (image: string, ref: string) => containerdStatus(image, basic.host, ref, '401 Unauthorized');
  const write = (name: string, text: string) => {
    const file = path.join(work, `${name}.yaml`);
    writeFileSync(file, text);
    dumpTexts.push(text);
    return file;
  };
  dumps.basic = write(
    'basic',
    kubectlDump({
      namespace: NS,
      now: NOW,
      secrets: basicSecrets,
      pods: [
        // 1. the only secret has a wrong password
        { deployment: 'wrong-password', image: img(basic, '1.0'), imagePullSecrets: ['team-pull-old'], error: unauthorized(img(basic, '1.0'), '1.0') },
        // 2. first secret wrong, second right (fixed since the kubelet's last attempt)
        {
          deployment: 'wrong-then-right',
          image: img(basic, '1.0'),
          imagePullSecrets: ['team-pull-old', 'team-pull'],
          error: unauthorized(img(basic, '1.0'), '1.0'),
        },
        // 3. right password, the tag was never pushed
        { deployment: 'missing-tag', image: img(basic, '9.9.9'), imagePullSecrets: ['team-pull'], error: containerdNotFound(img(basic, '9.9.9')) },
        // 4. right password, no such repository
        {
          deployment: 'missing-repo',
          image: img(basic, '1.0', 'team/nope'),
          imagePullSecrets: ['team-pull'],
          error: containerdNotFound(img(basic, '1.0', 'team/nope')),
        },
        // 5. no pull secret at all: anonymous against the htpasswd registry
        { deployment: 'anonymous', image: img(basic, '1.0'), error: unauthorized(img(basic, '1.0'), '1.0') },
      ],
    }),
  );

  const tokenSecrets: DumpSecret[] = [
    { name: 'token-pull-old', auths: stale(token.host) },
    { name: 'bob-pull', auths: { [token.host]: { username: 'bob', password: PASSWORDS.bob } } },
  ];
  dumps.token = write(
    'token',
    kubectlDump({
      namespace: NS,
      now: NOW,
      secrets: tokenSecrets,
      pods: [
        {
          deployment: 'token-wrong-password',
          image: img(token, '1.0'),
          imagePullSecrets: ['token-pull-old'],
          error: containerdOauth(img(token, '1.0'), tokenSvc.realm, REPO, SERVICE, '401 Unauthorized'),
        },
        {
          deployment: 'token-no-access',
          image: img(token, '1.0'),
          imagePullSecrets: ['bob-pull'],
          error: containerdStatus(img(token, '1.0'), token.host, '1.0', '401 Unauthorized'),
        },
      ],
    }),
  );

  dumps.plain = write(
    'plain',
    kubectlDump({
      namespace: NS,
      now: NOW,
      secrets: [],
      pods: [
        // the nodes know this registry is HTTP-only; the tag is missing
        { deployment: 'plain-missing-tag', image: img(plain, '9.9.9'), error: containerdNotFound(img(plain, '9.9.9')) },
        // a node without the hosts.toml: HTTPS to an HTTP registry
        { deployment: 'plain-over-https', image: img(plain, '1.0'), error: containerdHttp(img(plain, '1.0'), plain.host, REPO, '1.0') },
      ],
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([basic?.stop(), token?.stop(), plain?.stop(), tokenSvc?.stop()]);
  await Promise.all([basicReg?.stop(), tokenReg?.stop(), plainReg?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
  if (ca) rmSync(ca.dir, { recursive: true, force: true });
});


const connections = () => ({ basic: basic.connections(), token: token.connections(), plain: plain.connections(), tokenService: tokenSvc.log.length });

describe('prerequisites', () => {
  it('docker-registry, htpasswd and the built CLI are there (.ci/run installs the first two; npm test builds)', () => {
    expect(requireDockerRegistry()).toMatch(/docker-registry$/);
    expect(requireHtpasswd()).toMatch(/htpasswd$/);
    expect(existsSync(CLI)).toBe(true);
  });
});

describe('without --probe: "likely", and no network contact at all', () => {
  it('json, text and markdown of every dump leave the registries untouched', async () => {
    const before = connections();
    const basicReport = await json(['-f', dumps.basic, '--registry-ca', caFile]);
    const tokenReport = await json(['-f', dumps.token]);
    const plainReport = await json(['-f', dumps.plain, '--insecure-registry', plain.host]);
    for (const format of ['text', 'markdown']) {
      for (const f of [dumps.basic, dumps.token, dumps.plain]) {
        const r = await cli(['-f', f, '-o', format, '--now', NOW]);
        expect(r.code).toBe(1);
        expect(r.stdout).not.toMatch(/probe of /);
        if (format === 'text' && f === dumps.basic) {
          expect(r.stdout).toMatch(/image-not-found {2}\(container app\) \[likely\]\n/);
          expect(r.stdout).toMatch(/registry-access-denied {2}\(container app\) \[likely\]\n/);
        }
      }
    }
    expect(connections()).toEqual(before);

    for (const report of [basicReport, tokenReport, plainReport]) {
      for (const pod of report.pods) expect(pod.containers[0]?.probe).toBeUndefined();
      for (const f of report.findings) expect(probeEvidence(f.evidence)).toEqual([]);
    }
    const summary = (r: Report) => r.findings.map((f) => [f.workload.name, f.rule, f.confidence]).sort();
    expect(summary(basicReport)).toEqual([
      ['anonymous', 'pull-secret-not-referenced', 'confirmed'], // team-pull and team-pull-old exist, unreferenced
      ['anonymous', 'registry-access-denied', 'likely'],
      ['missing-repo', 'image-not-found', 'likely'],
      ['missing-tag', 'image-not-found', 'likely'],
      ['wrong-password', 'pull-secret-not-referenced', 'likely'], // team-pull is newer than the rejected team-pull-old
      ['wrong-password', 'registry-auth-rejected', 'likely'],
      ['wrong-then-right', 'registry-auth-rejected', 'likely'],
    ]);
    expect(summary(tokenReport)).toEqual([
      ['token-no-access', 'registry-auth-rejected', 'likely'],
      ['token-wrong-password', 'registry-auth-rejected', 'likely'],
    ]);
    expect(summary(plainReport)).toEqual([
      ['plain-missing-tag', 'image-not-found', 'likely'],
      ['plain-over-https', 'registry-tls-error', 'confirmed'], // the runtime's own words, no probe needed
    ]);
    const unverified = findingOf(basicReport, 'wrong-password', 'registry-auth-rejected').unverified.join(' ');
    expect(unverified).toContain('run with --probe to confirm');
  }, 120_000);
});

describe('htpasswd + TLS registry: --probe --registry-ca <test CA>', () => {
  let report: Report;
  let text: string;
  let markdown: string;

  beforeAll(async () => {
    const before = connections();
    report = await json(['-f', dumps.basic, '--probe', '--registry-ca', caFile]);
    expect(connections().basic).toBeGreaterThan(before.basic);
    const t = await cli(['-f', dumps.basic, '--probe', '--registry-ca', caFile, '-o', 'text', '--now', NOW]);
    expect(t.code).toBe(1);
    text = t.stdout;
    const m = await cli(['-f', dumps.basic, '--probe', 'failing', '--registry-ca', caFile, '-o', 'markdown', '--now', NOW]);
    expect(m.code).toBe(1);
    markdown = m.stdout;
  }, 90_000);

  it('every probe ran from this machine against the image registry', () => {
    expect(report.pods).toHaveLength(5);
    for (const pod of report.pods) {
      const p = pod.containers[0]!.probe!;
      expect(p.registry).toBe(basic.host);
      expect(p.from).toMatch(/^this machine \(.+\)$/);
    }
  });

  it('1. the only secret has a wrong password → registry-auth-rejected, confirmed, naming the secret and user', () => {
    const p = probeOf(report, 'wrong-password')!;
    expect(p.outcome).toBe('credentials-rejected');
    expect(p.attempts).toHaveLength(1);
    expect(p.attempts[0]).toMatchObject({ credential: 'team-pull-old', registryKey: basic.host, username: 'alice', outcome: 'credentials-rejected', httpStatus: 401 });
    expect(p.attempts[0]!.detail).toMatch(/the registry rejected the credentials of user "alice" \(HTTP 401\)/);

    const f = findingOf(report, 'wrong-password', 'registry-auth-rejected');
    expect(f).toMatchObject({ rule: 'registry-auth-rejected', confidence: 'confirmed', secret: 'team-pull-old', container: 'app' });
    // team-pull, written after team-pull-old, holds other credentials for the registry: reference it
    expect(findingOf(report, 'wrong-password', 'pull-secret-not-referenced')).toMatchObject({ secret: 'team-pull', confidence: 'likely' });
    expect(f.message).toContain(`secret "team-pull-old" (registry key "${basic.host}", username "alice")`);
    expect(probeEvidence(f.evidence)).toEqual([
      {
        source: 'probe',
        ref: `probe of ${basic.host} from ${p.from}`,
        detail: 'outcome credentials-rejected; attempts: team-pull-old (alice): credentials-rejected 401',
      },
    ]);
    expect(f.unverified.join(' ')).not.toContain('run with --probe');
  });

  it('2. first secret wrong, second right → attempts in kubelet order, the second works', () => {
    const p = probeOf(report, 'wrong-then-right')!;
    expect(p.attempts.map((a) => [a.credential, a.username, a.outcome, a.httpStatus])).toEqual([
      ['team-pull-old', 'alice', 'credentials-rejected', 401],
      ['team-pull', 'alice', 'ok', 200],
    ]);
    expect(p.attempts[1]).toMatchObject({ digest: basicImage.single.digest, registryKey: basic.host });
    expect(p.outcome).toBe('ok');
    const f = findingOf(report, 'wrong-then-right');
    expect(f.rule).toBe('registry-auth-rejected');
    expect(probeEvidence(f.evidence)[0]!.detail).toBe(
      'outcome ok; attempts: team-pull-old (alice): credentials-rejected 401; team-pull (alice): ok 200',
    );
  });

  it('2b. …and the finding says which credential works and lists only the rejected one as rejected', () => {
    const f = findingOf(report, 'wrong-then-right');
    expect(f.message).toMatch(/secret "team-pull"[^.]*\b(works|succeeded|accepted)\b/);
    expect(f.message).not.toMatch(/rejected the credentials[^.]*then secret "team-pull"/);
    expect(f.message).toContain('secret "team-pull" works: a probe from this machine (');
    expect(f.message).toContain('The probe confirms the registry rejects secret "team-pull-old" (registry key');
    expect(f.message).not.toMatch(/rejects[^]*secret "team-pull" \(/);
    expect(f.confidence).toBe('likely');
    expect(f.unverified.join(' ')).toContain('with secret "team-pull" succeeded');
    expect(f.remediation.join('\n')).toContain('"$patch":"delete","name":"team-pull-old"');
  });

  it('3. right password, missing tag → image-not-found, confirmed: the repository exists', () => {
    const p = probeOf(report, 'missing-tag')!;
    expect(p.outcome).toBe('tag-not-found');
    expect(p.attempts).toMatchObject([{ credential: 'team-pull', username: 'alice', outcome: 'tag-not-found', httpStatus: 404 }]);
    expect(p.attempts[0]!.detail).toMatch(/tag "9\.9\.9" not found in .*team\/app; the repository exists/);
    const f = findingOf(report, 'missing-tag');
    expect(f).toMatchObject({ rule: 'image-not-found', confidence: 'confirmed' });
    expect(f.message).toContain(`repository ${basic.host}/team/app exists but has no tag "9.9.9"`);
    expect(probeEvidence(f.evidence)[0]!.detail).toBe('outcome tag-not-found; attempts: team-pull (alice): tag-not-found 404');
  });

  it('4. right password, missing repository → image-not-found (repository), confirmed', () => {
    const p = probeOf(report, 'missing-repo')!;
    expect(p.outcome).toBe('repository-not-found');
    expect(p.attempts).toMatchObject([{ credential: 'team-pull', outcome: 'repository-not-found', httpStatus: 404 }]);
    expect(p.attempts[0]!.detail).toMatch(/repository .*team\/nope does not exist/);
    const f = findingOf(report, 'missing-repo');
    expect(f).toMatchObject({ rule: 'image-not-found', confidence: 'confirmed' });
    expect(f.message).toContain(`registry ${basic.host} has no repository team/nope`);
  });

  it('5. no pull secret → one anonymous attempt, refused: registry-access-denied, confirmed', () => {
    const p = probeOf(report, 'anonymous')!;
    expect(p.attempts).toHaveLength(1);
    expect(p.attempts[0]).toMatchObject({ credential: 'anonymous', outcome: 'credentials-rejected', httpStatus: 401 });
    expect(p.attempts[0]!.username).toBeUndefined();
    expect(p.attempts[0]!.detail).toMatch(/anonymous pull refused.*Basic realm "pulldoctor-e2e"/);
    const f = findingOf(report, 'anonymous', 'registry-access-denied');
    expect(f).toMatchObject({ rule: 'registry-access-denied', confidence: 'confirmed' });
    // the namespace holds team-pull for this registry: reference it (first by name), never a new secret
    expect(findingOf(report, 'anonymous', 'pull-secret-not-referenced')).toMatchObject({ secret: 'team-pull', confidence: 'confirmed' });
    expect(f.remediation.join('\n')).not.toContain('create secret');
    expect(f.message).toContain('the kubelet sent no credentials');
    expect(f.message).toContain('the pod lists no imagePullSecrets');
    // the probe is cited once (it used to appear a second time as "anonymous request to …")
    expect(probeEvidence(f.evidence).map((e) => e.detail)).toEqual(['outcome credentials-rejected; attempts: anonymous: credentials-rejected 401']);
  });

  it('-o text and -o markdown show the probe line', () => {
    expect(text).toContain(`probe of ${basic.host} from this machine (`);
    expect(markdown).toContain(`probe of ${basic.host} from this machine \\(`); // Markdown-escaped
    for (const out of [text, markdown]) {
      expect(out).toContain('outcome credentials-rejected; attempts: team-pull-old (alice): credentials-rejected 401');
      expect(out).toContain('outcome tag-not-found; attempts: team-pull (alice): tag-not-found 404');
    }
    // text marks only unconfirmed findings: `[likely]` without --probe (see above), nothing now
    expect(text).toMatch(/image-not-found {2}\(container app\)\n/);
    expect(text).not.toMatch(/image-not-found.*\[likely\]/);
    expect(text).toMatch(/registry-access-denied {2}\(container app\)\n/);
  });
});

describe('token-auth registry (Bearer flow): --probe', () => {
  let report: Report;
  let log: typeof tokenSvc.log;

  beforeAll(async () => {
    const before = tokenSvc.log.length;
    report = await json(['-f', dumps.token, '--probe', '--registry-ca', caFile]);
    log = tokenSvc.log.slice(before);
  }, 60_000);

  it('wrong password → the token service rejects it: registry-auth-rejected, confirmed', () => {
    const p = probeOf(report, 'token-wrong-password')!;
    expect(p.outcome).toBe('credentials-rejected');
    expect(p.attempts).toMatchObject([{ credential: 'token-pull-old', username: 'alice', outcome: 'credentials-rejected' }]);
    expect(p.attempts[0]!.detail).toMatch(/token service https:\/\/127\.0\.0\.1:\d+\/token rejected the credentials of user "alice"/);
    expect(log).toContainEqual({ who: 'rejected:alice', scope: [`repository:${REPO}:pull`], service: SERVICE, status: 401 });
    const f = findingOf(report, 'token-wrong-password');
    expect(f).toMatchObject({ rule: 'registry-auth-rejected', confidence: 'confirmed', secret: 'token-pull-old' });
  });

  it('an account without pull access: the 401 moves from registry-auth-rejected to registry-access-denied, confirmed', () => {
    const p = probeOf(report, 'token-no-access')!;
    expect(p.outcome).toBe('access-denied');
    expect(p.attempts).toMatchObject([{ credential: 'bob-pull', username: 'bob', outcome: 'access-denied', httpStatus: 401 }]);
    expect(p.attempts[0]!.detail).toMatch(/user "bob" authenticated but has no pull access/);
    expect(log).toContainEqual({ who: 'bob', scope: [`repository:${REPO}:pull`], service: SERVICE, status: 200 });
    const f = findingOf(report, 'token-no-access');
    expect(f).toMatchObject({ rule: 'registry-access-denied', confidence: 'confirmed', secret: 'bob-pull' });
    expect(f.message).toContain('a probe with the same credential was denied');
  });
});

describe('untrusted CA: without --registry-ca the probe reports tls-error as this machine sees it', () => {
  let report: Report;

  beforeAll(async () => {
    report = await json(['-f', dumps.basic, '--probe']);
  }, 60_000);

  it('every probe is tls-error from this machine, with the --registry-ca hint', () => {
    for (const pod of report.pods) {
      const p = pod.containers[0]!.probe!;
      expect(p.outcome).toBe('tls-error');
      expect(p.from).toMatch(/^this machine \(.+\)$/);
      // the first attempt fails at TLS: no further credential can do better
      for (const a of p.attempts) {
        expect(a.outcome).toBe('tls-error');
        expect(a.detail).toMatch(/unknown authority.*--registry-ca/);
      }
    }
    expect(probeOf(report, 'wrong-then-right')!.attempts.map((a) => a.credential)).toEqual(['team-pull-old', 'team-pull']);
  });

  it('the findings stay what the node reported, "likely"; this machine\'s TLS trouble is not a node finding', () => {
    const summary = report.findings.map((f) => [f.workload.name, f.rule, f.confidence]).sort();
    expect(summary).toEqual([
      ['anonymous', 'pull-secret-not-referenced', 'confirmed'], // team-pull and team-pull-old exist, unreferenced
      ['anonymous', 'registry-access-denied', 'likely'],
      ['missing-repo', 'image-not-found', 'likely'],
      ['missing-tag', 'image-not-found', 'likely'],
      ['wrong-password', 'pull-secret-not-referenced', 'likely'], // team-pull is newer than the rejected team-pull-old
      ['wrong-password', 'registry-auth-rejected', 'likely'],
      ['wrong-then-right', 'registry-auth-rejected', 'likely'],
    ]);
    const f = findingOf(report, 'wrong-password', 'registry-auth-rejected');
    expect(probeEvidence(f.evidence)).toEqual([
      {
        source: 'probe',
        ref: `probe of ${basic.host} from ${probeOf(report, 'wrong-password')!.from}`,
        detail: 'outcome tls-error; attempts: team-pull-old (alice): tls-error',
      },
    ]);
  });

  it('every finding says why the probe could not confirm it: a "not verified" line quoting the attempt\'s detail', () => {
    for (const [name, f] of ['anonymous', 'missing-repo', 'missing-tag', 'wrong-password', 'wrong-then-right'].flatMap((n) => findingsOf(report, n).map((x) => [n, x] as const))) {
      const detail = probeOf(report, name)!.attempts[0]!.detail.replace(/\.$/, '');
      expect(probeEvidence(f.evidence), name).toHaveLength(1);
      const lines = f.unverified.filter((u) => u.includes('could not confirm'));
      expect(lines, name).toHaveLength(1);
      expect(lines[0]).toContain(`The registry probe from ${probeOf(report, name)!.from} could not confirm this`);
      expect(lines[0]).toContain('ended in tls-error');
      expect(lines[0]).toContain(detail);
      expect(f.unverified.join(' '), name).not.toContain('run with --probe');
    }
    // one line for both secrets of the same workload, since the probe answered both the same way
    expect(findingOf(report, 'wrong-then-right').unverified.join(' ')).toContain('secret "team-pull-old" and secret "team-pull" ended in tls-error');
  });

  it('--registry-ca with another CA is not enough', async () => {
    const other = makeCa('pulldoctor-other-ca', work);
    const r = await json(['-f', dumps.basic, '--probe', '--registry-ca', other.certFile]);
    expect(probeOf(r, 'wrong-password')!.outcome).toBe('tls-error');
  });

  it('an unreadable --registry-ca is a usage error before any traffic', async () => {
    const before = connections();
    const r = await cli(['-f', dumps.basic, '--probe', '--registry-ca', path.join(work, 'nope.pem'), '-o', 'json', '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--registry-ca .*nope\.pem: cannot read it \(ENOENT\)/);
    expect(connections()).toEqual(before);
  });
});

describe('plain-HTTP registry', () => {
  it('without --insecure-registry → tls-error that names the flag; nothing confirmed by the probe', async () => {
    const report = await json(['-f', dumps.plain, '--probe']);
    for (const name of ['plain-missing-tag', 'plain-over-https']) {
      const p = probeOf(report, name)!;
      expect(p.outcome).toBe('tls-error');
      expect(p.attempts).toMatchObject([{ credential: 'anonymous', outcome: 'tls-error' }]);
      expect(p.attempts[0]!.detail).toContain(`plain-HTTP registry (to allow that, list ${plain.host} with --insecure-registry)`);
    }
    expect(findingOf(report, 'plain-missing-tag')).toMatchObject({ rule: 'image-not-found', confidence: 'likely' });
    expect(findingOf(report, 'plain-over-https').rule).toBe('registry-tls-error');
  });

  it('with --insecure-registry → normal outcomes over plain HTTP', async () => {
    const report = await json(['-f', dumps.plain, '--probe', '--insecure-registry', plain.host]);
    const missing = probeOf(report, 'plain-missing-tag')!;
    expect(missing.outcome).toBe('tag-not-found');
    expect(missing.attempts).toMatchObject([{ credential: 'anonymous', outcome: 'tag-not-found', httpStatus: 404 }]);
    const f = findingOf(report, 'plain-missing-tag');
    expect(f).toMatchObject({ rule: 'image-not-found', confidence: 'confirmed' });
    expect(f.message).toContain(`repository ${plain.host}/team/app exists but has no tag "9.9.9"`);

    // This machine reaches the image over HTTP; the node addressed it over HTTPS.
    const ok = probeOf(report, 'plain-over-https')!;
    expect(ok.outcome).toBe('ok');
    expect(ok.attempts[0]!.detail).toMatch(/over plain HTTP/);
    expect(findingOf(report, 'plain-over-https').rule).toBe('registry-tls-error');
  });
});

describe('secrets never reach any output', () => {
  it('no stdout or stderr of any run contains a password, its base64, the Basic pair or the secret data', () => {
    expect(printed.length).toBeGreaterThan(20);
    const forbidden: string[] = [];
    for (const [user, password] of [
      ['alice', PASSWORDS.alice],
      ['alice', PASSWORDS.stale],
      ['bob', PASSWORDS.bob],
    ] as const) {
      forbidden.push(password, b64(password), b64(`${user}:${password}`), Buffer.from(password).toString('base64url'));
    }
    // the `.dockerconfigjson` values as they are in the dumps
    for (const t of dumpTexts) for (const m of t.matchAll(/\.dockerconfigjson: (\S+)/g)) forbidden.push(m[1]!);
    forbidden.push(b64(dockerConfigJson({ [basic.host]: { username: 'alice', password: PASSWORDS.alice } })));
    expect(forbidden.length).toBeGreaterThan(12);
    // sanity: the dumps really hold them (so the check below is not vacuous)
    expect(dumpTexts.join('\n')).toContain(b64(dockerConfigJson({ [basic.host]: { username: 'alice', password: PASSWORDS.alice } })));

    const everything = [...printed, basicReg.logs(), tokenReg.logs(), plainReg.logs(), JSON.stringify(tokenSvc.log)].join('\n');
    for (const s of forbidden) expect(everything.includes(s), 'a secret leaked into the output').toBe(false);
  });
});
