/**
 * `pulldoctor serve` as the built binary (the one `runBin` runs, see cli.ts), running until it is
 * signalled: started with `--listen 127.0.0.1:0`, its URL read from its first log line.
 */
import { spawn } from 'node:child_process';
import { BASE_ENV, CLI } from './cli.js';
import { ROOT } from './root.js';

export interface ServeProcess {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  pid: number;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  stdout(): string;
  /** Send a signal and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  /** Resolves when the process exits by itself. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of every run: no kubeconfig of the developer's (`--kubeconfig` is passed). */
const ENV = { ...BASE_ENV, KUBECONFIG: '/nonexistent', HOME: '/nonexistent' };

export function startServe(args: string[], opts: { timeoutMs?: number } = {}): Promise<ServeProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(ENV)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`serve did not start listening: ${err}`));
    }, opts.timeoutMs ?? 30_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          pid: child.pid!,
          stderr: () => err,
          stdout: () => out,
          exited,
          async stop(signal = 'SIGTERM') {
            const t = Date.now();
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            const r = await exited;
            return { ...r, ms: Date.now() - t };
          },
        });
      }
    });
    void exited.then((r) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`serve exited (${r.code ?? r.signal}) before listening: ${err}`));
    });
  });
}
