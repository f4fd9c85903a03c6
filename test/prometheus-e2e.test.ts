/**
 * End to end with the real Prometheus: `prometheus` scrapes `pulldoctor serve` (the built
 * binary) watching the Kubernetes API double and evaluates deploy/prometheus/rules.yaml — a copy
 * whose `for:` durations are seconds instead of minutes, and a test below proves that is the only
 * difference. Through Prometheus's HTTP API: the failing workload's alert goes pending, then
 * firing, with a runbook_url that opens the rule's runbook on serve; it resolves after the fix;
 * forbidden pods raise PullDoctorScanIncomplete; a stopped serve raises PullDoctorDown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { IMAGE_PULL_BACKOFF, FAILED_PULL_MESSAGE, pod, podEvent, pullSecret, serviceAccount, startApiServer, writeKubeconfig, type ApiServer } from './apiserver/index.js';
import { loadRules, promtool, rulesWithDurations, startPrometheus, waitFor, type RunningPrometheus } from './helpers/prometheus.js';
import { startServe, type ServeProcess } from './helpers/serve.js';

/** The test copy's durations: every alert, seconds instead of minutes or hours. */
const DURATIONS = { PullDoctorImagePullFailing: '3s', PullDoctorLatentPullProblem: '3s', PullDoctorScanIncomplete: '3s', PullDoctorDown: '2s' };

interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

const cartPod = (n: string, failing: boolean) =>
  pod({ namespace: 'shop', name: `cart-7c9d-${n}`, replicaSet: 'cart-7c9d', pullSecrets: ['regcred'], ...(failing ? { waiting: IMAGE_PULL_BACKOFF } : {}) });

