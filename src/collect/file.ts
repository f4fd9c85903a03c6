/**
 * Offline source: what `kubectl get … -o yaml|json` prints — `List`s, `*List`s,
 * multi-document YAML, single objects — from files, directories or stdin.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../model/errors.js';
import type { ProgressCallback } from '../model/progress.js';
import type { Snapshot, SourceInfo } from '../model/snapshot.js';
import { SnapshotBuilder } from './builder.js';

const DUMP_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface FileSourceOptions {
  /** Reads stdin for `-`; injectable for tests. */
  readStdin?: () => Promise<Buffer>;
  onProgress?: ProgressCallback;
  source?: Partial<SourceInfo>;
}

async function readAllStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Expand directories (non-recursive into hidden dirs) to their .yaml/.yml/.json files, sorted. */
async function expand(p: string): Promise<string[]> {
  if (p === '-') return ['-'];
  let st;
  try {
    st = await stat(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${p}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message)}`);
  }
  if (!st.isDirectory()) return [p];
  const out: string[] = [];
  const entries = await readdir(p, { withFileTypes: true });
  for (const ent of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (ent.name.startsWith('.')) continue;
    const full = path.join(p, ent.name);
    if (ent.isDirectory()) out.push(...(await expand(full)));
    else if (DUMP_EXTENSIONS.has(path.extname(ent.name).toLowerCase())) out.push(full);
  }
  if (out.length === 0) throw new UserError(`${p}: directory holds no .yaml, .yml or .json files`);
  return out;
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/** Parse one file's text into documents; throws UserError naming the file and line. */
export function parseDocuments(text: string, name: string): unknown[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const v = JSON.parse(trimmed) as unknown;
      return Array.isArray(v) ? v : [v];
    } catch (e) {
      // Fall through to YAML (a superset of JSON) only for its better position report.
      const msg = (e as Error).message;
      const m = /position (\d+)/.exec(msg);
      if (m) {
        const line = trimmed.slice(0, Number(m[1])).split('\n').length;
        throw new UserError(`${name}:${line}: invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`);
      }
      throw new UserError(`${name}: invalid JSON: ${msg}`);
    }
  }
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line;
      const first = err.message.split('\n')[0] ?? err.message;
      throw new UserError(`${name}${line ? `:${line}` : ''}: invalid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export async function collectFiles(paths: string[], opts: FileSourceOptions = {}): Promise<Snapshot> {
  const files: string[] = [];
  for (const p of paths) files.push(...(await expand(p)));
  const names = files.map((f) => (f === '-' ? 'stdin' : f));
  const builder = new SnapshotBuilder({
    kind: 'file',
    description: names.join(', '),
    ...opts.source,
  });
  let objects = 0;
  for (const [i, file] of files.entries()) {
    const name = names[i] ?? file;
    let buf: Buffer;
    try {
      buf = file === '-' ? await (opts.readStdin ?? readAllStdin)() : await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`${name}: cannot read: ${code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
    }
    if (buf.length === 0 || buf.toString('utf8').trim() === '') throw new UserError(`${name}: file is empty`);
    if (looksBinary(buf)) throw new UserError(`${name}: not a text file (binary data); expected kubectl get -o yaml|json output`);
    const docs = parseDocuments(buf.toString('utf8'), name);
    let accepted = 0;
    for (const doc of docs) if (builder.add(doc)) accepted++;
    if (accepted === 0) {
      throw new UserError(`${name}: no Kubernetes objects found (expected output of kubectl get … -o yaml|json)`);
    }
    objects += accepted;
    opts.onProgress?.({ resource: 'files', pages: i + 1, objects, done: i === files.length - 1 });
  }
  return builder.finishOffline();
}
