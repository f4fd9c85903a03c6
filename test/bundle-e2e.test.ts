/**
 * The published bundle (dist/cli.js and its chunks; `npm test` builds it) loads only what a run
 * needs: `--version` not even the argument parser, an offline scan not the live-cluster client,
 * no scan the terminal UI or the registry probe unless it uses them, a JSON dump not the YAML
 * parser. Start-up time is what a user notices of these; the loaded files are what a test can
 * see. Which source a loaded chunk holds is read from its source map, so chunk names and the
 * bundler's splitting choices do not matter, only what ends up loaded.
 *
 * Also: `--debug` stack traces name src/ files (source maps), and without it no stack is shown.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EXIT } from '../src/commands/exit-codes.js';
import { kubeconfigObject, loadObjectFiles, startApiServer, writeKubeconfig, type ApiServer } from './apiserver/index.js';
import { CLI, runBin, runMain } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';

const TRACE_HOOK = path.join(ROOT, 'test', 'helpers', 'load-trace.mjs');
const NOW = '2026-11-28T12:00:00Z';
const FIXTURE = path.join(ROOT, 'fixtures', 'image-not-found', 'fires.yaml');

let tmp: string;
let server: ApiServer;
let kubeconfig: string;
let jsonDump: string;
let n = 0;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'pulldoctor-bundle-'));
  server = await startApiServer({ objects: loadObjectFiles([FIXTURE]), tls: true });
  kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server }], file: path.join(tmp, 'kubeconfig') });
  // The same objects as a JSON dump (`kubectl get -o json`): read without the YAML parser.
  jsonDump = path.join(tmp, 'dump.json');
  const items = loadObjectFiles([FIXTURE]).flatMap((o) => ((o as { kind?: string }).kind === 'List' ? (o as { items: unknown[] }).items : [o]));
  writeFileSync(jsonDump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
});

afterAll(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Where the code of the loaded files comes from: `src/…`, `rules/…` and package names. */
interface Loaded {
  files: string[];
  sources: Set<string>;
  packages: Set<string>;
  /** Files of packages, as `<package>/<path>`. */
  modules: Set<string>;
  /** Node's built-in modules (`child_process`, `tls`, …). */
  builtins: Set<string>;
}

async function traced(args: string[]): Promise<Loaded & { code: number | null; stdout: string; stderr: string }> {
  const trace = path.join(tmp, `trace-${n++}.txt`);
  writeFileSync(trace, '');
  const r = await runBin(args, { env: { NODE_OPTIONS: `--import=${TRACE_HOOK}`, LOAD_TRACE_FILE: trace, KUBECONFIG: '/nonexistent', HOME: tmp } });
  const dist = path.dirname(CLI);
  const lines = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  const builtins = new Set(lines.filter((l) => l.startsWith('builtin:')).map((l) => l.slice('builtin:'.length)));
  const files = lines
    .filter((l) => l.startsWith('file:'))
    .map((u) => fileURLToPath(u))
    .filter((f) => f.startsWith(dist + path.sep));
  const sources = new Set<string>();
  const packages = new Set<string>();
  const modules = new Set<string>();
  for (const f of files) {
    const map = JSON.parse(readFileSync(`${f}.map`, 'utf8')) as { sources: string[] };
    for (const s of map.sources) {
      const abs = path.resolve(path.dirname(f), s);
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(s);
      if (m) {
        packages.add(m[1]!);
        modules.add(`${m[1]}/${m[2]}`);
      }
      else if (abs.startsWith(ROOT + path.sep)) sources.add(path.relative(ROOT, abs));
    }
  }
  return { ...r, files, sources, packages, modules, builtins };
}

const under = (set: Set<string>, dir: string) => [...set].filter((s) => s.startsWith(dir));
const UI = ['ink', 'react', 'react-reconciler', 'yoga-layout'];

