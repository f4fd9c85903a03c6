/**
 * The floor: the least any tool must do to get the same data. Run as its own process.
 *
 *   node dist-bench/bench/floor.js live plan.json   fetch the plan's pages (limit, continue) with
 *                                              node:https keep-alive and JSON.parse each body
 *   node dist-bench/bench/floor.js file dump.json   read the file and JSON.parse it (YAML: the
 *                                              `yaml` package pulldoctor uses)
 *
 * Prints one JSON line (FloorResult) on stdout.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import type { FloorPlan, FloorResult } from './protocol.js';

type Obj = Record<string, unknown>;

function countItems(v: unknown): number {
  return typeof v === 'object' && v !== null && Array.isArray((v as Obj).items) ? ((v as Obj).items as unknown[]).length : 1;
}

async function live(plan: FloorPlan): Promise<FloorResult> {
  const isHttps = plan.url.startsWith('https:');
  const agent = isHttps
    ? new https.Agent({ keepAlive: true, maxSockets: 16, ...(plan.caData ? { ca: Buffer.from(plan.caData, 'base64') } : {}) })
    : new http.Agent({ keepAlive: true, maxSockets: 16 });
  const mod = isHttps ? https : http;
  let requests = 0;
  let bytes = 0;
  let items = 0;
  const get = (path: string, query: Record<string, string>): Promise<Obj> =>
    new Promise((resolve, reject) => {
      const qs = new URLSearchParams(query).toString();
      const req = mod.request(
        `${plan.url}${path}${qs ? `?${qs}` : ''}`,
        {
          agent,
          headers: { Authorization: `Bearer ${plan.token}`, Accept: 'application/json', ...(plan.gzip ? { 'Accept-Encoding': 'gzip' } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            requests++;
            let buf = Buffer.concat(chunks);
            bytes += buf.length;
            if (res.headers['content-encoding'] === 'gzip') buf = gunzipSync(buf);
            try {
              resolve(JSON.parse(buf.toString('utf8')) as Obj);
            } catch (e) {
              reject(e instanceof Error ? e : new Error(String(e)));
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  const t0 = performance.now();
  const list = async (l: FloorPlan['lists'][number]) => {
    let cont: string | undefined;
    for (let page = 0; page < 100_000; page++) {
      const body = await get(l.path, { ...l.query, limit: String(plan.pageSize), ...(cont ? { continue: cont } : {}) });
      items += countItems(body);
      const meta = (body.metadata ?? {}) as Obj;
      cont = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
      if (!cont) return;
    }
  };
  const queue = [...plan.gets];
  const getter = async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
      await get(p, {});
      items++;
    }
  };
  await Promise.all([...plan.lists.map(list), ...Array.from({ length: 8 }, getter)]);
  const ms = performance.now() - t0;
  agent.destroy();
  return { ms, requests, bytes, items };
}

async function file(name: string): Promise<FloorResult> {
  // The YAML parser loads only for YAML (before the clock starts): a JSON or live floor is Node and
  // its own built-ins, nothing else.
  const yaml = /\.ya?ml$/i.test(name) ? await import('yaml') : undefined;
  const t0 = performance.now();
  const buf = readFileSync(name);
  let items: number;
  if (yaml) {
    items = yaml.parseAllDocuments(buf.toString('utf8'))
      .map((d) => d.toJS() as unknown)
      .reduce((n: number, v) => n + countItems(v), 0);
  } else items = countItems(JSON.parse(buf.toString('utf8')));
  return { ms: performance.now() - t0, requests: 0, bytes: buf.length, items };
}

async function main(): Promise<void> {
  const [mode, arg] = process.argv.slice(2);
  if (!arg) throw new Error('usage: floor.js live <plan.json> | file <dump>');
  const result = mode === 'live' ? await live(JSON.parse(readFileSync(arg, 'utf8')) as FloorPlan) : await file(arg);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`floor: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
