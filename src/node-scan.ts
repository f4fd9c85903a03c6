/**
 * `pulldoctor node`, end to end: the node's filesystem → NodeSnapshot (src/node) → with --probe,
 * the credential provider plugins run as the kubelet runs them and the registries (and mirrors)
 * asked with what the node would send (src/probe) → NodeContext → node rules → Report.
 */
import { NODE_RULES } from '../rules/index.js';
import { readAllStdin } from './collect/file.js';
import { attachNodeProbes, buildNodeContext, nodeProbeTargets } from './engine/node-context.js';
import { nodeReport } from './engine/node-report.js';
import type { ContainerProbe, Report } from './model/finding.js';
import type { ProbeTarget } from './model/probe.js';
import { collectNode, runProviderPlugins } from './node/collect.js';
import type { NodeFs } from './node/fs.js';
import { imagesFromReport } from './node/report-images.js';
import type { NodeImageInput } from './node/types.js';
import { probeTargets, type ProbeOptions } from './probe/probe.js';

export interface NodeScanOptions {
  root: string;
  images: string[];
  /** A `pulldoctor -o json` report (a path, or `-` for stdin): check the images of its failing pods. */
  from?: string;
  /** Reads stdin for `from: '-'` (tests inject it). */
  readStdin?: () => Promise<Buffer>;
  nodeName?: string;
  probe?: boolean;
  probeOptions?: ProbeOptions;
  /** The plugin timeout (the kubelet's is one minute). */
  pluginTimeoutMs?: number;
  now?: Date;
}

type Group = { opts: ProbeOptions; targets: ProbeTarget[] };

function grouped(fs: NodeFs, base: ProbeOptions, items: { target: ProbeTarget; insecure: boolean; ca: string[] }[]): Group[] {
  const groups = new Map<string, Group>();
  for (const it of items) {
    const caFiles = [...(base.caFiles ?? []), ...it.ca.map((c) => fs.hostPath(c)).filter((c): c is string => c !== undefined)];
    const insecureRegistries = [...(base.insecureRegistries ?? []), ...(it.insecure ? [it.target.domain] : [])];
    const opts: ProbeOptions = { ...base, ...(caFiles.length ? { caFiles } : {}), ...(insecureRegistries.length ? { insecureRegistries } : {}), from: 'this node (pulldoctor node)' };
    const key = JSON.stringify([caFiles, insecureRegistries]);
    const g = groups.get(key) ?? { opts, targets: [] };
    g.targets.push(it.target);
    groups.set(key, g);
  }
  return [...groups.values()];
}

export async function nodeScan(opts: NodeScanOptions): Promise<Report> {
  const now = opts.now ?? new Date();
  const { snapshot, fs } = collectNode({ root: opts.root, images: [], ...(opts.nodeName ? { nodeName: opts.nodeName } : {}), now });
  const images: NodeImageInput[] = opts.images.map((image) => ({ image, from: 'argument', podCredentials: [] }));
  if (opts.from) {
    // `--from -`: the report on stdin, for `kubectl debug node/… -i … < report.json` with an image that has no shell.
    const text = opts.from === '-' ? (await (opts.readStdin ?? readAllStdin)()).toString('utf8') : undefined;
    for (const i of imagesFromReport(opts.from, snapshot.nodeName, text)) if (!images.some((x) => x.image === i.image)) images.push(i);
  }
  snapshot.images = images;
  if (opts.probe) await runProviderPlugins(fs, snapshot, opts.pluginTimeoutMs ? { timeoutMs: opts.pluginTimeoutMs } : {});
  const ctx = buildNodeContext(snapshot, now, opts.probe === true);
  if (opts.probe) {
    const { targets, mirrors } = nodeProbeTargets(ctx);
    // The registry itself is asked where the runtime would ask it: the last endpoint (server/location/registry).
    // A `[host."…"]` entry for the server's own host (the usual way to give it a CA) counts as the server.
    const main = targets.map((t, i) => {
      const endpoints = ctx.images.filter((x) => x.parse.ok)[i]?.endpoints ?? [];
      const last = endpoints.at(-1);
      if (!last) return { target: t, insecure: false, ca: [] };
      const same = endpoints.filter((e) => e.host === last.host);
      return { target: { ...t, domain: last.host }, insecure: same.some((e) => e.insecure), ca: [...new Set(same.flatMap((e) => e.ca))] };
    });
    const results = new Map<string, ContainerProbe>();
    for (const g of grouped(fs, opts.probeOptions ?? {}, [...main, ...mirrors])) {
      for (const [k, v] of await probeTargets(g.targets, g.opts)) results.set(k, v);
    }
    attachNodeProbes(ctx, results);
  }
  return nodeReport(ctx, NODE_RULES);
}