describe('the test copy of the rules', () => {
  it('differs from deploy/prometheus/rules.yaml only in the for: durations, and promtool accepts it', () => {
    const shipped = loadRules();
    const copy = loadRules(rulesWithDurations(DURATIONS));
    const alerts = shipped.groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(Object.keys(DURATIONS).sort()).toEqual([...alerts].sort());
    const withoutFor = (rules: typeof shipped) =>
      rules.groups.map((g) => ({ ...g, rules: g.rules.map(({ for: _for, ...r }) => r) }));
    expect(withoutFor(copy)).toEqual(withoutFor(shipped));
    expect(copy.groups.flatMap((g) => g.rules.map((r) => [r.alert, r.for]))).toEqual(alerts.map((a) => [a, DURATIONS[a as keyof typeof DURATIONS]]));
    const dir = mkdtempSync(path.join(tmpdir(), 'pulldoctor-rules-'));
    try {
      writeFileSync(path.join(dir, 'rules.yaml'), rulesWithDurations(DURATIONS));
      const r = promtool(['check', 'rules', 'rules.yaml'], { cwd: dir });
      expect(r.stdout).toContain('SUCCESS: 4 rules found');
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Prometheus scraping pulldoctor serve, with the alerting rules', () => {
  let api: ApiServer;
  let serve: ServeProcess;
  let prom: RunningPrometheus;

  beforeAll(async () => {
    const objects: Record<string, unknown>[] = [pullSecret('shop', 'regcred'), serviceAccount('shop')];
    for (const n of ['a1b2c', 'd3e4f']) {
      const p = cartPod(n, true);
      objects.push(p, podEvent(p, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 4 }));
    }
    objects.push(pod({ namespace: 'shop', name: 'web-5d8f-q2w3e', replicaSet: 'web-5d8f' }));
    api = await startApiServer({ objects });
    const kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server: api }] });
    serve = await startServe(['--kubeconfig', kubeconfig, '-A', '--interval', '1']);
    const target = serve.url.replace(/^http:\/\//, '');
    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: ['rules.yaml'],
      scrape_configs: [{ job_name: 'pulldoctor', static_configs: [{ targets: [target], labels: { pulldoctor_url: serve.url } }] }],
    };
    prom = await startPrometheus(stringify(config), { 'rules.yaml': rulesWithDurations(DURATIONS) });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await serve?.stop('SIGKILL');
    await api?.close();
  });

  const alerts = async (name: string) => (await prom.api<{ alerts: Alert[] }>('alerts')).alerts.filter((a) => a.labels.alertname === name);
  const query = async (q: string) => (await prom.api<{ result: VectorSample[] }>(`query?query=${encodeURIComponent(q)}`)).result;

  it('fires PullDoctorImagePullFailing (pending, then firing) with a working runbook link, and resolves after the fix', async () => {
    const states = new Set<string>();
    const firing = await waitFor(
      'PullDoctorImagePullFailing to fire',
      async () => {
        const a = await alerts('PullDoctorImagePullFailing');
        for (const x of a) states.add(x.state);
        return a.find((x) => x.state === 'firing');
      },
      45_000,
      100,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nprometheus log:\n${prom.logs()}\nserve log:\n${serve.stderr()}`);
    });
    expect(states).toContain('pending');
    expect(firing.labels).toEqual({
      alertname: 'PullDoctorImagePullFailing',
      severity: 'critical',
      job: 'pulldoctor',
      instance: serve.url.replace(/^http:\/\//, ''),
      pulldoctor_url: serve.url,
      rule: 'registry-auth-rejected',
      namespace: 'shop',
      workload_kind: 'Deployment',
      workload: 'cart',
    });
    expect(firing.annotations.summary).toBe('Deployment shop/cart cannot pull its image: registry-auth-rejected');
    expect(firing.annotations.description).toContain('on 2 pod(s) of Deployment cart in namespace shop');
    expect(firing.annotations.runbook_url).toBe(`${serve.url}/runbooks/registry-auth-rejected`);
    const runbook = await fetch(firing.annotations.runbook_url!);
    expect(runbook.status).toBe(200);
    expect(await runbook.text()).toContain('<h1>registry-auth-rejected</h1>');
    // Only the failing workload, and the scan is complete.
    expect((await alerts('PullDoctorImagePullFailing')).map((a) => a.labels.workload)).toEqual(['cart']);
    expect((await query('pulldoctor_findings')).map((s) => [s.metric.workload, s.value[1]])).toEqual([['cart', '2']]);
    expect((await query('pulldoctor_scan_complete'))[0]?.value[1]).toBe('1');
    expect((await query('pulldoctor_pods_failing_pull'))[0]).toMatchObject({ metric: { namespace: 'shop' }, value: [expect.any(Number), '2'] });

    // The fix: the pods pull and run. The series goes stale and the alert resolves.
    api.addObjects([cartPod('a1b2c', false), cartPod('d3e4f', false)]);
    await waitFor('the alert to resolve', async () => ((await alerts('PullDoctorImagePullFailing')).length === 0 ? true : undefined), 30_000);
    expect(await query('pulldoctor_findings')).toEqual([]);
    expect(await query('pulldoctor_pods_failing_pull')).toEqual([]);
    expect((await query('pulldoctor_scan_complete'))[0]?.value[1]).toBe('1');
    const rules = await prom.api<{ groups: { rules: { name: string; state: string; health: string }[] }[] }>('rules?type=alert');
    const rule = rules.groups.flatMap((g) => g.rules).find((r) => r.name === 'PullDoctorImagePullFailing');
    expect(rule).toMatchObject({ state: 'inactive', health: 'ok' });
  }, 120_000);

  it('fires PullDoctorScanIncomplete when pods may not be listed — not a quiet "no findings"', async () => {
    // Pods were listed at start and are watched: revoke the list, expire the watch's
    // resourceVersion and drop the connection, so serve must list pods again and is refused.
    // (A write after the drop moves the cluster on, so the compaction leaves serve's RV behind.)
    api.setFaults([{ resource: 'pods', verb: 'list', status: 403 }]);
    api.dropWatches();
    api.addObjects([serviceAccount('shop', 'builder')]);
    api.compact();
    try {
      const a = await waitFor('PullDoctorScanIncomplete to fire', async () => (await alerts('PullDoctorScanIncomplete')).find((x) => x.state === 'firing'), 45_000).catch(async (e: Error) => {
        const m = await (await fetch(`${serve.url}/metrics`)).text();
        throw new Error(`${e.message}\nserve stderr:\n${serve.stderr()}\nrequests:\n${api.requests.slice(-15).map((r) => `${r.status} ${r.path} ${JSON.stringify(r.query)}`).join('\n')}\n${m.split('\n').filter((l) => l.startsWith('pulldoctor_scan_complete')).join('\n')}`);
      });
      expect(a.labels).toMatchObject({ job: 'pulldoctor', severity: 'warning', pulldoctor_url: serve.url });
      expect(a.annotations.runbook_url).toBe(`${serve.url}/runbooks/PullDoctorScanIncomplete`);
      expect((await fetch(a.annotations.runbook_url!)).status).toBe(200);
      expect((await query('pulldoctor_scan_complete'))[0]?.value[1]).toBe('0');
    } finally {
      api.setFaults([]);
    }
    await waitFor('PullDoctorScanIncomplete to resolve', async () => ((await alerts('PullDoctorScanIncomplete')).length === 0 ? true : undefined), 30_000);
  }, 120_000);

  it('fires PullDoctorDown once serve is stopped (SIGTERM: exit 0)', async () => {
    const url = serve.url;
    expect(await serve.stop('SIGTERM')).toMatchObject({ code: 0 });
    const a = await waitFor('PullDoctorDown to fire', async () => (await alerts('PullDoctorDown')).find((x) => x.state === 'firing'), 45_000);
    expect(a.labels).toMatchObject({ job: 'pulldoctor', instance: url.replace(/^http:\/\//, ''), severity: 'warning' });
    expect(a.annotations.runbook_url).toBe(`${url}/runbooks/PullDoctorDown`);
  }, 120_000);
});
