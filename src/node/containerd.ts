/**
 * containerd's registry configuration on a node (containerd docs/hosts.md, docs/cri/registry.md;
 * node-credentials.md §6.1): `/etc/containerd/config.toml` (and its `imports`), the CRI registry
 * table — `plugins."io.containerd.cri.v1.images".registry` in 2.x (config version 3),
 * `plugins."io.containerd.grpc.v1.cri".registry` in 1.x (version 2), `plugins.cri.registry`
 * (version 1) — its `config_path` (one or more directories separated by `:`) with a
 * hosts.toml per registry host, and the deprecated `mirrors`/`configs` tables.
 */
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { NodeFs } from './fs.js';
import { readHostsDir } from './hosts-toml.js';
import type { ContainerdSetup } from './types.js';

export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';
const DEFAULT_CERTS_DIR = '/etc/containerd/certs.d';

type Toml = Record<string, unknown>;
const isTable = (v: unknown): v is Toml => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function merge(into: Toml, from: Toml): Toml {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    into[k] = isTable(cur) && isTable(v) ? merge({ ...cur }, v) : v;
  }
  return into;
}

/** `imports = [...]`: files or `*` globs in the last path element, merged over the main file. */
function importFiles(fs: NodeFs, doc: Toml): string[] {
  const list = Array.isArray(doc.imports) ? doc.imports.filter((x): x is string => typeof x === 'string') : [];
  const out: string[] = [];
  for (const p of list) {
    const base = path.posix.basename(p);
    if (!base.includes('*')) {
      out.push(p);
      continue;
    }
    const dir = path.posix.dirname(p);
    const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const entries = fs.readDir(dir);
    if (entries.ok) out.push(...entries.value.filter((e) => !e.isDirectory && re.test(e.name)).map((e) => path.posix.join(dir, e.name)));
  }
  return out;
}

const REGISTRY_TABLES: [string[], string][] = [
  [['plugins', 'io.containerd.cri.v1.images', 'registry'], 'plugins."io.containerd.cri.v1.images".registry'],
  [['plugins', 'io.containerd.grpc.v1.cri', 'registry'], 'plugins."io.containerd.grpc.v1.cri".registry'],
  [['plugins', 'cri', 'registry'], 'plugins.cri.registry'],
];

function dig(doc: Toml, keys: string[]): Toml | undefined {
  let cur: unknown = doc;
  for (const k of keys) {
    if (!isTable(cur)) return undefined;
    cur = cur[k];
  }
  return isTable(cur) ? cur : undefined;
}

export function readContainerd(fs: NodeFs): ContainerdSetup {
  const setup: ContainerdSetup = { configFile: CONTAINERD_CONFIG, found: false, configPathDirs: [], conflicts: [], legacyMirrors: [], legacyConfigs: [], hostsDirs: [] };
  const text = fs.readText(CONTAINERD_CONFIG);
  let doc: Toml = {};
  if (text.ok) {
    setup.found = true;
    try {
      doc = parseToml(text.value) as Toml;
      for (const f of importFiles(fs, doc)) {
        const t = fs.readText(f);
        if (t.ok) doc = merge(doc, parseToml(t.value) as Toml);
      }
    } catch (e) {
      setup.parseError = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
      return setup;
    }
  }
  if (typeof doc.version === 'number') setup.version = doc.version;
  const found = REGISTRY_TABLES.map(([keys, name]) => ({ table: dig(doc, keys), name })).find((t) => t.table !== undefined);
  const reg = found?.table;
  if (found && reg) setup.registryTable = found.name;
  if (reg && typeof reg.config_path === 'string' && reg.config_path !== '') {
    setup.configPath = reg.config_path;
    setup.configPathDirs = reg.config_path.split(':').filter(Boolean);
  }
  if (reg && isTable(reg.mirrors)) {
    for (const [host, m] of Object.entries(reg.mirrors)) {
      const endpoints = isTable(m) && Array.isArray(m.endpoint) ? m.endpoint.filter((x): x is string => typeof x === 'string') : [];
      setup.legacyMirrors.push({ host, endpoints });
    }
  }
  let tlsInConfigs = false;
  if (reg && isTable(reg.configs)) {
    for (const [host, c] of Object.entries(reg.configs)) {
      if (!isTable(c)) continue;
      const auth = isTable(c.auth) ? c.auth : undefined;
      const tls = isTable(c.tls) ? c.tls : undefined;
      const entry: ContainerdSetup['legacyConfigs'][number] = {
        host,
        hasAuth: auth !== undefined && ['username', 'password', 'auth', 'identitytoken'].some((k) => typeof auth[k] === 'string' && auth[k] !== ''),
      };
      if (auth && typeof auth.username === 'string' && auth.username !== '') entry.username = auth.username;
      if (tls) {
        tlsInConfigs = true;
        if (typeof tls.insecure_skip_verify === 'boolean') entry.insecureSkipVerify = tls.insecure_skip_verify;
        if (typeof tls.ca_file === 'string' && tls.ca_file !== '') {
          entry.caFile = tls.ca_file;
          entry.caMissing = !fs.exists(tls.ca_file);
        }
      }
      setup.legacyConfigs.push(entry);
    }
  }
  if (setup.configPath !== undefined) {
    // containerd's CRI config validation: the plugin does not load, so the runtime serves no CRI at all.
    if (setup.legacyMirrors.length) setup.conflicts.push('`mirrors` cannot be set when `config_path` is provided');
    if (tlsInConfigs) setup.conflicts.push('`configs.tls` cannot be set when `config_path` is provided');
  }
  for (const root of setup.configPathDirs) {
    const list = fs.readDir(root);
    if (!list.ok) continue;
    for (const e of list.value) if (e.isDirectory) setup.hostsDirs.push(readHostsDir(fs, path.posix.join(root, e.name), e.name));
  }
  if (setup.found && setup.configPath === undefined) {
    const list = fs.readDir(DEFAULT_CERTS_DIR);
    if (list.ok && list.value.some((e) => e.isDirectory)) setup.unusedCertsDir = DEFAULT_CERTS_DIR;
  }
  return setup;
}
