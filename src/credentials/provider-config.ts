/**
 * The kubelet's `CredentialProviderConfig` (`--image-credential-provider-config`, KEP-2133):
 * decoding one file the way the kubelet's codec does (YAML or JSON, strict: unknown and
 * duplicate fields are errors, field names case-sensitive, Go JSON types), and reading a
 * directory of them in lexicographic order (kubelet ≥ 1.34). Validation is ./provider-validate.ts.
 *
 * Sources (node-credentials.md §1): kubernetes `pkg/credentialprovider/plugin/config.go`
 * (readCredentialProviderConfig, decode), `plugin.go` (scheme: kubelet.config.k8s.io v1alpha1,
 * v1beta1, v1), apimachinery's json serializer (strict mode: YAMLToJSONStrict + kjson
 * UnmarshalStrict, `strict decoding error: …`), k8s.io/kubelet `config/v1/types.go`.
 *
 * Pure: the caller reads the files. Error texts are the kubelet's, with one deliberate change:
 * where the kubelet quotes the whole file (`Object 'Kind' is missing in '…'`) the file is left
 * out, because `env` values may hold secrets.
 */
import { parseDocument } from 'yaml';
import { goParseDuration } from '../go/duration.js';
import { goQuote } from '../go/quote.js';

export const CONFIG_GROUP = 'kubelet.config.k8s.io';
export const CONFIG_VERSIONS = ['v1alpha1', 'v1beta1', 'v1'] as const;
/** Exec-protocol versions a provider may name (`providers[].apiVersion`), sorted as the kubelet lists them. */
export const EXEC_API_VERSIONS = [
  'credentialprovider.kubelet.k8s.io/v1',
  'credentialprovider.kubelet.k8s.io/v1alpha1',
  'credentialprovider.kubelet.k8s.io/v1beta1',
] as const;

export interface ExecEnvVar {
  name: string;
  /** Never shown: an env value may be a secret. */
  value: string;
}

export interface TokenAttributes {
  serviceAccountTokenAudience: string;
  cacheType?: string;
  requireServiceAccount?: boolean;
  requiredServiceAccountAnnotationKeys: string[];
  optionalServiceAccountAnnotationKeys: string[];
}

export interface CredentialProvider {
  name: string;
  matchImages: string[];
  /** As written (e.g. `12h`); undefined when absent. */
  defaultCacheDuration?: string;
  /** defaultCacheDuration in nanoseconds. */
  defaultCacheDurationNs?: number;
  apiVersion: string;
  args: string[];
  env: ExecEnvVar[];
  tokenAttributes?: TokenAttributes;
  /** The file this provider came from. */
  file: string;
}

export type DecodeResult = { ok: true; providers: CredentialProvider[]; apiVersion: string } | { ok: false; error: string };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const KIND = 'CredentialProviderConfig';
/** Kinds the kubelet's plugin scheme knows besides CredentialProviderConfig (they decode, then fail as "wrong Kind"). */
const OTHER_KINDS: Record<string, string[]> = {
  'kubelet.config.k8s.io/v1beta1': ['KubeletConfiguration', 'SerializedNodeConfigSource'],
  'credentialprovider.kubelet.k8s.io/v1alpha1': ['CredentialProviderRequest', 'CredentialProviderResponse'],
  'credentialprovider.kubelet.k8s.io/v1beta1': ['CredentialProviderRequest', 'CredentialProviderResponse'],
  'credentialprovider.kubelet.k8s.io/v1': ['CredentialProviderRequest', 'CredentialProviderResponse'],
};

const jsonKind = (v: Json): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;

class DecodeError extends Error {}

interface Ctx {
  version: string;
  strict: string[];
}

