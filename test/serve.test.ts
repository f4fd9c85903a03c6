/**
 * `pulldoctor serve`'s endpoints in process, on a loopback port, over a source the test drives
 * (the LiveSnapshotSource interface, as the list+watch layer and periodicSource implement it):
 * metrics per finding group (never per pod, never a secret or username), stale series removed,
 * the v1 report, readiness with reasons, incomplete scans never shown as "no problems", escaped
 * HTML, runbook pages for every rule and alert.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../rules/index.js';
import { SnapshotBuilder } from '../src/collect/builder.js';
import { collectDemo, DEMO_NOW } from '../src/collect/demo.js';
import { runEngine } from '../src/engine/analyse.js';
import type { Report } from '../src/model/finding.js';
import type { AccessProblem, Snapshot } from '../src/model/snapshot.js';
import { ALERT_RUNBOOKS } from '../src/serve/alert-runbooks.js';
import { runbookPage } from '../src/serve/html.js';
import { ServeMetrics } from '../src/serve/metrics.js';
import { parseListen, startHttpServer, type RunningServer } from '../src/serve/server.js';
import { ServeService } from '../src/serve/service.js';
import type { LiveSnapshotSource, LiveStatus as LiveSourceStatus } from '../src/collect/live-source.js';
import { completeness } from '../src/serve/view.js';
import { FAILED_PULL_MESSAGE, IMAGE_PULL_BACKOFF, pod, podEvent, pullSecret, serviceAccount } from './apiserver/fixtures.js';
import { parseMetrics, samplesOf, valueOf } from './helpers/metrics-text.js';
import { ROOT } from './helpers/root.js';
import { fixtureSecretValues } from './helpers/secrets.js';

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));

/** A source the test drives: `set` a new snapshot, `disconnect`, `reconnect`. */
function testSource(initial: Snapshot) {
  let snap = initial;
  let status: LiveSourceStatus = { synced: false, connected: false };
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  let stopped = false;
  /** performance.now() of every snapshot() call: one per evaluation. */
  const reads: number[] = [];
  const source: LiveSnapshotSource = {
    start: () => {
      status = { synced: true, connected: true, lastSyncAt: new Date().toISOString() };
      return Promise.resolve();
    },
    snapshot: () => {
      reads.push(performance.now());
      return snap;
    },
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    status: () => ({ ...status }),
    stop: () => {
      stopped = true;
      return Promise.resolve();
    },
  };
  return {
    source,
    reads,
    stopped: () => stopped,
    set(s: Snapshot) {
      snap = s;
      notify();
    },
    disconnect(error: string) {
      status = { ...status, connected: false, lastError: error };
      notify();
    },
    reconnect() {
      status = { ...status, connected: true };
      delete status.lastError;
      notify();
    },
  };
}

/** Change notifications are coalesced on setImmediate; let the evaluation run. */
const settle = () => new Promise((r) => setImmediate(r)).then(() => new Promise((r) => setImmediate(r)));

const SOURCE = { kind: 'cluster' as const, description: 'context test (https://127.0.0.1:6443)', cluster: 'test', context: 'test' };

/** A live-shaped snapshot from raw objects (as the API would return them). */
function snapshotOf(objects: Record<string, unknown>[], accessProblems: AccessProblem[] = []): Snapshot {
  const b = new SnapshotBuilder(SOURCE);
  for (const o of objects) b.addObject(o);
  const s = b.snapshot;
  s.coverage = { secrets: 'referenced', serviceAccounts: 'all', events: 'all', nodes: 'none' };
  s.accessProblems = accessProblems;
  return s;
}

/** `shop/cart` (3 pods) fails with a 401 through secret regcred; `ci/nightly` names a missing secret. */
function brokenCluster(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [pullSecret('shop', 'regcred', 'registry.example.com', 'robot-unique-user'), serviceAccount('shop'), serviceAccount('ci')];
  for (const n of ['a1b2c', 'd3e4f', 'g5h6i']) {
    const p = pod({ namespace: 'shop', name: `cart-7c9d-${n}`, replicaSet: 'cart-7c9d', pullSecrets: ['regcred'], waiting: IMAGE_PULL_BACKOFF });
    out.push(p, podEvent(p, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 4 }));
  }
  out.push(pod({ namespace: 'ci', name: 'nightly-x7k2p', pullSecrets: ['missing-cred'] }));
  return out;
}

