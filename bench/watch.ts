/**
 * Watch mode under churn: `pulldoctor -A -w` (the live UI, in a tmux pane) follows generated
 * clusters on the API double while bench/churn.ts changes them, for `minutes`. All sizes run at
 * the same time, against their own doubles, with the same churn applied at the same moments, so
 * their request rates compare over the very same minutes.
 *
 * Measured per size:
 * - requests after the initial list (the double's log from the moment the UI shows its first
 *   report and its start-up requests are over: 5 s without one), by kind, and per minute;
 *   watches split into renewals (a collection watched before: the server ended the stream) and
 *   new ones (a collection never watched before);
 * - pulldoctor's RSS (VmRSS of the process in the pane) every few seconds;
 * - for every timed change: from just before the change is sent to the double to the moment the
 *   pane shows it (the churn workload's two list rows differ from before, and say what the step
 *   should make them say), polled every 50 ms with `tmux capture-pane`.
 *
 * The UI runs with its list filtered to `churn-` (typed into the pane as a user would), so the
 * churn workloads are on screen whatever else the cluster holds.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeKubeconfig } from '../test/apiserver/index.js';
import { STORY, storyNames, type ChurnStep } from './churn.js';
import type { ClusterStats } from './generate.js';
import { DoubleProcess } from './proc.js';
import type { LoggedRequest } from './protocol.js';
import { median } from './stats.js';

const run = promisify(execFile);

export interface WatchChange {
  story: number;
  step: ChurnStep;
  /** ms from sending the change to seeing it; undefined: not seen within the limit. */
  ms?: number;
}

export interface WatchSizeResult {
  pods: number;
  cluster: ClusterStats;
  /** Spawn of the UI to its first report on screen. */
  firstScreenMs: number;
  /** Spawn of the UI to the end of its start-up requests (5 s without a new one). */
  settledMs: number;
  /** Requests of the initial list and watch set-up (until 5 s without a new request). */
  initialRequests: number;
  /** Open watch streams when the start-up was over. */
  watchesAtStart: number;
  /** After the start-up: watches of a collection already watched (a stream the server ended, renewed). */
  renewals: number;
  /** After the start-up: watches of a collection not watched before (a namespace newly affected, a new missing name). */
  newWatches: number;
  /** After the start-up: lists and GETs. */
  otherAfter: number;
  /** Requests after the initial list, by kind. */
  after: Record<string, number>;
  afterTotal: number;
  /** Requests after the initial list counted at the end of each minute (cumulative). */
  perMinute: number[];
  minutes: number;
  /** Requests whose number would grow with the pods: a GET of a pod, events of one pod. */
  perPod: number;
  openWatchesAtEnd: number;
  noiseChanges: number;
  /** [seconds since the first report, RSS MB]. */
  rss: [number, number][];
  changes: WatchChange[];
  /** The UI still ran at the end (it did not crash). */
  aliveAtEnd: boolean;
  exitText?: string;
}

export interface WatchResult {
  minutes: number;
  stepMs: number;
  noisePerSecond: number;
  sizes: WatchSizeResult[];
}

export interface WatchOptions {
  sizes: number[];
  minutes: number;
  seed: number;
  cli: string;
  dir: string;
  outDir: string;
  log: (msg: string) => void;
  /** One churn change every stepMs. */
  stepMs?: number;
  noisePerSecond?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class Tmux {
  readonly socket = `pdbench-${process.pid}`;
  async cmd(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.socket, ...args], { maxBuffer: 16 * 2 ** 20 });
    return stdout;
  }
  /** The pane's text; '' when it cannot be read (the session is gone). */
  capture(target: string): Promise<string> {
    return this.cmd('capture-pane', '-p', '-t', target).catch(() => '');
  }
  async killServer(): Promise<void> {
    await this.cmd('kill-server').catch(() => undefined);
  }
}

/** The churn workload's rows on screen: its workload line and its cause line, or '' when absent. */
export function workloadRows(screen: string, workload: string): string {
  const lines = screen.split('\n');
  const re = new RegExp(`/${workload}\\b`);
  const i = lines.findIndex((l) => re.test(l));
  if (i < 0) return '';
  return `${(lines[i] ?? '').trim()}\n${(lines[i + 1] ?? '').trim()}`;
}

/** Does the screen show what this step should make it show? */
function shows(step: ChurnStep, before: string, now: string): boolean {
  if (now === before) return false;
  switch (step) {
    case 'fail':
      return now !== '';
    case 'recover':
      return /fixed/.test(now);
    default:
      return now !== '';
  }
}

function vmRssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export function classifyWatchRequest(q: LoggedRequest): string {
  const watch = q.query.watch === '1' || q.query.watch === 'true';
  const m = /^\/api\/v1\/(?:namespaces\/[^/]+\/)?([a-z]+)(\/[^/]+)?$/.exec(q.path);
  const ns = /^\/api\/v1\/namespaces\//.test(q.path) ? ' (one namespace)' : '';
  if (!m) return `other ${q.path}`;
  if (m[2]) return `get ${m[1]?.replace(/s$/, '')}`;
  const sel = q.query.fieldSelector ? ` by ${q.query.fieldSelector.split('=')[0]}` : '';
  return `${watch ? 'watch' : 'list'} ${m[1]}${ns}${sel}`;
}

interface Live {
  n: number;
  /** Log length when the churn started: what follows is "after the initial list". */
  base: number;
  dbl: DoubleProcess;
  target: string;
  pid: number;
  result: WatchSizeResult;
}

export async function runWatch(o: WatchOptions): Promise<WatchResult> {
  const stepMs = o.stepMs ?? 6000;
  const noisePerSecond = o.noisePerSecond ?? 1;
  const tmux = new Tmux();
  const lives: Live[] = [];
  try {
    for (const n of o.sizes) {
      o.log(`watch: ${n} pods: generating the cluster and starting the API double`);
      const dbl = await DoubleProcess.start(o.dir, { pods: n, seed: o.seed, tls: true, gzip: false });
      const kc = writeKubeconfig({
        contexts: [{ name: 'bench', server: { url: dbl.info.url, token: dbl.info.token, caData: dbl.info.caData } }],
        file: path.join(o.outDir, `kubeconfig-watch-${n}`),
      });
      const target = `w${n}`;
      await dbl.request({ type: 'reset' });
      const t0 = performance.now();
      // exec: the pane's process is pulldoctor itself (its pid is the pane's).
      await tmux.cmd('new-session', '-d', '-s', target, '-x', '160', '-y', '50', `exec env -u CI -u NODE_EXTRA_CA_CERTS ${process.execPath} ${o.cli} -A -w --kubeconfig ${kc}`);
      // Keep the pane if pulldoctor exits, so its last words can be read.
      await tmux.cmd('set-option', '-t', target, 'remain-on-exit', 'on').catch(() => undefined);
      const pid = Number((await tmux.cmd('display-message', '-p', '-t', target, '#{pane_pid}')).trim());
      let screen = '';
      for (;;) {
        screen = await tmux.capture(target);
        if (/\d pods?\b/.test(screen) && !/scanning|starting…/.test(screen)) break;
        if (performance.now() - t0 > 300_000) throw new Error(`watch ${n}: no first report within 5 minutes:\n${screen}`);
        await sleep(100);
      }
      const firstScreenMs = performance.now() - t0;
      // The initial list is not over with the first report: watches of events and secrets in
      // affected namespaces (and those namespaces' secret lists) start right after it. Wait for
      // the requests to stop (5 s without a new one, 2 minutes at most) before counting.
      let initial = await dbl.request<'stats'>({ type: 'stats' });
      for (let quietSince = performance.now(); performance.now() - quietSince < 5000 && performance.now() - t0 < firstScreenMs + 120_000; ) {
        await sleep(500);
        const now = await dbl.request<'stats'>({ type: 'stats' });
        if (now.requests !== initial.requests) quietSince = performance.now();
        initial = now;
      }
      const settledMs = performance.now() - t0;
      // No reset: the start-up's part of the log tells renewals of its watches from new ones.
      // Filter the list to the churn workloads, as a user would: `/churn-` Enter.
      await tmux.cmd('send-keys', '-t', target, '/');
      await tmux.cmd('send-keys', '-t', target, '-l', 'churn-');
      await tmux.cmd('send-keys', '-t', target, 'Enter');
      lives.push({
        n,
        base: initial.requests,
        dbl,
        target,
        pid,
        result: {
          pods: n,
          cluster: dbl.info.stats,
          firstScreenMs,
          settledMs,
          initialRequests: initial.requests,
          watchesAtStart: initial.openWatches,
          renewals: 0,
          newWatches: 0,
          otherAfter: 0,
          after: {},
          afterTotal: 0,
          perMinute: [],
          minutes: o.minutes,
          perPod: 0,
          openWatchesAtEnd: 0,
          noiseChanges: 0,
          rss: [],
          changes: [],
          aliveAtEnd: false,
        },
      });
      o.log(`watch: ${n} pods: first report on screen after ${Math.round(firstScreenMs)} ms; start-up requests over after ${Math.round(settledMs)} ms (${initial.requests} requests)`);
    }

    // The clock starts now for every size at once.
    const start = performance.now();
    const end = start + o.minutes * 60_000;
    for (const l of lives) {
      // A smaller size may have waited for a larger one to start: its log counts from now too.
      const st = await l.dbl.request<'stats'>({ type: 'stats' });
      l.base = st.requests;
      l.result.watchesAtStart = st.openWatches;
      await l.dbl.request({ type: 'noise', perSecond: noisePerSecond });
    }
    let stopSampling = false;
    const sampler = (async () => {
      let minute = 1;
      while (!stopSampling) {
        const t = (performance.now() - start) / 1000;
        for (const l of lives) l.result.rss.push([Math.round(t), Math.round(vmRssMB(l.pid) * 10) / 10]);
        if (t >= minute * 60 && minute <= o.minutes) {
          for (const l of lives) l.result.perMinute.push((await l.dbl.request<'stats'>({ type: 'stats' })).requests - l.base);
          minute++;
        }
        await sleep(5000);
      }
    })();

    o.log(`watch: ${o.minutes} min of churn (a change every ${stepMs / 1000} s, noise ${noisePerSecond}/s) on ${lives.map((l) => l.n).join(' and ')} pods`);
    let story = 0;
    let stepAt = performance.now();
    outer: for (;;) {
      for (const step of STORY) {
        if (performance.now() + stepMs > end) break outer;
        const { workload } = storyNames(story);
        const before = await Promise.all(lives.map(async (l) => workloadRows(await tmux.capture(l.target), workload)));
        const sentAt = performance.now();
        await Promise.all(lives.map((l) => l.dbl.request({ type: 'churn', story, step })));
        if (step !== 'delete') {
          // Poll every pane until it shows the change (15 s at most).
          const seen: (number | undefined)[] = lives.map(() => undefined);
          while (seen.some((s) => s === undefined) && performance.now() - sentAt < 15_000) {
            await Promise.all(
              lives.map(async (l, i) => {
                if (seen[i] !== undefined) return;
                const rows = workloadRows(await tmux.capture(l.target), workload);
                if (shows(step, before[i] ?? '', rows)) seen[i] = performance.now() - sentAt;
              }),
            );
            if (seen.some((s) => s === undefined)) await sleep(50);
          }
          lives.forEach((l, i) => l.result.changes.push({ story, step, ...(seen[i] !== undefined ? { ms: Math.round(seen[i] as number) } : {}) }));
        }
        stepAt += stepMs;
        await sleep(Math.max(0, stepAt - performance.now()));
      }
      story++;
      o.log(`watch: ${((performance.now() - start) / 60_000).toFixed(1)} min, ${story} stories`);
    }
    await sleep(Math.max(0, end - performance.now()));
    stopSampling = true;
    await sampler;
    // The last minute ends with the run.
    for (const l of lives) if (l.result.perMinute.length < o.minutes) l.result.perMinute.push((await l.dbl.request<'stats'>({ type: 'stats' })).requests - l.base);
    for (const l of lives) {
      await l.dbl.request({ type: 'noise', perSecond: 0 });
      const st = await l.dbl.request<'stats'>({ type: 'stats', log: true });
      const log = st.log ?? [];
      const base = l.base;
      const collection = (q: LoggedRequest) => `${q.path}?${q.query.fieldSelector ?? ''}&${q.query.labelSelector ?? ''}`;
      const isWatch = (q: LoggedRequest) => q.query.watch === '1' || q.query.watch === 'true';
      const watched = new Set(log.slice(0, base).filter(isWatch).map(collection));
      const kinds: Record<string, number> = {};
      for (const q of log.slice(base)) {
        const k = classifyWatchRequest(q);
        kinds[k] = (kinds[k] ?? 0) + 1;
        if (!isWatch(q)) l.result.otherAfter++;
        else if (watched.has(collection(q))) l.result.renewals++;
        else {
          l.result.newWatches++;
          watched.add(collection(q));
        }
      }
      l.result.after = kinds;
      l.result.afterTotal = log.length - base;
      l.result.perPod = (kinds['get pod'] ?? 0) + Object.entries(kinds).filter(([k]) => /events.* by involvedObject/.test(k)).reduce((a, [, v]) => a + v, 0);
      l.result.openWatchesAtEnd = st.openWatches;
      l.result.noiseChanges = st.noiseChanges;
      l.result.aliveAtEnd = Number.isFinite(vmRssMB(l.pid));
      const screen = await tmux.capture(l.target).catch(() => '');
      if (!l.result.aliveAtEnd) l.result.exitText = screen.trim().split('\n').slice(-5).join(' ').slice(0, 400);
      const seen = l.result.changes.filter((c) => c.ms !== undefined).map((c) => c.ms as number);
      o.log(`watch: ${l.n} pods: ${l.result.afterTotal} requests after the initial list (${l.result.renewals} renewals of ${l.result.watchesAtStart} watches, ${l.result.newWatches} new watches, ${l.result.otherAfter} lists and GETs); ${seen.length}/${l.result.changes.length} changes seen, median ${Math.round(median(seen))} ms, max ${Math.max(...seen)} ms`);
    }
    return { minutes: o.minutes, stepMs, noisePerSecond, sizes: lives.map((l) => l.result) };
  } finally {
    for (const l of lives) await tmux.cmd('send-keys', '-t', l.target, 'q').catch(() => undefined);
    await sleep(500);
    await tmux.killServer();
    for (const l of lives) await l.dbl.stop().catch(() => l.dbl.kill());
  }
}
