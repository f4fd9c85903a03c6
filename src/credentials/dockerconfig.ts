/**
 * One pull secret, parsed exactly as the kubelet parses it (kubelet-semantics.md §3):
 * the type/data-key filter (§3.1), the `auths` wrapper (§3.4), Go `encoding/json` rules
 * (§3.5: case-insensitive field names, last duplicate wins, type errors fail the secret),
 * the entry fields (§3.6) and `auth` decoding with padded/unpadded base64 (§3.7).
 *
 * Sources: kubernetes `pkg/credentialprovider/secrets/secrets.go` (secretsToTrackedDockerConfigs),
 * `pkg/credentialprovider/config.go` (DockerConfigJSON, DockerConfigEntry.UnmarshalJSON,
 * dockerConfigEntryWithAuth, decodeDockerConfigFieldAuth). The Go `encoding/json` and
 * `encoding/base64` behaviour it relies on is emulated in ./go/.
 *
 * Error texts are the kubelet's own. Go version note: since Go 1.24 `addErrorContext` appends
 * the inner field of a nested custom unmarshaler's type error, so a bad `auth` type reads
 * `…Go struct field DockerConfigJSON.auths.auth of type string`; kubelets built with older Go
 * print `…DockerConfigJSON.auths of type string` for the same input.
 *
 * Never throws. Secret values only leave this module sealed.
 */
import type { SecretObject } from '../model/kube.js';
import { base64CorruptInputError, goBase64Decode } from '../go/base64.js';
import {
  addErrorContext,
  jsonErrorText,
  jsonFieldIs,
  readJsonValue,
  type JNode,
  type JsonDecodeError,
  type UnmarshalTypeError,
} from '../go/json-decode.js';
import { goJsonCheckValid } from '../go/json-scanner.js';
import { goCompareStrings, goTrimRightSpace } from '../go/strings.js';
import { normalizeKey } from './keys.js';
import type { ParsedEntry, ParsedPullSecret } from './pull-secret.js';
import { fingerprint, reveal, seal } from './vault.js';

const TYPE_DOCKERCONFIGJSON = 'kubernetes.io/dockerconfigjson';
const TYPE_DOCKERCFG = 'kubernetes.io/dockercfg';

// ───────────────────────────── config.go decoding ─────────────────────────────

/** config.go decodeDockerConfigFieldAuth (current: padded iff the trimmed value ends with '='). */
export function decodeAuthField(field: string): { ok: true; username: string; password: string } | { ok: false; error: string } {
  const padded = goTrimRightSpace(field).endsWith('=');
  const r = goBase64Decode(Buffer.from(field, 'utf8'), padded);
  if (!r.ok) return { ok: false, error: base64CorruptInputError(r.offset) };
  const colon = r.bytes.indexOf(0x3a);
  if (colon < 0) return { ok: false, error: 'unable to parse auth field, must be formatted as base64(username:password)' };
  // Limitation: bytes that are not valid UTF-8 become U+FFFD here (affects only fingerprints/probes).
  return { ok: true, username: r.bytes.subarray(0, colon).toString('utf8'), password: r.bytes.subarray(colon + 1).toString('utf8') };
}

interface RawEntry {
  username: string;
  password: string;
  authPresent: boolean;
  authOverrodeExplicit: boolean;
  ignoredFields: string[];
}

const ENTRY_FIELDS = ['username', 'password', 'email', 'auth'] as const;

/** DockerConfigEntry.UnmarshalJSON: decode into dockerConfigEntryWithAuth, then decode `auth`. */
function decodeEntry(node: JNode): { ok: true; entry: RawEntry } | { ok: false; err: JsonDecodeError } {
  const tmp: Record<(typeof ENTRY_FIELDS)[number], string> = { username: '', password: '', email: '', auth: '' };
  const ignoredFields: string[] = [];
  let saved: UnmarshalTypeError | null = null;
  if (node.k === 'object') {
    for (const [key, val] of node.members) {
      const f = ENTRY_FIELDS.find((name) => jsonFieldIs(key, name));
      if (f === undefined) {
        if (!ignoredFields.includes(key)) ignoredFields.push(key);
        continue;
      }
      if (val.k === 'string') tmp[f] = val.v;
      else if (val.k !== 'null') saved ??= { value: val.k, type: 'string', struct: 'dockerConfigEntryWithAuth', field: f };
    }
  } else if (node.k !== 'null') {
    saved = { value: node.k, type: 'credentialprovider.dockerConfigEntryWithAuth', struct: '', field: '' };
  }
  if (saved !== null) return { ok: false, err: { type: saved } };
  if (tmp.auth.length === 0) {
    return {
      ok: true,
      entry: { username: tmp.username, password: tmp.password, authPresent: false, authOverrodeExplicit: false, ignoredFields },
    };
  }
  const decoded = decodeAuthField(tmp.auth);
  if (!decoded.ok) return { ok: false, err: { plain: decoded.error } };
  const explicitGiven = tmp.username !== '' || tmp.password !== '';
  return {
    ok: true,
    entry: {
      username: decoded.username,
      password: decoded.password,
      authPresent: true,
      authOverrodeExplicit: explicitGiven && (tmp.username !== decoded.username || tmp.password !== decoded.password),
      ignoredFields,
    },
  };
}

