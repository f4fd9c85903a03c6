/**
 * Offline source: what `kubectl get … -o yaml|json` prints — `List`s, `*List`s,
 * multi-document YAML, single objects — from files, directories or stdin.
 *
 * JSON is streamed (src/collect/json-stream.ts): each item of a `List` (or of a top-level
 * array) is parsed and reduced on its own, so a dump of any size is read with memory for one
 * chunk plus one item, and never as one string (V8 cannot make a string past ~512 MiB).
 * A YAML `List` is split at its top-level `items:` entries and parsed one item at a time.
 * Whenever the fast path cannot be sure it reads the input exactly like a whole parse would, it
 * undoes what it added and parses the whole text, which also gives the line-numbered errors.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../model/errors.js';
import type { ProgressCallback } from '../model/progress.js';
import type { Snapshot, SourceInfo } from '../model/snapshot.js';
import { firstLine } from '../util/text.js';
import { SnapshotBuilder, type Origin } from './builder.js';
import { JsonItemReader, JsonStreamError, type JsonTop } from './json-stream.js';
import { linesInBytes, linesInText, settleLines } from './lines.js';
import { isObj } from './reduce.js';

const DUMP_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** V8's longest string (64-bit): 2^29 − 24 characters; a file past it cannot be one string. */
const MAX_STRING = 2 ** 29 - 24;
/** Bytes read from the start of a file to tell JSON from YAML, empty and binary input. */
const HEAD_BYTES = 64 * 1024;
const CHUNK_BYTES = 1 << 20;

export interface FileSourceOptions {
  /** Reads stdin for `-`; injectable for tests. */
  readStdin?: () => Promise<Buffer>;
  onProgress?: ProgressCallback;
  source?: Partial<SourceInfo>;
}

type Yaml = typeof import('./yaml.js');
let yamlModule: Yaml | undefined;
/** The YAML parser, loaded on first use (JSON dumps and `--version` do not need it). */
async function loadYaml(): Promise<Yaml> {
  yamlModule ??= await import('./yaml.js');
  return yamlModule;
}

/** All of stdin (`-f -`, `pulldoctor node --from -`). */
export async function readAllStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Expand directories (non-recursive into hidden dirs) to their .yaml/.yml/.json files, sorted. Also `pulldoctor check -f`. */
export async function expand(p: string): Promise<string[]> {
  if (p === '-') return ['-'];
  let st;
  try {
    st = await stat(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${p}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message)}`);
  }
  if (!st.isDirectory()) return [p];
  const out = await filesUnder(p);
  if (out.length === 0) throw new UserError(`${p}: directory holds no .yaml, .yml or .json files`);
  return out;
}

/** A directory's .yaml/.yml/.json files and its subdirectories' (a subdirectory without any is fine). */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const ent of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (ent.name.startsWith('.')) continue;
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await filesUnder(full)));
    else if (DUMP_EXTENSIONS.has(path.extname(ent.name).toLowerCase())) out.push(full);
  }
  return out;
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/** The first character that is not whitespace (after a BOM), or undefined. */
function firstChar(buf: Buffer): string | undefined {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (; i < buf.length; i++) {
    const b = buf[i] as number;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return String.fromCharCode(b);
  }
  return undefined;
}

/** A parsed document and, for YAML, where it and its `items` start in the text. */
interface ParsedDoc {
  value: unknown;
  offset?: number;
  itemOffsets?: (number | undefined)[];
}

/** Parse one file's text into documents; throws UserError naming the file and line. */
export async function parseDocuments(text: string, name: string): Promise<unknown[]> {
  return (await parseDocs(text, name)).map((d) => d.value);
}

async function parseDocs(text: string, name: string): Promise<ParsedDoc[]> {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const v = JSON.parse(trimmed) as unknown;
      return (Array.isArray(v) ? v : [v]).map((value) => ({ value }));
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
  const { parseAllDocuments, isMap, isSeq } = await loadYaml();
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: ParsedDoc[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line;
      const first = firstLine(err);
      throw new UserError(`${name}${line ? `:${line}` : ''}: invalid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null || value === undefined) continue;
    const contents = doc.contents;
    const parsed: ParsedDoc = { value, offset: contents?.range?.[0] };
    const items = isMap(contents) ? contents.get('items', true) : undefined;
    if (isSeq(items)) parsed.itemOffsets = items.items.map((n) => (n as { range?: [number] } | null)?.range?.[0]);
    out.push(parsed);
  }
  return out;
}