let running: { server: RunningServer; service: ServeService }[] = [];
afterEach(async () => {
  for (const r of running) {
    await r.service.stop();
    await r.server.close();
  }
  running = [];
});

async function serve(initial: Snapshot, opts: { start?: boolean; minGapMs?: number } = {}) {
  const src = testSource(initial);
  const metrics = new ServeMetrics();
  const service = new ServeService({ source: src.source, metrics, intervalMs: 3_600_000, now: () => DEMO_NOW, minGapMs: opts.minGapMs ?? 0 });
  const server = await startHttpServer({ host: '127.0.0.1', port: 0 }, service, metrics);
  running.push({ server, service });
  if (opts.start !== false) await service.start();
  const get = async (p: string, init?: RequestInit) => {
    const res = await fetch(server.url + p, init);
    return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, text: await res.text() };
  };
  const scrape = async () => parseMetrics((await get('/metrics')).text);
  return { src, service, metrics, server, get, scrape };
}

describe('GET /metrics', () => {
  it('one pulldoctor_findings series per rule and workload, valued with its pods; failing pods per namespace', async () => {
    const snap = snapshotOf(brokenCluster());
    const { scrape } = await serve(snap);
    const samples = await scrape();
    const findings = samplesOf(samples, 'pulldoctor_findings');
    const byNamespace = [...findings].sort((a, b) => a.labels.namespace!.localeCompare(b.labels.namespace!));
    expect(byNamespace.map((s) => ({ ...s.labels, value: s.value }))).toEqual([
      { rule: 'pull-secret-not-found', severity: 'warning', namespace: 'ci', workload_kind: 'Pod', workload: 'nightly-x7k2p', value: 1 },
      { rule: 'registry-auth-rejected', severity: 'error', namespace: 'shop', workload_kind: 'Deployment', workload: 'cart', value: 3 },
    ]);
    // nightly runs (no waiting state): its missing secret is latent (a warning), not a failing pull.
    expect(samplesOf(samples, 'pulldoctor_pods_failing_pull').map((s) => [s.labels.namespace, s.value])).toEqual([['shop', 3]]);
    expect(valueOf(samples, 'pulldoctor_scan_complete')).toBe(1);
    expect(valueOf(samples, 'pulldoctor_last_scan_timestamp_seconds')).toBe(DEMO_NOW.getTime() / 1000);
    expect(valueOf(samples, 'pulldoctor_scan_duration_seconds_count')).toBe(1);
    // Default process metrics are there too.
    expect(valueOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('the demo cluster: series = finding groups (not pods), no secret value or username anywhere', async () => {
    const demo = await collectDemo();
    const report = runEngine(demo, RULES, DEMO_NOW);
    const { get } = await serve(demo);
    const text = (await get('/metrics')).text;
    const findings = samplesOf(parseMetrics(text), 'pulldoctor_findings');
    const groups = new Set(report.findings.map((f) => [f.rule, f.severity, f.namespace, f.workload.kind, f.workload.name].join('|')));
    expect(findings).toHaveLength(groups.size);
    expect(groups.size).toBeLessThan(report.findings.reduce((n, f) => n + f.pods.length, 0) + 1);
    for (const s of findings) expect(Object.keys(s.labels).sort()).toEqual(['namespace', 'rule', 'severity', 'workload', 'workload_kind']);
    const secrets = fixtureSecretValues();
    expect(secrets.length).toBeGreaterThan(10);
    for (const v of secrets) expect(text).not.toContain(v);
    const usernames = new Set(report.pods.flatMap((p) => p.containers.flatMap((c) => c.credentials.map((x) => x.username))).filter((u) => u.length > 0));
    expect(usernames.size).toBeGreaterThan(0);
    const values = new Set(parseMetrics(text).flatMap((s) => Object.values(s.labels)));
    for (const u of usernames) expect(values.has(u), `username ${u} as a label value`).toBe(false);
  });

  it('removes the series of a finding that went away, and of a namespace with no failing pods left', async () => {
    const objects = brokenCluster();
    const { src, scrape } = await serve(snapshotOf(objects));
    expect(samplesOf(await scrape(), 'pulldoctor_findings').map((s) => s.labels.workload).sort()).toEqual(['cart', 'nightly-x7k2p']);
    // The fix: cart's pods run again (the Deployment rolled out with a good secret); nightly unchanged.
    const fixed = objects.filter((o) => !['Pod', 'Event'].includes(String(o.kind)) || String((o.metadata as { namespace: string }).namespace) === 'ci');
    for (const n of ['a1b2c', 'd3e4f', 'g5h6i']) fixed.push(pod({ namespace: 'shop', name: `cart-7c9d-${n}`, replicaSet: 'cart-7c9d', pullSecrets: ['regcred'] }));
    src.set(snapshotOf(fixed));
    await settle();
    const after = await scrape();
    expect(samplesOf(after, 'pulldoctor_findings').map((s) => s.labels.workload)).toEqual(['nightly-x7k2p']);
    expect(samplesOf(after, 'pulldoctor_pods_failing_pull')).toEqual([]);
    expect(valueOf(after, 'pulldoctor_scan_duration_seconds_count')).toBe(2);
  });

  it('a burst of change notifications is one evaluation, and evaluations keep minGapMs apart', async () => {
    const snap = snapshotOf(brokenCluster());
    const { src } = await serve(snap, { minGapMs: 400 });
    expect(src.reads).toHaveLength(1);
    for (let i = 0; i < 5; i++) src.set(snap);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(src.reads).toHaveLength(2);
    expect(src.reads[1]! - src.reads[0]!).toBeGreaterThanOrEqual(390); // timers may fire a millisecond early
  });

  it('counts API requests by resource and status code; a request without an answer is <error>', async () => {
    const { metrics, scrape } = await serve(snapshotOf([]));
    metrics.observeRequest({ context: 'test', verb: 'list', resource: 'pods', group: '', code: 200 });
    metrics.observeRequest({ context: 'test', verb: 'list', resource: 'pods', group: '', code: 200 });
    metrics.observeRequest({ context: 'test', verb: 'get', resource: 'secrets', group: '', namespace: 'shop', name: 'regcred', code: 403 });
    metrics.observeRequest({ context: 'test', verb: 'list', resource: 'events', group: '', code: 0, error: 'ECONNRESET' });
    const counts = samplesOf(await scrape(), 'pulldoctor_api_requests_total').map((s) => [s.labels.resource, s.labels.code, s.value]);
    expect(counts).toEqual([
      ['pods', '200', 2],
      ['secrets', '403', 1],
      ['events', '<error>', 1],
    ]);
  });

  it("drops prom-client's *_total gauges (promtool rejects a _total suffix on a gauge) and keeps the per-type ones", async () => {
    const { get } = await serve(snapshotOf([]));
    const text = (await get('/metrics')).text;
    expect(text).not.toMatch(/^nodejs_active_handles_total /m);
    expect(text).toMatch(/^# TYPE nodejs_active_handles gauge$/m);
    for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) if (m[1]!.endsWith('_total')) expect(m[2], m[1]).toBe('counter');
  });
});

describe('readiness and incomplete scans', () => {
  it('before the initial sync: /healthz ok, /readyz and /report.json 503 with the reason, scan_complete 0, no findings series', async () => {
    const { get, scrape } = await serve(snapshotOf(brokenCluster()), { start: false });
    expect(await get('/healthz')).toMatchObject({ status: 200, text: 'ok\n' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.text).toBe('not ready: the initial list of the cluster is not done yet\n');
    expect((await get('/report.json')).status).toBe(503);
    const samples = await scrape();
    expect(valueOf(samples, 'pulldoctor_scan_complete')).toBe(0);
    expect(samplesOf(samples, 'pulldoctor_findings')).toEqual([]);
    expect((await get('/')).text).toContain('initial scan of the cluster is in progress');
  });

  it('pods forbidden in a namespace: scan_complete 0, /readyz names it with the can-i line, the page never says "no problems"', async () => {
    const forbidden: AccessProblem = {
      resource: 'pods',
      namespace: 'payments',
      verb: 'list',
      status: 403,
      message: 'pods is forbidden: User "system:serviceaccount:pulldoctor:pulldoctor" cannot list resource "pods" in API group "" in the namespace "payments"',
      canI: 'kubectl auth can-i list pods -n payments',
    };
    const { get, scrape } = await serve(snapshotOf([serviceAccount('payments')], [forbidden]));
    expect(valueOf(await scrape(), 'pulldoctor_scan_complete')).toBe(0);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200); // RBAC gaps do not take the instance out of service
    expect(ready.text).toContain('scan incomplete');
    expect(ready.text).toContain('pods in namespace payments not read: list forbidden (403)');
    expect(ready.text).toContain('kubectl auth can-i list pods -n payments');
    const page = (await get('/')).text;
    expect(page).not.toContain('No image pull problems');
    expect(page).toContain('the scan is incomplete');
    expect(page).toContain('pods in namespace payments not read');
  });

  it('API server lost: /readyz 503 with the error, scan_complete 0, the last findings and timestamp stay; back to 1 on reconnect', async () => {
    let now = DEMO_NOW;
    const src = testSource(snapshotOf(brokenCluster()));
    const metrics = new ServeMetrics();
    const service = new ServeService({ source: src.source, metrics, intervalMs: 3_600_000, now: () => now, minGapMs: 0 });
    const server = await startHttpServer({ host: '127.0.0.1', port: 0 }, service, metrics);
    running.push({ server, service });
    await service.start();
    const scrape = async () => parseMetrics(await (await fetch(`${server.url}/metrics`)).text());
    const before = await scrape();
    now = new Date(DEMO_NOW.getTime() + 60_000);
    src.disconnect('context test (https://127.0.0.1:6443): cannot connect: connect ECONNREFUSED 127.0.0.1:6443');
    await settle();
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toContain('not ready: cannot read the cluster: context test (https://127.0.0.1:6443): cannot connect: connect ECONNREFUSED');
    const during = await scrape();
    expect(valueOf(during, 'pulldoctor_scan_complete')).toBe(0);
    expect(samplesOf(during, 'pulldoctor_findings')).toEqual(samplesOf(before, 'pulldoctor_findings'));
    expect(valueOf(during, 'pulldoctor_last_scan_timestamp_seconds')).toBe(DEMO_NOW.getTime() / 1000);
    src.reconnect();
    await settle();
    const after = await scrape();
    expect(valueOf(after, 'pulldoctor_scan_complete')).toBe(1);
    expect(valueOf(after, 'pulldoctor_last_scan_timestamp_seconds')).toBe(now.getTime() / 1000);
  });

  it('completeness: summary.complete and cluster errors decide; the reasons name the pods not read', () => {
    const base = runEngine(snapshotOf(brokenCluster()), RULES, DEMO_NOW);
    const withSummary = (complete: boolean): Report => ({ ...base, summary: { ...base.summary, complete } as Report['summary'] });
    expect(completeness(base)).toEqual({ complete: true, incomplete: [] });
    expect(completeness(withSummary(true))).toEqual({ complete: true, incomplete: [] });
    expect(completeness(withSummary(false))).toEqual({
      complete: false,
      incomplete: ['nothing the scan read was usable (summary.skipped in /report.json lists what was skipped)'],
    });
    const events: AccessProblem = { resource: 'events', verb: 'list', status: 403, message: 'forbidden', canI: 'kubectl auth can-i list events -A' };
    expect(completeness({ ...base, accessProblems: [events] }).complete).toBe(true);
    expect(completeness({ ...base, errors: [{ cluster: 'eu', message: 'cannot connect' }] })).toEqual({
      complete: false,
      incomplete: ['cluster eu not scanned: cannot connect'],
    });
  });
});

describe('GET /report.json', () => {
  it('is the v1 report (schema-valid), the same findings as a one-shot scan', async () => {
    const demo = await collectDemo();
    const { get } = await serve(demo);
    const res = await get('/report.json');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json; charset=utf-8');
    const body = JSON.parse(res.text) as Report;
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    const oneShot = runEngine(await collectDemo(), RULES, DEMO_NOW);
    expect(body.findings.map((f) => f.id)).toEqual(oneShot.findings.map((f) => f.id));
    expect(body.findings.length).toBeGreaterThan(10);
  });
});

describe('HTML', () => {
  it('lists the findings with runbook links; text from the cluster is escaped and stripped of bidi controls', async () => {
    // A hostile event message (anyone who may create events controls this text), not a runtime wording.
    const hostile = 'rpc error: code = Unknown desc = <script>alert(1)</script> "><img src=x onerror=alert(2)> \u202etxt.exe';
    const p = pod({ namespace: 'shop', name: 'web-5d8f-q2w3e', replicaSet: 'web-5d8f', waiting: { reason: 'ErrImagePull', message: hostile } });
    const snap = snapshotOf([p, serviceAccount('shop'), podEvent(p, { reason: 'Failed', message: `Failed to pull image "registry.example.com/team/app:1.4.2": ${hostile}` })]);
    const report = runEngine(snap, RULES, DEMO_NOW);
    expect(report.findings.some((f) => f.message.includes('<script>'))).toBe(true); // the text reaches a finding
    const { get } = await serve(snap);
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.text).not.toMatch(/<script|<img/i);
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toContain('\u202e');
    for (const f of report.findings) expect(res.text).toContain(`<a href="/runbooks/${f.rule}">${f.rule}</a>`);
    expect(res.text).toContain('Deployment web');
  });

  it.each(RULES.map((r) => r.meta.id))('/runbooks/%s renders the runbook: Meaning, Impact, Diagnosis, Mitigation', async (id) => {
    const { get } = await serve(snapshotOf([]), { start: false });
    const res = await get(`/runbooks/${id}`);
    expect(res.status).toBe(200);
    const at = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation'].map((h) => res.text.indexOf(`<h2>${h}</h2>`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(res.text).toContain(`<h1>${id}</h1>`);
  });

  it('renders Markdown with raw HTML off and unsafe links refused', () => {
    const html = runbookPage('x', '# x\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) and `<b>`\n');
    expect(html).not.toMatch(/<img|href="javascript/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<code>&lt;b&gt;</code>');
  });

  it('unknown runbooks and paths are 404 (no file is read by a name from the URL); only GET and HEAD', async () => {
    const { get } = await serve(snapshotOf([]), { start: false });
    expect((await get('/runbooks/no-such-rule')).status).toBe(404);
    expect((await get('/runbooks/..%2Fpackage.json')).status).toBe(404);
    expect((await get('/runbooks/%3Cscript%3E')).text).not.toContain('<script>');
    expect((await get('/nope')).status).toBe(404);
    const post = await get('/metrics', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await get('/healthz', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, text: '' });
  });

  it("every alert's runbook_url points at a page serve has: the finding's rule, or the alert's own runbook", async () => {
    const rules = parse(readFileSync(path.join(ROOT, 'deploy/prometheus/rules.yaml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[];
    };
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert).sort()).toEqual(['PullDoctorDown', 'PullDoctorImagePullFailing', 'PullDoctorLatentPullProblem', 'PullDoctorScanIncomplete']);
    const { get } = await serve(snapshotOf([]), { start: false });
    for (const a of alerts) {
      const url = a.annotations.runbook_url!;
      expect(url.startsWith('{{ if $labels.pulldoctor_url }}{{ $labels.pulldoctor_url }}{{ else }}http://{{ $labels.instance }}{{ end }}/runbooks/'), a.alert).toBe(true);
      const tail = url.slice(url.lastIndexOf('/runbooks/') + '/runbooks/'.length);
      if (tail === '{{ $labels.rule }}') expect(a.expr, a.alert).toMatch(/^pulldoctor_findings\{/);
      else {
        expect(tail).toBe(a.alert);
        expect(ALERT_RUNBOOKS[a.alert], a.alert).toBeDefined();
        const res = await get(`/runbooks/${tail}`);
        expect(res.status).toBe(200);
        expect(res.text).toContain(`<h1>${a.alert}</h1>`);
      }
      for (const k of ['summary', 'description', 'runbook_url']) expect(a.annotations[k], `${a.alert} ${k}`).toBeTruthy();
    }
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:9489', { host: '127.0.0.1', port: 9489 }],
    [':9489', { port: 9489 }],
    ['[::1]:9489', { host: '::1', port: 9489 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
  ])('%s', (s, want) => {
    expect(parseListen(s)).toEqual(want);
  });

  it.each(['9489', '127.0.0.1', '127.0.0.1:99999', 'a:b', '::1:9489', ''])('rejects %j with one line naming the flag', (s) => {
    expect(() => parseListen(s)).toThrow(/^--listen: expected HOST:PORT or :PORT/);
  });
});
