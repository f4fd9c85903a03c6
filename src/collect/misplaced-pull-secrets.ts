/**
 * `imagePullSecrets` where the kubelet does not read it. The kubelet reads pull secrets from one
 * place only: the pod spec's `imagePullSecrets`, a list of `{name: …}` objects
 * (kubelet-semantics.md §2; `LocalObjectReference`). Anything else — the list under a container,
 * in `metadata`, on the workload's own spec, a misspelled key, a list of plain strings — is
 * dropped by the API server (unknown field) or rejected, and the pod gets no pull secret from it.
 *
 * `findMisplacedPullSecrets` is pure: it takes one raw object as parsed from JSON or YAML (a Pod,
 * a workload with a pod template, or a bare pod spec) and returns every misplacement with its
 * JSON path and segments, so a reader with source positions (the YAML CST of a manifest) can
 * point at the line, and the scan can read it from a `last-applied-configuration` annotation.
 */
import type { MisplacementKind, PullSecretMisplacement } from '../model/manifest.js';

type Raw = Record<string, unknown>;
type Segment = string | number;

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where each kind keeps its pod spec. */
const POD_SPEC_PATH: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The kinds whose pod spec this module knows where to find. */
export const POD_TEMPLATE_KINDS: readonly string[] = Object.keys(POD_SPEC_PATH);

/** The path of a kind's pod spec, e.g. `['spec', 'template', 'spec']`; undefined for other kinds. */
export function podSpecPath(kind: string): readonly string[] | undefined {
  return POD_SPEC_PATH[kind];
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/** Subtrees that never hold a pod's fields (or that are server-written). */
const SKIPPED = new Set(['status', 'managedFields', 'annotations', 'labels']);
const MAX_DEPTH = 16;

/** `imagePullSecrets` and the spellings people write for it: any case, `-`/`_`, singular. */
export function isPullSecretsKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  return k === 'imagepullsecrets' || k === 'imagepullsecret';
}

/** `spec.template.spec.containers[0].imagePullSecrets`; odd keys are quoted (`metadata["a.b"]`). */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function shapeOf(v: unknown): PullSecretMisplacement['shape'] {
  if (typeof v === 'string') return 'string';
  if (isObj(v)) return 'object';
  if (!Array.isArray(v)) return 'other';
  if (v.length > 0 && v.every((e) => typeof e === 'string')) return 'strings';
  if (v.every(isObj)) return 'objects';
  return 'other';
}

const hasName = (e: unknown): boolean => isObj(e) && typeof e.name === 'string' && e.name.trim() !== '';

/**
 * The secret names a value gives, however it is written: strings, `{name}` objects, and for an
 * object without `name` its one string member (`{secretName: acme-pull}`).
 */
function namesOf(v: unknown): string[] {
  const one = (e: unknown): string[] => {
    if (typeof e === 'string') return e.trim() ? [e.trim()] : [];
    if (!isObj(e)) return [];
    if (hasName(e)) return [(e.name as string).trim()];
    const strings = Object.values(e).filter((x): x is string => typeof x === 'string' && x.trim() !== '');
    return strings.length === 1 ? [(strings[0] as string).trim()] : [];
  };
  return Array.isArray(v) ? v.flatMap(one) : one(v);
}

const samePath = (a: readonly Segment[], b: readonly Segment[]) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * Every `imagePullSecrets` (or a misspelling of it) in `obj` that the kubelet would not read,
 * in document order. `obj` is a Pod or a workload (its `kind` says where the pod spec is), or a
 * bare pod spec (an object with `containers` and no `kind`). A correct list — the right key in
 * the pod spec, `{name}` objects — is not reported; neither is an object of another kind.
 */
export function findMisplacedPullSecrets(obj: unknown): PullSecretMisplacement[] {
  if (!isObj(obj)) return [];
  const kind = typeof obj.kind === 'string' ? obj.kind : undefined;
  const specPath: readonly string[] | undefined = kind !== undefined ? POD_SPEC_PATH[kind] : Array.isArray(obj.containers) ? [] : undefined;
  if (!specPath) return [];
  const target = formatPath([...specPath, 'imagePullSecrets']);
  const out: PullSecretMisplacement[] = [];

  const report = (kind: MisplacementKind, segments: Segment[], key: string, value: unknown, container?: string) => {
    const m: PullSecretMisplacement = { kind, path: formatPath(segments), segments, key, shape: shapeOf(value), names: namesOf(value), target };
    if (container !== undefined) m.container = container;
    out.push(m);
  };

  const walk = (node: unknown, segments: Segment[], container: string | undefined, inMetadata: boolean) => {
    if (segments.length > MAX_DEPTH) return;
    if (Array.isArray(node)) {
      const parent = segments[segments.length - 1];
      node.forEach((item, i) => {
        const name = typeof parent === 'string' && CONTAINER_LISTS.has(parent) && isObj(item) && typeof item.name === 'string' ? item.name : container;
        walk(item, [...segments, i], name, inMetadata);
      });
      return;
    }
    if (!isObj(node)) return;
    const atSpec = samePath(segments, specPath);
    for (const [key, value] of Object.entries(node)) {
      const here = [...segments, key];
      if (isPullSecretsKey(key)) {
        if (atSpec && key === 'imagePullSecrets') {
          // `[]` is fine; so is a list of `{name}` objects.
          const fine = Array.isArray(value) && value.every(hasName);
          if (!fine) report('wrong-shape', here, key, value);
        } else if (atSpec) report('misspelled-key', here, key, value);
        else if (container !== undefined) report('under-container', here, key, value, container);
        else if (inMetadata) report('in-metadata', here, key, value);
        else report('wrong-level', here, key, value);
        continue;
      }
      if (SKIPPED.has(key)) continue;
      walk(value, here, container, inMetadata || key === 'metadata');
    }
  };
  walk(obj, [], undefined, false);
  return out;
}

/**
 * The corrected snippet for a misplacement, as one line of YAML flow style at the pod spec, e.g.
 * `imagePullSecrets: [{name: acme-pull}]` (names that need it are quoted).
 */
export function correctedSnippet(names: readonly string[]): string {
  const q = (n: string) => (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(n) ? n : JSON.stringify(n));
  const entries = names.length ? names.map((n) => `{name: ${q(n)}}`) : ['{name: <secret-name>}'];
  return `imagePullSecrets: [${entries.join(', ')}]`;
}

/** The `kubectl.kubernetes.io/last-applied-configuration` annotation key. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The misplacements in an object's `last-applied-configuration` annotation (what `kubectl apply`
 * sent, unknown fields included). Cheap for the common case: the JSON is parsed only when its
 * text mentions a pull-secrets key at all. Never throws: an unparsable annotation gives none.
 */
export function misplacedInLastApplied(annotation: unknown): PullSecretMisplacement[] {
  if (typeof annotation !== 'string' || !/image[-_\s]?pull[-_\s]?secret/i.test(annotation)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    return [];
  }
  return findMisplacedPullSecrets(parsed);
}
