/**
 * Child-process helpers: run a command under `/usr/bin/time -v` (peak RSS from the OS) with
 * a wall clock and a time limit; start and talk to the API double process over IPC.
 */
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { ChildReply, ChildRequest, ServerConfig } from './protocol.js';

const TIME = '/usr/bin/time';
export const hasGnuTime = (() => {
  try {
    accessSync(TIME, constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();

export interface Timed {
  ms: number;
  code: number | null;
  /** Peak resident set size in MiB (from GNU time), NaN when unavailable. */
  rssMB: number;
  stdout: string;
  stdoutBytes: number;
  stderr: string;
  timedOut: boolean;
}

/**
 * Run `cmd args` and measure it. stdout is kept (as text) only when `keepStdout`; otherwise
 * only counted. Killed after `timeoutMs`.
 */
export function runTimed(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; keepStdout?: boolean; timeoutMs?: number; cwd?: string } = {},
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const argv = hasGnuTime ? ['-v', cmd, ...args] : args;
    const t0 = performance.now();
    const child = spawn(hasGnuTime ? TIME : cmd, argv, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (opts.keepStdout) out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
      if (err.length > 1_000_000) err = err.slice(-200_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 300_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      // GNU time reports the command's exit status as its own; "Command exited with non-zero status N".
      resolve({
        ms,
        code,
        rssMB: m ? Number(m[1]) / 1024 : NaN,
        stdout: Buffer.concat(out).toString('utf8'),
        stdoutBytes: outBytes,
        stderr: hasGnuTime ? err.replace(/\n?\tCommand being timed:[\s\S]*$/, '') : err,
        timedOut,
      });
    });
  });
}

type Ready = Extract<ChildReply, { type: 'ready' }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The API double in its own process. */
export class DoubleProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (m: ChildReply) => void; reject: (e: Error) => void }>();
  private constructor(
    private readonly child: ChildProcess,
    readonly info: Ready,
  ) {
    child.on('message', (raw) => {
      const m = raw as ChildReply;
      if (!('id' in m)) return;
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.type === 'error') w.reject(new Error(`API double: ${m.message}`));
      else w.resolve(m);
    });
    child.on('exit', () => {
      for (const w of this.waiting.values()) w.reject(new Error('API double exited'));
      this.waiting.clear();
    });
  }

  static start(dir: string, cfg: ServerConfig, timeoutMs = 180_000): Promise<DoubleProcess> {
    const child = fork(path.join(dir, 'apiserver-child.js'), [JSON.stringify(cfg)], {
      execArgv: ['--max-old-space-size=12288'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('API double did not start in time'));
      }, timeoutMs);
      child.once('message', (raw) => {
        clearTimeout(timer);
        const m = raw as ChildReply;
        if (m.type === 'ready') resolve(new DoubleProcess(child, m));
        else {
          child.kill('SIGKILL');
          reject(new Error(`API double failed: ${m.type === 'error' ? m.message : m.type}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`API double exited with ${code}`));
      });
    });
  }

  request<T extends ChildReply['type']>(msg: WithoutId<Extract<ChildRequest, { id: number }>>, timeoutMs = 300_000): Promise<Extract<ChildReply, { type: T }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`API double: no answer to ${msg.type}`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<ChildReply, { type: T }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ ...msg, id } as ChildRequest);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.send({ type: 'exit' } satisfies ChildRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
