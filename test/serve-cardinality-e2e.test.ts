/**
 * `pulldoctor serve` (built binary) on a cluster of 5 000 pods in 200 workloads, every one with
 * a pull problem: the metrics stay per workload (200 finding series, not 5 000), no pod name is
 * a label value, and the process's memory does not grow from scan to scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILED_PULL_MESSAGE, IMAGE_PULL_BACKOFF, pod, podEvent, pullSecret, serviceAccount, startApiServer, writeKubeconfig, type ApiServer } from './apiserver/index.js';
import { parseMetrics, samplesOf, valueOf, type Sample } from './helpers/metrics-text.js';
import { waitFor } from './helpers/prometheus.js';
import { startServe, type ServeProcess } from './helpers/serve.js';

const NAMESPACES = 10;
const WORKLOADS = 200;
// 25 pods a workload: enough for the series to be per workload, not per pod; serve evaluates
// every second, so more pods would add CPU time to the suite and not a case.
const PODS_PER_WORKLOAD = 25;

/**
 * Even workloads: pods in ImagePullBackOff after a 401 with secret regcred (registry-auth-rejected,
 * error). Odd workloads: running pods naming a secret that does not exist (pull-secret-not-found,
 * latent: warning). One finding group per workload either way.
 */
function bigCluster(): { objects: Record<string, unknown>[]; podNames: Set<string> } {
  const objects: Record<string, unknown>[] = [];
  const podNames = new Set<string>();
  for (let n = 0; n < NAMESPACES; n++) objects.push(pullSecret(`team-${n}`, 'regcred'), serviceAccount(`team-${n}`));
  for (let w = 0; w < WORKLOADS; w++) {
    const namespace = `team-${Math.floor(w / (WORKLOADS / NAMESPACES))}`;
    const rs = `svc${w}-6b7c8d9f4`;
    const failing = w % 2 === 0;
    for (let i = 0; i < PODS_PER_WORKLOAD; i++) {
      const name = `${rs}-${i.toString(36).padStart(5, 'x')}`;
      podNames.add(name);
      const p = pod({ namespace, name, replicaSet: rs, pullSecrets: [failing ? 'regcred' : 'gone-cred'], ...(failing ? { waiting: IMAGE_PULL_BACKOFF } : {}) });
      objects.push(p);
      if (failing) objects.push(podEvent(p, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 3 }));
    }
  }
  return { objects, podNames };
}

describe('serve on 5 000 pods in 200 workloads', () => {
  let api: ApiServer;
  let serve: ServeProcess;
  let podNames: Set<string>;

  beforeAll(async () => {
    const c = bigCluster();
    podNames = c.podNames;
    api = await startApiServer({ objects: c.objects, logRequests: false });
    const kubeconfig = writeKubeconfig({ contexts: [{ name: 'big', server: api }] });
    serve = await startServe(['--kubeconfig', kubeconfig, '-A', '--interval', '1']);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await api?.close();
  });

  const scrape = async () => parseMetrics(await (await fetch(`${serve.url}/metrics`)).text());
  /** Metrics once the rules have run at least `n` times. */
  const afterScans = (n: number) =>
    waitFor(`${n} evaluations`, async () => {
      const s = await scrape();
      return (valueOf(s, 'pulldoctor_scan_duration_seconds_count') ?? 0) >= n ? s : undefined;
    }, 150_000, 500);

  it('one finding series per workload, valued with its pods; series count ~ workloads × rules, not pods', async () => {
    const samples = await afterScans(1);
    const findings = samplesOf(samples, 'pulldoctor_findings');
    expect(findings).toHaveLength(WORKLOADS);
    expect(new Set(findings.map((s) => `${s.labels.namespace}/${s.labels.workload}`)).size).toBe(WORKLOADS);
    expect(findings.filter((s) => s.labels.rule === 'registry-auth-rejected' && s.labels.severity === 'error')).toHaveLength(WORKLOADS / 2);
    expect(findings.filter((s) => s.labels.rule === 'pull-secret-not-found' && s.labels.severity === 'warning')).toHaveLength(WORKLOADS / 2);
    for (const s of findings) expect(s.value).toBe(PODS_PER_WORKLOAD);
    expect(samplesOf(samples, 'pulldoctor_pods_failing_pull').map((s) => s.value)).toEqual(Array(NAMESPACES).fill((WORKLOADS / 2 / NAMESPACES) * PODS_PER_WORKLOAD));
    expect(valueOf(samples, 'pulldoctor_scan_complete')).toBe(1);
    // Everything pulldoctor exports: the finding series plus a small constant.
    const own = samples.filter((s) => s.name.startsWith('pulldoctor_'));
    expect(own.length).toBeLessThan(WORKLOADS + NAMESPACES + 40);
    const labelValues = new Set(samples.flatMap((s: Sample) => Object.values(s.labels)));
    for (const name of podNames) if (labelValues.has(name)) throw new Error(`pod name ${name} is a label value`);
  }, 180_000);

  it('memory stays bounded: the heap after several scans is no larger than after the first ones', async () => {
    const early = await afterScans(2);
    const later = await afterScans(4);
    const heap = (s: Sample[]) => valueOf(s, 'nodejs_heap_size_used_bytes') ?? NaN;
    const rss = (s: Sample[]) => valueOf(s, 'process_resident_memory_bytes') ?? NaN;
    process.stdout.write(`serve at 5k pods: heap ${Math.round(heap(early) / 2 ** 20)} → ${Math.round(heap(later) / 2 ** 20)} MiB, rss ${Math.round(rss(early) / 2 ** 20)} → ${Math.round(rss(later) / 2 ** 20)} MiB\n`);
    expect(heap(later)).toBeLessThan(heap(early) * 1.5 + 64 * 2 ** 20);
    expect(rss(later)).toBeLessThan(512 * 2 ** 20);
  }, 240_000);
});
