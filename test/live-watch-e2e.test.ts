/**
 * The live source (list once, then watch) against the API double over real HTTP: the initial
 * list, ADDED/MODIFIED/DELETED, 410 relists, dropped connections resumed from the last
 * resourceVersion, bookmarks, forbidden resources, the request budget after the list (constant
 * in the number of pods), and the state equal to a one-shot scan of the same cluster after
 * every change.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test, type TestContext } from 'vitest';
import { RULES } from '../rules/index.js';
import { collectClusters, type ApiRequestEvent } from '../src/collect/cluster.js';
import { DEMO_NOW } from '../src/collect/demo.js';
import { watchCluster, type LiveOptions, type LiveSnapshotSource } from '../src/collect/live-source.js';
import { runEngine } from '../src/engine/analyse.js';
import type { Report } from '../src/model/finding.js';
import type { Snapshot } from '../src/model/snapshot.js';
import {
  IMAGE_PULL_BACKOFF,
  FAILED_PULL_MESSAGE,
  loadObjectFiles,
  node,
  pod,
  podEvent,
  pullSecret,
  serviceAccount,
  startApiServer,
  writeKubeconfig,
  type ApiServer,
  type ApiServerOptions,
} from './apiserver/index.js';
import { ROOT } from './helpers/root.js';

const FAST = { backoffMs: 20, maxBackoffMs: 200, pollMs: 300, forbiddenRetryMs: 60_000 };

interface Rig {
  api: ApiServer;
  live: LiveSnapshotSource;
  /** Requests the live source made, in order. */
  requests: ApiRequestEvent[];
  opts: LiveOptions;
  /** Resolves at the next onChange. */
  nextChange(): Promise<void>;
  /** Waits until `pred(snapshot)` holds (checked on every change and every 50 ms). */
  until(pred: (s: Snapshot) => boolean, what: string, ms?: number): Promise<Snapshot>;
}

