/**
 * The CLI against the Kubernetes API double over HTTPS: a live scan of the same objects gives
 * the same findings as the offline scan of the dump; only GETs are sent; connection problems
 * give one line and exit 2. The CLI runs in this process (`main`); one connection problem also
 * goes through the built binary, for the exit status of a real process with a failed socket.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadObjectFiles, startApiServer, writeKubeconfig, type ApiServer } from './apiserver/index.js';
import { runBin, runMain, type CliOptions } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';

const NOW = '2026-11-28T12:00:00Z';

/** No kubeconfig but the one passed: the developer's own must never be read. */
const NO_HOME: CliOptions = { env: { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' } };
const run = (args: string[]) => runMain(args, NO_HOME);

interface F {
  rule: string;
  severity: string;
  namespace: string;
  pod: string;
  container?: string;
  secret?: string;
  message: string;
  remediation: string[];
}
const key = (f: F) => [f.rule, f.severity, f.namespace, f.pod, f.container ?? '', f.secret ?? '', f.message].join(' | ');
// Commands in a live scan name the context; otherwise they are the same.
const stripContext = (cmd: string) => cmd.replace(/ --context \S+/g, '');

// Cluster-scan rules only: node rules keep fake node roots there (test/node-rules-fixtures.test.ts).
const rules = readdirSync(path.join(ROOT, 'fixtures')).filter((d) => d !== 'demo' && existsSync(path.join(ROOT, 'fixtures', d, 'fires.yaml')));

describe('live scan through the API double = offline scan of the same objects', () => {
  it.each(rules)('%s', async (rule) => {
    const file = path.join(ROOT, 'fixtures', rule, 'fires.yaml');
    const server = await startApiServer({ objects: loadObjectFiles([file]), tls: true });
    try {
      const kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server }] });
      const live = await run(['-A', '-o', 'json', '--kubeconfig', kubeconfig, '--now', NOW]);
      const offline = await run(['-f', file, '-o', 'json', '--now', NOW]);
      expect(live.stderr).toBe('');
      expect(JSON.parse(offline.stdout).findings.length).toBeGreaterThan(0);
      expect(live.code).toBe(offline.code);
      const l = JSON.parse(live.stdout) as { findings: F[]; source: { kind: string; context: string } };
      const o = JSON.parse(offline.stdout) as { findings: F[] };
      expect(l.source).toMatchObject({ kind: 'cluster', context: 'double' });
      expect(l.findings.map(key).sort()).toEqual(o.findings.map(key).sort());
      const byKey = new Map(o.findings.map((f) => [key(f), f]));
      for (const f of l.findings) expect(f.remediation.map(stripContext)).toEqual(byKey.get(key(f))?.remediation);
      expect(server.requests.length).toBeGreaterThan(0);
      expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('cluster connection problems through the CLI', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ objects: [], tls: true });
  });
  afterAll(() => server.close());

  it.each([
    ['in process', run],
    ['built binary', (args: string[]) => runBin(args, NO_HOME)],
  ])('an unreachable server: one line naming the context and server, exit 2 (%s)', async (_how, runner) => {
    const kubeconfig = writeKubeconfig({ contexts: [{ name: 'gone', server, url: 'https://127.0.0.1:1' }] });
    const r = await runner(['-A', '-o', 'json', '--kubeconfig', kubeconfig, '--request-timeout', '2']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^pulldoctor: context gone \(https:\/\/127\.0\.0\.1:1\): /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a wrong token: 401 in one line, exit 2', async () => {
    const kubeconfig = writeKubeconfig({ contexts: [{ name: 'badtoken', server, token: 'wrong' }] });
    const r = await run(['-A', '--kubeconfig', kubeconfig, '-o', 'text']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pulldoctor: context badtoken \(https:\/\/127\.0\.0\.1:\d+\): .*401/);
  });

  it('no kubeconfig at all suggests --demo or -f', async () => {
    const r = await run(['-o', 'text']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--demo/);
    expect(r.stderr).toMatch(/-f/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a pod name that does not exist', async () => {
    const kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server, namespace: 'shop' }] });
    const r = await run(['--kubeconfig', kubeconfig, '-o', 'json', 'no-such-pod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pulldoctor: pod "no-such-pod" not found in namespace shop/);
  });
});