/** Add one top-level document; one that is not a Kubernetes object at all is skipped (and not counted). */
function addDocument(builder: SnapshotBuilder, doc: unknown, origin: Origin, itemOrigin?: (i: number) => Origin | undefined): boolean {
  if (builder.add(doc, undefined, origin, itemOrigin)) return true;
  builder.skip({ kind: 'unknown', reason: 'not a Kubernetes object (no kind, or no metadata)' }, origin);
  return false;
}

/** Parse a whole text and add its documents; returns how many were Kubernetes objects or lists. */
async function addWhole(builder: SnapshotBuilder, text: string, name: string): Promise<number> {
  let accepted = 0;
  const at = (offset: number | undefined): Origin => (offset === undefined ? name : { file: name, offset });
  for (const d of await parseDocs(text, name)) {
    if (addDocument(builder, d.value, at(d.offset), d.itemOffsets && ((i) => at(d.itemOffsets?.[i])))) accepted++;
  }
  settleText(builder, name, text);
  return accepted;
}

/** Skipped objects of this text get their `name:line` source. */
function settleText(builder: SnapshotBuilder, name: string, text: string): void {
  const pending = builder.takePendingLines();
  if (pending.length) settleLines(pending, name, linesInText(text, pending.map((p) => p.offset)));
}

/** The item kind a `*List` gives its items (`PodList` → `Pod`; `List` → none). */
const itemKindOf = (listKind: string | undefined) =>
  listKind && listKind !== 'List' && listKind.endsWith('List') ? listKind.slice(0, -'List'.length) : undefined;
const isListKind = (kind: unknown) => kind === undefined || (typeof kind === 'string' && kind.endsWith('List'));

/** Why the streamed read cannot stand: the whole-text parse decides instead. */
class NotStreamable extends Error {}

/**
 * Stream a JSON input into the builder, exactly as `builder.add` of the parsed whole would:
 * a top-level array's elements are documents; a `List`'s items are objects (items without
 * `kind` take the list's, which kubectl prints after `items`); another object is one document.
 */
async function streamJson(
  builder: SnapshotBuilder,
  name: string,
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>,
): Promise<number> {
  let accepted = 0;
  let top: JsonTop['kind'] | undefined;
  const kindless: { item: unknown; origin: Origin }[] = [];
  const reader: JsonItemReader = new JsonItemReader((item) => {
    if (top === undefined) top = reader.topKind;
    const origin: Origin = { file: name, offset: reader.itemOffset };
    if (top === 'array') {
      if (addDocument(builder, item, origin)) accepted++;
      return;
    }
    const listKind = reader.fieldsSoFar.kind;
    if (listKind !== undefined && !isListKind(listKind)) throw new NotStreamable('items of an object that is not a List');
    if (isObj(item) && typeof item.kind === 'string') builder.addObject(item, undefined, origin);
    else if (listKind !== undefined) builder.addObject(item, itemKindOf(listKind as string), origin);
    else kindless.push({ item, origin });
  });
  for await (const chunk of chunks) reader.write(chunk);
  const end: JsonTop = reader.end();
  if (end.kind === 'array') return accepted;
  if (end.kind === 'scalar') return builder.add(end.value, undefined, name) ? 1 : 0;
  if (!end.hasItems) return builder.add(end.fields, undefined, name) ? 1 : 0;
  const kind = end.fields.kind;
  // `{"kind": "Pod", "items": [...]}` is one object, not a list: rare enough to read whole.
  if (!isListKind(kind)) throw new NotStreamable('items of an object that is not a List');
  for (const { item, origin } of kindless) builder.addObject(item, itemKindOf(kind as string | undefined), origin);
  return 1;
}

