/**
 * Running the CLI in tests, two ways:
 * - `runMain`: `main(argv)` in this process, with stdout, stderr, stdin, the TTY flags, the
 *   environment and the working directory swapped for the run and put back after it. Fast; for
 *   everything that does not need a process boundary.
 * - `runBin`: the built binary (`CLI`: the bundle, `npm test` builds it) as a child process, for
 *   what only a real process shows: its exit status, a real stdin pipe, TTY and colour
 *   detection, signals, `--version`/`--help` (yargs exits the process for those).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { vi } from 'vitest';
import { main } from '../../src/main.js';
import { ROOT } from './root.js';

/**
 * The built binary, as `bin` in package.json names it: the one path every end-to-end test runs
 * (`runBin`, or spawned directly with this constant).
 */
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** What stdin holds (default: nothing, as a closed pipe). */
  input?: string;
  /** Environment changes on top of the base: a value sets the variable, `undefined` removes it. */
  env?: Record<string, string | undefined>;
  /** Whether stdout and stderr are terminals (runMain only; default false, as in a pipe). */
  tty?: boolean;
}

/**
 * The environment every run starts from: a CI job whose output is piped. vitest sets
 * FORCE_COLOR for its workers; a user's NO_COLOR must not leak in either.
 */
export const BASE_ENV: Record<string, string | undefined> = { CI: 'true', FORCE_COLOR: undefined, NO_COLOR: undefined };

function applyEnv(changes: Record<string, string | undefined>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(changes)) {
    if (!saved.has(k)) saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Replace an own property for the run; the returned function puts the old one (or its absence) back. */
function override(obj: object, key: PropertyKey, value: unknown): () => void {
  const before = Object.getOwnPropertyDescriptor(obj, key);
  Object.defineProperty(obj, key, { value, configurable: true, writable: true, enumerable: true });
  return () => {
    if (before) Object.defineProperty(obj, key, before);
    else delete (obj as Record<PropertyKey, unknown>)[key];
  };
}

type Write = typeof process.stdout.write;

/** A `write` that appends to `sink` and calls the callback, as a drained stream would. */
function capture(sink: string[]): Write {
  return ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void) => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) queueMicrotask(() => done(null));
    return true;
  }) as Write;
}

let busy = false;

/**
 * `pulldoctor <args>` in this process, from the repository root. One run at a time: the streams
 * are the process's own (tests within a file run one after another unless marked concurrent).
 */
export async function runMain(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  if (busy) throw new Error('runMain: another run is in progress (do not call it from concurrent tests)');
  busy = true;
  const out: string[] = [];
  const err: string[] = [];
  const restore: (() => void)[] = [];
  const cwd = process.cwd();
  try {
    restore.push(applyEnv({ ...BASE_ENV, ...opts.env }));
    if (cwd !== ROOT) {
      process.chdir(ROOT);
      restore.push(() => process.chdir(cwd));
    }
    const tty = opts.tty ?? false;
    restore.push(override(process.stdout, 'isTTY', tty), override(process.stderr, 'isTTY', tty));
    restore.push(override(process, 'stdin', Readable.from(opts.input ? [Buffer.from(opts.input)] : [])));
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`process.exit(${String(code)}) called in-process: test this through the binary (runBin)`);
    });
    restore.push(() => {
      stdout.mockRestore();
      stderr.mockRestore();
      exit.mockRestore();
    });
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    for (const undo of restore.reverse()) undo();
    busy = false;
  }
}

/** The built binary as a child process, from the repository root; `env` on top of BASE_ENV. */
export function runBin(
  args: string[],
  opts: Omit<CliOptions, 'tty'> & { timeoutMs?: number; /** Another copy of the bundle's entry (default: CLI). */ bin?: string } = {},
): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries({ ...BASE_ENV, ...opts.env })) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.bin ?? CLI, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the CLI may exit without reading stdin
    child.stdin.end(opts.input ?? '');
  });
}
