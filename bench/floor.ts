/**
 * The floor: the least any tool must do to get the same data. Run as its own process.
 *
 *   node dist-bench/bench/floor.js live plan.json   fetch the plan's pages (limit, continue) with
 *                                              node:https keep-alive and JSON.parse each body;
 *                                              the next page is asked for as soon as the first
 *                                              bytes of a page's body name its token (as
 *                                              pulldoctor does), one page ahead at most
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
  const get = (path: string, query: Record<string, string>, onContinue?: (cont: string) => void): Promise<Obj> =>
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
          let peek = onContinue && res.headers['content-encoding'] !== 'gzip';
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            if (!peek) return;
            // The list's metadata precedes its items: kind, apiVersion, metadata.
            const m = /^\{"kind":"[^"]*","apiVersion":"[^"]*","metadata":\{[^{}]*?(?:"continue":"([^"]*)"[^{}]*)?\}/.exec(Buffer.concat(chunks).subarray(0, 4096).toString('latin1'));
            if (m || chunks.length > 4) peek = false;
            if (m?.[1]) onContinue?.(m[1]);
          });
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
  interface PageAsk {
    body: Promise<Obj>;
    /** The next page's token, as the page's first bytes named it. */
    ahead?: string;
    onAhead?: () => void;
  }
  const list = async (l: FloorPlan['lists'][number]) => {
    const ask = (cont: string | undefined): PageAsk => {
      const page: PageAsk = { body: Promise.resolve({}) };
      page.body = get(l.path, { ...l.query, limit: String(plan.pageSize), ...(cont ? { continue: cont } : {}) }, (c) => {
        page.ahead = c;
        page.onAhead?.();
      });
      return page;
    };
    let current: PageAsk | undefined = ask(undefined);
    while (current) {
      // One page ahead: the next is asked for once this one's token is known, from its first
      // bytes or else from the whole body.
      const cur: PageAsk = current;
      let next: { cont: string; page: PageAsk } | undefined;
      const ahead = () => {
        if (cur.ahead && !next) next = { cont: cur.ahead, page: ask(cur.ahead) };
      };
      cur.onAhead = ahead;
      ahead();
      const body = await cur.body;
      cur.onAhead = undefined;
      items += countItems(body);
      const meta = (body.metadata ?? {}) as Obj;
      const cont = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
      const nextPage = next as { cont: string; page: PageAsk } | undefined;
      if (nextPage && nextPage.cont !== cont) throw new Error('a page head named another token than its body');
      current = nextPage?.page ?? (cont ? ask(cont) : undefined);
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
