/**
 * NodeContext: everything node rules may read about one node and the images asked about, built
 * once from the NodeSnapshot — per image the kubelet's node-side credential lookup (the node
 * docker config keyring, then the plugins whose matchImages select it, KS §8.5), the endpoints
 * the runtime contacts, and, after --probe, the plugins' answers and the registries'.
 */
import { nearMatchImages, nodeConfigKeyring, providerKeyring, matchingImagePattern, type KeyringCredential } from '../credentials/index.js';
import { parseImage } from '../image/reference.js';
import type { ContainerProbe } from '../model/finding.js';
import type { ProbeTarget } from '../model/probe.js';
import type { NodeSnapshot } from '../node/types.js';
import { containerdEndpoints, crioEndpoints } from './node-endpoints.js';
import type { NodeContext, NodeEndpoint, NodeImageContext } from './node-rule.js';

function imageContext(s: NodeSnapshot, input: NodeSnapshot['images'][number]): NodeImageContext {
  const parse = parseImage(input.image);
  const ctx: NodeImageContext = { input, image: input.image, parse, shadowedConfigs: [], providers: [], nearMisses: [], pluginRuns: [], endpoints: [], mirrorProbes: [] };
  if (!parse.ok) return ctx;
  const repo = parse.ref.name;
  ctx.lookup = repo;
  const dc = s.dockerConfig;
  if (dc.used !== undefined) {
    const used = dc.candidates[dc.used]!;
    ctx.nodeConfig = { file: used.path, result: nodeConfigKeyring(used.path, used.entries).lookup(repo) };
  }
  for (const c of dc.candidates) {
    if (c.status !== 'not-reached' || c.entries.length === 0) continue;
    const r = nodeConfigKeyring(c.path, c.entries).lookup(repo);
    if (r.credentials.length) ctx.shadowedConfigs.push({ file: c.path, keys: r.matchedKeys });
  }
  const providers = s.providers?.providers ?? [];
  ctx.providers = providers.map((p) => {
    const m = matchingImagePattern(p, repo);
    return { name: p.name, tokenMode: p.tokenAttributes !== undefined, ...(m !== undefined ? { matchedBy: m } : {}) };
  });
  if (!ctx.providers.some((p) => p.matchedBy !== undefined)) ctx.nearMisses = nearMatchImages(providers, repo);
  ctx.pluginRuns = s.pluginRuns.filter((r) => r.image === repo);
  const ok = ctx.pluginRuns.flatMap((r) => (r.decoded?.ok ? [{ provider: r.provider, auth: r.decoded.response.auth }] : []));
  if (ctx.pluginRuns.length) ctx.pluginLookup = providerKeyring(ok).lookup(repo);
  if (s.runtime === 'cri-o' || (s.runtime === 'unknown' && s.crio && !s.containerd)) {
    const r = crioEndpoints(s, parse.ref);
    ctx.endpoints = r.endpoints;
    if (r.registry) ctx.crioRegistry = r.registry;
    if (r.policy) ctx.policy = r.policy;
  } else {
    const r = containerdEndpoints(s, parse.ref);
    ctx.endpoints = r.endpoints;
    if (r.dir) ctx.hostsDir = r.dir;
  }
  return ctx;
}

export function buildNodeContext(snapshot: NodeSnapshot, now: Date, probed: boolean): NodeContext {
  return { now, node: snapshot.nodeName, snapshot, probed, images: snapshot.images.map((i) => imageContext(snapshot, i)) };
}

/** The credentials the node itself would add for an image, in the kubelet's order: node docker config, then plugins. */
export function nodeCredentials(img: NodeImageContext): KeyringCredential[] {
  return [...(img.nodeConfig?.result.credentials ?? []), ...(img.pluginLookup?.credentials ?? [])];
}

const IMAGE_KEY = (i: number) => `image/${i}`;
const MIRROR_KEY = (i: number, j: number) => `mirror/${i}/${j}`;

/** A mirror the probe can ask as it would a registry: no path of its own, pull capability, verified TLS. */
export function probeableMirror(e: NodeEndpoint): boolean {
  return e.role === 'mirror' && e.path === '/v2' && e.capabilities.includes('pull') && !e.skipVerify;
}

/**
 * --probe: the registry asked with the node's credentials (pod secrets are not on the node),
 * and every mirror before it asked the same question. CA files of a mirror are returned so the
 * caller can trust them (paths on the node).
 */
export function nodeProbeTargets(ctx: NodeContext): { targets: ProbeTarget[]; mirrors: { target: ProbeTarget; insecure: boolean; ca: string[] }[] } {
  const targets: ProbeTarget[] = [];
  const mirrors: { target: ProbeTarget; insecure: boolean; ca: string[] }[] = [];
  ctx.images.forEach((img, i) => {
    if (!img.parse.ok) return;
    const ref = img.parse.ref;
    const credentials = nodeCredentials(img).map((c) => ({ secret: c.secret, registryKey: c.registryKey, username: c.username, credential: c.credential }));
    const base = { path: ref.path, ...(ref.tag ? { tag: ref.tag } : {}), ...(ref.digest ? { digest: ref.digest } : {}), credentials };
    targets.push({ key: IMAGE_KEY(i), domain: ref.domain, ...base });
    const upstream = img.endpoints.at(-1)?.host;
    img.endpoints.forEach((e, j) => {
      if (probeableMirror(e) && e.host !== upstream) mirrors.push({ target: { key: MIRROR_KEY(i, j), domain: e.host, ...base }, insecure: e.insecure, ca: e.ca });
    });
  });
  return { targets, mirrors };
}

export function attachNodeProbes(ctx: NodeContext, results: Map<string, ContainerProbe>): void {
  ctx.images.forEach((img, i) => {
    const p = results.get(IMAGE_KEY(i));
    if (p) img.probe = p;
    img.endpoints.forEach((_e, j) => {
      const m = results.get(MIRROR_KEY(i, j));
      if (m) img.mirrorProbes.push(m);
    });
  });
}
