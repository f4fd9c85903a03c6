/**
 * `pulldoctor node`'s source: everything about image pulls that only the node's filesystem
 * shows, read-only, into one NodeSnapshot — the kubelet's flags, its credential provider
 * registration, the node docker config search, containerd's or CRI-O's registry configuration —
 * and, with --probe, the answers of the credential provider plugins for the images asked about.
 */
import { providersFor } from '../credentials/index.js';
import { parseImage } from '../image/reference.js';
import { UserError } from '../model/errors.js';
import { readContainerd } from './containerd.js';
import { readCrio } from './crio.js';
import { readDockerConfigs } from './docker-config.js';
import { NodeFs } from './fs.js';
import { readKubelet } from './kubelet.js';
import { execPlugin, type ExecOptions } from './plugin-exec.js';
import { readProviders } from './providers.js';
import type { NodeImageInput, NodeSnapshot, ReadProblem } from './types.js';

export interface CollectNodeOptions {
  root: string;
  images: NodeImageInput[];
  /** Overrides the name read from the node (--node-name). */
  nodeName?: string;
  now?: Date;
}

function runtimeOf(endpoint: string | undefined, containerd: boolean, crio: boolean): NodeSnapshot['runtime'] {
  if (endpoint?.includes('containerd')) return 'containerd';
  if (endpoint?.includes('crio')) return 'cri-o';
  if (containerd && !crio) return 'containerd';
  if (crio && !containerd) return 'cri-o';
  return 'unknown';
}

export function collectNode(opts: CollectNodeOptions): { snapshot: NodeSnapshot; fs: NodeFs } {
  const fs = new NodeFs(opts.root);
  const top = fs.stat('/');
  if (!top.ok || !top.value.isDirectory) throw new UserError(`--root ${opts.root}: not a directory${top.ok ? '' : ` (${top.message})`}`);
  const problems: ReadProblem[] = [];
  const kubelet = readKubelet(fs, problems);
  const providers = readProviders(fs, kubelet);
  const dockerConfig = readDockerConfigs(fs, kubelet);
  const containerd = readContainerd(fs);
  const hasContainerd = containerd.found || containerd.hostsDirs.length > 0;
  const crio = readCrio(fs);
  let nodeName = opts.nodeName;
  let nodeNameFrom = '--node-name';
  if (!nodeName && kubelet.hostnameOverride) {
    nodeName = kubelet.hostnameOverride;
    nodeNameFrom = 'the kubelet flag --hostname-override';
  }
  if (!nodeName) {
    const h = fs.readText('/etc/hostname');
    const name = h.ok ? h.value.trim().split('\n')[0]?.trim() : undefined;
    if (name) {
      nodeName = name;
      nodeNameFrom = '/etc/hostname';
    }
  }
  const snapshot: NodeSnapshot = {
    root: opts.root,
    nodeName: nodeName ?? 'unknown-node',
    nodeNameFrom: nodeName ? nodeNameFrom : 'nothing (no --node-name, --hostname-override or /etc/hostname)',
    collectedAt: (opts.now ?? new Date()).toISOString(),
    kubelet,
    dockerConfig,
    runtime: runtimeOf(kubelet.containerRuntimeEndpoint, hasContainerd, crio !== undefined),
    images: opts.images,
    pluginRuns: [],
    problems,
  };
  if (providers) snapshot.providers = providers;
  if (hasContainerd) snapshot.containerd = containerd;
  if (crio) snapshot.crio = crio;
  return { snapshot, fs };
}

/**
 * --probe: run every provider that matches an image, once per (provider, image), the way the
 * kubelet would for a pull. Providers in service-account-token mode (KEP-4412) are not run: the
 * kubelet would send them a pod's token, which pulldoctor does not request.
 */
export async function runProviderPlugins(fs: NodeFs, snapshot: NodeSnapshot, opts: ExecOptions = {}): Promise<void> {
  const setup = snapshot.providers;
  if (!setup || setup.configErrors.length) return;
  const runnable = setup.providers.filter((p) => !p.tokenAttributes && setup.binaries.some((b) => b.provider === p.name && b.status === 'ok'));
  const done = new Set<string>();
  for (const img of snapshot.images) {
    const parsed = parseImage(img.image);
    if (!parsed.ok) continue;
    for (const p of providersFor(runnable, parsed.ref.name)) {
      const key = `${p.name}\0${parsed.ref.name}`;
      if (done.has(key)) continue;
      done.add(key);
      snapshot.pluginRuns.push(await execPlugin(fs, snapshot.kubelet, setup.binDir, p, parsed.ref.name, opts));
    }
  }
}
