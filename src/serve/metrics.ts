/**
 * serve's Prometheus metrics, through prom-client (one registry per server, default process
 * metrics included):
 *
 * - `pulldoctor_findings{rule,severity,namespace,workload_kind,workload}` gauge: one series per
 *   finding group — per workload, never per pod — valued with the number of the workload's pods
 *   the finding covers. Series of findings that went away are removed on the next report.
 * - `pulldoctor_pods_failing_pull{namespace}` gauge: pods whose image pull fails now.
 * - `pulldoctor_scan_complete` gauge 0/1: the current report saw every pod in scope and the API
 *   server is reachable; 0 before the first sync too. Findings series are never "0 findings"
 *   standing in for "could not look".
 * - `pulldoctor_last_scan_timestamp_seconds` gauge: when the current report was made.
 * - `pulldoctor_api_requests_total{resource,code}` counter: every request to the API server
 *   (each attempt); `code` is the HTTP status, `<error>` when no answer arrived.
 * - `pulldoctor_scan_duration_seconds` histogram: time to evaluate the rules over a snapshot.
 *
 * Labels only ever hold rule ids, severities, namespace and workload names, resources and status
 * codes: never a secret, a username, an image or a message.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiRequestEvent } from '../collect/cluster.js';
import type { ServeView } from './view.js';

/**
 * prom-client's default gauges named `*_total` (the totals of the per-type gauges it also
 * exports): `promtool check metrics` rejects a `_total` suffix on anything but a counter.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const FINDING_LABELS = ['rule', 'severity', 'namespace', 'workload_kind', 'workload'] as const;

export class ServeMetrics {
  readonly registry = new Registry();
  private readonly findings: Gauge<(typeof FINDING_LABELS)[number]>;
  private readonly podsFailing: Gauge<'namespace'>;
  private readonly scanComplete: Gauge;
  private readonly lastScan: Gauge;
  private readonly requests: Counter<'resource' | 'code'>;
  private readonly duration: Histogram;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    for (const name of MISNAMED_DEFAULTS) this.registry.removeSingleMetric(name);
    this.findings = new Gauge({
      name: 'pulldoctor_findings',
      help: 'Findings per rule and workload, valued with the number of pods they cover.',
      labelNames: FINDING_LABELS,
      registers,
    });
    this.podsFailing = new Gauge({
      name: 'pulldoctor_pods_failing_pull',
      help: 'Pods whose image pull is failing now, per namespace.',
      labelNames: ['namespace'],
      registers,
    });
    this.scanComplete = new Gauge({
      name: 'pulldoctor_scan_complete',
      help: '1 when the current report saw every pod in scope and the API server is reachable, else 0 (see /readyz).',
      registers,
    });
    this.lastScan = new Gauge({
      name: 'pulldoctor_last_scan_timestamp_seconds',
      help: 'Unix time the current report was made.',
      registers,
    });
    this.requests = new Counter({
      name: 'pulldoctor_api_requests_total',
      help: 'Requests sent to the Kubernetes API server (every attempt), by resource and HTTP status code (<error>: no answer).',
      labelNames: ['resource', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'pulldoctor_scan_duration_seconds',
      help: 'Seconds to evaluate the rules over the current cluster snapshot.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.scanComplete.set(0);
  }

  /** The API request observer (pass it to the source as `onRequest`). */
  readonly observeRequest = (e: ApiRequestEvent): void => {
    this.requests.inc({ resource: e.resource, code: e.code ? String(e.code) : '<error>' });
  };

  /** A new report: replaces every finding and failing-pod series (stale ones disappear). */
  report(view: ServeView, at: Date): void {
    const groups = new Map<string, { labels: Record<(typeof FINDING_LABELS)[number], string>; pods: Set<string> }>();
    for (const f of view.report.findings) {
      const labels = { rule: f.rule, severity: f.severity, namespace: f.namespace, workload_kind: f.workload.kind, workload: f.workload.name };
      const key = FINDING_LABELS.map((l) => labels[l]).join('\0');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { labels, pods: new Set() }));
      for (const p of f.pods) g.pods.add(p);
    }
    // reset() and the sets run in one synchronous step: no scrape sees the gauge half-filled.
    this.findings.reset();
    for (const g of groups.values()) this.findings.set(g.labels, g.pods.size);
    this.podsFailing.reset();
    for (const [namespace, n] of view.failingByNamespace) this.podsFailing.set({ namespace }, n);
    this.lastScan.set(at.getTime() / 1000);
    this.duration.observe(view.durationSeconds);
  }

  /** Whether the served report is complete and current (see `pulldoctor_scan_complete`). */
  complete(ok: boolean): void {
    this.scanComplete.set(ok ? 1 : 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
