/**
 * `npm run bench`: measures pulldoctor against the cheapest possible way to get the same data,
 * and against kubectl, side by side in one run, and writes BENCHMARKS.md:
 * - start-up: `pulldoctor --version` vs `kubectl version --client`; an empty cluster:
 *   `pulldoctor -A -o json` vs `kubectl get pods -A`;
 * - generated clusters of 1k, 10k and 50k pods: the live scan vs the fetch-and-parse floor,
 *   `kubectl describe pods -A` and `kubectl get pods,events,secrets,serviceaccounts -A -o json`;
 *   offline dumps vs read + parse; the engine alone;
 * - watch mode (bench/watch.ts): `pulldoctor -A -w` in tmux at 1k and 10k pods for 10 minutes of
 *   churn: requests after the initial list, RSS over time, time until a change is on screen.
 *
 *   npm run bench                                  # everything, ~25 minutes on 2 cores
 *   npm run bench -- --sizes 1000 --churn-minutes 1 --watch-sizes 1000   # quick run, ~2 minutes
 *   options: --sizes a,b,c  --reps N  --seed N  --gzip  --no-kubectl  --out FILE
 *            --watch-sizes a,b  --churn-minutes N  --no-watch
 *
 * Every measured program is its own process: the API double (bench/apiserver-child.ts), the
 * pulldoctor CLI (dist/cli.js, the published bundle), the floor (bench/floor.ts), kubectl, the engine-only run
 * (bench/engine.ts). Wall time is spawn to exit; peak RSS is GNU time's maximum resident set.
 *
 * Time budget (default, 2 cores): start-up and the empty cluster ~0.5 min; 1k ~1.3 min; 10k ~8 min
 * (kubectl describe ~2 min a run, get -o json ~40 s); 50k ~5 min; watch 10 min plus ~1 min to start.
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
import { renderMarkdown, type BenchResults, type LiveRun, type OfflineCase, type SizeResult, type StartupResults } from './report.js';
import { median } from './stats.js';
import { runWatch, type WatchResult } from './watch.js';

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
  watchSizes: number[];
  churnMinutes: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { sizes: [1000, 10_000, 50_000], seed: 42, gzip: false, kubectl: true, out: path.join(ROOT, 'BENCHMARKS.md'), watchSizes: [1000, 10_000], churnMinutes: 10 };
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
    else if (k === '--watch-sizes') a.watchSizes = v().split(',').map((x) => Math.round(Number(x.replace(/k$/i, '000'))));
    else if (k === '--churn-minutes') a.churnMinutes = Number(v());
    else if (k === '--no-watch') a.watchSizes = [];
    else throw new Error(`unknown option ${k}`);
  }
  if (!a.sizes.length || a.sizes.some((n) => !Number.isFinite(n) || n < 10 || n > 200_000)) throw new Error('--sizes: numbers between 10 and 200000');
  if (a.reps !== undefined && !(a.reps >= 1 && a.reps <= 20)) throw new Error('--reps: 1..20');
  if (a.watchSizes.some((n) => !Number.isFinite(n) || n < 10 || n > 200_000)) throw new Error('--watch-sizes: numbers between 10 and 200000');
  if (!(a.churnMinutes > 0 && a.churnMinutes <= 120)) throw new Error('--churn-minutes: more than 0, at most 120');
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

/** Reps per size: 5 up to 10k; 2 at 50k (a 50k live run is ~30 s, its floor ~25 s; its targets are RSS and streaming, not a ratio). */
const repsFor = (n: number, forced?: number) => forced ?? (n >= 50_000 ? 2 : 5);
/**
 * kubectl describe and get -o json: 5 runs at 1k; 2 at 10k, where one describe takes ~2 minutes
 * and one get ~40 s on 2 cores: five of each would add ~8 minutes to a run of ~25.
 */
const describeRepsFor = (n: number, forced?: number) => forced ?? (n >= 10_000 ? 2 : 5);
const STARTUP_REPS = 7;