interface DecodeOutcome {
  entries: Map<string, RawEntry>;
  error?: string;
  errorKey?: string;
  missingAuthsWrapper: boolean;
  topLevelKeys: string[];
}

/**
 * json.Unmarshal into DockerConfig (legacy) or DockerConfigJSON (wrapped). Type errors at the
 * outer levels are saved (first wins, decoding continues); errors from an entry's UnmarshalJSON
 * abort the decode and win over saved ones — as in Go's decodeState.
 */
function decodeConfig(root: JNode, wrapped: boolean): DecodeOutcome {
  const out: DecodeOutcome = { entries: new Map(), missingAuthsWrapper: false, topLevelKeys: [] };
  let saved: JsonDecodeError | null = null;
  let returned: { err: JsonDecodeError; key: string } | null = null;

  const decodeMap = (node: JNode, ctx: { struct: string; stack: string[] } | null): void => {
    const mapType = 'credentialprovider.DockerConfig';
    if (node.k === 'null') {
      out.entries = new Map();
      return;
    }
    if (node.k !== 'object') {
      const e: JsonDecodeError = { type: { value: node.k, type: mapType, struct: '', field: '' } };
      saved ??= ctx ? addErrorContext(e, ctx.struct, ctx.stack) : e;
      return;
    }
    for (const [key, val] of node.members) {
      const r = decodeEntry(val);
      if (!r.ok) {
        // Go stops here; keep going only to list the other entries for display.
        returned ??= { err: ctx ? addErrorContext(r.err, ctx.struct, ctx.stack) : r.err, key };
        out.entries.delete(key);
        continue;
      }
      out.entries.set(key, r.entry);
    }
  };

  if (!wrapped) decodeMap(root, null);
  else if (root.k === 'object') {
    let sawAuths = false;
    for (const [key, val] of root.members) {
      if (jsonFieldIs(key, 'auths')) {
        sawAuths = true;
        decodeMap(val, { struct: 'DockerConfigJSON', stack: ['auths'] });
        continue;
      }
      if (!out.topLevelKeys.includes(key)) out.topLevelKeys.push(key);
      if (jsonFieldIs(key, 'HttpHeaders')) {
        const e = (value: string, type: string): JsonDecodeError => ({ type: { value, type, struct: 'DockerConfigJSON', field: 'HttpHeaders' } });
        if (val.k === 'object') {
          for (const [, hv] of val.members) if (hv.k !== 'string' && hv.k !== 'null') saved ??= e(hv.k, 'string');
        } else if (val.k !== 'null') saved ??= e(val.k, 'map[string]string');
      }
    }
    out.missingAuthsWrapper = !sawAuths;
  } else if (root.k === 'null') {
    out.missingAuthsWrapper = true;
  } else {
    saved = { type: { value: root.k, type: 'credentialprovider.DockerConfigJSON', struct: '', field: '' } };
  }

  const finalReturned = returned as { err: JsonDecodeError; key: string } | null;
  if (finalReturned !== null) {
    out.error = jsonErrorText(finalReturned.err);
    out.errorKey = finalReturned.key;
  } else if (saved !== null) {
    out.error = jsonErrorText(saved);
  }
  return out;
}

/**
 * A node docker config file's bytes, as the kubelet's node keyring reads them (config.go
 * `readDockerConfigJSONFileFromBytes` for `config.json`, wrapped; `ReadDockerConfigFileFromBytes`
 * for `.dockercfg`, unwrapped). Any JSON or `auth` error rejects the whole file, which the
 * kubelet then skips (node-credentials.md §3.2).
 */
export function parseDockerConfigBytes(
  bytes: Uint8Array,
  wrapped: boolean,
): { ok: true; entries: ParsedEntry[]; hasAuths: boolean; topLevelKeys: string[] } | { ok: false; error: string } {
  const syntaxError = goJsonCheckValid(bytes);
  if (syntaxError !== null) return { ok: false, error: syntaxError };
  const decoded = decodeConfig(readJsonValue(bytes), wrapped);
  if (decoded.error !== undefined) return { ok: false, error: decoded.error };
  const entries = [...decoded.entries.entries()].sort(([a], [b]) => goCompareStrings(a, b)).map(([key, raw]) => toParsedEntry(key, raw));
  return { ok: true, entries, hasAuths: !wrapped || !decoded.missingAuthsWrapper, topLevelKeys: decoded.topLevelKeys };
}