function* slices(buf: Buffer): Iterable<Buffer> {
  for (let i = 0; i < buf.length; i += CHUNK_BYTES) yield buf.subarray(i, i + CHUNK_BYTES);
}

/**
 * A JSON input, streamed. When the stream reader rejects it, the whole-text parse (for inputs
 * that fit in one string) gives the same line-numbered message as before; past that size the
 * stream's byte offset is turned into a line.
 */
async function readJson(
  builder: SnapshotBuilder,
  name: string,
  size: number,
  open: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  text: () => Promise<string>,
): Promise<number> {
  const mark = builder.mark();
  try {
    const accepted = await streamJson(builder, name, open());
    const pending = builder.takePendingLines();
    if (pending.length) settleLines(pending, name, await linesInBytes(open(), pending.map((p) => p.offset)));
    return accepted;
  } catch (e) {
    if (!(e instanceof JsonStreamError || e instanceof NotStreamable)) throw e;
    builder.rollback(mark);
    if (size < MAX_STRING) return addWhole(builder, await text(), name);
    if (e instanceof NotStreamable) throw new UserError(`${name}: ${e.message} (cannot read a file this large that way)`);
    const line = (await linesInBytes(open(), [e.offset])).get(e.offset);
    throw new UserError(`${name}:${line}: invalid JSON: ${e.message.replace(/^invalid JSON at byte \d+: /, '').replace(/ at byte \d+$/, '')}`);
  }
}

/**
 * Where a YAML text is one `List` (kubectl's `-o yaml` of several objects): the top-level
 * mapping without its `items` entries, and each entry's text range. Undefined when the text is
 * anything else (several documents, directives, no block `items:` sequence at the top).
 */
