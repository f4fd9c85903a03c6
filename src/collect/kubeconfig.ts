/**
 * Kubeconfig loading exactly as kubectl does it, and context resolution.
 *
 * - `--kubeconfig FILE`: only that file (it must exist).
 * - else `$KUBECONFIG`: a path list (`:`-separated, `;` on Windows); missing files are skipped;
 *   files are merged with "first file to set a name wins" for clusters, users and contexts,
 *   and the first non-empty `current-context` wins.
 * - else `~/.kube/config`.
 * - when that yields nothing: the in-cluster service-account config (`KUBERNETES_SERVICE_HOST`,
 *   `KUBERNETES_SERVICE_PORT`, token and CA under /var/run/secrets/kubernetes.io/serviceaccount).
 *
 * client-node parses each file (relative certificate paths resolved against the file's own
 * directory) and later supplies auth (token, client certs, exec and OIDC plugins) and TLS
 * options per context.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { UserError } from '../model/errors.js';
import { firstLine } from '../util/text.js';

type ClientNode = typeof import('@kubernetes/client-node/dist/config.js');
let clientNodeModule: ClientNode | undefined;

/**
 * @kubernetes/client-node's KubeConfig, imported on first use, and from its own module rather
 * than the package index: the index loads every generated API client and model (~830 files),
 * which is most of the package's cost; KubeConfig (parsing, auth plugins, TLS options) is all
 * pulldoctor uses. `-f`, `--demo` and `--version` load none of it; only live scans do.
 */
export async function loadClientNode(): Promise<ClientNode> {
  clientNodeModule ??= await import('@kubernetes/client-node/dist/config.js');
  return clientNodeModule;
}

/** The KubeConfig class; `loadClientNode()` has run (every LoadedKubeconfig implies it). */
export function newKubeConfig(): KubeConfig {
  if (!clientNodeModule) throw new Error('internal: @kubernetes/client-node used before loadClientNode()');
  return new clientNodeModule.KubeConfig();
}

/** Where the kubelet mounts a Pod's service-account token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const IN_CLUSTER_CONTEXT = 'in-cluster';

export interface KubeconfigLoadOptions {
  /** `--kubeconfig`: use only this file. */
  kubeconfig?: string;
  /** Environment to read KUBECONFIG, HOME and the in-cluster variables from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Directory holding `token`, `ca.crt`, `namespace` for in-cluster config (default SERVICE_ACCOUNT_DIR). */
  serviceAccountDir?: string;
  /** Path-list separator of $KUBECONFIG (default: path.delimiter). */
  pathDelimiter?: string;
}

export interface LoadedKubeconfig {
  config: KubeConfig;
  /** Where the configuration came from. */
  origin: 'flag' | 'env' | 'home' | 'in-cluster';
  /** The files that were read (empty for in-cluster). */
  files: string[];
}

export interface ResolvedContext {
  /** Context name (`in-cluster` for the service-account config). */
  name: string;
  /** Kubeconfig cluster name. */
  cluster: string;
  /** API server URL, without trailing slash. */
  server: string;
  /** The context's namespace, or `default`. */
  namespace: string;
  /** True when the user named the context (`--context`, `--all-contexts`): canI lines then carry `--context`. */
  explicit: boolean;
  /** A KubeConfig whose current context is this one, for auth and TLS options. */
  config: KubeConfig;
}

function homeDir(env: NodeJS.ProcessEnv): string | undefined {
  return env.HOME || env.USERPROFILE || (env.HOMEDRIVE && env.HOMEPATH ? env.HOMEDRIVE + env.HOMEPATH : undefined);
}

function parseFile(file: string): KubeConfig | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`kubeconfig ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  if (!text.trim()) return undefined;
  const kc = newKubeConfig();
  try {
    kc.loadFromString(text);
    kc.makePathsAbsolute(path.dirname(path.resolve(file)));
  } catch (e) {
    throw new UserError(`kubeconfig ${file}: ${firstLine(e)}`, { cause: e });
  }
  return kc;
}

/** kubectl's merge: for clusters, users and contexts the first file to define a name wins. */
function merge(configs: KubeConfig[]): KubeConfig {
  const firstWins = <T extends { name: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  const out = newKubeConfig();
  out.loadFromOptions({
    clusters: firstWins(configs.map((c) => c.getClusters())),
    users: firstWins(configs.map((c) => c.getUsers())),
    contexts: firstWins(configs.map((c) => c.getContexts())),
    currentContext: configs.map((c) => c.getCurrentContext()).find((c) => !!c) ?? '',
  });
  return out;
}

function inClusterConfig(env: NodeJS.ProcessEnv, dir: string): KubeConfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = path.join(dir, 'token');
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const caFile = path.join(dir, 'ca.crt');
  const nsFile = path.join(dir, 'namespace');
  let namespace = env.POD_NAMESPACE;
  if (!namespace && existsSync(nsFile)) namespace = readFileSync(nsFile, 'utf8').trim();
  const kc = newKubeConfig();
  const cluster: Cluster = {
    name: IN_CLUSTER_CONTEXT,
    server: `https://${net.isIPv6(host) ? `[${host}]` : host}:${port}`,
    skipTLSVerify: false,
    ...(existsSync(caFile) ? { caFile } : {}),
  };
  const user: User = { name: IN_CLUSTER_CONTEXT, authProvider: { name: 'tokenFile', config: { tokenFile } } };
  const context: Context = { name: IN_CLUSTER_CONTEXT, cluster: IN_CLUSTER_CONTEXT, user: IN_CLUSTER_CONTEXT, ...(namespace ? { namespace } : {}) };
  kc.loadFromOptions({ clusters: [cluster], users: [user], contexts: [context], currentContext: IN_CLUSTER_CONTEXT });
  return kc;
}

