/**
 * Which endpoints the container runtime contacts for an image, in order (node-credentials.md
 * §6): containerd looks the image's registry host up under each `config_path` directory as
 * `host_port_`, `host:port`, then `_default`, and tries the hosts.toml mirrors in file order
 * before the `server` (or the registry itself); without config_path, the deprecated
 * `registry.mirrors` endpoints then the registry. CRI-O picks the `[[registry]]` table with the
 * longest matching prefix and tries its mirrors (unless `mirror-by-digest-only` and the image
 * has no digest) before its `location`.
 */
import type { ImageReference } from '../image/reference.js';
import { crioRegistryFor, policyFor } from '../node/crio.js';
import { hostDirectoryName } from '../node/hosts-toml.js';
import type { CrioRegistry, HostsDir, HostsTomlHost, NodeSnapshot } from '../node/types.js';
import type { NodeEndpoint } from './node-rule.js';

const ALL_CAPS = ['pull', 'resolve', 'push'];

function defaultHost(domain: string): { scheme: string; host: string } {
  return domain === 'docker.io' ? { scheme: 'https', host: 'registry-1.docker.io' } : { scheme: 'https', host: domain };
}

function fromHostsToml(h: HostsTomlHost, domain: string, file: string | undefined): NodeEndpoint {
  const d = h.host === '' ? defaultHost(domain) : { scheme: h.scheme, host: h.host };
  const p = h.host === '' ? '/v2' : h.path;
  return {
    url: `${d.scheme}://${d.host}${p}`,
    scheme: d.scheme,
    host: d.host,
    path: p,
    role: h.role,
    capabilities: h.capabilities.length ? h.capabilities : ALL_CAPS,
    skipVerify: h.skipVerify === true,
    insecure: d.scheme === 'http',
    ca: h.ca,
    ...(file ? { from: file } : {}),
  };
}

/** The namespace directory containerd uses for a registry host, searching each config_path root. */
export function hostsDirFor(snapshot: NodeSnapshot, domain: string): HostsDir | undefined {
  const c = snapshot.containerd;
  if (!c) return undefined;
  for (const root of c.configPathDirs) {
    for (const ns of [hostDirectoryName(domain), domain, '_default']) {
      const d = c.hostsDirs.find((x) => x.namespace === ns && x.dir === `${root.replace(/\/+$/, '')}/${ns}`);
      if (d) return d;
    }
  }
  return undefined;
}

export function containerdEndpoints(snapshot: NodeSnapshot, ref: ImageReference): { endpoints: NodeEndpoint[]; dir?: HostsDir } {
  const domain = ref.domain;
  const c = snapshot.containerd;
  const upstream = (): NodeEndpoint => {
    const d = defaultHost(domain);
    return { url: `${d.scheme}://${d.host}/v2`, scheme: d.scheme, host: d.host, path: '/v2', role: 'default', capabilities: ALL_CAPS, skipVerify: false, insecure: false, ca: [] };
  };
  if (c?.configPath !== undefined) {
    const dir = hostsDirFor(snapshot, domain);
    if (!dir || dir.hosts.length === 0) {
      const up = upstream();
      if (dir?.certFiles.length) up.ca = dir.certFiles.filter((f) => f.endsWith('.crt'));
      return dir ? { endpoints: [up], dir } : { endpoints: [up] };
    }
    return { endpoints: dir.hosts.map((h) => fromHostsToml(h, domain, dir.file)), dir };
  }
  const legacy = c?.legacyMirrors.find((m) => m.host === domain) ?? c?.legacyMirrors.find((m) => m.host === '*');
  const endpoints: NodeEndpoint[] = [];
  for (const e of legacy?.endpoints ?? []) {
    const u = /^(https?):\/\/([^/]+)(\/.*)?$/.exec(e);
    if (!u) continue;
    endpoints.push({ url: e.replace(/\/+$/, '') + '/v2', scheme: u[1]!, host: u[2]!, path: '/v2', role: 'mirror', capabilities: ['pull', 'resolve'], skipVerify: false, insecure: u[1] === 'http', ca: [], from: c?.configFile ?? '' });
  }
  const up = upstream();
  if (!endpoints.some((e) => e.host === up.host)) endpoints.push(up);
  return { endpoints };
}

/** The fully qualified reference CRI-O matches prefixes against. */
export function qualified(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

function rewrite(registry: CrioRegistry, location: string, ref: string): string {
  return registry.prefix.startsWith('*.') ? ref : location + ref.slice(registry.prefix.length);
}

function endpointOf(location: string, insecure: boolean, role: NodeEndpoint['role'], from: string): NodeEndpoint {
  const host = location.split('/')[0]!;
  const d = defaultHost(host);
  return { url: `https://${d.host}/v2`, scheme: 'https', host: d.host, path: '/v2', role, capabilities: ['pull', 'resolve'], skipVerify: insecure, insecure, ca: [], from };
}

export function crioEndpoints(snapshot: NodeSnapshot, ref: ImageReference): { endpoints: NodeEndpoint[]; registry?: CrioRegistry; policy?: { scope: string; types: string[] } } {
  const crio = snapshot.crio;
  const full = qualified(ref);
  const registry = crio ? crioRegistryFor(crio.registries, full) : undefined;
  const policy = crio?.policy && !crio.policy.parseError ? policyFor(crio.policy, full) : undefined;
  const endpoints: NodeEndpoint[] = [];
  if (registry) {
    const useMirrors = !registry.mirrorByDigestOnly || ref.digest !== undefined;
    if (useMirrors) for (const m of registry.mirrors) endpoints.push(endpointOf(rewrite(registry, m.location, full), m.insecure, 'mirror', registry.file));
    endpoints.push(endpointOf(rewrite(registry, registry.location, full), registry.insecure, 'location', registry.file));
  } else endpoints.push(endpointOf(full, false, 'default', ''));
  return { endpoints, ...(registry ? { registry } : {}), ...(policy ? { policy } : {}) };
}