// ───────────────────────────── the secret ─────────────────────────────

function toParsedEntry(registryKey: string, raw: RawEntry): ParsedEntry {
  const norm = normalizeKey(registryKey);
  const entry: ParsedEntry = {
    registryKey,
    normalizedKey: norm.key,
    username: raw.username,
    hasPassword: raw.password !== '',
    authPresent: raw.authPresent,
    authOverrodeExplicit: raw.authOverrodeExplicit,
    ignoredFields: raw.ignoredFields,
    usable: raw.username !== '' || raw.password !== '',
    fingerprint: fingerprint(raw.password),
    credential: seal({ username: raw.username, password: raw.password }),
  };
  if (norm.key === null) entry.skipReason = norm.reason;
  return entry;
}

function describeKeys(keys: string[]): string {
  return keys.length > 0 ? keys.join(', ') : 'none';
}

export function parsePullSecret(secret: SecretObject): ParsedPullSecret {
  const meta = secret.metadata ?? { name: '', namespace: '' };
  // The API server defaults a missing type to Opaque.
  const type = secret.type !== undefined && secret.type !== '' ? secret.type : 'Opaque';
  const result: ParsedPullSecret = {
    name: meta.name ?? '',
    namespace: meta.namespace ?? '',
    type,
    dataKeys: [...(secret.dataKeys ?? [])],
    format: null,
    entries: [],
    missingAuthsWrapper: false,
    topLevelKeys: [],
  };
  if (meta.creationTimestamp !== undefined) result.createdAt = meta.creationTimestamp;
  if (meta.updatedAt !== undefined) result.updatedAt = meta.updatedAt;
  try {
    parseInto(secret, type, result);
  } catch (e) {
    // Defensive: parsing must never throw. Never include secret material in this text.
    result.error = `pulldoctor could not parse this secret (${e instanceof Error ? e.name : 'error'})`;
    result.entries = [];
  }
  return result;
}

function parseInto(secret: SecretObject, type: string, result: ParsedPullSecret): void {
  let data: { '.dockerconfigjson'?: string; '.dockercfg'?: string } = {};
  try {
    data = reveal(secret.sealed);
  } catch {
    data = {};
  }
  const dataKeys = secret.dataKeys ?? [];
  const has = (k: '.dockerconfigjson' | '.dockercfg'): boolean => dataKeys.includes(k) || typeof data[k] === 'string';

  let dataKey: '.dockerconfigjson' | '.dockercfg';
  if (type === TYPE_DOCKERCONFIGJSON) dataKey = '.dockerconfigjson';
  else if (type === TYPE_DOCKERCFG) dataKey = '.dockercfg';
  else {
    result.ignoredReason = `type ${type} is not read by the kubelet`;
    return;
  }
  if (!has(dataKey)) {
    result.ignoredReason = `type ${type} but no ${dataKey} data key (has: ${describeKeys(dataKeys)})`;
    return;
  }
  const encoded = data[dataKey] ?? '';
  const apiDecoded = goBase64Decode(Buffer.from(encoded, 'utf8'), true);
  if (!apiDecoded.ok) {
    result.format = dataKey === '.dockerconfigjson' ? 'dockerconfigjson' : 'dockercfg';
    result.error =
      `the ${dataKey} data is not valid base64 (${base64CorruptInputError(apiDecoded.offset)}); ` +
      'the API server never stores such a value, so this object was edited outside the cluster';
    return;
  }
  if (apiDecoded.bytes.length === 0) {
    result.ignoredReason = `type ${type} but the ${dataKey} data is empty`;
    return;
  }
  const wrapped = dataKey === '.dockerconfigjson';
  result.format = wrapped ? 'dockerconfigjson' : 'dockercfg';
  const syntaxError = goJsonCheckValid(apiDecoded.bytes);
  if (syntaxError !== null) {
    result.error = syntaxError;
    return;
  }
  const root = readJsonValue(apiDecoded.bytes);
  const decoded = decodeConfig(root, wrapped);
  if (decoded.error !== undefined) result.error = decoded.error;
  if (decoded.errorKey !== undefined) result.errorKey = decoded.errorKey;
  result.missingAuthsWrapper = wrapped && decoded.error === undefined && decoded.missingAuthsWrapper;
  result.topLevelKeys = decoded.topLevelKeys;
  result.entries = [...decoded.entries.entries()]
    .sort(([a], [b]) => goCompareStrings(a, b))
    .map(([key, raw]) => toParsedEntry(key, raw));
}
