/**
 * serve's state machine: a live source, the report made from it, the metrics that follow.
 *
 * The rules run again when the source says the cluster changed (coalesced) and at least every
 * `intervalMs` (rules read the clock: token ages, event ages). While the source is disconnected
 * the last report stays (it is marked incomplete, its timestamp stops), so a lost API server
 * never turns into "0 findings".
 */
import { firstLine } from '../util/text.js';
import type { ServeMetrics } from './metrics.js';
import type { LiveSnapshotSource } from '../collect/live-source.js';
import { analyse, type ServeView } from './view.js';

export interface ServeServiceOptions {
  source: LiveSnapshotSource;
  metrics: ServeMetrics;
  /** Re-evaluation period (and the periodic source's scan period). */
  intervalMs: number;
  /** One-line log messages (state changes only). */
  log?: (line: string) => void;
  now?: () => Date;
  /**
   * Least time between two evaluations started by change notifications (default 1000 ms): a
   * busy watch must not keep the rules running over a large cluster back to back.
   */
  minGapMs?: number;
}

export interface Readiness {
  ready: boolean;
  /** Plain-text lines: why not ready, and what the scan could not see. */
  lines: string[];
}

export class ServeService {
  private current: ServeView | undefined;
  private at: Date | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private pending = false;
  /** performance.now() of the last evaluation (the real clock, whatever `now` says). */
  private lastRun = -Infinity;
  private delayed: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private lastState = '';

  constructor(private readonly o: ServeServiceOptions) {}

  /** The report and when it was made; undefined until the initial sync is done. */
  get view(): { view: ServeView; at: Date } | undefined {
    return this.current && this.at ? { view: this.current, at: this.at } : undefined;
  }

  /** Initial sync (rejects like the source), then the first report; re-evaluates from then on. */
  async start(): Promise<void> {
    await this.o.source.start();
    if (this.stopped) return;
    this.started = true;
    this.refresh();
    this.unsubscribe = this.o.source.onChange(() => this.schedule());
    // A source that reports every interval (periodicSource) needs no timer; a quiet watch does.
    this.timer = setInterval(() => {
      if (!this.at || (this.o.now?.() ?? new Date()).getTime() - this.at.getTime() >= this.o.intervalMs * 1.5) this.refresh();
    }, this.o.intervalMs);
    this.timer.unref?.();
  }

  /** Coalesce a burst of change notifications into one evaluation, at most one per minGapMs. */
  private schedule(): void {
    if (this.pending || this.stopped) return;
    this.pending = true;
    const wait = Math.max(0, this.lastRun + (this.o.minGapMs ?? 1000) - performance.now());
    const run = () => {
      this.pending = false;
      if (!this.stopped) this.refresh();
    };
    if (wait > 0) this.delayed = setTimeout(run, wait);
    else setImmediate(run);
  }

  /** Evaluate the rules over the source's snapshot when it is current; update the metrics. */
  refresh(): void {
    if (!this.started || this.stopped) return;
    const status = this.o.source.status();
    if (status.synced && status.connected) {
      try {
        const now = this.o.now?.() ?? new Date();
        this.lastRun = performance.now();
        this.current = analyse(this.o.source.snapshot(), now);
        this.at = now;
        this.o.metrics.report(this.current, now);
      } catch (e) {
        this.o.log?.(`evaluating the rules failed: ${firstLine(e)}`);
      }
    }
    const r = this.readiness();
    this.o.metrics.complete(r.ready && this.current?.complete === true);
    this.logTransitions(r);
  }

  /** Ready: initial sync done and the API server reachable. Lines say what is missing. */
  readiness(): Readiness {
    const status = this.o.source.status();
    const lines: string[] = [];
    let ready = true;
    if (!this.started || !status.synced) {
      ready = false;
      lines.push('not ready: the initial list of the cluster is not done yet');
    } else if (!status.connected) {
      ready = false;
      lines.push(`not ready: cannot read the cluster: ${status.lastError ?? 'unknown error'}`);
      if (this.at) lines.push(`still serving the last report, of ${this.at.toISOString()}`);
    }
    if (this.current && !this.current.complete) {
      lines.push('scan incomplete: findings may be missing for what could not be read');
      for (const reason of this.current.incomplete) lines.push(`  ${reason}`);
    }
    if (ready && !lines.length) lines.push('ok');
    else if (ready) lines.unshift('ok (ready), but:');
    return { ready, lines };
  }

  /** Log when readiness or completeness changes, not on every evaluation. */
  private logTransitions(r: Readiness): void {
    const state = r.lines.join('\n');
    if (state === this.lastState) return;
    this.lastState = state;
    const v = this.current;
    const counts = v
      ? `${v.report.summary.podsScanned} pods, ${v.report.findings.length} findings (${v.report.summary.findings.error} error, ${v.report.summary.findings.warning} warning)`
      : 'no report yet';
    this.o.log?.(`${r.ready ? 'ready' : 'not ready'}: ${counts}${r.lines[0] === 'ok' ? '' : `; ${r.lines.filter((l) => !l.startsWith('ok')).map((l) => l.trim()).join('; ')}`}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.delayed) clearTimeout(this.delayed);
    this.unsubscribe?.();
    await this.o.source.stop();
  }
}
