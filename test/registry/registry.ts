/**
 * Start and stop throwaway CNCF Distribution registries (Debian's `docker-registry`
 * package, binary /usr/bin/docker-registry) on 127.0.0.1 with a generated config: never the
 * packaged default config, which listens on all interfaces.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

import { unusedPort } from '../helpers/ports.js';
import { tempDir, type ServerCert } from './pki.js';

const INSTALL_HINT = '`npm run setup` (scripts/setup-test-deps) installs it, as .ci/run does.';

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const p = path.join(dir || '.', bin);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** The registry binary, or a loud failure (these tests are never skipped). */
export function requireDockerRegistry(): string {
  const bin = onPath('docker-registry');
  if (!bin) throw new Error(`docker-registry (CNCF Distribution) is not installed; the registry probe tests need it. ${INSTALL_HINT}`);
  return bin;
}

export function requireHtpasswd(): string {
  const bin = onPath('htpasswd');
  if (!bin) throw new Error(`htpasswd (apache2-utils) is not installed; the registry probe tests need it. ${INSTALL_HINT}`);
  return bin;
}

export function requireOpenssl(): string {
  const bin = onPath('openssl');
  if (!bin) throw new Error('openssl is not installed; the registry probe tests need it (apt-get install -y openssl)');
  return bin;
}


/**
 * An htpasswd file with bcrypt entries. Passwords go through stdin (`-i`), never the command
 * line, so a failing command cannot echo them in its error.
 */
export function writeHtpasswd(dir: string, users: Record<string, string>): string {
  const bin = requireHtpasswd();
  const lines: string[] = [];
  for (const [user, password] of Object.entries(users)) {
    let out: string;
    try {
      out = execFileSync(bin, ['-nBi', user], { input: password, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      throw new Error(`htpasswd failed for user ${user}`);
    }
    lines.push(out.trim());
  }
  const file = path.join(dir, 'htpasswd');
  writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
  return file;
}

export type RegistryAuth =
  | { htpasswd: { realm: string; path: string } }
  | { token: { realm: string; service: string; issuer: string; rootcertbundle: string } };

export interface RegistryInstance {
  /** `127.0.0.1:<port>` */
  host: string;
  port: number;
  /** `https://127.0.0.1:<port>` or `http://…` */
  url: string;
  dir: string;
  logs(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  tls?: ServerCert;
  auth?: RegistryAuth;
}

export async function startRegistry(opts: StartOptions = {}): Promise<RegistryInstance> {
  const bin = requireDockerRegistry();
  const dir = tempDir('registry');
  const port = await unusedPort();
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: path.join(dir, 'data') },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: `127.0.0.1:${port}`,
      secret: randomBytes(16).toString('hex'),
      ...(opts.tls ? { tls: { certificate: opts.tls.certFile, key: opts.tls.keyFile } } : {}),
    },
    ...(opts.auth ? { auth: opts.auth } : {}),
  };
  const configFile = path.join(dir, 'config.yml');
  // JSON is YAML: no YAML writer needed.
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('REGISTRY_') && !k.startsWith('OTEL_')) env[k] = v;
  const child: ChildProcess = spawn(bin, ['serve', configFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code) => {
      exited = code;
      resolve();
    });
  });

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited !== undefined) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`docker-registry exited (code ${exited}) before listening:\n${out.slice(-4000)}`);
    }
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not listen on 127.0.0.1:${port} within 20 s:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const host = `127.0.0.1:${port}`;
  return {
    host,
    port,
    url: `${opts.tls ? 'https' : 'http'}://${host}`,
    dir,
    logs: () => out,
    stop: async () => {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exitPromise;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