describe('live, through the built binary: existing secrets and the kubelet\'s words', () => {
  interface LiveFinding extends F {
    confidence: string;
    evidence: { source: string; ref?: string; detail: string }[];
  }
  const live = async (fixture: string, args: string[], faults: Parameters<ApiServer['setFaults']>[0] = []) => {
    const server = await startApiServer({ objects: loadObjectFiles([path.join(ROOT, 'fixtures', fixture)]), tls: true, faults });
    try {
      const kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server, namespace: 'shop' }] });
      const r = await runBin(['-o', 'json', '--kubeconfig', kubeconfig, '--now', NOW, ...args], NO_HOME);
      const report = JSON.parse(r.stdout) as { findings: LiveFinding[]; accessProblems: { resource: string; verb: string; canI: string }[] };
      return { r, report, requests: [...server.requests] };
    } finally {
      await server.close();
    }
  };

  it('the namespace holds acme-pull for registry.acme.io, the pod references nothing: the fix references acme-pull', async () => {
    const { r, report, requests } = await live('pull-secret-not-referenced/fires.yaml', []);
    expect(r.code).toBe(1);
    const f = report.findings.find((x) => x.rule === 'pull-secret-not-referenced');
    expect(f).toMatchObject({ secret: 'acme-pull', container: 'cart', severity: 'error', confidence: 'confirmed' });
    expect(f?.message).toContain('Secret "acme-pull" in namespace shop has credentials for registry.acme.io');
    expect(f?.remediation).toContain(
      `kubectl --context double patch deployment cart -n shop --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"acme-pull"}]}}}}'`,
    );
    const denied = report.findings.find((x) => x.rule === 'registry-access-denied');
    expect(denied?.remediation.join('\n')).not.toContain('create secret');
    // found by the typed lists of the affected namespace, never by a GET of a name nobody references
    const secretReqs = requests.filter((q) => q.path.startsWith('/api/v1/namespaces/shop/secrets')).map((q) => `${q.path} ${q.query.fieldSelector ?? ''}`.trim());
    expect(secretReqs.sort()).toEqual([
      '/api/v1/namespaces/shop/secrets type=kubernetes.io/dockercfg',
      '/api/v1/namespaces/shop/secrets type=kubernetes.io/dockerconfigjson',
    ]);
  });

  it('a failing image on ECR: one list of nodes (never a GET per node), the EKS node recognised, its identity diagnosed', async () => {
    const { r, report, requests } = await live('node-identity-denied/fires.yaml', ['-A']);
    expect(r.code).toBe(1);
    expect(requests.filter((q) => q.path.startsWith('/api/v1/nodes')).map((q) => q.path)).toEqual(['/api/v1/nodes']);
    const f = report.findings.find((x) => x.rule === 'node-identity-denied' && x.namespace === 'shop');
    expect(f?.evidence.some((e) => e.source === 'node' && e.detail.includes('label eks.amazonaws.com/nodegroup=shop-ng-2024'))).toBe(true);
    expect(report.findings.every((x) => !x.remediation.join('\n').includes('create secret docker-registry'))).toBe(true);
  });

  it('nodes forbidden: an access problem, no platform guessed, the command on the node that settles it, no pasted token', async () => {
    const { r, report } = await live('node-identity-denied/fires.yaml', ['-n', 'shop'], [{ resource: 'nodes', status: 403 }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(report.findings.map((x) => x.rule)).toEqual(['registry-access-denied']);
    const f = report.findings[0] as LiveFinding & { unverified: string[] };
    expect(f.unverified.join('\n')).toContain('Nodes could not be listed (check: kubectl auth can-i list nodes), so which platform runs node ip-10-0-3-41.ec2.internal');
    expect(f.unverified.join('\n')).toContain('kubectl --context double debug node/ip-10-0-3-41.ec2.internal -it --profile=sysadmin');
    expect(f.remediation.join('\n')).not.toContain("--docker-password='<password>'");
    expect(report.accessProblems.map((p) => p.canI)).toContain('kubectl auth can-i list nodes');
  });

  it('secrets forbidden + FailedToRetrieveImagePullSecret for acme-pull: confirmed, the fix creates acme-pull, the source is the kubelet\'s event', async () => {
    const { r, report } = await live('pull-secret-not-found/no-secrets.yaml', [], [{ resource: 'secrets', status: 403 }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const f = report.findings.find((x) => x.rule === 'pull-secret-not-found');
    expect(f).toMatchObject({ secret: 'acme-pull', confidence: 'confirmed', severity: 'error' });
    expect(f?.message).toContain(
      'Reading the secret was refused; the source is the kubelet\'s own FailedToRetrieveImagePullSecret event, which names "acme-pull"',
    );
    expect(f?.remediation[0]).toBe(
      "kubectl --context double create secret docker-registry acme-pull -n shop --docker-server=registry.acme.io --docker-username='<username>' --docker-password='<password>'",
    );
    expect(f?.evidence.some((e) => e.source === 'event' && e.detail.includes('Unable to retrieve some image pull secrets (acme-pull)'))).toBe(true);
    expect(report.accessProblems.map((p) => p.canI)).toContain('kubectl auth can-i get secrets -n shop');
  });
});