export function splitYamlList(text: string): { head: string; items: [number, number][] } | undefined {
  const n = text.length;
  let state: 'head' | 'seek' | 'items' | 'tail' = 'head';
  let indent = -1;
  let firstItem = -1;
  let blockEnd = -1;
  let itemStart = -1;
  const items: [number, number][] = [];
  let sawItems = false;
  for (let pos = 0; pos < n; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    let k = pos;
    while (k < end && text.charCodeAt(k) === 0x20) k++;
    const c = k < end ? text.charCodeAt(k) : -1;
    const blank = c === -1 || c === 0x0d || c === 0x23 /* # */ || (c === 0x09 && /^\s*$/.test(text.slice(k, end)));
    const col = k - pos;
    const dash = c === 0x2d && (k + 1 >= end || text.charCodeAt(k + 1) === 0x20 || text.charCodeAt(k + 1) === 0x0d);
    if (state === 'head' || state === 'tail') {
      if (!blank && col === 0) {
        if (c === 0x25 /* % */ || text.startsWith('---', k) || text.startsWith('...', k)) return undefined;
        if (/^items:[ \t]*(#.*)?\r?$/.test(text.slice(k, end))) {
          if (sawItems || state === 'tail') return undefined;
          sawItems = true;
          state = 'seek';
        } else if (c === 0x2d || c === 0x7b || c === 0x5b) return undefined; // not a mapping at the top
      }
    } else if (state === 'seek') {
      if (!blank) {
        if (!dash) return undefined; // `items:` holds a mapping or a scalar
        indent = col;
        firstItem = itemStart = pos;
        state = 'items';
      }
    } else if (!blank) {
      if (col === indent && dash) {
        items.push([itemStart, pos]);
        itemStart = pos;
      } else if (col <= indent) {
        // The block ends: this line belongs to the top-level mapping again (read it as such).
        items.push([itemStart, pos]);
        blockEnd = pos;
        state = 'tail';
        if (col !== 0) return undefined;
        continue;
      }
    }
    pos = end + 1;
  }
  if (state === 'items') {
    items.push([itemStart, n]);
    blockEnd = n;
  }
  if (!items.length || firstItem < 0) return undefined;
  return { head: text.slice(0, firstItem) + text.slice(blockEnd), items };
}

/**
 * A YAML `List` read item by item: the parser's document tree never holds more than one item,
 * where a whole 75 MiB dump takes minutes and gigabytes. Returns undefined (nothing added) when
 * the text is not such a list or any part of it does not parse on its own.
 */
async function readYamlList(builder: SnapshotBuilder, text: string, name: string): Promise<number | undefined> {
  const split = splitYamlList(text);
  if (!split) return undefined;
  const { parseAllDocuments, parseDocument } = await loadYaml();
  const heads = parseAllDocuments(split.head, { uniqueKeys: false });
  const headDoc = Array.isArray(heads) && heads.length === 1 ? heads[0] : undefined;
  if (!headDoc || headDoc.errors.length) return undefined;
  let head: unknown;
  try {
    head = headDoc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch {
    return undefined;
  }
  if (!isObj(head) || (head.items !== null && head.items !== undefined) || !isListKind(head.kind)) return undefined;
  const itemKind = itemKindOf(head.kind as string | undefined);
  const mark = builder.mark();
  for (const [start, end] of split.items) {
    const doc = parseDocument(text.slice(start, end), { uniqueKeys: false });
    let value: unknown;
    try {
      // An alias to an anchor in another item does not resolve on its own: read the whole text.
      value = doc.errors.length ? undefined : (doc.toJS({ maxAliasCount: 1000 }) as unknown);
    } catch {
      value = undefined;
    }
    if (!Array.isArray(value) || value.length !== 1) {
      builder.rollback(mark);
      return undefined;
    }
    builder.addObject(value[0], itemKind, { file: name, offset: start });
  }
  settleText(builder, name, text);
  return 1;
}

async function headOf(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Read one input into the builder; returns how many documents were Kubernetes objects or lists. */
async function readInput(builder: SnapshotBuilder, file: string, name: string, opts: FileSourceOptions): Promise<number> {
  let whole: Buffer | undefined;
  let head: Buffer;
  let size: number;
  try {
    if (file === '-') {
      whole = await (opts.readStdin ?? readAllStdin)();
      head = whole.subarray(0, HEAD_BYTES);
      size = whole.length;
    } else {
      const st = await stat(file);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      head = await headOf(file);
      size = Math.max(st.size, head.length);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${name}: cannot read: ${code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  const first = firstChar(head);
  if (size === 0 || (first === undefined && head.length >= size)) throw new UserError(`${name}: file is empty`);
  if (looksBinary(head)) throw new UserError(`${name}: not a text file (binary data); expected kubectl get -o yaml|json output`);
  const readWhole = async (): Promise<Buffer> => {
    if (whole) return whole;
    try {
      return await readFile(file);
    } catch (e) {
      throw new UserError(`${name}: cannot read: ${(e as Error).message}`);
    }
  };

  if (first === '{' || first === '[') {
    const src = () => (whole ? slices(whole) : createReadStream(file, { highWaterMark: CHUNK_BYTES }));
    return readJson(builder, name, size, src, async () => (await readWhole()).toString('utf8'));
  }
  const buf = await readWhole();
  if (buf.length >= MAX_STRING) throw new UserError(`${name}: a YAML file over 512 MiB cannot be read; dump it as JSON (-o json), which is streamed`);
  const text = buf.toString('utf8');
  whole = undefined;
  if (text.trim() === '') throw new UserError(`${name}: file is empty`);
  return (await readYamlList(builder, text, name)) ?? addWhole(builder, text, name);
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
    const accepted = await readInput(builder, file, name, opts);
    if (accepted === 0) {
      throw new UserError(`${name}: no Kubernetes objects found (expected output of kubectl get … -o yaml|json)`);
    }
    objects += accepted;
    opts.onProgress?.({ resource: 'files', pages: i + 1, objects, done: i === files.length - 1 });
  }
  return builder.finishOffline();
}
