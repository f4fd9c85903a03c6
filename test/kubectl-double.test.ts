/**
 * Proves the API double speaks the real protocol: the real kubectl talks to it over HTTPS with
 * a bearer token (discovery, Table printing, paging, field selectors, JSON decoding).
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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

const run = promisify(execFile);

function findKubectl(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin']) {
    const candidate = path.join(dir, 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const kubectl = findKubectl();
if (!kubectl) console.warn('SKIPPED test/kubectl-double.test.ts: kubectl not found on PATH or in /usr/bin');

describe.skipIf(!kubectl)('kubectl against the API double (HTTPS, bearer token)', () => {
  let api: ApiServer;
  let home: string;
  let kubeconfig: string;
  const web = pod({ namespace: 'shop', name: 'web-7d9f8c6b5-x2x4q', pullSecrets: ['regcred'], waiting: IMAGE_PULL_BACKOFF, replicaSet: 'web-7d9f8c6b5' });
  const api2 = pod({ namespace: 'payments', name: 'api-0', serviceAccount: 'payer' });

  beforeAll(async () => {
    api = await startApiServer({
      tls: true,
      objects: [
        web,
        api2,
        podEvent(web, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 4 }),
        podEvent(web, { reason: 'BackOff', message: IMAGE_PULL_BACKOFF.message, type: 'Normal', count: 9 }),
        podEvent(api2, { reason: 'Pulled', message: 'Successfully pulled image "registry.example.com/team/app:1.4.2" in 1.2s', type: 'Normal' }),
        pullSecret('shop', 'regcred'),
        serviceAccount('shop'),
        serviceAccount('payments', 'payer', ['paycred']),
      ],
    });
    home = mkdtempSync(path.join(tmpdir(), 'pulldoctor-kubectl-home-'));
    kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server: api }] });
  });

  afterAll(async () => {
    await api?.close();
    if (home) rmSync(home, { recursive: true, force: true });
    if (kubeconfig) rmSync(path.dirname(kubeconfig), { recursive: true, force: true });
  });

  const k = async (...args: string[]) => {
    const { stdout } = await run(kubectl as string, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin', HOME: home, KUBECONFIG: kubeconfig },
      encoding: 'utf8',
    });
    return stdout;
  };

  test('get pods -A prints the server-side table with the namespace column', async () => {
    const out = await k('get', 'pods', '-A');
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(out).toMatch(/payments\s+api-0\s+1\/1\s+Running\s+0/);
    expect(out).toMatch(/shop\s+web-7d9f8c6b5-x2x4q\s+0\/1\s+ImagePullBackOff\s+0/);
    // kubectl asked for a Table, paged with limit=500, authenticated with the token.
    const list = api.requests.find((r) => r.path === '/api/v1/pods');
    expect(list?.query.limit).toBe('500');
    expect(list?.accept).toContain('as=Table');
  });

  test('get events -A', async () => {
    const out = await k('get', 'events', '-A');
    expect(out.split('\n')[0]).toMatch(/^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(out).toMatch(/shop\s+\S+\s+Warning\s+Failed\s+pod\/web-7d9f8c6b5-x2x4q\s+Failed to pull image/);
    expect(out).toMatch(/payments\s+\S+\s+Normal\s+Pulled\s+pod\/api-0/);
  });

  test('get secret NAME -n NS', async () => {
    const out = await k('get', 'secret', 'regcred', '-n', 'shop');
    expect(out).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\n/);
    expect(out).toMatch(/regcred\s+kubernetes.io\/dockerconfigjson\s+1\s+/);
    await expect(k('get', 'secret', 'nope', '-n', 'shop')).rejects.toMatchObject({
      stderr: expect.stringContaining('secrets "nope" not found'),
    });
  });

  test('describe pod NAME -n NS (GET by name + events by involvedObject field selector)', async () => {
    const out = await k('describe', 'pod', 'web-7d9f8c6b5-x2x4q', '-n', 'shop');
    expect(out).toMatch(/^Name:\s+web-7d9f8c6b5-x2x4q$/m);
    expect(out).toMatch(/^Namespace:\s+shop$/m);
    expect(out).toMatch(/Controlled By:\s+ReplicaSet\/web-7d9f8c6b5/);
    expect(out).toMatch(/Reason:\s+ImagePullBackOff/);
    expect(out).toMatch(/Warning\s+Failed\s+.*\(x4 over .*\)\s+kubelet\s+Failed to pull image/);
    expect(out).toMatch(/Normal\s+BackOff\s+.*\(x9 over .*\)\s+kubelet\s+Back-off pulling image/);
    expect(out).not.toContain('api-0');
    const evq = api.requests.find((r) => r.path === '/api/v1/namespaces/shop/events' && r.query.fieldSelector);
    expect(evq?.query.fieldSelector).toContain('involvedObject.name=web-7d9f8c6b5-x2x4q');
    expect(evq?.query.fieldSelector).toContain('involvedObject.namespace=shop');
  });

  test('get pods -o json decodes the JSON list; a wrong token is refused with 401', async () => {
    const list = JSON.parse(await k('get', 'pods', '-n', 'payments', '-o', 'json')) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((i) => i.metadata.name)).toEqual(['api-0']);
    await expect(k('get', 'pods', '-A', '--token', 'wrong')).rejects.toMatchObject({
      stderr: expect.stringMatching(/Unauthorized|must be logged in/),
    });
    expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  test('get pods -w: kubectl lists, then watches from the list resourceVersion and prints what changes (the double speaks watch)', async () => {
    const child = spawn(kubectl as string, ['get', 'pods', '-n', 'watchns', '-w'], {
      env: { PATH: process.env.PATH ?? '/usr/bin', HOME: home, KUBECONFIG: kubeconfig },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const until = async (re: RegExp, what: string) => {
        for (let i = 0; i < 200 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
        expect(out, what).toMatch(re);
      };
      api.addObjects([pod({ namespace: 'watchns', name: 'first-0' })]);
      await until(/first-0\s+1\/1\s+Running/, 'the list');
      for (let i = 0; i < 100 && !api.requests.some((r) => r.path === '/api/v1/namespaces/watchns/pods' && r.query.watch === 'true'); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      api.addObjects([pod({ namespace: 'watchns', name: 'second-0', waiting: IMAGE_PULL_BACKOFF })]);
      await until(/second-0\s+0\/1\s+ImagePullBackOff/, 'the ADDED event, printed from a one-row Table');
      const watch = api.requests.find((r) => r.path === '/api/v1/namespaces/watchns/pods' && r.query.watch === 'true');
      const list = api.requests.find((r) => r.path === '/api/v1/namespaces/watchns/pods' && r.query.watch === undefined);
      expect(Number(watch?.query.resourceVersion)).toBeGreaterThan(0);
      expect(watch?.accept).toContain('as=Table');
      expect(list).toBeDefined();
      // One header only: later Tables carry no column definitions.
      expect(out.match(/^NAME\s+READY/gm)).toHaveLength(1);
    } finally {
      child.kill();
    }
  });
});
