/**
 * The kubelet's pull-related flags on a node: from the running process (`<root>/proc/<pid>/cmdline`,
 * visible in a `kubectl debug node` pod), else from systemd (./systemd.ts), else from the usual
 * environment files; plus the `--config` KubeletConfiguration (and `--config-dir` drop-ins) for
 * feature gates and the runtime endpoint. Flags are read with pflag's rules as the kubelet uses
 * them: `--name=value` or `--name value`, `_` normalised to `-`, the last one wins.
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { NodeFs } from './fs.js';
import { parseEnvFile, readKubeletUnit, splitWords } from './systemd.js';
import type { KubeletSetup, ReadProblem } from './types.js';

const STRING_FLAGS = [
  'image-credential-provider-config',
  'image-credential-provider-bin-dir',
  'root-dir',
  'config',
  'config-dir',
  'hostname-override',
  'feature-gates',
  'container-runtime-endpoint',
] as const;
type Flag = (typeof STRING_FLAGS)[number];

/** Environment files kubelet units commonly read (kubeadm, Debian/RHEL defaults, EKS nodeadm), used when no unit is found. */
const ENV_FILES = ['/var/lib/kubelet/kubeadm-flags.env', '/etc/default/kubelet', '/etc/sysconfig/kubelet', '/etc/eks/kubelet/environment'];

export function parseFlags(argv: string[]): { flags: Partial<Record<Flag, string>>; gates: Record<string, boolean> } {
  const flags: Partial<Record<Flag, string>> = {};
  const gates: Record<string, boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    const name = (eq < 0 ? a.slice(2) : a.slice(2, eq)).replace(/_/g, '-') as Flag;
    if (!(STRING_FLAGS as readonly string[]).includes(name)) continue;
    let value: string;
    if (eq >= 0) value = a.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i]!;
    else continue;
    flags[name] = value;
    if (name === 'feature-gates') Object.assign(gates, parseGates(value));
  }
  return { flags, gates };
}

function parseGates(value: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const kv of value.split(',')) {
    const [k, v] = kv.split('=').map((x) => x.trim());
    if (k && (v === 'true' || v === 'false')) out[k] = v === 'true';
  }
  return out;
}

interface ProcessInfo {
  pid: number;
  argv: string[];
}

/** The running kubelet under <root>/proc: argv[0] named `kubelet` (or `hyperkube kubelet`). */
function findKubeletProcess(fs: NodeFs): ProcessInfo | undefined {
  const list = fs.readDir('/proc');
  if (!list.ok) return undefined;
  for (const e of list.value) {
    if (!/^\d+$/.test(e.name)) continue;
    const cmd = fs.readFile(`/proc/${e.name}/cmdline`, 256 * 1024);
    if (!cmd.ok || cmd.value.length === 0) continue;
    const argv = cmd.value.toString('utf8').split('\0');
    if (argv[argv.length - 1] === '') argv.pop();
    const bin = path.posix.basename(argv[0] ?? '');
    if (bin === 'kubelet') return { pid: Number(e.name), argv: argv.slice(1) };
    if (bin === 'hyperkube' && argv[1] === 'kubelet') return { pid: Number(e.name), argv: argv.slice(2) };
  }
  return undefined;
}

/** A process's environment (it may hold secrets: callers keep it only as long as they need it). */
export function environOf(fs: NodeFs, pid: number): Record<string, string> | undefined {
  const r = fs.readFile(`/proc/${pid}/environ`, 1024 * 1024);
  if (!r.ok) return undefined;
  const env: Record<string, string> = {};
  for (const kv of r.value.toString('utf8').split('\0')) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  r.value.fill(0);
  return env;
}

