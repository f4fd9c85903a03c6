/**
 * Workload manifests as `kubectl apply -f` reads them — files, directories (their .yaml, .yml
 * and .json files) and `-` for stdin; multi-document YAML such as `helm template` and
 * `kustomize build` print, JSON, `List`s — with the source position of every field.
 *
 * Each document is parsed with the `yaml` package's composer and a `LineCounter`, and kept: a
 * JSON path (the segments src/collect/misplaced-pull-secrets.ts returns, or a rule's field) is walked
 * down the document's nodes to the key that holds it, which gives file, line and column. JSON
 * is read by the same parser (YAML 1.2 is a superset of it), so positions work there too.
 *
 * Bad input is one UserError naming the file and line (`kubectl apply` rejects it too).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { expand } from '../collect/file.js';
import { UserError } from '../model/errors.js';
import type { PathSegment, SourceLocation } from '../model/manifest.js';
import { sh } from '../util/shell.js';
import { firstLine } from '../util/text.js';
import { formatPath } from '../collect/misplaced-pull-secrets.js';

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One object of the manifest set, as written, with the means to find any of its fields. */
export interface ManifestObject {
  /** The file as given (`stdin` for `-`). */
  file: string;
  kind: string;
  apiVersion: string;
  /** `metadata.name` (else `metadata.generateName`). */
  name: string;
  /** `metadata.namespace` as written; the check decides the default. */
  namespace?: string;
  /** The object as parsed (plain JSON values). */
  raw: Raw;
  /** 1-based line and column where the object starts. */
  line: number;
  column: number;
  /** Helm's `# Source: chart/templates/x.yaml` comment above the document, when there is one. */
  template?: string;
  /** The deepest part of `path` (from the object's root) the document holds: its position and path. */
  locate(path: readonly PathSegment[]): Omit<SourceLocation, 'object'>;
}

export interface ReadManifestsOptions {
  /** Reads stdin for `-`; injectable for tests. */
  readStdin?: () => Promise<Buffer>;
}

async function readAllStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A key node's value as a path segment (keys are strings in Kubernetes objects). */
const keyOf = (key: unknown): string | undefined => (isScalar(key) ? String(key.value) : undefined);

/**
 * Walk `path` down from `root`: the node of each segment (for a map entry its key, whose
 * position is the field's), as deep as the document goes.
 */
function walk(root: YamlNode, path: readonly PathSegment[]): { start: number; end: number; depth: number } {
  let node: unknown = root;
  const range = root.range ?? [0, 0, 0];
  let start = range[0];
  let end = range[1];
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyOf(p.key) === String(seg));
      if (!pair) break;
      const key = pair.key as YamlNode | null;
      const value = pair.value as YamlNode | null;
      start = key?.range?.[0] ?? start;
      end = value?.range?.[1] ?? key?.range?.[1] ?? end;
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item?.range) break;
      start = item.range[0];
      end = item.range[1];
      node = item;
    } else break;
    depth++;
  }
  return { start, end, depth };
}

