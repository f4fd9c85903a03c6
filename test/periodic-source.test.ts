/**
 * `periodicSource`, serve's stand-in for the list+watch layer, against the API double over HTTP:
 * the LiveSnapshotSource contract — start() is the initial sync (a UserError when the cluster is
 * unreachable), a failed scan keeps the last snapshot and marks the source disconnected, the next
 * good scan reconnects it, listeners hear of each scan, stop() ends the scans.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../src/model/errors.js';
import { periodicSource } from '../src/serve/periodic-source.js';
import type { LiveSnapshotSource } from '../src/serve/source.js';
import { pod, serviceAccount, startApiServer, writeKubeconfig, type ApiServer } from './apiserver/index.js';
import { waitFor } from './helpers/prometheus.js';

const ENV = { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' };

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(): Promise<{ api: ApiServer; source: LiveSnapshotSource; changes: () => number }> {
  const api = await startApiServer({ objects: [pod({ namespace: 'shop', name: 'web-5d8f-q2w3e', replicaSet: 'web-5d8f' }), serviceAccount('shop')] });
  const kubeconfig = writeKubeconfig({ contexts: [{ name: 'double', server: api }] });
  const source = periodicSource({ kubeconfig, env: ENV, allNamespaces: true, intervalMs: 50, maxRetries: 0 });
  let n = 0;
  source.onChange(() => n++);
  cleanup.push(() => source.stop(), () => api.close());
  return { api, source, changes: () => n };
}

describe('periodicSource', () => {
  it('start() is the initial sync: synced, connected, the snapshot of the scope', async () => {
    const { source } = await setup();
    expect(source.status()).toEqual({ synced: false, connected: false });
    expect(() => source.snapshot()).toThrow();
    await source.start();
    expect(source.status()).toMatchObject({ synced: true, connected: true, lastSyncAt: expect.any(String) });
    const snap = source.snapshot();
    expect(snap.source).toMatchObject({ kind: 'cluster', context: 'double' });
    expect(snap.pods.map((p) => p.metadata.name)).toEqual(['web-5d8f-q2w3e']);
  });

  it('rescans every interval and tells listeners; a failed scan keeps the last snapshot and disconnects; the next good one reconnects', async () => {
    const { api, source, changes } = await setup();
    await source.start();
    const first = source.snapshot();
    await waitFor('two more scans', async () => (changes() >= 2 ? true : undefined), 10_000, 20);
    expect(source.snapshot()).not.toBe(first);
    api.setFaults([{ resource: 'pods', status: 500, message: 'etcdserver: request timed out' }]);
    const down = await waitFor('a failed scan', async () => (source.status().connected ? undefined : source.status()), 10_000, 20);
    expect(down).toMatchObject({ synced: true, connected: false, lastSyncAt: expect.any(String) });
    expect(down.lastError).toMatch(/^context double \(http:\/\/127\.0\.0\.1:\d+\): list pods failed: 500 etcdserver: request timed out$/);
    expect(source.snapshot().pods).toHaveLength(1); // the last good state stays
    api.setFaults([]);
    await waitFor('reconnect', async () => (source.status().connected ? true : undefined), 10_000, 20);
    expect(source.status().lastError).toBeUndefined();
  });

  it('stop() ends the scans', async () => {
    const { api, source } = await setup();
    await source.start();
    await source.stop();
    await new Promise((r) => setTimeout(r, 300)); // a scan in flight at stop() may still finish
    const after = api.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(api.requests.length).toBe(after);
  });

  it('start() rejects with a one-line UserError when the cluster is unreachable', async () => {
    const api = await startApiServer({ objects: [] });
    const kubeconfig = writeKubeconfig({ contexts: [{ name: 'gone', server: api, url: 'http://127.0.0.1:1' }] });
    await api.close();
    const source = periodicSource({ kubeconfig, env: ENV, allNamespaces: true, intervalMs: 50, maxRetries: 0, requestTimeoutMs: 2000 });
    const err = await source.start().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^context gone \(http:\/\/127\.0\.0\.1:1\): cannot connect: /);
    expect(source.status()).toEqual({ synced: false, connected: false });
  });
});
