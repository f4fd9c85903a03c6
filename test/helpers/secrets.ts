/** Every secret value that appears in the fixtures, so tests can assert none is ever printed. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './root.js';

const SECRET_FIELDS = new Set(['password', 'auth', 'identitytoken', 'registrytoken']);

function walk(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) v.forEach((x) => walk(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' && SECRET_FIELDS.has(k.toLowerCase())) {
        out.add(x);
        if (k.toLowerCase() === 'auth') {
          const decoded = Buffer.from(x, 'base64').toString('utf8');
          const i = decoded.indexOf(':');
          if (i >= 0) out.add(decoded.slice(i + 1));
        }
      } else walk(x, out);
    }
  }
}

function secretsIn(doc: unknown, out: Set<string>): void {
  if (!doc || typeof doc !== 'object') return;
  const o = doc as Record<string, unknown>;
  if (Array.isArray(o.items)) o.items.forEach((i) => secretsIn(i, out));
  if (o.kind !== 'Secret') return;
  for (const value of Object.values((o.data ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    out.add(value);
    const text = Buffer.from(value, 'base64').toString('utf8');
    try {
      walk(JSON.parse(text), out);
    } catch {
      // not JSON: the raw value is enough
    }
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.(ya?ml|json)$/.test(f) ? [p] : [];
  });
}

/** Secret values (passwords, auth, tokens, raw data) of every fixture, at least 6 characters long. */
export function fixtureSecretValues(): string[] {
  const out = new Set<string>();
  for (const file of yamlFiles(path.join(ROOT, 'fixtures'))) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) secretsIn(JSON.parse(text), out);
    else for (const d of parseAllDocuments(text)) if (!('empty' in d)) secretsIn(d.toJS(), out);
  }
  return [...out].filter((s) => s.length >= 6);
}
