/**
 * What `pulldoctor node` read from a node's filesystem: plain data, no handles, secrets sealed.
 * Every path is the path ON THE NODE (absolute, without the --root prefix), as a user types it
 * in a shell on that node.
 */
import type { CredentialProvider, DecodedResponse, ParsedEntry } from '../credentials/index.js';

/** A file that could not be read or parsed, and why (one line, no content). */
export interface ReadProblem {
  path: string;
  message: string;
}

export interface KubeletSetup {
  /** Where the flags were found. */
  source: 'process' | 'systemd' | 'none';
  /** `pid 1234` or the unit file and drop-ins read. */
  detail: string;
  /** The files (unit, drop-ins, environment files) the flags were assembled from. */
  files: string[];
  imageCredentialProviderConfig?: string;
  imageCredentialProviderBinDir?: string;
  /** --root-dir (default /var/lib/kubelet). */
  rootDir: string;
  /** --config (KubeletConfiguration). */
  config?: string;
  hostnameOverride?: string;
  /** From --feature-gates and the KubeletConfiguration featureGates (the flag wins). */
  featureGates: Record<string, boolean>;
  containerRuntimeEndpoint?: string;
  /** The kubelet's HOME (from its environment, else assumed /root), and how it is known. */
  home: string;
  homeKnown: boolean;
  /** The kubelet's working directory (from /proc/<pid>/cwd, else assumed /). */
  cwd: string;
  cwdKnown: boolean;
  /** The running kubelet's pid: its environment (/proc/<pid>/environ) is what a plugin inherits. */
  pid?: number;
}

export type BinaryStatus = 'ok' | 'missing' | 'not-executable' | 'directory' | 'error';

export interface ProviderBinary {
  provider: string;
  /** <bin-dir>/<name> on the node. */
  path: string;
  status: BinaryStatus;
  /** The kubelet's start-up error for this binary, when it has one. */
  kubeletError?: string;
}

/** The kubelet's plugin registration, replayed (RegisterCredentialProviderPlugins). */
export interface ProviderSetup {
  configPath: string;
  binDir: string;
  /** Files read, in the kubelet's order (one, or a directory's *.json/*.yaml/*.yml sorted). */
  files: string[];
  /** The first error the kubelet's registration stops at, exactly as it words it; the kubelet exits 1. */
  startupError?: { stage: 'bin-dir' | 'config' | 'decode' | 'duplicate' | 'validate' | 'binary'; message: string };
  /** Every decode error (one per file) and validation error, for the report. */
  configErrors: string[];
  providers: CredentialProvider[];
  binaries: ProviderBinary[];
}

export type DockerConfigStatus = 'found' | 'missing' | 'unreadable' | 'invalid' | 'not-reached';

export interface DockerConfigCandidate {
  /** Absolute node path of the file. */
  path: string;
  format: 'config.json' | '.dockercfg';
  /** Which search entry produced it: `--root-dir`, `working directory`, `$HOME`, `/`. */
  via: string;
  status: DockerConfigStatus;
  error?: string;
  /** found: whether it has `auths` (a config.json without it is found but empty, and ends the search). */
  hasAuths?: boolean;
  topLevelKeys?: string[];
  entries: ParsedEntry[];
}

export interface DockerConfigSearch {
  candidates: DockerConfigCandidate[];
  /** Index of the file the kubelet uses, when one is valid. */
  used?: number;
}

export interface HostsTomlHost {
  /** As written: the `[host."…"]` key, or the `server` value; '' for the default (the image's own host). */
  url: string;
  role: 'mirror' | 'server' | 'default';
  scheme: string;
  host: string;
  path: string;
  /** Raw capabilities; empty = all (pull, resolve, push). */
  capabilities: string[];
  skipVerify?: boolean;
  /** CA files as the node sees them (relative ones resolved against the hosts.toml directory). */
  ca: string[];
  caMissing: string[];
  client: string[];
  clientMissing: string[];
  /** Header names only (values may be tokens). */
  headers: string[];
  overridePath: boolean;
  dialTimeout?: string;
  /** Why containerd rejects this host (the whole hosts.toml is then ignored). */
  error?: string;
}

export interface HostsDir {
  /** The namespace directory name, e.g. `docker.io`, `registry.local_5000_`, `_default`. */
  namespace: string;
  dir: string;
  /** hosts.toml path when present. */
  file?: string;
  /** containerd logs `failed to decode …/hosts.toml` and falls back to certificate files. */
  parseError?: string;
  hosts: HostsTomlHost[];
  /** Docker-style *.crt / *.cert files used when there is no (valid) hosts.toml. */
  certFiles: string[];
}

export interface ContainerdSetup {
  configFile: string;
  found: boolean;
  parseError?: string;
  version?: number;
  /** The CRI registry table used: `plugins."io.containerd.cri.v1.images".registry` (2.x) or `plugins."io.containerd.grpc.v1.cri".registry` (1.x). */
  registryTable?: string;
  configPath?: string;
  configPathDirs: string[];
  /** containerd's own start-up errors for the CRI plugin (the plugin does not load: every pull fails). */
  conflicts: string[];
  legacyMirrors: { host: string; endpoints: string[] }[];
  legacyConfigs: { host: string; hasAuth: boolean; username?: string; insecureSkipVerify?: boolean; caFile?: string; caMissing?: boolean }[];
  hostsDirs: HostsDir[];
  /** /etc/containerd/certs.d has host directories but config_path does not point at it: they are ignored. */
  unusedCertsDir?: string;
}

export interface CrioRegistry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: { location: string; insecure: boolean }[];
  file: string;
}

export interface CrioSetup {
  files: string[];
  parseErrors: ReadProblem[];
  unqualifiedSearchRegistries: string[];
  shortNameMode?: string;
  aliases: Record<string, string>;
  registries: CrioRegistry[];
  policy?: { file: string; parseError?: string; defaultTypes: string[]; dockerScopes: { scope: string; types: string[] }[] };
}

export interface NodeImageInput {
  image: string;
  /** `argument` or `report <file>: pod ns/name`. */
  from: string;
  /** Pull secrets the pod would send first (from a report given with --from), by name and key. */
  podCredentials: { secret: string; registryKey: string; username: string }[];
}

export interface PluginRun {
  provider: string;
  image: string;
  /** What was run, without args values that could be secrets? Args are shown: they come from the config file. */
  command: string[];
  exitCode: number | null;
  timedOut: boolean;
  /** Plugin stderr, cut to a few hundred characters. */
  stderr: string;
  durationMs: number;
  decoded?: DecodedResponse;
  /** Why it could not run at all (spawn error). */
  spawnError?: string;
  /** The kubelet's own error text for this run (`error execing credential provider plugin …`), when it fails. */
  kubeletError?: string;
  /** Whose environment the plugin got. */
  environment: 'kubelet' | 'pulldoctor';
}

export interface NodeSnapshot {
  /** --root as given. */
  root: string;
  nodeName: string;
  nodeNameFrom: string;
  collectedAt: string;
  kubelet: KubeletSetup;
  providers?: ProviderSetup;
  dockerConfig: DockerConfigSearch;
  runtime: 'containerd' | 'cri-o' | 'unknown';
  containerd?: ContainerdSetup;
  crio?: CrioSetup;
  images: NodeImageInput[];
  /** Filled by --probe. */
  pluginRuns: PluginRun[];
  problems: ReadProblem[];
}