function classify(q: LoggedRequest): string {
  const p = q.path;
  if (/^\/api\/v1\/namespaces\/[^/]+\/secrets\/[^/]+$/.test(p)) return 'get secret';
  if (/^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+$/.test(p)) return 'get pod';
  if (p === '/api/v1/secrets' && q.query.fieldSelector?.startsWith('metadata.name=')) return 'list secrets by name';
  if (/^\/api\/v1\/namespaces\/[^/]+\/secrets$/.test(p) && q.query.fieldSelector?.startsWith('type=')) return 'list pull secrets by type (one namespace)';
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
/**
 * A CA bundle the environment hands every Node process: Node 20 parses it at start-up, before any
 * script, which costs tens of ms on this machine and says nothing about either tool (pulldoctor
 * takes the cluster's CA from the kubeconfig; kubectl never reads it). Every child runs without it;
 * the start-up section says what it would add.
 */
const EXTRA_CA = process.env.NODE_EXTRA_CA_CERTS;
delete process.env.NODE_EXTRA_CA_CERTS;
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
  // Typed pull-secret lists: one per kubelet secret type (2) per namespace where a pod fails to
  // pull an image its own secrets give no credential for; at most the namespaces with failing pods.
  const typedNamespaces = new Set(logged.filter((q) => classify(q).startsWith('list pull secrets by type')).map((q) => q.path.split('/')[4] ?? ''));
  const expected =
    pages(s.pods) + pages(s.events) + pages(s.serviceAccounts) + (nodesListed ? pages(s.nodes) : 0) + s.referencedSecrets + s.missingSecretNames + 2 * typedNamespaces.size;
  result.requests = {
    actual: logged.length,
    expected,
    kinds,
    nodesListed,
    perPod: (kinds['get pod'] ?? 0) + (kinds['list events (field selector)'] ?? 0),
    typedNamespaces: typedNamespaces.size,
    failingNamespaces: s.failingNamespaces ?? NaN,
  };

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
    const home = path.join(OUT, 'kubectl-home');
    mkdirSync(home, { recursive: true });
    const env = { ...process.env, HOME: home, KUBECONFIG: kc };
    const kubectlRuns = async (what: string, argv: string[], reps: number, timeoutMs: number): Promise<LiveRun> => {
      log(`${n} pods: kubectl ${what} × ${reps}`);
      const runs: { ms: number; rssMB: number; requests: number; bytes: number }[] = [];
      for (let r = 0; r < reps; r++) {
        await dbl.request({ type: 'reset' });
        const k = await runTimed(kubectl, ['--kubeconfig', kc, ...argv], { env, timeoutMs });
        check(k, `kubectl ${what}`, [0]);
        const ks = await dbl.request<'stats'>({ type: 'stats' });
        runs.push({ ms: k.ms, rssMB: k.rssMB, requests: ks.requests, bytes: ks.bytes });
      }
      return summarise(runs);
    };
    result.kubectl = await kubectlRuns('describe pods -A', ['describe', 'pods', '-A'], describeRepsFor(n, args.reps), 400_000);
    result.kubectlGet = await kubectlRuns('get pods,events,secrets,serviceaccounts -A -o json', ['get', 'pods,events,secrets,serviceaccounts', '-A', '-o', 'json'], describeRepsFor(n, args.reps), 300_000);
  }
  return dbl;
}