/** `json: cannot unmarshal <kind> into Go struct field <Struct>.<path> of type <type>` (the innermost struct, the whole path). */
function typeError(v: Json, struct: string, path: string[], type: string): DecodeError {
  return new DecodeError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${struct}.${path.join('.')} of type ${type}`);
}

function fieldsOf(v: { [k: string]: Json }, allowed: readonly string[], ctx: Ctx, at: string): void {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) ctx.strict.push(`unknown field ${goQuote(at ? `${at}.${k}` : k)}`);
}

function str(v: Json | undefined, struct: string, path: string[]): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw typeError(v, struct, path, 'string');
  return v;
}

function strList(v: Json | undefined, struct: string, path: string[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw typeError(v, struct, path, '[]string');
  return v.map((x) => {
    if (typeof x !== 'string') throw typeError(x, struct, path, 'string');
    return x;
  });
}

function decodeEnv(v: Json | undefined, ctx: Ctx, at: string): ExecEnvVar[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw typeError(v, 'CredentialProvider', ['providers', 'env'], `[]${ctx.version}.ExecEnvVar`);
  return v.map((e, i) => {
    if (e === null) return { name: '', value: '' };
    if (typeof e !== 'object' || Array.isArray(e)) throw typeError(e, 'CredentialProvider', ['providers', 'env'], `${ctx.version}.ExecEnvVar`);
    fieldsOf(e, ['name', 'value'], ctx, `${at}.env[${i}]`);
    return { name: str(e.name, 'ExecEnvVar', ['providers', 'env', 'name']), value: str(e.value, 'ExecEnvVar', ['providers', 'env', 'value']) };
  });
}

function decodeTokenAttributes(v: Json, ctx: Ctx, at: string): TokenAttributes | undefined {
  if (v === null) return undefined;
  const struct = 'ServiceAccountTokenAttributes';
  const p = (f: string) => ['providers', 'tokenAttributes', f];
  if (typeof v !== 'object' || Array.isArray(v)) throw typeError(v, 'CredentialProvider', ['providers', 'tokenAttributes'], `${ctx.version}.ServiceAccountTokenAttributes`);
  fieldsOf(
    v,
    ['serviceAccountTokenAudience', 'cacheType', 'requireServiceAccount', 'requiredServiceAccountAnnotationKeys', 'optionalServiceAccountAnnotationKeys'],
    ctx,
    `${at}.tokenAttributes`,
  );
  const t: TokenAttributes = {
    serviceAccountTokenAudience: str(v.serviceAccountTokenAudience, struct, p('serviceAccountTokenAudience')),
    requiredServiceAccountAnnotationKeys: strList(v.requiredServiceAccountAnnotationKeys, struct, p('requiredServiceAccountAnnotationKeys')),
    optionalServiceAccountAnnotationKeys: strList(v.optionalServiceAccountAnnotationKeys, struct, p('optionalServiceAccountAnnotationKeys')),
  };
  const cacheType = str(v.cacheType, struct, p('cacheType'));
  if (cacheType !== '') t.cacheType = cacheType;
  const r = v.requireServiceAccount;
  if (r !== undefined && r !== null) {
    if (typeof r !== 'boolean') throw typeError(r, struct, p('requireServiceAccount'), 'bool');
    t.requireServiceAccount = r;
  }
  return t;
}

function decodeProvider(v: Json, i: number, ctx: Ctx, file: string): CredentialProvider {
  const struct = 'CredentialProvider';
  const p = (f: string) => ['providers', f];
  if (v === null) return { name: '', matchImages: [], apiVersion: '', args: [], env: [], file };
  if (typeof v !== 'object' || Array.isArray(v)) throw typeError(v, 'CredentialProviderConfig', ['providers'], `${ctx.version}.CredentialProvider`);
  const at = `providers[${i}]`;
  fieldsOf(v, ['name', 'matchImages', 'defaultCacheDuration', 'apiVersion', 'args', 'env', 'tokenAttributes'], ctx, at);
  const provider: CredentialProvider = {
    name: str(v.name, struct, p('name')),
    matchImages: strList(v.matchImages, struct, p('matchImages')),
    apiVersion: str(v.apiVersion, struct, p('apiVersion')),
    args: strList(v.args, struct, p('args')),
    env: decodeEnv(v.env, ctx, at),
    file,
  };
  const d = v.defaultCacheDuration;
  if (d !== undefined && d !== null) {
    // metav1.Duration.UnmarshalJSON: a JSON string, then time.ParseDuration (validated later).
    if (typeof d !== 'string') throw new DecodeError(`json: cannot unmarshal ${jsonKind(d)} into Go value of type string`);
    const parsed = goParseDuration(d);
    if (!parsed.ok) throw new DecodeError(parsed.error);
    provider.defaultCacheDuration = d;
    provider.defaultCacheDurationNs = parsed.ns;
  }
  if (v.tokenAttributes !== undefined) {
    const t = decodeTokenAttributes(v.tokenAttributes, ctx, at);
    if (t) provider.tokenAttributes = t;
  }
  return provider;
}

/** Parse YAML 1.1 (as go-yaml v2 does) or JSON; duplicate keys are strict errors. */
function parseText(text: string): { value: Json; strict: string[] } {
  const looksJson = /^\s*\{/.test(text);
  const doc = parseDocument(text, { version: looksJson ? '1.2' : '1.1', uniqueKeys: true, prettyErrors: false });
  const strict: string[] = [];
  for (const e of doc.errors) {
    if (e.code !== 'DUPLICATE_KEY') throw new DecodeError(looksJson ? `invalid character in JSON (${e.message.split('\n')[0]})` : `error converting YAML to JSON: yaml: ${e.message.split('\n')[0]}`);
    const line = e.linePos?.[0]?.line ?? 0;
    const key = /^Map keys must be unique/.test(e.message) ? duplicateKeyAt(text, line) : '';
    strict.push(looksJson ? `duplicate field ${goQuote(key)}` : `error converting YAML to JSON: yaml: unmarshal errors:\n  line ${line}: key ${goQuote(key)} already set in map`);
  }
  return { value: (doc.toJS({ maxAliasCount: 100 }) ?? null) as Json, strict };
}

function duplicateKeyAt(text: string, line: number): string {
  const l = text.split('\n')[line - 1] ?? '';
  const m = /^\s*(?:-\s+)?["']?([^"':]+)["']?\s*:/.exec(l);
  return m?.[1]?.trim() ?? '';
}

/**
 * One file through the kubelet's `decode`: apiVersion/kind recognition, strict field checks,
 * Go JSON types. `file` is the path the kubelet would name in `error decoding config "<file>"`.
 */
export function decodeProviderConfigFile(text: string, file: string): DecodeResult {
  const fail = (msg: string): DecodeResult => ({ ok: false, error: `error decoding config ${goQuote(file)}: ${msg}` });
  let parsed: { value: Json; strict: string[] };
  try {
    parsed = parseText(text);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  const root = parsed.value;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return fail(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(root)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  const apiVersion = typeof root.apiVersion === 'string' ? root.apiVersion : '';
  const kind = typeof root.kind === 'string' ? root.kind : '';
  if (kind === '') return fail("Object 'Kind' is missing in '…' (file content left out)");
  const [group, version] = apiVersion.includes('/') ? [apiVersion.slice(0, apiVersion.indexOf('/')), apiVersion.slice(apiVersion.indexOf('/') + 1)] : ['', apiVersion];
  const isConfig = kind === KIND && group === CONFIG_GROUP && (CONFIG_VERSIONS as readonly string[]).includes(version);
  if (!isConfig) {
    if (OTHER_KINDS[apiVersion]?.includes(kind)) return fail(`failed to decode ${goQuote(kind)} (wrong Kind)`);
    return fail(`no kind ${goQuote(kind)} is registered for version ${goQuote(apiVersion)} in scheme "pkg/credentialprovider/plugin/plugin.go"`);
  }
  const ctx: Ctx = { version, strict: [...parsed.strict] };
  try {
    fieldsOf(root, ['apiVersion', 'kind', 'providers'], ctx, '');
    const list = root.providers;
    let providers: CredentialProvider[] = [];
    if (list !== undefined && list !== null) {
      if (!Array.isArray(list)) throw typeError(list, 'CredentialProviderConfig', ['providers'], `[]${version}.CredentialProvider`);
      providers = list.map((p, i) => decodeProvider(p, i, ctx, file));
    }
    if (ctx.strict.length) return fail(`strict decoding error: ${ctx.strict.join(', ')}`);
    return { ok: true, providers, apiVersion };
  } catch (e) {
    if (e instanceof DecodeError) return fail(e.message);
    throw e;
  }
}

/** The files of a config directory the kubelet reads: `*.json`, `*.yaml`, `*.yml` (not directories), sorted byte-wise. */
export function providerConfigFilesOf(names: { name: string; isDirectory: boolean }[]): string[] {
  return names
    .filter((n) => !n.isDirectory && /\.(json|ya?ml)$/.test(n.name) && ['.json', '.yaml', '.yml'].includes(n.name.slice(n.name.lastIndexOf('.'))))
    .map((n) => n.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * readCredentialProviderConfig's merge (kubelet ≥ 1.34): providers of every file in order; a name
 * seen twice, in one file or across files, is an error before validation runs.
 */
export function mergeProviderFiles(files: { providers: CredentialProvider[] }[]): { providers: CredentialProvider[]; error?: string } {
  const seen = new Set<string>();
  const out: CredentialProvider[] = [];
  for (const f of files) {
    for (const p of f.providers) {
      if (seen.has(p.name)) return { providers: out, error: `duplicate provider name ${goQuote(p.name)} found in configuration file(s)` };
      seen.add(p.name);
      out.push(p);
    }
  }
  return { providers: out };
}
