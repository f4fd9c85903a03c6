/**
 * `npm run bench`: measures pulldoctor against the cheapest possible way to get the same data,
 * and against `kubectl describe pods -A`, on generated clusters of 1k, 10k and 50k pods, and
 * writes BENCHMARKS.md.
 *
 *   npm run bench                       # sizes 1000,10000,50000
 *   npm run bench -- --sizes 1000       # quick run
 *   options: --sizes a,b,c  --reps N  --seed N  --gzip  --no-kubectl  --out FILE
 *
 * Every measured program is its own process: the API double (bench/apiserver-child.ts), the
 * pulldoctor CLI (dist/cli.js, the published bundle), the floor (bench/floor.ts), kubectl, the engine-only run
 * (bench/engine.ts). Wall time is spawn to exit; peak RSS is GNU time's maximum resident set.
 *
 * Time budget (default sizes, 2 cores): ~1 min at 1k, ~3.5 min at 10k (kubectl describe alone
 * is ~1.5 min), ~4.5 min at 50k (generation, 2 live pairs, the >512 MiB JSON dump once, engine).
 */
import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeKubeconfig } from '../test/apiserver/index.js';
import type { EngineResult } from './engine.js';
import { CLOCK, type ClusterStats } from './generate.js';
import { DoubleProcess, hasGnuTime, runTimed, type Timed } from './proc.js';
import type { FloorPlan, FloorResult, LoggedRequest } from './protocol.js';
import { renderMarkdown, type BenchResults, type LiveRun, type OfflineCase, type SizeResult } from './report.js';
import { median } from './stats.js';

const HERE = path.dirname(fileURLToPath(import.meta.url)); // dist-bench/bench
const ROOT = path.resolve(HERE, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const OUT = path.join(ROOT, 'bench', 'out');
const PAGE = 500;
/** V8's longest string (Node 20, 64-bit): 2^29 - 24 characters. */
const MAX_STRING = 2 ** 29 - 24;

interface Args {
  sizes: number[];
  reps?: number;
  seed: number;
  gzip: boolean;
  kubectl: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { sizes: [1000, 10_000, 50_000], seed: 42, gzip: false, kubectl: true, out: path.join(ROOT, 'BENCHMARKS.md') };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--sizes') a.sizes = v().split(',').map((s) => Math.round(Number(s.replace(/k$/i, '000'))));
    else if (k === '--reps') a.reps = Number(v());
    else if (k === '--seed') a.seed = Number(v());
    else if (k === '--gzip') a.gzip = true;
    else if (k === '--no-kubectl') a.kubectl = false;
    else if (k === '--out') a.out = path.resolve(v());
    else throw new Error(`unknown option ${k}`);
  }
  if (!a.sizes.length || a.sizes.some((n) => !Number.isFinite(n) || n < 10 || n > 200_000)) throw new Error('--sizes: numbers between 10 and 200000');
  if (a.reps !== undefined && !(a.reps >= 1 && a.reps <= 20)) throw new Error('--reps: 1..20');
  return a;
}

function findKubectl(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin']) {
    const c = path.join(dir, 'kubectl');
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));

/** Reps per size: fewer above 1k to stay within 10 minutes on 2 cores (a 50k live run is ~30 s, its floor ~45 s). */
const repsFor = (n: number, forced?: number) => forced ?? (n >= 50_000 ? 2 : n >= 10_000 ? 3 : 5);

function classify(q: LoggedRequest): string {
  const p = q.path;
  if (/^\/api\/v1\/namespaces\/[^/]+\/secrets\/[^/]+$/.test(p)) return 'get secret';
  if (/^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+$/.test(p)) return 'get pod';
  if (p === '/api/v1/secrets' && q.query.fieldSelector?.startsWith('metadata.name=')) return 'list secrets by name';
  const list = /^\/api\/v1\/(?:namespaces\/[^/]+\/)?([a-z]+)$/.exec(p);
  if (list) return `list ${list[1]}${q.query.fieldSelector ? ' (field selector)' : ''}`;
  return `other ${p}`;
}

