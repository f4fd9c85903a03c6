/**
 * Never a false green: the built binary against the Kubernetes API double when pods cannot be
 * read in some scope — forbidden in one of two namespaces, forbidden everywhere, failing with
 * 5xx, or not answering before the deadline. Every run exits 2, the readable namespace's findings
 * are reported in full, and stderr names each unreadable scope with the check to run.
 */
import { afterAll, describe, expect, it } from 'vitest';
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
  type FaultRule,
} from './apiserver/index.js';
import { runBin, type CliOptions } from './helpers/cli.js';

const NOW = '2026-11-28T12:00:00Z';
/** No kubeconfig but the one passed: the developer's own must never be read. */
const NO_HOME: CliOptions['env'] = { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' };

interface Finding {
  rule: string;
  namespace: string;
  pod: string;
  unverified: string[];
}
interface Skipped {
  kind: string;
  namespace?: string;
  name?: string;
  reason: string;
  source: string;
  status?: number;
  check?: string;
  cluster?: string;
}
interface Json {
  summary: { complete: boolean; podsScanned: number; skipped: Skipped[] };
  findings: Finding[];
}

/**
 * Two namespaces, each with a pod that cannot pull: in `shop` it names a pull secret that does
 * not exist; in `web` the registry rejects its credentials (401).
 */
function objects(withBroken = false): unknown[] {
  const cart = pod({ namespace: 'shop', name: 'cart-0', pullSecrets: ['shop-cred'], waiting: IMAGE_PULL_BACKOFF });
  // A pod the API serves with a field of the wrong type (only when asked for).
  const broken = pod({ namespace: 'shop', name: 'broken-0' });
  (broken.spec as Record<string, unknown>).containers = 'oops';
  const web = pod({ namespace: 'web', name: 'web-0', pullSecrets: ['webcred'], waiting: IMAGE_PULL_BACKOFF });
  return [
    cart,
    ...(withBroken ? [broken] : []),
    podEvent(cart, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 3 }),
    serviceAccount('shop'),
    web,
    podEvent(web, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 3 }),
    serviceAccount('web'),
    pullSecret('web', 'webcred'),
  ];
}

// Closed after all tests: they run at the same time, each with its own double.
const servers: ApiServer[] = [];
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function cluster(faults: FaultRule[], contexts: { name: string; namespace?: string; url?: string }[] = [{ name: 'double' }], withBroken = false) {
  const server = await startApiServer({ objects: objects(withBroken), tls: true, faults });
  servers.push(server);
  const kubeconfig = writeKubeconfig({ contexts: contexts.map((c) => ({ ...c, server, cluster: `${c.name}-cluster` })) });
  return { server, kubeconfig };
}

const pulldoctor = (kubeconfig: string, args: string[]) => runBin(['--kubeconfig', kubeconfig, '--now', NOW, ...args], { env: NO_HOME });

const rulesIn = (r: Json, ns: string) => r.findings.filter((f) => f.namespace === ns).map((f) => f.rule).sort();
const stderrLines = (stderr: string) => stderr.trim().split('\n').filter(Boolean);