/** `# Source: chart/templates/x.yaml` (Helm) in the comment above a document. */
function helmSource(doc: Document): string | undefined {
  const comment = [doc.commentBefore, doc.contents?.commentBefore].filter((c): c is string => typeof c === 'string').join('\n');
  const m = /^\s*Source:\s*(\S.*?)\s*$/m.exec(comment);
  return m?.[1];
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/** The objects of one file's text, in document order. Throws a UserError naming the file and line. */
export function parseManifestText(text: string, file: string): ManifestObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text.replace(/^\uFEFF/, ''), { lineCounter, uniqueKeys: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const out: ManifestObject[] = [];
  const pos = (offset: number) => lineCounter.linePos(offset);
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const { line } = pos(err.pos[0]);
      throw new UserError(`${file}:${line}: invalid YAML: ${firstLine(err.message).replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    const root = doc.contents as YamlNode | null;
    if (!root) continue; // an empty document (`---` with only comments), as helm prints them
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      throw new UserError(`${file}:${pos(root.range?.[0] ?? 0).line}: invalid YAML: ${firstLine(e)}`);
    }
    const template = helmSource(doc);
    const add = (obj: unknown, prefix: PathSegment[]) => {
      const at = walk(root, prefix);
      const { line, col } = pos(at.start);
      if (!isObj(obj)) throw new UserError(`${file}:${line}: not a Kubernetes object (expected a mapping with apiVersion and kind)`);
      if (Array.isArray(obj.items) && (obj.kind === undefined || (typeof obj.kind === 'string' && obj.kind.endsWith('List')))) {
        obj.items.forEach((item, i) => add(item, [...prefix, 'items', i]));
        return;
      }
      const kind = obj.kind;
      if (typeof kind !== 'string' || kind === '') throw new UserError(`${file}:${line}: not a Kubernetes object: no "kind"`);
      const meta = isObj(obj.metadata) ? obj.metadata : {};
      const name = typeof meta.name === 'string' && meta.name ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '';
      const object: ManifestObject = {
        file,
        kind,
        apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
        name,
        raw: obj,
        line,
        column: col,
        locate: (path) => {
          const full = [...prefix, ...path];
          const found = walk(root, full);
          const s = pos(found.start);
          const e = pos(found.end);
          const loc: Omit<SourceLocation, 'object'> = {
            file,
            line: s.line,
            column: s.col,
            endLine: e.line,
            endColumn: e.col,
            path: formatPath(path.slice(0, Math.max(0, found.depth - prefix.length))),
          };
          if (template) loc.template = template;
          return loc;
        },
      };
      if (typeof meta.namespace === 'string' && meta.namespace) object.namespace = meta.namespace;
      if (template) object.template = template;
      out.push(object);
    };
    if (Array.isArray(value)) value.forEach((item, i) => add(item, [i]));
    else if (value !== null && value !== undefined) add(value, []);
  }
  return out;
}

/**
 * Sources that are not manifests yet — a kustomization, a Helm chart — as the one line that says
 * how to render them (the check reads what `kubectl apply` would be given, not its inputs).
 */
function unrendered(file: string): string | undefined {
  const base = path.basename(file);
  const dir = sh(path.dirname(file));
  if (/^kustomization\.ya?ml$|^Kustomization$/.test(base)) {
    return `${file}: a kustomization, not manifests: render it first: kubectl kustomize ${dir} | pulldoctor check -f -`;
  }
  if (base === 'Chart.yaml') return `${file}: a Helm chart, not manifests: render it first: helm template RELEASE ${dir} | pulldoctor check -f -`;
  return undefined;
}

/** A Helm template's `{{ … }}` in a file that failed to parse: say so after the parse error. */
const HELM_HINT = ' (it holds {{ … }}: a Helm template? render it first: helm template RELEASE CHART | pulldoctor check -f -)';

/**
 * Read every manifest of `paths` (files, directories, `-`), in the order given (a directory's
 * files sorted by name). Throws a UserError for a missing or unreadable file, an empty or binary
 * one, a YAML error (file and line) or a document that is not a Kubernetes object.
 */
export async function readManifests(paths: readonly string[], opts: ReadManifestsOptions = {}): Promise<ManifestObject[]> {
  const files: string[] = [];
  for (const p of paths) files.push(...(await expand(p)));
  const out: ManifestObject[] = [];
  let stdinRead = false;
  for (const f of files) {
    const name = f === '-' ? 'stdin' : f;
    let buf: Buffer;
    try {
      if (f === '-') {
        if (stdinRead) throw new UserError('-f -: stdin can be read only once');
        stdinRead = true;
        buf = await (opts.readStdin ?? readAllStdin)();
      } else buf = await readFile(f);
    } catch (e) {
      if (e instanceof UserError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`${name}: cannot read: ${code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : firstLine(e)}`);
    }
    const notYet = f === '-' ? undefined : unrendered(f);
    if (notYet) throw new UserError(notYet);
    if (looksBinary(buf)) throw new UserError(`${name}: not a text file (binary data); expected Kubernetes manifests (YAML or JSON)`);
    const text = buf.toString('utf8');
    if (text.trim() === '') throw new UserError(`${name}: file is empty`);
    let objects: ManifestObject[];
    try {
      objects = parseManifestText(text, name);
    } catch (e) {
      if (e instanceof UserError && text.includes('{{')) throw new UserError(e.message + HELM_HINT);
      throw e;
    }
    if (!objects.length) throw new UserError(`${name}: no Kubernetes objects found`);
    out.push(...objects);
  }
  return out;
}
