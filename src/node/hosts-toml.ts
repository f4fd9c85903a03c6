/**
 * One containerd registry host namespace directory (`<config_path>/<host>/`), read as
 * containerd reads it (containerd `core/remotes/docker/config/hosts.go`: loadHostDir,
 * parseHostsFile, parseHostConfig; docs/hosts.md): `[host."…"]` mirrors in file order, then the
 * `server` (or the image's own host when `server` is absent). Any error in hosts.toml — TOML
 * syntax, an unknown capability, a wrong type, a bad `dial_timeout` — makes containerd log
 * `failed to decode …/hosts.toml` and ignore the whole file (it falls back to Docker-style
 * certificate files), so every mirror in it silently disappears. Relative paths are relative to
 * the hosts.toml directory.
 */
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { goParseDuration } from '../go/duration.js';
import { goParseURL } from '../go/url.js';
import type { NodeFs } from './fs.js';
import type { HostsDir, HostsTomlHost } from './types.js';

const CAPABILITIES = ['pull', 'resolve', 'push'];

type Toml = Record<string, unknown>;

class HostsError extends Error {}

const isTable = (v: unknown): v is Toml => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function strings(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) throw new HostsError(`invalid type ${String(v)} for "${what}"`);
  return v.map((x) => {
    if (typeof x !== 'string') throw new HostsError(`unable to cast ${String(x)} to string`);
    return x;
  });
}

function abs(p: string, base: string): string {
  return path.posix.isAbsolute(p) ? p : path.posix.join(base, p);
}

/** parseHostConfig: one `[host."…"]` table, or the top level with `server`. */
function hostConfig(fs: NodeFs, server: string, role: HostsTomlHost['role'], t: Toml, baseDir: string): HostsTomlHost {
  const h: HostsTomlHost = { url: server, role, scheme: '', host: '', path: '', capabilities: [], ca: [], caMissing: [], client: [], clientMissing: [], headers: [], overridePath: t.override_path === true };
  if (server !== '') {
    const full = server.startsWith('http') ? server : `https://${server}`;
    const u = goParseURL(full);
    if (!u.ok) throw new HostsError(`unable to parse server ${full}: ${u.error}`);
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(full);
    h.scheme = m?.[1] ?? 'https';
    h.host = u.url.host;
    let p = u.url.path;
    if (p.length > 0) {
      p = path.posix.normalize(p).replace(/\/+$/, '') || '/';
      if (!p.endsWith('/v2') && !h.overridePath) p = `${p === '/' ? '' : p}/v2`;
    } else if (!h.overridePath) p = '/v2';
    h.path = p;
  }
  if (t.capabilities !== undefined) {
    if (!Array.isArray(t.capabilities)) throw new HostsError('toml: cannot decode "capabilities" into []string');
    for (const c of t.capabilities) {
      if (typeof c !== 'string') throw new HostsError('toml: cannot decode "capabilities" into []string');
      if (!CAPABILITIES.includes(c.toLowerCase())) throw new HostsError(`unknown capability ${c}`);
      h.capabilities.push(c.toLowerCase());
    }
  }
  if (t.skip_verify !== undefined) {
    if (typeof t.skip_verify !== 'boolean') throw new HostsError('toml: cannot decode "skip_verify" into *bool');
    h.skipVerify = t.skip_verify;
  }
  for (const ca of strings(t.ca, 'ca')) {
    const file = abs(ca, baseDir);
    h.ca.push(file);
    if (!fs.exists(file)) h.caMissing.push(file);
  }
  const client = t.client;
  const clientFiles: string[] = [];
  if (typeof client === 'string') clientFiles.push(client);
  else if (Array.isArray(client)) {
    for (const c of client) {
      if (typeof c === 'string') clientFiles.push(c);
      else if (Array.isArray(c)) {
        const pair = strings(c, 'client');
        if (pair.length !== 2) throw new HostsError(`invalid pair ${String(c)} for "client"`);
        clientFiles.push(...pair.filter((x) => x !== ''));
      } else throw new HostsError(`invalid type ${typeof c} for "client"`);
    }
  } else if (client !== undefined) throw new HostsError(`invalid type ${String(client)} for "client"`);
  for (const c of clientFiles) {
    const file = abs(c, baseDir);
    h.client.push(file);
    if (!fs.exists(file)) h.clientMissing.push(file);
  }
  if (t.header !== undefined) {
    if (!isTable(t.header)) throw new HostsError('toml: cannot decode "header" into map[string]interface {}');
    for (const [k, v] of Object.entries(t.header)) {
      if (typeof v !== 'string' && !Array.isArray(v)) throw new HostsError(`invalid type ${String(v)} for header "${k}"`);
      h.headers.push(k);
    }
  }
  if (t.dial_timeout !== undefined) {
    if (typeof t.dial_timeout !== 'string') throw new HostsError('toml: cannot decode "dial_timeout" into string');
    const d = goParseDuration(t.dial_timeout);
    if (!d.ok) throw new HostsError(d.error);
    h.dialTimeout = t.dial_timeout;
  }
  return h;
}

/** A namespace directory: its hosts.toml (when present and valid) or its certificate files. */
export function readHostsDir(fs: NodeFs, dir: string, namespace: string): HostsDir {
  const out: HostsDir = { namespace, dir, hosts: [], certFiles: [] };
  const list = fs.readDir(dir);
  const names = list.ok ? list.value : [];
  const certFiles = names.filter((e) => !e.isDirectory && (e.name.endsWith('.crt') || e.name.endsWith('.cert'))).map((e) => path.posix.join(dir, e.name));
  const file = path.posix.join(dir, 'hosts.toml');
  const text = fs.readText(file);
  if (!text.ok) {
    out.certFiles = certFiles;
    return out;
  }
  out.file = file;
  if (text.value.length === 0) {
    out.certFiles = certFiles;
    return out;
  }
  try {
    const doc = parseToml(text.value) as Toml;
    const hosts: HostsTomlHost[] = [];
    const table = isTable(doc.host) ? doc.host : {};
    if (doc.host !== undefined && !isTable(doc.host)) throw new HostsError('toml: cannot decode "host" into map[string]config.hostFileConfig');
    for (const [url, cfg] of Object.entries(table)) {
      if (!isTable(cfg)) throw new HostsError(`toml: cannot decode host "${url}" into config.hostFileConfig`);
      hosts.push(hostConfig(fs, url, 'mirror', cfg, dir));
    }
    if (doc.server !== undefined && typeof doc.server !== 'string') throw new HostsError('toml: cannot decode "server" into string');
    const server = typeof doc.server === 'string' ? doc.server : '';
    hosts.push(hostConfig(fs, server, server === '' ? 'default' : 'server', doc, dir));
    out.hosts = hosts;
  } catch (e) {
    out.parseError = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    out.hosts = [];
    out.certFiles = certFiles;
  }
  return out;
}

/** containerd's hostDirectory: `host:port` → `host_port_`. */
export function hostDirectoryName(host: string): string {
  const i = host.lastIndexOf(':');
  return i > 0 ? `${host.slice(0, i)}_${host.slice(i + 1)}_` : host;
}