// Each test has its own API double, so they can run at the same time.
describe.concurrent('pods that cannot be read make the scan incomplete (built binary, API double)', { timeout: 120_000 }, () => {
  it('pods forbidden in one of two namespaces: exit 2, the other namespace in full, stderr names the scope and the check', async () => {
    const { kubeconfig } = await cluster([{ resource: 'pods', namespace: 'web', status: 403 }]);
    const json = await pulldoctor(kubeconfig, ['-n', 'shop,web', '-o', 'json']);
    expect(json.code).toBe(2);
    const r = JSON.parse(json.stdout) as Json;
    expect(rulesIn(r, 'shop')).toContain('pull-secret-not-found');
    expect(rulesIn(r, 'web')).toEqual([]);
    expect(r.summary.complete).toBe(false);
    expect(r.summary.podsScanned).toBe(1);
    expect(r.summary.skipped).toContainEqual(
      expect.objectContaining({ kind: 'Pod', namespace: 'web', status: 403, source: '/api/v1/namespaces/web/pods', check: 'kubectl auth can-i list pods -n web' }),
    );
    expect(stderrLines(json.stderr)).toEqual([
      expect.stringMatching(/^pulldoctor: pods in namespace web could not be read \(list forbidden \(403\): pods is forbidden: .*\); .*; check: kubectl auth can-i list pods -n web$/),
    ]);

    // The same in every format: text and Markdown report shop's finding and say what is not covered.
    for (const format of ['text', 'markdown']) {
      const out = await pulldoctor(kubeconfig, ['-n', 'shop', '-n', 'web', '-o', format]);
      expect(out.code).toBe(2);
      expect(out.stdout).toContain('pull-secret-not-found');
      expect(out.stdout).toMatch(/INCOMPLETE: .*not covered: pods in namespace web \\?\(forbidden\\?\)/);
      expect(out.stdout).not.toContain('no image pull problems');
      expect(out.stderr).toContain('check: kubectl auth can-i list pods -n web');
    }
  });

  it('a pod the API serves malformed: skipped with its reason and the API path, not counted, exit 2; asked for by name it is not "not found"', async () => {
    const { kubeconfig } = await cluster([], undefined, true);
    const all = await pulldoctor(kubeconfig, ['-n', 'shop', '-o', 'json']);
    expect(all.code).toBe(2);
    const r = JSON.parse(all.stdout) as Json;
    expect(r.summary.podsScanned).toBe(1);
    expect(rulesIn(r, 'shop')).toContain('pull-secret-not-found');
    expect(r.summary.skipped).toEqual([
      { kind: 'Pod', namespace: 'shop', name: 'broken-0', reason: 'spec.containers: must be array', source: '/api/v1/namespaces/shop/pods', cluster: 'double-cluster' },
    ]);
    expect(stderrLines(all.stderr)).toEqual([
      'pulldoctor: skipped 1 malformed object (1 Pod) at /api/v1/namespaces/shop/pods; skipped pods are not covered; the report lists each with its reason',
    ]);
    const one = await pulldoctor(kubeconfig, ['-n', 'shop', 'broken-0', '-o', 'text']);
    expect(one.code).toBe(2);
    expect(one.stderr).not.toContain('not found');
    expect(one.stdout).toContain('✖ Pod shop/broken-0 (/api/v1/namespaces/shop/pods): spec.containers: must be array');
  });

  it('the same across a fleet: the readable cluster in full, the others named (with --context in the check)', async () => {
    const { kubeconfig } = await cluster(
      [{ resource: 'pods', namespace: 'web', status: 403 }],
      [
        { name: 'shop-ctx', namespace: 'shop' },
        { name: 'web-ctx', namespace: 'web' },
        { name: 'gone-ctx', url: 'https://127.0.0.1:1' },
      ],
    );
    const out = await pulldoctor(kubeconfig, ['--context', 'shop-ctx', '--context', 'web-ctx', '--context', 'gone-ctx', '-o', 'json', '--request-timeout', '2']);
    expect(out.code).toBe(2);
    const r = JSON.parse(out.stdout) as Json;
    expect(rulesIn(r, 'shop')).toContain('pull-secret-not-found');
    expect(r.summary.complete).toBe(false);
    expect(r.summary.skipped).toContainEqual(expect.objectContaining({ kind: 'Pod', namespace: 'web', cluster: 'web-ctx-cluster' }));
    expect(stderrLines(out.stderr)).toEqual([
      expect.stringMatching(/^pulldoctor: cluster web-ctx-cluster: pods in namespace web could not be read .*; check: kubectl auth can-i list pods -n web --context web-ctx$/),
      expect.stringMatching(/^pulldoctor: cluster gone-ctx-cluster could not be scanned \(context gone-ctx \(https:\/\/127\.0\.0\.1:1\): cannot connect: .*\); the result does not cover it$/),
    ]);
  });

  it('pods forbidden everywhere: exit 2 whatever --fail-on says, never "no image pull problems in 0 pods"', async () => {
    const { kubeconfig } = await cluster([{ resource: 'pods', status: 403 }], [{ name: 'double', namespace: 'shop' }]);
    // The context's namespace: the check is the one the issue asks for.
    const own = await pulldoctor(kubeconfig, ['-o', 'text']);
    expect(own.code).toBe(2);
    expect(own.stdout).not.toContain('no image pull problems');
    expect(own.stdout).toContain('INCOMPLETE: nothing found in the 0 pods that could be scanned; not covered: pods in namespace shop (forbidden)');
    expect(stderrLines(own.stderr)).toEqual([expect.stringMatching(/^pulldoctor: pods in namespace shop could not be read .*; check: kubectl auth can-i list pods -n shop$/)]);

    const all = await pulldoctor(kubeconfig, ['-A', '-o', 'json', '--fail-on', 'never']);
    expect(all.code).toBe(2);
    const r = JSON.parse(all.stdout) as Json;
    expect(r.summary).toMatchObject({ complete: false, podsScanned: 0 });
    expect(r.findings).toEqual([]);
    expect(stderrLines(all.stderr)).toEqual([
      expect.stringMatching(/^pulldoctor: pods in all namespaces could not be read .*; check: kubectl auth can-i list pods -A; to scan the namespaces you may read, name them: -n a,b$/),
    ]);
  });

  it('5xx on every try: the namespace is not covered, the other is scanned in full', async () => {
    const { server, kubeconfig } = await cluster([{ resource: 'pods', namespace: 'web', status: 503 }]);
    const out = await pulldoctor(kubeconfig, ['-n', 'shop,web', '-o', 'json']);
    expect(out.code).toBe(2);
    const r = JSON.parse(out.stdout) as Json;
    expect(rulesIn(r, 'shop')).toContain('pull-secret-not-found');
    expect(r.summary.skipped).toContainEqual({
      kind: 'Pod',
      namespace: 'web',
      reason: 'list failed: 503 the server is currently unable to handle the request',
      source: '/api/v1/namespaces/web/pods',
      status: 503,
      check: 'kubectl auth can-i list pods -n web',
      cluster: 'double-cluster',
    });
    expect(stderrLines(out.stderr)).toEqual([
      'pulldoctor: pods in namespace web could not be read (list failed: 503 the server is currently unable to handle the request); the result does not cover them; check: kubectl auth can-i list pods -n web',
    ]);
    // Retried within the request budget (four retries), not forever.
    expect(server.requests.filter((q) => q.path === '/api/v1/namespaces/web/pods')).toHaveLength(5);
  });

  it('no answer in time, on every try: the namespace is not covered, what was read is reported', async () => {
    // Each try times out after 0.5 s; after four retries the list is given up (the deadline,
    // 60 s, leaves the other namespace all the time it needs on a busy machine).
    const { kubeconfig } = await cluster([{ resource: 'pods', namespace: 'web', delayMs: 20_000 }]);
    const out = await pulldoctor(kubeconfig, ['-n', 'shop,web', '-o', 'json', '--request-timeout', '0.5', '--timeout', '60']);
    expect(out.code).toBe(2);
    const r = JSON.parse(out.stdout) as Json;
    expect(rulesIn(r, 'shop'), JSON.stringify(r.summary)).toContain('pull-secret-not-found');
    const web = r.summary.skipped.find((e) => e.kind === 'Pod');
    expect(web).toMatchObject({ namespace: 'web', status: 0, check: 'kubectl auth can-i list pods -n web' });
    expect(web?.reason).toBe('list failed: no answer within 500ms');
    expect(stderrLines(out.stderr)[0]).toMatch(/^pulldoctor: pods in namespace web could not be read \(list failed: .*\); .*; check: kubectl auth can-i list pods -n web$/);
  });
});