const NO_CONFIG =
  'no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running inside a cluster; pass --kubeconfig FILE, or try --demo or -f DUMP.yaml';

/** Load the configuration kubectl would use. Throws UserError (exit 2) when there is none. */
export async function loadKubeconfig(opts: KubeconfigLoadOptions = {}): Promise<LoadedKubeconfig> {
  await loadClientNode();
  const env = opts.env ?? process.env;
  if (opts.kubeconfig) {
    const kc = parseFile(opts.kubeconfig);
    if (!kc) throw new UserError(`kubeconfig ${opts.kubeconfig}: file is empty`);
    return { config: kc, origin: 'flag', files: [opts.kubeconfig] };
  }
  let files: string[] = [];
  let origin: LoadedKubeconfig['origin'] = 'home';
  if (env.KUBECONFIG) {
    origin = 'env';
    const seen = new Set<string>();
    files = env.KUBECONFIG.split(opts.pathDelimiter ?? path.delimiter).filter((f) => {
      if (!f || seen.has(f)) return false;
      seen.add(f);
      return existsSync(f);
    });
  } else {
    const home = homeDir(env);
    const def = home ? path.join(home, '.kube', 'config') : undefined;
    if (def && existsSync(def)) files = [def];
  }
  const configs = files.map(parseFile).filter((c): c is KubeConfig => c !== undefined);
  const merged = merge(configs);
  if (merged.getContexts().length > 0 || merged.getClusters().length > 0) return { config: merged, origin, files };
  const inCluster = inClusterConfig(env, opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (inCluster) return { config: inCluster, origin: 'in-cluster', files: [] };
  throw new UserError(NO_CONFIG);
}

export interface ContextSelection {
  /** `--context` (repeatable); empty or absent = the current context. */
  contexts?: string[];
  allContexts?: boolean;
}

/**
 * The contexts to scan. Unknown context names and a missing current context are UserErrors;
 * a context whose cluster entry is missing is reported through `problems` so fleet scans go on.
 */
export function resolveContexts(
  loaded: LoadedKubeconfig,
  sel: ContextSelection = {},
): { contexts: ResolvedContext[]; problems: { context: string; cluster: string; message: string }[] } {
  const kc = loaded.config;
  const where = loaded.files.length ? loaded.files.join(', ') : 'the in-cluster configuration';
  const available = kc.getContexts().map((c) => c.name);
  let names: string[];
  let explicit = true;
  if (sel.allContexts) {
    names = available;
    if (!names.length) throw new UserError(`no contexts in ${where}`);
  } else if (sel.contexts && sel.contexts.length) {
    names = [...new Set(sel.contexts)];
    const unknown = names.filter((n) => !available.includes(n));
    if (unknown.length)
      throw new UserError(
        `context ${unknown.map((n) => `"${n}"`).join(', ')} not found in ${where} (available: ${available.join(', ') || 'none'})`,
      );
  } else {
    explicit = false;
    const current = kc.getCurrentContext();
    if (!current)
      throw new UserError(`${where} has no current-context; pass --context NAME (available: ${available.join(', ') || 'none'})`);
    if (!available.includes(current)) throw new UserError(`current-context "${current}" is not defined in ${where}`);
    names = [current];
  }
  const contexts: ResolvedContext[] = [];
  const problems: { context: string; cluster: string; message: string }[] = [];
  for (const name of names) {
    const ctx = kc.getContextObject(name) as Context;
    const cluster = kc.getCluster(ctx.cluster);
    if (!cluster) {
      problems.push({ context: name, cluster: ctx.cluster, message: `context ${name}: cluster "${ctx.cluster}" is not defined in ${where}` });
      continue;
    }
    const config = newKubeConfig();
    config.loadFromOptions({ clusters: kc.getClusters(), users: kc.getUsers(), contexts: kc.getContexts(), currentContext: name });
    contexts.push({
      name,
      cluster: cluster.name,
      server: cluster.server.replace(/\/+$/, ''),
      namespace: ctx.namespace || 'default',
      explicit: explicit && loaded.origin !== 'in-cluster',
      config,
    });
  }
  return { contexts, problems };
}