function tempHome(ctx: TestContext): string {
  const home = mkdtempSync(path.join(tmpdir(), 'pulldoctor-live-'));
  ctx.onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

async function rig(ctx: TestContext, objects: unknown[], o: { api?: ApiServerOptions; live?: Partial<LiveOptions> } = {}): Promise<Rig> {
  const api = await startApiServer({ objects, bookmarkIntervalMs: 0, ...o.api });
  const home = tempHome(ctx);
  const kubeconfig = writeKubeconfig({ file: path.join(home, 'config'), contexts: [{ name: 'test', server: api }] });
  const requests: ApiRequestEvent[] = [];
  const opts: LiveOptions = {
    kubeconfig,
    env: { HOME: home },
    allNamespaces: true,
    onRequest: (e) => requests.push(e),
    timing: FAST,
    coalesceMs: 30,
    ...o.live,
  };
  const live = watchCluster(opts);
  const r: Rig = {
    api,
    live,
    requests,
    opts,
    nextChange: () =>
      new Promise<void>((resolve) => {
        const off = live.onChange(() => {
          off();
          resolve();
        });
      }),
    async until(pred, what, ms = 5000) {
      const end = Date.now() + ms;
      for (;;) {
        const s = live.snapshot();
        if (pred(s)) return s;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; status ${JSON.stringify(live.status())}`);
        await new Promise((res) => setTimeout(res, 25));
      }
    },
  };
  ctx.onTestFinished(async () => {
    await live.stop();
    await api.close();
  });
  return r;
}

/** A report as far as a user can tell two apart (the time it was made aside). */
function comparable(r: Report): unknown {
  const { generatedAt: _g, ...rest } = r;
  return { ...rest, accessProblems: [...rest.accessProblems].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
}

const report = (s: Snapshot, now = DEMO_NOW) => runEngine(s, RULES, now);

/** The live state, analysed, equals a one-shot scan of the same cluster now. */
async function expectParity(r: Rig, now = DEMO_NOW): Promise<void> {
  const { contexts: _c, onRequest: _o, timing: _t, coalesceMs: _m, ...scanOpts } = r.opts as LiveOptions & { contexts?: string[] };
  const { snapshots } = await collectClusters(scanOpts);
  const once = snapshots[0] as Snapshot;
  const live = r.live.snapshot();
  expect(live.coverage).toEqual(once.coverage);
  expect(live.pods).toEqual(once.pods);
  expect(live.serviceAccounts).toEqual(once.serviceAccounts);
  const names = (s: Snapshot) => s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`).sort();
  expect(names(live)).toEqual(names(once));
  expect(comparable(report(live, now))).toEqual(comparable(report(once, now)));
}

const rules = (s: Snapshot, ns?: string) =>
  [...new Set(report(s).findings.filter((f) => ns === undefined || f.namespace === ns).map((f) => f.rule))].sort();

function smallCluster(): unknown[] {
  const pay = pod({ namespace: 'payments', name: 'api-0', pullSecrets: ['paycred'], waiting: IMAGE_PULL_BACKOFF });
  return [
    pod({ namespace: 'shop', name: 'web-0', pullSecrets: ['regcred'] }),
    pod({ namespace: 'shop', name: 'web-1', pullSecrets: ['regcred'] }),
    serviceAccount('shop'),
    pullSecret('shop', 'regcred'),
    pay,
    podEvent(pay, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 4 }),
    podEvent(pay, { reason: 'FailedToRetrieveImagePullSecret', message: 'Unable to retrieve some image pull secrets (paycred); attempting to pull the image may not succeed.', count: 7 }),
    serviceAccount('payments'),
  ];
}

const watches = (r: Rig, resource?: string) => r.requests.filter((q) => q.verb === 'watch' && (!resource || q.resource === resource));

describe.concurrent('live source: list once, then watch (API double over HTTP)', () => {
  test('the initial list equals a one-shot scan; events and secrets are watched only where pulls fail', async (ctx) => {
    const r = await rig(ctx, smallCluster());
    await r.live.start();
    expect(r.live.status().synced).toBe(true);
    await expectParity(r);
    expect(rules(r.live.snapshot(), 'payments')).toContain('pull-secret-not-found');
    // Watches: pods and service accounts cluster-wide; events and secrets in `payments` only.
    await r.until(() => r.api.openWatches >= 5, 'the watches');
    const log = r.api.requests.filter((q) => q.query.watch === '1');
    const paths = log.map((q) => q.path).sort();
    expect(paths).toEqual(
      expect.arrayContaining(['/api/v1/pods', '/api/v1/serviceaccounts', '/api/v1/namespaces/payments/events', '/api/v1/namespaces/payments/secrets']),
    );
    expect(paths.some((p) => p.includes('/namespaces/shop/'))).toBe(false);
    for (const q of log) {
      expect(q.query.allowWatchBookmarks).toBe('true');
      expect(Number(q.query.resourceVersion)).toBeGreaterThan(0);
      expect(Number(q.query.timeoutSeconds)).toBeGreaterThanOrEqual(300);
    }
    // Events in `payments` are watched from the start-up list, not listed again.
    expect(r.api.requests.filter((q) => q.path === '/api/v1/namespaces/payments/events' && q.query.watch !== '1')).toEqual([]);
  });

  test('initial lists whose answers are cut off mid-page are asked again, and still equal a one-shot scan', async (ctx) => {
    const r = await rig(ctx, smallCluster(), {
      api: {
        faults: [
          { resource: 'pods', verb: 'list', cutAfterBytes: 1500, times: 1 },
          { resource: 'events', verb: 'list', cutAfterBytes: 600, times: 1 },
        ],
      },
    });
    await r.live.start();
    expect(r.live.status().synced).toBe(true);
    const lists = (p: string) => r.api.requests.filter((q) => q.path === p && q.query.watch !== '1').length;
    expect([lists('/api/v1/pods'), lists('/api/v1/events')]).toEqual([2, 2]);
    await expectParity(r);
    expect(r.live.snapshot().pods).toHaveLength(3);
  });

  test('added, modified, deleted: a secret created, a pod recovering, a pod deleted — each visible within 2 s, equal to a one-shot scan', async (ctx) => {
    const r = await rig(ctx, smallCluster());
    await r.live.start();
    await r.until(() => r.api.openWatches >= 5, 'the watches');

    // ADDED: the missing secret is created in the failing namespace.
    let t0 = Date.now();
    r.api.addObjects([pullSecret('payments', 'paycred')]);
    await r.until((s) => !rules(s, 'payments').includes('pull-secret-not-found'), 'the secret to be seen', 2000);
    expect(Date.now() - t0).toBeLessThan(2000);
    await expectParity(r);

    // MODIFIED: the pod recovers.
    t0 = Date.now();
    r.api.addObjects([pod({ namespace: 'payments', name: 'api-0', pullSecrets: ['paycred'] })]);
    await r.until((s) => rules(s, 'payments').length === 0, 'the pod to recover', 2000);
    expect(Date.now() - t0).toBeLessThan(2000);
    await expectParity(r);

    // DELETED: a pod goes away; ADDED: a new failing pod in a namespace nobody watched yet.
    r.api.deleteObjects([{ kind: 'Pod', namespace: 'shop', name: 'web-1' }]);
    const ci = pod({ namespace: 'ci', name: 'runner-0', pullSecrets: ['ghost'], waiting: IMAGE_PULL_BACKOFF });
    r.api.addObjects([ci, serviceAccount('ci')]);
    await r.until((s) => s.pods.length === 3 && rules(s, 'ci').includes('pull-secret-not-found'), 'the delete and the new failing pod', 2000);
    // The newly affected namespace gets its events and secrets watched: an event arriving there shows.
    await r.until(() => watches(r, 'events').some((q) => q.namespace === 'ci'), 'the events watch in ci');
    r.api.addObjects([podEvent(ci, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 1 })]);
    await r.until((s) => s.events.some((e) => e.namespace === 'ci' && e.reason === 'Failed'), 'the new event', 2000);
    await expectParity(r);
  });

  test('410 Expired relists; a dropped connection resumes from the last resourceVersion; bookmarks move it', async (ctx) => {
    const r = await rig(ctx, smallCluster());
    await r.live.start();
    await r.until(() => r.api.openWatches >= 5, 'the watches');

    // A change, then the connection drops: the resume starts at the change's resourceVersion.
    r.api.addObjects([pod({ namespace: 'shop', name: 'web-2', pullSecrets: ['regcred'] })]);
    await r.until((s) => s.pods.some((p) => p.metadata.name === 'web-2'), 'web-2');
    const seen = String(r.api.resourceVersion);
    const before = watches(r, 'pods').length;
    r.api.dropWatches();
    await r.until(() => watches(r, 'pods').length > before, 'a new pods watch');
    const resumed = r.api.requests.filter((q) => q.path === '/api/v1/pods' && q.query.watch === '1').at(-1);
    expect(resumed?.query.resourceVersion).toBe(seen);
    // No relist after a plain disconnect.
    expect(r.api.requests.filter((q) => q.path === '/api/v1/pods' && q.query.watch !== '1')).toHaveLength(1);

    // A change made while disconnected is not lost.
    r.api.dropWatches();
    r.api.addObjects([pod({ namespace: 'shop', name: 'web-3', pullSecrets: ['regcred'] })]);
    await r.until((s) => s.pods.some((p) => p.metadata.name === 'web-3'), 'web-3 after the resume');

    // Bookmarks: changes elsewhere move the store's revision; a bookmark carries it to the pods watch.
    await r.until(() => r.api.openWatches >= 5, 'the watches again');
    r.api.addObjects([serviceAccount('shop', 'builder')]);
    await r.until((s) => s.serviceAccounts.some((x) => x.metadata.name === 'builder'), 'the service account');
    const bookmarked = String(r.api.resourceVersion);
    r.api.bookmark();
    await new Promise((res) => setTimeout(res, 100));
    r.api.dropWatches();
    await r.until(
      () => r.api.requests.filter((q) => q.path === '/api/v1/pods' && q.query.watch === '1').at(-1)?.query.resourceVersion === bookmarked,
      'a resume from the bookmark',
    );

    // History compacted (410 Expired on resume): every collection is listed again, and a
    // deletion made meanwhile is noticed by the relist.
    const lists = r.api.requests.filter((q) => q.path === '/api/v1/pods' && q.query.watch !== '1').length;
    r.api.dropWatches();
    r.api.deleteObjects([{ kind: 'Pod', namespace: 'shop', name: 'web-0' }]);
    r.api.compact();
    await r.until((s) => !s.pods.some((p) => p.metadata.name === 'web-0'), 'the relist to drop web-0');
    expect(r.api.requests.filter((q) => q.path === '/api/v1/pods' && q.query.watch !== '1').length).toBe(lists + 1);
    await expectParity(r);
  });

  test('the demo cluster: equal to a one-shot scan at the start and after fixes', async (ctx) => {
    const demo = path.join(ROOT, 'fixtures', 'demo');
    const objects = loadObjectFiles(readdirSync(demo).map((f) => path.join(demo, f)));
    const r = await rig(ctx, objects);
    await r.live.start();
    await expectParity(r);
    const before = report(r.live.snapshot());
    expect(before.findings.length).toBeGreaterThan(5);
    // Fix the first failing workload's missing secret, if the demo has one, and delete a failing pod.
    const missing = before.findings.find((f) => f.rule === 'pull-secret-not-found' && f.secret);
    if (missing?.secret) r.api.addObjects([pullSecret(missing.namespace, missing.secret)]);
    const victim = before.findings.find((f) => f.rule !== missing?.rule && f.pod);
    if (victim?.pod) r.api.deleteObjects([{ kind: 'Pod', namespace: victim.namespace, name: victim.pod }]);
    await r.until((s) => !s.pods.some((p) => p.metadata.name === victim?.pod && p.metadata.namespace === victim?.namespace), 'the deletion');
    if (missing?.secret) await r.until((s) => s.secrets.some((x) => x.metadata.name === missing.secret && x.metadata.namespace === missing.namespace), 'the secret');
    await expectParity(r);
  });

  test('a namespace healthy again for lingerMs is watched no more; its secrets stay as last seen', async (ctx) => {
    const r = await rig(ctx, smallCluster(), { live: { lingerMs: 300 } });
    await r.live.start();
    await r.until(() => r.api.openWatches >= 5, 'the watches');
    r.api.addObjects([pullSecret('payments', 'paycred'), pod({ namespace: 'payments', name: 'api-0', pullSecrets: ['paycred'] })]);
    // The failure events keep the namespace affected until they expire (an hour on a real cluster).
    r.api.deleteObjects(r.live.snapshot().events.map((e) => ({ kind: 'Event', namespace: e.namespace, name: e.name })));
    // pods and service accounts only (the paycred lookup ended with the secret found).
    await r.until(() => r.api.openWatches === 2, 'the payments watches to end', 5000);
    expect(r.live.snapshot().secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}`).sort()).toEqual(['payments/paycred', 'shop/regcred']);
    await expectParity(r);
  });

  test('a list that fails after the start (5xx past the retries) is tried again with back-off', async (ctx) => {
    const r = await rig(ctx, smallCluster(), {
      api: { faults: [{ resource: 'events', namespace: 'ci', verb: 'list', status: 500, times: 6 }] },
      live: { maxRetries: 1 },
    });
    await r.live.start();
    const ci = pod({ namespace: 'ci', name: 'runner-0', pullSecrets: ['ghost'], waiting: IMAGE_PULL_BACKOFF });
    r.api.addObjects([ci, serviceAccount('ci'), podEvent(ci, { reason: 'Failed', message: FAILED_PULL_MESSAGE })]);
    await r.until((s) => s.events.some((e) => e.namespace === 'ci'), 'the events of ci after the failures', 5000);
    expect(r.api.requests.filter((q) => q.path === '/api/v1/namespaces/ci/events' && q.status === 500)).toHaveLength(6);
    await expectParity(r);
  });

  test('status: connected, then reconnecting while watches fail, then connected again with nothing lost', async (ctx) => {
    const r = await rig(ctx, smallCluster(), { live: { timing: { ...FAST, backoffMs: 200, maxBackoffMs: 400 } } });
    await r.live.start();
    await r.until(() => r.api.openWatches >= 5, 'the watches');
    expect(r.live.status()).toMatchObject({ synced: true, connected: true });
    r.api.setFaults([{ verb: 'watch', status: 503 }]);
    r.api.dropWatches();
    r.api.addObjects([pod({ namespace: 'shop', name: 'web-9', pullSecrets: ['regcred'] })]);
    await r.until(() => !r.live.status().connected && /watch \w+ failed: 503/.test(r.live.status().lastError ?? ''), 'the status to say reconnecting, and why');
    r.api.setFaults([]);
    await r.until((s) => r.live.status().connected && s.pods.some((p) => p.metadata.name === 'web-9'), 'the reconnect', 5000);
    expect(r.live.status().lastError).toBeUndefined();
  });

  test('nodes as the one-shot scan decides: read once a pull message points at the node', async (ctx) => {
    const r = await rig(ctx, [...smallCluster(), node('worker-1'), node('worker-2', 'arm64')]);
    await r.live.start();
    expect(r.live.snapshot().coverage.nodes).toBe('none');
    expect(r.requests.some((q) => q.resource === 'nodes')).toBe(false);
    // The kubelet's message about a full image filesystem (the demo cluster's ml.yaml has it whole).
    const disk =
      'failed to pull and unpack image "registry.example.com/team/app:1.4.2": failed to extract layer sha256:5dacd731af1b0386ead06c8b1feff9f65d9e0bdfec032d2cd0bc03690698feda: write /var/lib/containerd/tmpmounts/containerd-mount2529433191/app/lib.so: no space left on device: unknown';
    r.api.addObjects([pod({ namespace: 'shop', name: 'web-0', pullSecrets: ['regcred'], waiting: { reason: 'ErrImagePull', message: disk } })]);
    const s = await r.until((x) => x.coverage.nodes === 'all', 'the nodes');
    expect(s.nodes.map((n) => n.name)).toEqual(['worker-1', 'worker-2']);
    await expectParity(r);
  });

  test('forbidden events and secrets degrade like the one-shot scan', async (ctx) => {
    const r = await rig(ctx, smallCluster(), {
      api: {
        faults: [
          { resource: 'events', status: 403 },
          { resource: 'secrets', namespace: 'shop', status: 403 },
        ],
      },
    });
    await r.live.start();
    const s = r.live.snapshot();
    expect(s.coverage.events).toBe('none');
    expect(s.accessProblems.map((a) => `${a.verb} ${a.resource} ${a.namespace ?? '-A'} ${a.name ?? ''}`.trim()).sort()).toEqual([
      'get secrets shop regcred',
      'list events -A',
    ]);
    expect(s.accessProblems.find((a) => a.resource === 'events')?.canI).toBe('kubectl auth can-i list events -A');
    await expectParity(r);
    // No events watch anywhere when the list was refused.
    await new Promise((res) => setTimeout(res, 100));
    expect(watches(r, 'events')).toEqual([]);
  });

  test('malformed objects are skipped where they enter, as in a one-shot scan: a served broken pod makes the live report incomplete until it is fixed', async (ctx) => {
    const broken = { ...pod({ namespace: 'shop', name: 'web-2' }), spec: { containers: 'oops' } };
    const badSecret = { ...pullSecret('payments', 'paycred'), data: { '.dockerconfigjson': 7 } };
    const r = await rig(ctx, [...smallCluster(), broken, badSecret]);
    await r.live.start();
    const s = r.live.snapshot();
    expect(s.pods.map((p) => p.metadata.name)).not.toContain('web-2');
    expect((s.skippedObjects ?? []).map((e) => `${e.kind} ${e.namespace}/${e.name}: ${e.reason}`).sort()).toEqual([
      'Pod shop/web-2: spec.containers: must be array',
      'Secret payments/paycred: data[".dockerconfigjson"]: must be string',
    ]);
    const first = report(s);
    expect(first.summary.complete).toBe(false);
    // The secret that could not be read is unknown, not missing: no "create it" fix.
    expect(rules(s, 'payments')).not.toContain('pull-secret-not-found');
    // The same as a one-shot scan, but for where each skipped object was met (a watched list
    // here, a GET there).
    const sameAsOneShot = async (live: Report) => {
      const { snapshots } = await collectClusters({ kubeconfig: r.opts.kubeconfig, env: r.opts.env, allNamespaces: true });
      const once = report(snapshots[0] as Snapshot);
      const what = (x: Report) => x.summary.skipped.map((e) => `${e.kind} ${e.namespace}/${e.name}: ${e.reason}`).sort();
      expect(what(live)).toEqual(what(once));
      expect(live.summary.complete).toBe(once.summary.complete);
      const found = (x: Report) => x.findings.map((f) => `${f.rule} ${f.namespace}/${f.workload.name}`);
      expect(found(live)).toEqual(found(once));
    };
    await sameAsOneShot(first);
    // The pod is fixed (MODIFIED): the scan is complete again.
    r.api.addObjects([pod({ namespace: 'shop', name: 'web-2' })]);
    const fixed = await r.until((x) => report(x).summary.complete, 'the fixed pod to complete the scan', 2000);
    await sameAsOneShot(report(fixed));
  });

  test('stop() during a slow initial list ends it at once instead of waiting for the answer', async (ctx) => {
    const r = await rig(ctx, smallCluster(), { api: { latencyMs: 20_000 } });
    const started = r.live.start();
    started.catch(() => undefined);
    // The double answers only after 20 s, so nothing is logged before: give the lists time to be asked.
    await new Promise((res) => setTimeout(res, 1500));
    const outcome = await Promise.race([r.live.stop().then(() => 'stopped'), new Promise((res) => setTimeout(() => res('still waiting for the list'), 10_000))]);
    expect(outcome).toBe('stopped');
    await expect(started).rejects.toThrow();
    // Every list was abandoned (no answer logged), none retried.
    expect(r.requests.every((q) => q.code === 0)).toBe(true);
  }, 30_000);

  test('stop() before start() has loaded the implementation: nothing is read', async (ctx) => {
    const r = await rig(ctx, smallCluster());
    const started = r.live.start();
    await r.live.stop();
    await expect(started).rejects.toThrow('stopped before it started');
    expect(r.api.requests).toEqual([]);
  });

  test('a forbidden watch falls back to listing; an unreachable cluster rejects start() with one line', async (ctx) => {
    const r = await rig(ctx, smallCluster(), { api: { faults: [{ resource: 'serviceaccounts', verb: 'watch', status: 403 }] } });
    await r.live.start();
    r.api.addObjects([serviceAccount('shop', 'late')]);
    await r.until((s) => s.serviceAccounts.some((x) => x.metadata.name === 'late'), 'the service account via a relist', 3000);
    expect(r.live.status().lastError).toMatch(/watch serviceaccounts is forbidden/);

    const home = tempHome(ctx);
    const dead = writeKubeconfig({ file: path.join(home, 'config'), contexts: [{ name: 'dead', server: r.api, url: 'http://127.0.0.1:9' }] });
    const live = watchCluster({ kubeconfig: dead, env: { HOME: home }, maxRetries: 0 });
    await expect(live.start()).rejects.toThrow(/^context dead \(http:\/\/127\.0\.0\.1:9\): cannot connect/);
  });
});

describe('live source: cost', () => {
  /** `n` healthy pods in `shop` plus the same failing namespace; the same changes after the list. */
  async function requestsAfterList(ctx: TestContext, n: number): Promise<{ after: string[]; lists: number }> {
    const objs = smallCluster();
    for (let i = 0; i < n; i++) objs.push(pod({ namespace: 'shop', name: `bulk-${String(i).padStart(5, '0')}`, pullSecrets: ['regcred'] }));
    const r = await rig(ctx, objs, { api: { logRequests: true } });
    await r.live.start();
    const lists = r.requests.length;
    await r.until(() => r.api.openWatches >= 5, 'the watches');
    r.api.addObjects([pod({ namespace: 'shop', name: 'bulk-00001', pullSecrets: ['regcred'], waiting: IMAGE_PULL_BACKOFF })]);
    r.api.addObjects([pullSecret('payments', 'paycred')]);
    r.api.deleteObjects([{ kind: 'Pod', namespace: 'shop', name: 'bulk-00000' }]);
    r.api.dropWatches();
    await r.until((s) => s.pods.length === n + 2 && s.secrets.some((x) => x.metadata.name === 'paycred'), 'the changes');
    // pods, service accounts, events and secrets in payments and shop (the lookup of paycred ended).
    await r.until(() => r.api.openWatches === 6, 'every watch back');
    for (let n = -1; n !== r.requests.length; ) {
      n = r.requests.length;
      await new Promise((res) => setTimeout(res, 300));
    }
    // Everything but the start-up's lists and GETs (watches the start-up opened included).
    const after = r.requests.filter((q, i) => i >= lists || q.verb === 'watch');
    return { after: after.map((q) => `${q.verb} ${q.resource} ${q.namespace ?? '-A'}`).sort(), lists };
  }

  test('requests after the initial list do not grow with the number of pods (100 vs 2000)', async (ctx) => {
    const small = await requestsAfterList(ctx, 100);
    const big = await requestsAfterList(ctx, 2000);
    if (process.env.SHOW_REQUESTS) console.log(small.after);
    // The initial lists are paginated (500 a page), so they do grow.
    expect(big.lists).toBeGreaterThan(small.lists);
    expect(big.after).toEqual(small.after);
    expect(small.after.length).toBeGreaterThan(0);
    expect(small.after.length).toBeLessThan(20);
  }, 60_000);
});
