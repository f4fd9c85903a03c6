/**
 * The Kubernetes API double in its own process, serving one generated cluster. Started by
 * bench/run.ts with `fork` (IPC); it answers control messages (request log, bytes sent,
 * reset, write a dump) over IPC, never over HTTP, so the measured traffic is only the scan's.
 *
 *   node dist-bench/bench/apiserver-child.js '{"pods":10000,"seed":42,"tls":true,"gzip":false}'
 */
import http from 'node:http';
import https from 'node:https';
import { startApiServer } from '../test/apiserver/index.js';
import { churnChange, noiseChange } from './churn.js';
import { writeDump } from './dump.js';
import { generateCluster, type Cluster, type Obj } from './generate.js';
import type { ChildReply, ChildRequest, ServerConfig } from './protocol.js';

const cfg = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;

// Bytes of response bodies, counted where the double hands each payload to the socket.
let bytesSent = 0;
const proto = http.ServerResponse.prototype as unknown as { end: (...args: unknown[]) => unknown };
const end = proto.end;
proto.end = function (this: unknown, ...args: unknown[]) {
  const chunk = args[0];
  if (Buffer.isBuffer(chunk)) bytesSent += chunk.length;
  else if (typeof chunk === 'string') bytesSent += Buffer.byteLength(chunk);
  return end.apply(this, args);
};

const send = (m: ChildReply) => process.send?.(m);

/** GET a URL and throw the body away. */
function drain(url: string, token: string, caData: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { headers: { Authorization: `Bearer ${token}` }, ...(caData ? { ca: Buffer.from(caData, 'base64') } : {}) }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const t0 = performance.now();
  // `pods: 0`: an empty cluster (no objects at all), for the start-up comparison.
  const cluster: Cluster = cfg.pods > 0 ? generateCluster({ pods: cfg.pods, seed: cfg.seed }) : emptyCluster();
  const genMs = performance.now() - t0;
  const api = await startApiServer({
    objects: [cluster.pods, cluster.events, cluster.secrets, cluster.serviceAccounts, cluster.nodes].flat(),
    tls: cfg.tls,
    gzip: cfg.gzip,
  });
  // Warm the double once (its per-object JSON cache, the sorted lists), so every measured run,
  // the first included, sees the same server.
  for (const resource of ['pods', 'events', 'serviceaccounts', 'nodes']) await drain(`${api.url}/api/v1/${resource}`, api.token, api.caData);
  // Pods that noise may touch: healthy (running) ones, in a fixed pseudo-random order.
  const healthy = cluster.pods.filter((p) => (p.status as Obj | undefined)?.phase === 'Running');
  let noiseTimer: NodeJS.Timeout | undefined;
  let noiseChanges = 0;
  const noiseEvents: { kind: string; name: string; namespace: string }[] = [];
  const noiseOnce = () => {
    const pod = healthy[(noiseChanges * 7919) % Math.max(1, healthy.length)];
    if (!pod) return;
    const meta = pod.metadata as Obj;
    const current = api.getObject('Pod', String(meta.name), String(meta.namespace)) ?? pod;
    const o = noiseChange(noiseChanges, current, Date.now());
    noiseChanges++;
    api.addObjects([o]);
    if (o.kind === 'Event') {
      const m = o.metadata as Obj;
      noiseEvents.push({ kind: 'Event', name: String(m.name), namespace: String(m.namespace) });
      // Events expire on a real server; here the oldest noise event goes once there are 100.
      if (noiseEvents.length > 100) api.deleteObjects(noiseEvents.splice(0, noiseEvents.length - 100));
    }
  };
  send({
    type: 'ready',
    url: api.url,
    token: api.token,
    ...(api.caData ? { caData: api.caData } : {}),
    stats: cluster.stats,
    genMs,
    rssMB: process.memoryUsage().rss / 2 ** 20,
  });
  process.on('message', (raw) => {
    const m = raw as ChildRequest;
    try {
      switch (m.type) {
        case 'reset':
          api.requests.length = 0;
          bytesSent = 0;
          send({ type: 'ok', id: m.id });
          break;
        case 'stats':
          send({
            type: 'stats',
            id: m.id,
            requests: api.requests.length,
            bytes: bytesSent,
            openWatches: api.openWatches,
            noiseChanges,
            ...(m.log ? { log: api.requests.map((q) => ({ path: q.path, query: q.query, status: q.status })) } : {}),
          });
          break;
        case 'dump': {
          const t = performance.now();
          const size = writeDump(cluster, m.file, m.format);
          send({ type: 'dumped', id: m.id, bytes: size, ms: performance.now() - t });
          break;
        }
        case 'churn': {
          const c = churnChange(m.story, m.step, Date.now());
          if (c.add.length) api.addObjects(c.add);
          if (c.remove.length) api.deleteObjects(c.remove);
          send({ type: 'ok', id: m.id });
          break;
        }
        case 'noise':
          if (noiseTimer) clearInterval(noiseTimer);
          noiseTimer = m.perSecond > 0 ? setInterval(noiseOnce, 1000 / m.perSecond) : undefined;
          send({ type: 'ok', id: m.id });
          break;
        case 'exit':
          if (noiseTimer) clearInterval(noiseTimer);
          void api.close().finally(() => process.exit(0));
          break;
      }
    } catch (e) {
      send({ type: 'error', id: 'id' in m ? m.id : 0, message: e instanceof Error ? e.message : String(e) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

function emptyCluster(): Cluster {
  return {
    pods: [],
    events: [],
    secrets: [],
    serviceAccounts: [],
    nodes: [],
    stats: { pods: 0, events: 0, secrets: 0, serviceAccounts: 0, nodes: 0, namespaces: 0, workloads: { Deployment: 0, StatefulSet: 0, Job: 0 }, failingPods: 0, failingWorkloads: 0, causes: {}, referencedSecrets: 0, missingSecretNames: 0 },
  };
}

main().catch((e: unknown) => {
  send({ type: 'error', id: 0, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