/** featureGates and containerRuntimeEndpoint from the KubeletConfiguration file (and --config-dir drop-ins). */
function readKubeletConfig(fs: NodeFs, file: string | undefined, dir: string | undefined, problems: ReadProblem[]): { gates: Record<string, boolean>; endpoint?: string } {
  const gates: Record<string, boolean> = {};
  let endpoint: string | undefined;
  const files: string[] = [];
  if (file) files.push(file);
  if (dir) {
    const list = fs.readDir(dir);
    if (list.ok) files.push(...list.value.filter((e) => !e.isDirectory && e.name.endsWith('.conf')).map((e) => `${dir}/${e.name}`));
  }
  for (const f of files) {
    const text = fs.readText(f);
    if (!text.ok) {
      problems.push({ path: f, message: `cannot read the KubeletConfiguration: ${text.message}` });
      continue;
    }
    try {
      const doc = parseYaml(text.value, { version: '1.1' }) as { featureGates?: Record<string, unknown>; containerRuntimeEndpoint?: unknown } | null;
      for (const [k, v] of Object.entries(doc?.featureGates ?? {})) if (typeof v === 'boolean') gates[k] = v;
      if (typeof doc?.containerRuntimeEndpoint === 'string') endpoint = doc.containerRuntimeEndpoint;
    } catch (e) {
      problems.push({ path: f, message: `cannot parse the KubeletConfiguration: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]?.replace(/:\s*$/, '')}` });
    }
  }
  return { gates, ...(endpoint !== undefined ? { endpoint } : {}) };
}

/** Every `--…` word of every value of the usual environment files (no unit, no process). */
function flagsFromEnvFiles(fs: NodeFs): { argv: string[]; files: string[] } {
  const argv: string[] = [];
  const files: string[] = [];
  for (const f of ENV_FILES) {
    const text = fs.readText(f);
    if (!text.ok) continue;
    files.push(f);
    for (const v of Object.values(parseEnvFile(text.value))) argv.push(...splitWords(v));
  }
  return { argv, files };
}

export function readKubelet(fs: NodeFs, problems: ReadProblem[]): KubeletSetup {
  let source: KubeletSetup['source'] = 'none';
  let detail = 'no kubelet process under /proc, no kubelet.service unit, no kubelet environment file';
  let argv: string[] = [];
  let files: string[] = [];
  let environ: Record<string, string> | undefined;
  let cwd: string | undefined;
  const proc = findKubeletProcess(fs);
  if (proc) {
    source = 'process';
    detail = `running kubelet, pid ${proc.pid}`;
    argv = proc.argv;
    files = [`/proc/${proc.pid}/cmdline`];
    environ = environOf(fs, proc.pid);
    const link = fs.readLink(`/proc/${proc.pid}/cwd`);
    if (link.ok) cwd = link.value;
  } else {
    const unit = readKubeletUnit(fs);
    if (unit) {
      source = 'systemd';
      detail = `systemd unit ${unit.unit}${unit.dropIns.length ? ` + ${unit.dropIns.length} drop-in${unit.dropIns.length === 1 ? '' : 's'}` : ''} (the kubelet process is not visible)`;
      argv = unit.argv;
      files = [unit.unit, ...unit.dropIns, ...unit.envFiles];
    } else {
      const env = flagsFromEnvFiles(fs);
      if (env.files.length) {
        source = 'systemd';
        detail = `environment files only (no kubelet process, no kubelet.service unit)`;
        argv = env.argv;
        files = env.files;
      }
    }
  }
  const { flags, gates } = parseFlags(argv);
  const cfg = readKubeletConfig(fs, flags.config, flags['config-dir'], problems);
  const home = environ?.HOME;
  const setup: KubeletSetup = {
    source,
    detail,
    files,
    rootDir: flags['root-dir'] || '/var/lib/kubelet',
    featureGates: { ...cfg.gates, ...gates },
    home: home || '/root',
    homeKnown: home !== undefined && home !== '',
    cwd: cwd ?? '/',
    cwdKnown: cwd !== undefined,
  };
  if (flags['image-credential-provider-config']) setup.imageCredentialProviderConfig = flags['image-credential-provider-config'];
  if (flags['image-credential-provider-bin-dir']) setup.imageCredentialProviderBinDir = flags['image-credential-provider-bin-dir'];
  if (flags.config) setup.config = flags.config;
  if (flags['hostname-override']) setup.hostnameOverride = flags['hostname-override'];
  const endpoint = flags['container-runtime-endpoint'] ?? cfg.endpoint;
  if (endpoint) setup.containerRuntimeEndpoint = endpoint;
  if (proc) setup.pid = proc.pid;
  return setup;
}
