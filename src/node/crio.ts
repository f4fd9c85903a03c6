/**
 * CRI-O's registry configuration (containers/image, containers-registries.conf(5) and
 * containers-registries.conf.d(5); node-credentials.md §6.2): /etc/containers/registries.conf,
 * then /etc/containers/registries.conf.d/*.conf in alphanumeric order, each setting overriding
 * the previous one and `[[registry]]` tables replacing earlier ones with the same prefix; plus
 * /etc/containers/policy.json, which can reject an image after it resolved.
 */
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { NodeFs } from './fs.js';
import type { CrioRegistry, CrioSetup } from './types.js';

export const REGISTRIES_CONF = '/etc/containers/registries.conf';
const DROP_IN_DIR = '/etc/containers/registries.conf.d';
const POLICY = '/etc/containers/policy.json';

type Toml = Record<string, unknown>;
const isTable = (v: unknown): v is Toml => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function registriesOf(doc: Toml, file: string): CrioRegistry[] {
  const out: CrioRegistry[] = [];
  for (const r of Array.isArray(doc.registry) ? doc.registry : []) {
    if (!isTable(r)) continue;
    const location = typeof r.location === 'string' ? r.location : '';
    const prefix = typeof r.prefix === 'string' && r.prefix !== '' ? r.prefix : location;
    out.push({
      prefix,
      location: location || prefix,
      insecure: r.insecure === true,
      blocked: r.blocked === true,
      mirrorByDigestOnly: r['mirror-by-digest-only'] === true,
      mirrors: (Array.isArray(r.mirror) ? r.mirror : []).filter(isTable).map((m) => ({ location: typeof m.location === 'string' ? m.location : '', insecure: m.insecure === true })),
      file,
    });
  }
  // The deprecated V1 format: search, insecure and block lists.
  const v1 = isTable(doc.registries) ? doc.registries : undefined;
  if (v1) {
    for (const host of strList(isTable(v1.insecure) ? v1.insecure.registries : undefined)) out.push({ prefix: host, location: host, insecure: true, blocked: false, mirrorByDigestOnly: false, mirrors: [], file });
    for (const host of strList(isTable(v1.block) ? v1.block.registries : undefined)) out.push({ prefix: host, location: host, insecure: false, blocked: true, mirrorByDigestOnly: false, mirrors: [], file });
  }
  return out;
}

export function readCrio(fs: NodeFs): CrioSetup | undefined {
  const files: string[] = [];
  if (fs.exists(REGISTRIES_CONF)) files.push(REGISTRIES_CONF);
  const dropIns = fs.readDir(DROP_IN_DIR);
  if (dropIns.ok) files.push(...dropIns.value.filter((e) => !e.isDirectory && e.name.endsWith('.conf')).map((e) => path.posix.join(DROP_IN_DIR, e.name)));
  const policyExists = fs.exists(POLICY);
  if (files.length === 0 && !policyExists) return undefined;
  const setup: CrioSetup = { files: [], parseErrors: [], unqualifiedSearchRegistries: [], aliases: {}, registries: [] };
  const byPrefix = new Map<string, CrioRegistry>();
  for (const f of files) {
    const text = fs.readText(f);
    if (!text.ok) {
      setup.parseErrors.push({ path: f, message: text.message });
      continue;
    }
    let doc: Toml;
    try {
      doc = parseToml(text.value) as Toml;
    } catch (e) {
      setup.parseErrors.push({ path: f, message: (e instanceof Error ? e.message : String(e)).split('\n')[0]! });
      continue;
    }
    setup.files.push(f);
    if (Array.isArray(doc['unqualified-search-registries'])) setup.unqualifiedSearchRegistries = strList(doc['unqualified-search-registries']);
    const v1 = isTable(doc.registries) && isTable(doc.registries.search) ? strList(doc.registries.search.registries) : undefined;
    if (v1) setup.unqualifiedSearchRegistries = v1;
    if (typeof doc['short-name-mode'] === 'string' && doc['short-name-mode'] !== '') setup.shortNameMode = doc['short-name-mode'];
    if (isTable(doc.aliases)) {
      for (const [k, v] of Object.entries(doc.aliases)) {
        if (v === '') delete setup.aliases[k];
        else if (typeof v === 'string') setup.aliases[k] = v;
      }
    }
    for (const r of registriesOf(doc, f)) byPrefix.set(r.prefix, r);
  }
  setup.registries = [...byPrefix.values()];
  if (policyExists) {
    const text = fs.readText(POLICY);
    const policy: NonNullable<CrioSetup['policy']> = { file: POLICY, defaultTypes: [], dockerScopes: [] };
    try {
      if (!text.ok) throw new Error(text.message);
      const doc = JSON.parse(text.value) as { default?: { type?: string }[]; transports?: { docker?: Record<string, { type?: string }[]> } };
      policy.defaultTypes = (doc.default ?? []).map((d) => String(d.type ?? ''));
      for (const [scope, reqs] of Object.entries(doc.transports?.docker ?? {})) policy.dockerScopes.push({ scope, types: (reqs ?? []).map((d) => String(d.type ?? '')) });
    } catch (e) {
      policy.parseError = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    }
    setup.policy = policy;
  }
  return setup;
}

/** The `[[registry]]` table the longest matching prefix selects for a fully qualified reference (wildcards `*.example.com` allowed). */
export function crioRegistryFor(registries: readonly CrioRegistry[], ref: string): CrioRegistry | undefined {
  let best: CrioRegistry | undefined;
  let bestLen = -1;
  for (const r of registries) {
    const len = prefixMatch(r.prefix, ref);
    if (len > bestLen) {
      best = r;
      bestLen = len;
    }
  }
  return best;
}

function prefixMatch(prefix: string, ref: string): number {
  if (prefix.startsWith('*.')) {
    const host = ref.split('/')[0]!.split(':')[0]!;
    return host.endsWith(prefix.slice(1)) && host.length > prefix.length - 1 ? prefix.length : -1;
  }
  if (!ref.startsWith(prefix)) return -1;
  const next = ref[prefix.length];
  return next === undefined || next === '/' || next === ':' || next === '@' ? prefix.length : -1;
}

/** The most specific policy.json docker scope for a reference (`host/path`), or the default. */
export function policyFor(policy: NonNullable<CrioSetup['policy']>, ref: string): { scope: string; types: string[] } {
  const noDigest = ref.split('@')[0]!;
  const colon = noDigest.lastIndexOf(':');
  const name = colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
  let best: { scope: string; types: string[] } | undefined;
  for (const s of policy.dockerScopes) {
    if (name === s.scope || name.startsWith(`${s.scope}/`) || (s.scope.startsWith('*.') && name.split('/')[0]!.endsWith(s.scope.slice(1)))) {
      if (!best || s.scope.length > best.scope.length) best = s;
    }
  }
  return best ?? { scope: 'default', types: policy.defaultTypes };
}