function tally(logged: LoggedRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const q of logged) {
    const k = classify(q);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** The pages pulldoctor fetched, as a plan the floor repeats. */
function floorPlan(logged: LoggedRequest[], info: { url: string; token: string; caData?: string }, gzip: boolean): FloorPlan {
  const lists = new Map<string, { path: string; query: Record<string, string> }>();
  const gets: string[] = [];
  for (const q of logged) {
    if (classify(q) === 'get secret') gets.push(q.path);
    else if (q.query.continue === undefined) {
      const { limit: _l, continue: _c, ...query } = q.query;
      lists.set(`${q.path}?${new URLSearchParams(query).toString()}`, { path: q.path, query });
    }
  }
  return { url: info.url, token: info.token, ...(info.caData ? { caData: info.caData } : {}), gzip, pageSize: PAGE, lists: [...lists.values()], gets };
}

function summarise(runs: { ms: number; rssMB: number; requests: number; bytes: number }[]): LiveRun {
  return {
    ms: median(runs.map((r) => r.ms)),
    msAll: runs.map((r) => Math.round(r.ms)),
    rssMB: median(runs.map((r) => r.rssMB)),
    rssMaxMB: Math.max(...runs.map((r) => r.rssMB)),
    requests: median(runs.map((r) => r.requests)),
    bytes: median(runs.map((r) => r.bytes)),
    reps: runs.length,
  };
}

function check(t: Timed, what: string, okCodes = [0, 1]): void {
  if (t.timedOut) throw new Error(`${what}: timed out`);
  if (t.code === null || !okCodes.includes(t.code)) throw new Error(`${what}: exit ${t.code}: ${t.stderr.slice(0, 2000)}`);
}

const node = process.execPath;
const nowArgs = ['--now', CLOCK];

async function liveSize(n: number, args: Args, kubectl: string | undefined, result: SizeResult): Promise<DoubleProcess> {
  log(`${n} pods: generating the cluster and starting the API double`);
  const t0 = performance.now();
  const dbl = await DoubleProcess.start(HERE, { pods: n, seed: args.seed, tls: true, gzip: args.gzip });
  result.cluster = dbl.info.stats;
  result.doubleStartMs = performance.now() - t0;
  result.doubleRssMB = dbl.info.rssMB;
  result.genMs = dbl.info.genMs;
  const kc = writeKubeconfig({
    contexts: [{ name: 'bench', server: { url: dbl.info.url, token: dbl.info.token, caData: dbl.info.caData } }],
    file: path.join(OUT, `kubeconfig-${n}`),
  });
  const pdArgs = [CLI, '-A', '-o', 'json', ...nowArgs, '--kubeconfig', kc];

  // First measured run (the double warmed itself at start): also the request log that the
  // floor repeats and the request-count check uses.
  await dbl.request({ type: 'reset' });
  const warm = await runTimed(node, pdArgs, { keepStdout: true });
  check(warm, 'pulldoctor');
  const warmStats = await dbl.request<'stats'>({ type: 'stats', log: true });
  const logged = warmStats.log ?? [];
  const report = JSON.parse(warm.stdout) as { summary: { podsScanned: number; podsWithPullProblems: number; findings: Record<string, number> }; findings: { rule: string }[] };
  const byRule: Record<string, number> = {};
  for (const f of report.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  result.report = { podsScanned: report.summary.podsScanned, podsWithPullProblems: report.summary.podsWithPullProblems, findings: report.findings.length, byRule, bytes: warm.stdoutBytes };
  const kinds = tally(logged);
  const s = result.cluster;
  const nodesListed = (kinds['list nodes'] ?? 0) > 0;
  const expected =
    pages(s.pods) + pages(s.events) + pages(s.serviceAccounts) + (nodesListed ? pages(s.nodes) : 0) + s.referencedSecrets + s.missingSecretNames;
  result.requests = { actual: logged.length, expected, kinds, nodesListed, perPod: (kinds['get pod'] ?? 0) + (kinds['list events (field selector)'] ?? 0) };

  const planFile = path.join(OUT, `plan-${n}.json`);
  writeFileSync(planFile, JSON.stringify(floorPlan(logged, dbl.info, args.gzip)));

  const reps = repsFor(n, args.reps);
  const pd: { ms: number; rssMB: number; requests: number; bytes: number }[] = [];
  const fl: typeof pd = [];
  log(`${n} pods: live scan × ${reps} beside the fetch-and-parse floor`);
  pd.push({ ms: warm.ms, rssMB: warm.rssMB, requests: warmStats.requests, bytes: warmStats.bytes });
  for (let r = 0; r < reps; r++) {
    await dbl.request({ type: 'reset' });
    const f = await runTimed(node, [path.join(HERE, 'floor.js'), 'live', planFile], { keepStdout: true });
    check(f, 'floor', [0]);
    const fs = await dbl.request<'stats'>({ type: 'stats' });
    const fr = JSON.parse(f.stdout) as FloorResult;
    fl.push({ ms: f.ms, rssMB: f.rssMB, requests: fs.requests, bytes: fs.bytes });
    result.floorInnerMs.push(fr.ms);

    if (r === reps - 1) break; // the first pulldoctor run was the first of the pair
    await dbl.request({ type: 'reset' });
    const p = await runTimed(node, pdArgs);
    check(p, 'pulldoctor');
    const ps = await dbl.request<'stats'>({ type: 'stats' });
    pd.push({ ms: p.ms, rssMB: p.rssMB, requests: ps.requests, bytes: ps.bytes });
  }
  result.pulldoctor = summarise(pd);
  result.floor = summarise(fl);

  if (kubectl && n <= 10_000) {
    const kreps = n <= 1000 ? 2 : 1;
    const home = path.join(OUT, 'kubectl-home');
    mkdirSync(home, { recursive: true });
    log(`${n} pods: kubectl describe pods -A × ${kreps}`);
    const runs: typeof pd = [];
    for (let r = 0; r < kreps; r++) {
      await dbl.request({ type: 'reset' });
      const k = await runTimed(kubectl, ['--kubeconfig', kc, 'describe', 'pods', '-A'], { env: { ...process.env, HOME: home, KUBECONFIG: kc }, timeoutMs: 400_000 });
      check(k, 'kubectl describe pods -A', [0]);
      const ks = await dbl.request<'stats'>({ type: 'stats' });
      runs.push({ ms: k.ms, rssMB: k.rssMB, requests: ks.requests, bytes: ks.bytes });
    }
    result.kubectl = summarise(runs);
  }
  return dbl;
}

async function offlineSize(n: number, args: Args, dbl: DoubleProcess, result: SizeResult): Promise<void> {
  const reps = args.reps ?? 3;
  const formats: ('json' | 'yaml')[] = n <= 10_000 ? (n >= 10_000 ? ['json', 'yaml'] : ['json']) : ['json'];
  let jsonFloor: LiveRun | undefined;
  for (const format of formats) {
    const file = path.join(OUT, `dump-${n}.${format}`);
    log(`${n} pods: writing ${path.basename(file)}`);
    const d = await dbl.request<'dumped'>({ type: 'dump', file, format });
    const c: OfflineCase = { format, bytes: d.bytes, tooLargeForString: d.bytes > MAX_STRING };
    const freps = format === 'yaml' || c.tooLargeForString ? 1 : reps;
    log(`${n} pods: offline ${format} × ${freps}`);
    const pd: { ms: number; rssMB: number; requests: number; bytes: number }[] = [];
    const fl: typeof pd = [];
    for (let r = 0; r < freps; r++) {
      // YAML: no floor run (parsing 75 MiB with the yaml package takes over a minute on its own;
      // the figure is compared with the JSON floor of the same cluster instead).
      if (!c.tooLargeForString && format === 'json') {
        const f = await runTimed(node, [path.join(HERE, 'floor.js'), 'file', file], { keepStdout: true });
        check(f, `floor (${format})`, [0]);
        fl.push({ ms: f.ms, rssMB: f.rssMB, requests: 0, bytes: d.bytes });
      }
      const p = await runTimed(node, [CLI, '-f', file, '-o', 'json', ...nowArgs], { timeoutMs: 300_000 });
      if (p.code !== 0 && p.code !== 1) {
        c.pulldoctorError = `exit ${p.code}${p.timedOut ? ' (timed out)' : ''}: ${p.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400)}`;
        c.pulldoctorFailedAfterMs = p.ms;
        c.pulldoctorFailedRssMB = p.rssMB;
      } else pd.push({ ms: p.ms, rssMB: p.rssMB, requests: 0, bytes: p.stdoutBytes });
    }
    if (pd.length) c.pulldoctor = summarise(pd);
    if (fl.length) c.floor = summarise(fl);
    if (format === 'json' && c.floor) jsonFloor = c.floor;
    if (format === 'yaml' && jsonFloor) c.jsonFloor = jsonFloor;
    result.offline.push(c);
    rmSync(file, { force: true });
  }
}

async function engineSize(n: number, args: Args, result: SizeResult): Promise<void> {
  const reps = args.reps ?? (n >= 50_000 ? 2 : n >= 10_000 ? 3 : 5);
  log(`${n} pods: engine only × ${reps}`);
  const e = await runTimed(node, [path.join(HERE, 'engine.js'), JSON.stringify({ pods: n, seed: args.seed, reps })], { keepStdout: true, timeoutMs: 300_000 });
  check(e, 'engine', [0]);
  result.engine = JSON.parse(e.stdout) as EngineResult;
  if (n >= 50_000 || n === args.sizes[args.sizes.length - 1]) {
    const m = await runTimed(node, ['--expose-gc', path.join(HERE, 'engine.js'), JSON.stringify({ pods: n, seed: args.seed, reps: 1, memory: true })], { keepStdout: true, timeoutMs: 300_000 });
    check(m, 'engine (memory)', [0]);
    Object.assign(result.engine, JSON.parse(m.stdout) as Partial<EngineResult>);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const loadStart = os.loadavg()[0] ?? NaN;
  mkdirSync(OUT, { recursive: true });
  statSync(CLI);
  const kubectl = args.kubectl ? findKubectl() : undefined;
  let kubectlVersion: string | undefined;
  if (kubectl) {
    const v = await runTimed(kubectl, ['version', '--client'], { keepStdout: true, timeoutMs: 30_000 });
    kubectlVersion = /Client Version: (\S+)/.exec(v.stdout)?.[1];
  }
  log('pulldoctor start-up (--version) × 3');
  const startup: number[] = [];
  for (let i = 0; i < 3; i++) {
    const v = await runTimed(node, [CLI, '--version']);
    check(v, 'pulldoctor --version', [0]);
    startup.push(v.ms);
  }
  const sizes: SizeResult[] = [];
  for (const n of args.sizes) {
    const result: SizeResult = {
      pods: n,
      reps: repsFor(n, args.reps),
      cluster: undefined as unknown as ClusterStats,
      doubleStartMs: 0,
      doubleRssMB: 0,
      requests: { actual: 0, expected: 0, kinds: {}, nodesListed: false, perPod: 0 },
      floorInnerMs: [],
      offline: [],
    };
    let dbl: DoubleProcess | undefined;
    try {
      dbl = await liveSize(n, args, kubectl, result);
      await offlineSize(n, args, dbl, result);
    } finally {
      await dbl?.stop();
    }
    await engineSize(n, args, result);
    sizes.push(result);
  }
  const results: BenchResults = {
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGB: os.totalmem() / 2 ** 30,
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      kubectl: kubectlVersion,
      gnuTime: hasGnuTime,
      load: [loadStart, os.loadavg()[0] ?? NaN],
    },
    config: { seed: args.seed, tls: true, gzip: args.gzip, pageSize: PAGE, clock: CLOCK, sizes: args.sizes },
    startupMs: median(startup),
    sizes,
    totalMs: performance.now() - started,
    date: new Date().toISOString(),
  };
  writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 2));
  writeFileSync(args.out, renderMarkdown(results));
  log(`wrote ${path.relative(process.cwd(), args.out) || args.out} in ${Math.round(results.totalMs / 1000)} s`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
