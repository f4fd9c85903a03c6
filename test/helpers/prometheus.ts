/**
 * The real Prometheus tools in tests: `promtool` and `prometheus` from the Debian package
 * `prometheus` (scripts/setup-test-deps installs it). A missing binary fails the test with a
 * message naming that script; nothing is skipped silently.
 *
 * Also: the shipped alerting rules with shorter `for:` durations (the only change a test copy
 * may make), a free loopback port, and polling.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { unusedPort } from './ports.js';
import { ROOT } from './root.js';

export const RULES_FILE = path.join(ROOT, 'deploy', 'prometheus', 'rules.yaml');
export const RULES_TEST_FILE = path.join(ROOT, 'deploy', 'prometheus', 'rules_test.yaml');

/** The absolute path of a Prometheus tool on PATH, or an error that says how to get it. */
export function requireTool(name: 'prometheus' | 'promtool', searchPath = process.env.PATH ?? ''): string {
  for (const dir of searchPath.split(path.delimiter)) {
    const p = path.join(dir || '.', name);
    if (existsSync(p)) return p;
  }
  throw new Error(
    `${name} is not installed (not on PATH): these tests run the real Prometheus tools from the Debian package "prometheus". ` +
      'Install the test dependencies with scripts/setup-test-deps (or: sudo apt-get install prometheus).',
  );
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `promtool ARGS` (stdin from `input`), synchronously. */
export function promtool(args: string[], opts: { input?: string; cwd?: string } = {}): ToolResult {
  const r = spawnSync(requireTool('promtool'), args, { input: opts.input ?? '', cwd: opts.cwd ?? ROOT, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[];
}

export function loadRules(text = readFileSync(RULES_FILE, 'utf8')): RuleFile {
  return parse(text) as RuleFile;
}

/** The shipped rules with each alert's `for:` replaced (alert name → duration); nothing else changes. */
export function rulesWithDurations(durations: Record<string, string>): string {
  const rules = loadRules();
  for (const g of rules.groups) for (const r of g.rules) if (r.alert && durations[r.alert]) r.for = durations[r.alert];
  return stringify(rules);
}


/** Poll `check` until it returns a value (not undefined), or fail naming `what` and the last value seen. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface RunningPrometheus {
  url: string;
  /** GET `/api/v1/<path>` and its `data` (throws on a non-success answer). */
  api<T = unknown>(pathAndQuery: string): Promise<T>;
  /** What Prometheus logged (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * The real `prometheus` on 127.0.0.1 with `config` (YAML text) and `files` beside it (e.g. the
 * rules), in a temporary directory that also holds its storage; ready when `/-/ready` answers.
 */
export async function startPrometheus(config: string, files: Record<string, string> = {}): Promise<RunningPrometheus> {
  const bin = requireTool('prometheus');
  const dir = mkdtempSync(path.join(tmpdir(), 'pulldoctor-prometheus-'));
  writeFileSync(path.join(dir, 'prometheus.yml'), config);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const port = await unusedPort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (log += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d));
  let exited = false;
  const gone = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await gone;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('prometheus to be ready', async () => {
      if (exited) throw new Error(`prometheus exited: ${log}`);
      const res = await fetch(`${url}/-/ready`).catch(() => undefined);
      return res?.ok ? true : undefined;
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    async api<T>(p: string): Promise<T> {
      const res = await fetch(`${url}/api/v1/${p}`);
      const body = (await res.json()) as { status: string; data: T; error?: string };
      if (body.status !== 'success') throw new Error(`prometheus ${p}: ${body.error ?? res.status}`);
      return body.data;
    },
    logs: () => log,
    stop,
  };
}