async function offlineSize(n: number, args: Args, dbl: DoubleProcess, result: SizeResult): Promise<void> {
  const reps = args.reps ?? (n >= 50_000 ? 3 : 5);
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
  const reps = args.reps ?? (n >= 50_000 ? 2 : 5);
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

type Sample = { ms: number; rssMB: number; requests: number; bytes: number };

/**
 * Start-up, side by side: `pulldoctor --version` against `kubectl version --client`, and a scan
 * of an empty cluster (`pulldoctor -A -o json`) against `kubectl get pods -A` on the same API
 * double. Runs alternate; one unmeasured run of each first (kubectl fills its discovery cache,
 * both get the files into the page cache).
 */
async function startupAndEmpty(args: Args, kubectl: string | undefined): Promise<StartupResults> {
  const reps = Math.max(STARTUP_REPS, args.reps ?? 0);
  const pair = async (what: string, a: () => Promise<Sample>, b: (() => Promise<Sample>) | undefined) => {
    log(`${what} × ${reps}`);
    await a();
    await b?.();
    const as: Sample[] = [];
    const bs: Sample[] = [];
    for (let i = 0; i < reps; i++) {
      as.push(await a());
      if (b) bs.push(await b());
    }
    return { a: summarise(as), ...(b ? { b: summarise(bs) } : {}) };
  };
  const timed = async (cmd: string, argv: string[], what: string, env?: NodeJS.ProcessEnv, after?: () => Promise<{ requests: number; bytes: number }>) => {
    const t = await runTimed(cmd, argv, env ? { env } : {});
    check(t, what, [0, 1]);
    const st = after ? await after() : { requests: 0, bytes: 0 };
    return { ms: t.ms, rssMB: t.rssMB, ...st };
  };
  const version = await pair(
    'start-up: pulldoctor --version beside kubectl version --client',
    () => timed(node, [CLI, '--version'], 'pulldoctor --version'),
    kubectl ? () => timed(kubectl, ['version', '--client'], 'kubectl version --client') : undefined,
  );
  log('empty cluster: starting the API double');
  const dbl = await DoubleProcess.start(HERE, { pods: 0, seed: args.seed, tls: true, gzip: args.gzip });
  try {
    const kc = writeKubeconfig({
      contexts: [{ name: 'bench', server: { url: dbl.info.url, token: dbl.info.token, caData: dbl.info.caData } }],
      file: path.join(OUT, 'kubeconfig-empty'),
    });
    const home = path.join(OUT, 'kubectl-home');
    mkdirSync(home, { recursive: true });
    const counted = async () => {
      const st = await dbl.request<'stats'>({ type: 'stats' });
      await dbl.request({ type: 'reset' });
      return { requests: st.requests, bytes: st.bytes };
    };
    await dbl.request({ type: 'reset' });
    const empty = await pair(
      'empty cluster: pulldoctor -A -o json beside kubectl get pods -A',
      () => timed(node, [CLI, '-A', '-o', 'json', ...nowArgs, '--kubeconfig', kc], 'pulldoctor (empty cluster)', undefined, counted),
      kubectl ? () => timed(kubectl, ['--kubeconfig', kc, 'get', 'pods', '-A'], 'kubectl get pods -A', { ...process.env, HOME: home, KUBECONFIG: kc }, counted) : undefined,
    );
    // The least a Node program does for the same answers: the requests pulldoctor made (one more
    // run, its request log), replayed by the floor (node:https with the kubeconfig's CA, JSON.parse).
    await runTimed(node, [CLI, '-A', '-o', 'json', ...nowArgs, '--kubeconfig', kc]);
    const emptyLog = (await dbl.request<'stats'>({ type: 'stats', log: true })).log ?? [];
    await dbl.request({ type: 'reset' });
    const emptyPlan = path.join(OUT, 'plan-empty.json');
    writeFileSync(emptyPlan, JSON.stringify(floorPlan(emptyLog, dbl.info, args.gzip)));
    log(`empty cluster: the Node floor (the same ${emptyLog.length} requests) × ${reps}`);
    const floorRuns: Sample[] = [];
    for (let i = 0; i < reps; i++) floorRuns.push(await timed(node, [path.join(HERE, 'floor.js'), 'live', emptyPlan], 'floor (empty cluster)', undefined, counted));
    const emptyFloor = summarise(floorRuns);
    // Where the empty scan's time goes: Node alone, and (in separate runs with a preload) when
    // the first request leaves and the last answer arrives.
    log(`empty cluster: node -e '' × ${reps}, and the scan's timeline × 5`);
    const bare: number[] = [];
    for (let i = 0; i < reps; i++) bare.push((await runTimed(node, ['-e', ''])).ms);
    const marks: { firstRequest: number; lastResponse: number; exit: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await runTimed(node, ['--import', path.join(HERE, 'timeline.js'), CLI, '-A', '-o', 'json', ...nowArgs, '--kubeconfig', kc]);
      const m = /TIMELINE (\{.*\})/.exec(t.stderr);
      if (m) marks.push(JSON.parse(m[1] as string) as (typeof marks)[number]);
    }
    const timeline = marks.length
      ? { nodeMs: median(bare), firstRequestMs: median(marks.map((m) => m.firstRequest)), networkMs: median(marks.map((m) => m.lastResponse - m.firstRequest)), exitMs: median(marks.map((m) => m.exit)) }
      : undefined;
    let extraCaCerts: StartupResults['extraCaCerts'];
    if (EXTRA_CA) {
      const withCa: number[] = [];
      for (let i = 0; i < reps; i++) withCa.push((await runTimed(node, ['-e', ''], { env: { ...process.env, NODE_EXTRA_CA_CERTS: EXTRA_CA } })).ms);
      extraCaCerts = { file: EXTRA_CA, nodeMs: median(withCa) };
    }
    return { version: version.a, ...(version.b ? { kubectlVersion: version.b } : {}), empty: empty.a, ...(empty.b ? { kubectlGetPods: empty.b } : {}), ...(timeline ? { timeline } : {}), ...(extraCaCerts ? { extraCaCerts } : {}), emptyFloor };
  } finally {
    await dbl.stop();
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
  const startup = await startupAndEmpty(args, kubectl);
  const sizes: SizeResult[] = [];
  const collect = (watch?: WatchResult, watchError?: string, partial?: string): BenchResults => ({
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
    config: { seed: args.seed, tls: true, gzip: args.gzip, pageSize: PAGE, clock: CLOCK, sizes: args.sizes, watchSizes: args.watchSizes, churnMinutes: args.churnMinutes },
    startupMs: startup.version.ms,
    startup,
    sizes,
    ...(watch ? { watch } : {}),
    ...(watchError ? { watchError } : {}),
    ...(partial ? { partial } : {}),
    totalMs: performance.now() - started,
    date: new Date().toISOString(),
  });

  // BENCHMARKS.md after every phase, marked partial: a run cut short still leaves what it measured.
  const interim = (what: string) => writeFileSync(args.out, renderMarkdown(collect(undefined, undefined, what)));
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
    interim(`after ${n} pods`);
  }
  writeFileSync(path.join(OUT, 'results-partial.json'), JSON.stringify({ startup, sizes }, null, 2));
  // A failure here must not throw away the 15 minutes measured before it: it is reported.
  let watch: WatchResult | undefined;
  let watchError: string | undefined;
  if (args.watchSizes.length) {
    try {
      watch = await runWatch({ sizes: args.watchSizes, minutes: args.churnMinutes, seed: args.seed, cli: CLI, dir: HERE, outDir: OUT, log });
    } catch (e) {
      watchError = e instanceof Error ? e.message : String(e);
      log(`watch failed: ${watchError}`);
    }
  }
  const results = collect(watch, watchError);
  writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 2));
  writeFileSync(args.out, renderMarkdown(results));
  log(`wrote ${path.relative(process.cwd(), args.out) || args.out} in ${Math.round(results.totalMs / 1000)} s`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
