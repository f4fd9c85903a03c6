/**
 * `pulldoctor serve` as the built binary against the Kubernetes API double: its /metrics pass
 * the real `promtool check metrics`, its report validates, its request counter matches what the
 * API server saw, RBAC gaps show as an incomplete scan, SIGTERM exits 0, and start-up problems
 * are one line with exit 2.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAILED_PULL_MESSAGE,
  IMAGE_PULL_BACKOFF,
  pod,
  podEvent,
  pullSecret,
  serviceAccount,
  startApiServer,
  writeKubeconfig,
  type ApiServer,
} from './apiserver/index.js';
import { runBin } from './helpers/cli.js';
import { parseMetrics, samplesOf, valueOf } from './helpers/metrics-text.js';
import { promtool, requireTool, waitFor } from './helpers/prometheus.js';
import { ROOT } from './helpers/root.js';
import { startServe, type ServeProcess } from './helpers/serve.js';

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));

const NO_HOME = { env: { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' } };

function cluster(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [pullSecret('shop', 'regcred'), serviceAccount('shop'), serviceAccount('ci')];
  for (const n of ['a1b2c', 'd3e4f']) {
    const p = pod({ namespace: 'shop', name: `cart-7c9d-${n}`, replicaSet: 'cart-7c9d', pullSecrets: ['regcred'], waiting: IMAGE_PULL_BACKOFF });
    out.push(p, podEvent(p, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 4 }));
  }
  out.push(pod({ namespace: 'ci', name: 'runner-6f7d-k8s9z', replicaSet: 'runner-6f7d' }));
  return out;
}

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
};

describe('pulldoctor serve (built binary) against the API double', () => {
  let api: ApiServer;
  let kubeconfig: string;
  let serve: ServeProcess;

  beforeAll(async () => {
    requireTool('promtool');
    api = await startApiServer({ objects: cluster(), tls: true });
    kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server: api }] });
    // One scan only (a long interval), so the request counter can be compared with the server's log.
    serve = await startServe(['--kubeconfig', kubeconfig, '-A', '--interval', '3600']);
    await waitFor('serve to be ready', async () => ((await get(`${serve.url}/readyz`)).status === 200 ? true : undefined));
  });
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await api?.close();
  });

  it('/metrics passes promtool check metrics (no lint problem at all)', async () => {
    const { status, text } = await get(`${serve.url}/metrics`);
    expect(status).toBe(200);
    expect(text).toContain('pulldoctor_findings{');
    const r = promtool(['check', 'metrics'], { input: text });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('metrics: the failing workload, scan complete, and request counts equal to what the API server answered', async () => {
    const samples = parseMetrics((await get(`${serve.url}/metrics`)).text);
    expect(samplesOf(samples, 'pulldoctor_findings').map((s) => s.labels)).toEqual([
      { rule: 'registry-auth-rejected', severity: 'error', namespace: 'shop', workload_kind: 'Deployment', workload: 'cart' },
    ]);
    expect(samplesOf(samples, 'pulldoctor_findings')[0]?.value).toBe(2);
    expect(valueOf(samples, 'pulldoctor_scan_complete')).toBe(1);
    expect(valueOf(samples, 'pulldoctor_last_scan_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 120);
    const seenByServer = () => {
      const seen = new Map<string, number>();
      for (const r of api.requests) {
        const resource = r.path.split('/').filter(Boolean)[r.path.includes('/namespaces/') ? 4 : 2] ?? r.path;
        const key = `${resource} ${r.status}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return seen;
    };
    const countedBy = (m: typeof samples) => new Map(samplesOf(m, 'pulldoctor_api_requests_total').map((s) => [`${s.labels.resource} ${s.labels.code}`, s.value]));
    // The watches of affected namespaces start just after ready; a watch is logged by the server
    // when it arrives and counted by serve when its answer begins: compare once both have settled.
    let counted = countedBy(samples);
    for (const end = Date.now() + 5000; JSON.stringify([...counted].sort()) !== JSON.stringify([...seenByServer()].sort()) && Date.now() < end; ) {
      await new Promise((res) => setTimeout(res, 100));
      counted = countedBy(parseMetrics((await get(`${serve.url}/metrics`)).text));
    }
    expect(counted).toEqual(seenByServer());
    // Pods listed once, then watched: one list and one watch request, however long serve runs.
    expect(counted.get('pods 200')).toBe(2);
    expect(api.requests.filter((r) => r.path.endsWith('/pods') && (r.query.watch === '1' || r.query.watch === 'true')).length).toBe(1);
  });

  it('/report.json is a schema-valid v1 report of the cluster', async () => {
    const { status, text } = await get(`${serve.url}/report.json`);
    expect(status).toBe(200);
    const report = JSON.parse(text) as { source: { kind: string; context: string }; summary: { podsScanned: number } };
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.source).toMatchObject({ kind: 'cluster', context: 'double' });
    expect(report.summary.podsScanned).toBe(3);
  });

  it('SIGTERM: stops, exits 0 promptly; every log line is one pulldoctor serve: line', async () => {
    const other = await startServe(['--kubeconfig', kubeconfig, '-A', '--interval', '1']);
    await waitFor('ready', async () => ((await get(`${other.url}/readyz`)).status === 200 ? true : undefined));
    const r = await other.stop('SIGTERM');
    expect(r).toMatchObject({ code: 0, signal: null });
    expect(r.ms).toBeLessThan(5_000);
    const lines = other.stderr().trimEnd().split('\n');
    expect(lines[0]).toBe(`pulldoctor serve: listening on ${other.url}`);
    expect(lines).toContain('pulldoctor serve: SIGTERM: shutting down');
    for (const l of lines) expect(l).toMatch(/^pulldoctor serve: /);
    expect(other.stdout()).toBe('');
  });
});

describe('pulldoctor serve: RBAC and start-up problems', () => {
  it('pods forbidden: scan_complete 0 and /readyz names the refusal; no findings series pretends to be "none"', async () => {
    const api = await startApiServer({ objects: cluster(), faults: [{ resource: 'pods', verb: 'list', status: 403 }] });
    const kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server: api }] });
    const serve = await startServe(['--kubeconfig', kubeconfig, '-A', '--interval', '3600']);
    try {
      const ready = await waitFor('ready', async () => {
        const r = await get(`${serve.url}/readyz`);
        return r.status === 200 ? r.text : undefined;
      });
      expect(ready).toContain('scan incomplete');
      expect(ready).toContain('pods cluster-wide not read: list forbidden (403)');
      expect(ready).toContain('kubectl auth can-i list pods -A');
      const samples = parseMetrics((await get(`${serve.url}/metrics`)).text);
      expect(valueOf(samples, 'pulldoctor_scan_complete')).toBe(0);
      expect(samplesOf(samples, 'pulldoctor_findings')).toEqual([]);
      expect(samplesOf(samples, 'pulldoctor_api_requests_total').find((s) => s.labels.resource === 'pods')?.labels.code).toBe('403');
    } finally {
      await serve.stop();
      await api.close();
    }
  });

  it('SIGTERM during a slow initial list: not ready until then, exits 0 without waiting for the list', async () => {
    const api = await startApiServer({ objects: cluster(), latencyMs: 20_000 });
    const kubeconfig = writeKubeconfig({ contexts: [{ name: 'slow', server: api }] });
    const serve = await startServe(['--kubeconfig', kubeconfig, '-A', '--request-timeout', '30']);
    try {
      const ready = await get(`${serve.url}/readyz`);
      expect(ready).toEqual({ status: 503, text: 'not ready: the initial list of the cluster is not done yet\n' });
      expect((await get(`${serve.url}/healthz`)).status).toBe(200);
      const r = await serve.stop('SIGTERM');
      expect(r).toMatchObject({ code: 0, signal: null });
      expect(r.ms).toBeLessThan(5_000);
    } finally {
      await serve.stop('SIGKILL');
      await api.close();
    }
  });

  it('an unreachable cluster at start: one line naming the context and server, exit 2', async () => {
    const api = await startApiServer({ objects: [] });
    const kubeconfig = writeKubeconfig({ contexts: [{ name: 'gone', server: api, url: 'http://127.0.0.1:1' }] });
    await api.close();
    const r = await runBin(['serve', '--listen', '127.0.0.1:0', '--kubeconfig', kubeconfig, '-A', '--request-timeout', '2'], NO_HOME);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^pulldoctor serve: listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^pulldoctor: context gone \(http:\/\/127\.0\.0\.1:1\): cannot connect: /)]);
  });

  it('a bad --listen and a port in use: one line, exit 2', async () => {
    const bad = await runBin(['serve', '--listen', '9489'], NO_HOME);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe('pulldoctor: --listen: expected HOST:PORT or :PORT (e.g. 127.0.0.1:9489 or :9489), got "9489"\n');
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const r = await runBin(['serve', '--listen', `127.0.0.1:${port}`, '--kubeconfig', '/nonexistent'], NO_HOME);
      expect(r).toMatchObject({ code: 2, stdout: '', stderr: `pulldoctor: cannot listen on 127.0.0.1:${port}: address already in use\n` });
    } finally {
      taken.close();
    }
  });
});