describe('the bundle loads what a run needs, and no more', () => {
  it('both package bins are the built entry, a Node script', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.values(pkg.bin).map((b) => path.join(ROOT, b))).toEqual([CLI, CLI]);
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('--version: the version from package.json, without the argument parser or any scan code', async () => {
    const r = await traced(['--version']);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect([...r.packages]).toEqual([]);
    expect([...r.sources].sort()).toEqual(['src/cli.ts', 'src/paths.ts']);
  });

  it('an offline scan of a JSON dump: no cluster client, YAML parser, UI or probe', async () => {
    const r = await traced(['-f', jsonDump, '-o', 'json', '--now', NOW]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // the fixture's finding
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('image-not-found');
    expect(r.packages.has('yargs')).toBe(true); // the witness that the trace sees packages at all
    for (const p of ['@kubernetes/client-node', 'js-yaml', 'yaml', ...UI]) expect(r.packages, p).not.toContain(p);
    expect(under(r.sources, 'src/probe/')).toEqual([]);
    expect(under(r.sources, 'src/tui/')).toEqual([]);
    expect(under(r.sources, 'src/collect/fleet')).toEqual([]);
  });

  it('the demo (YAML): the YAML parser, and still no cluster client, UI or probe', async () => {
    const r = await traced(['--demo', '-o', 'json', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    expect(r.packages).toContain('yaml');
    for (const p of ['@kubernetes/client-node', ...UI]) expect(r.packages, p).not.toContain(p);
    expect(under(r.sources, 'src/probe/')).toEqual([]);
  });

  it('a live scan: the cluster client (KubeConfig, not the generated API), and no UI, probe or YAML package', async () => {
    const r = await traced(['-A', '-o', 'json', '--kubeconfig', kubeconfig, '--now', NOW]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).source).toMatchObject({ kind: 'cluster', context: 'double' });
    expect(r.packages).toContain('@kubernetes/client-node');
    // client-node's files, by their own source maps (src/*.ts) or as shipped (dist/*.js).
    const clientNode = under(r.modules, '@kubernetes/client-node/').map((m) => m.replace(/^@kubernetes\/client-node\/(?:dist|src)\/|\.[jt]s$/g, ''));
    expect(clientNode).toContain('config');
    // Not the package index, nor the generated API clients and models it re-exports.
    expect(clientNode).not.toContain('index');
    expect(clientNode.filter((m) => m.startsWith('gen/apis/') || m.startsWith('gen/models/'))).toEqual([]);
    expect(under(r.sources, 'src/collect/fleet')).not.toEqual([]);
    // Nor the offline reader; list pages are read item by item as they arrive, by the element reader it shares.
    expect(r.sources).not.toContain('src/collect/file.ts');
    expect(r.sources).toContain('src/collect/list-body.ts');
    for (const p of ['yaml', ...UI]) expect(r.packages, p).not.toContain(p);
    expect(under(r.sources, 'src/probe/')).toEqual([]);
    // A token in the kubeconfig: no credential plugin to run, so no child processes, and none of
    // what client-node loads for other kubeconfigs (dist/lazy/, scripts/build.mjs), nor the
    // layout of --help.
    expect(r.builtins).toContain('tls'); // the witness that the trace sees built-ins at all
    expect(r.builtins).not.toContain('child_process');
    for (const p of ['socks-proxy-agent', 'socks', 'jsonpath-plus', 'openid-client', 'oauth4webapi', 'node-fetch', 'cliui', 'emoji-regex']) expect(r.packages, p).not.toContain(p);
    expect(r.files.filter((f) => f.includes(`${path.sep}lazy${path.sep}`))).toEqual([]);
  });

  it('--help: the usage, laid out by cliui (loaded for it alone)', async () => {
    const r = await traced(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\nCommands:\n');
    expect(r.packages).toContain('cliui'); // the witness that the trace sees required files
  });

  /**
   * A live scan of the double with a kubeconfig whose user gets its token from a command: a
   * script that prints `output`; `user(script)` is the kubeconfig's user entry.
   */
  async function scanWithTokenCommand(name: string, output: unknown, user: (script: string) => Record<string, unknown>) {
    const script = path.join(tmp, `${name}.sh`);
    writeFileSync(script, `#!/bin/sh\necho '${JSON.stringify(output)}'\n`, { mode: 0o755 });
    const kc = kubeconfigObject({ contexts: [{ name: 'double', server }] }) as { users: { user: Record<string, unknown> }[] };
    kc.users[0]!.user = user(script);
    const file = path.join(tmp, `kubeconfig-${name}`);
    writeFileSync(file, stringify(kc));
    const r = await traced(['-A', '-o', 'json', '--kubeconfig', file, '--now', NOW]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    // Only the token the command printed opens the double: the scan's finding is the proof.
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('image-not-found');
    return r;
  }

  // client-node's child_process is built into the bundle to load on first use (scripts/build.mjs).
  it('a kubeconfig with an exec credential plugin: the plugin runs and its token is sent', async () => {
    const cred = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: server.token } };
    const r = await scanWithTokenCommand('exec', cred, (command) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never' } }));
    expect(r.builtins).toContain('child_process');
  });

  // The same for jsonpath-plus, which only the azure and gcp auth-providers use.
  it('a kubeconfig with the gcp auth-provider: its command runs and the token is read at its token-key', async () => {
    const out = { credential: { access_token: server.token, token_expiry: '2099-01-01T00:00:00Z' } };
    const r = await scanWithTokenCommand('gcp', out, (cmd) => ({
      'auth-provider': { name: 'gcp', config: { 'cmd-path': cmd, 'cmd-args': 'config config-helper --format=json', 'token-key': '{.credential.access_token}', 'expiry-key': '{.credential.token_expiry}' } },
    }));
    expect(r.packages).toContain('jsonpath-plus');
  });

  // openid-client too, for the oidc auth-provider's refresh of an expired id-token.
  it('a kubeconfig with an expired oidc id-token: the refresh reaches openid-client, and fails as it does unbundled', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const kc = kubeconfigObject({ contexts: [{ name: 'double', server }] }) as { users: { user: Record<string, unknown> }[] };
    kc.users[0]!.user = {
      'auth-provider': {
        name: 'oidc',
        config: { 'client-id': 'pulldoctor', 'id-token': `${b64({ alg: 'RS256' })}.${b64({ exp: 1_000_000_000 })}.c2ln`, 'refresh-token': 'r1', 'idp-issuer-url': 'https://127.0.0.1:9/issuer' },
      },
    };
    const file = path.join(tmp, 'kubeconfig-oidc');
    writeFileSync(file, stringify(kc));
    const args = ['-A', '-o', 'json', '--kubeconfig', file, '--now', NOW];
    const bundled = await traced(args);
    expect(bundled.packages).toContain('openid-client');
    expect(bundled.code).toBe(2);
    // client-node 1.4 hands openid-client 6 the issuer as a string where it takes a URL, so it
    // cannot refresh an oidc token with or without the bundle; the one line says so, unbundled alike.
    expect(bundled.stderr).toMatch(/^pulldoctor: context double \(https:\/\/127\.0\.0\.1:\d+\): cannot load credentials: .+\n$/);
    const unbundled = await runMain(args, { env: { KUBECONFIG: '/nonexistent', HOME: tmp } });
    expect(bundled.stderr).toBe(unbundled.stderr);
  });

  // The SOCKS client is built into the bundle to run on first use only (scripts/build.mjs).
  it('a kubeconfig with a socks5:// proxy-url: the scan goes through the proxy', async () => {
    const proxy = await startSocks5();
    try {
      const kc = kubeconfigObject({ contexts: [{ name: 'double', server }] }) as { clusters: { cluster: Record<string, unknown> }[] };
      kc.clusters[0]!.cluster['proxy-url'] = `socks5://127.0.0.1:${proxy.port}`;
      const file = path.join(tmp, 'kubeconfig-socks');
      writeFileSync(file, stringify(kc));
      const before = server.requests.length;
      const r = await traced(['-A', '-o', 'json', '--kubeconfig', file, '--now', NOW]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('image-not-found');
      expect(proxy.connects).toContain(`127.0.0.1:${new URL(server.url).port}`);
      expect(r.packages).toContain('socks');
      expect(server.requests.length).toBeGreaterThan(before);
    } finally {
      await proxy.close();
    }
  });

  it('--probe loads the probe', async () => {
    // An image on a closed local port: the probe runs and fails fast, which is all this needs.
    const dump = path.join(tmp, 'probe.yaml');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
      spec: { containers: [{ name: 'c', image: '127.0.0.1:9/app:1' }] },
      status: { containerStatuses: [{ name: 'c', image: '127.0.0.1:9/app:1', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "127.0.0.1:9/app:1"' } } }] },
    };
    writeFileSync(dump, stringify(pod));
    const r = await traced(['-f', dump, '-o', 'json', '--probe', '--fail-on', 'never', '--timeout', '10']);
    expect(r.stderr).toBe('');
    expect(under(r.sources, 'src/probe/')).toContain('src/probe/probe.ts');
  });
});

describe('an install with files missing', () => {
  it('one line that says so, exit code 3, no stack', async () => {
    const copy = path.join(tmp, 'broken');
    cpSync(path.dirname(CLI), copy, { recursive: true });
    const main = readdirSync(path.join(copy, 'chunks')).find((f) => /^main-\w+\.js$/.test(f));
    rmSync(path.join(copy, 'chunks', main!));
    const r = await runBin(['--demo'], { bin: path.join(copy, 'cli.js') });
    expect(r.code).toBe(EXIT.INTERNAL); // cli.ts writes 3 itself: it loads nothing to ask
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^pulldoctor: cannot load its own files \(reinstall pulldoctor\): Error \[ERR_MODULE_NOT_FOUND\]: Cannot find module '[^\n]*main-\w+\.js'[^\n]*\n$/);
  });
});

describe('--debug and source maps', () => {
  it('a stack trace names the src/ file and line; without --debug, one line and no stack', async () => {
    const debug = await runBin(['--kubeconfig', path.join(tmp, 'missing'), '--debug']);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^UserError: kubeconfig .*missing: no such file\n\s+at .*src\/collect\/kubeconfig\.ts:\d+:\d+/);
    expect(debug.stderr).not.toMatch(/dist\/(chunks\/)?[\w-]+\.js/);
    const plain = await runBin(['--kubeconfig', path.join(tmp, 'missing')]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe(`pulldoctor: kubeconfig ${path.join(tmp, 'missing')}: no such file\n`);
  });
});

/**
 * The smallest SOCKS5 proxy (RFC 1928): no authentication, CONNECT to an IPv4 address or a
 * name; records each destination and then relays bytes both ways.
 */
async function startSocks5(): Promise<{ port: number; connects: string[]; close: () => Promise<void> }> {
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => client.destroy());
    client.once('data', () => {
      client.write(Buffer.from([5, 0])); // version 5, "no authentication"
      client.once('data', (req) => {
        let host: string;
        let at: number;
        if (req[3] === 1) {
          host = [...req.subarray(4, 8)].join('.');
          at = 8;
        } else if (req[3] === 3) {
          host = req.subarray(5, 5 + req[4]!).toString();
          at = 5 + req[4]!;
        } else return client.destroy();
        const port = req.readUInt16BE(at);
        connects.push(`${host}:${port}`);
        const upstream = net.connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          client.pipe(upstream).pipe(client);
        });
        sockets.add(upstream);
        upstream.on('error', () => client.destroy());
      });
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    port: (srv.address() as net.AddressInfo).port,
    connects,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => srv.close(() => resolve()));
    },
  };
}
