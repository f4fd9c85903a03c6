/**
 * Validation where input enters: each object of a kind pulldoctor reads is checked against the
 * schema of the fields it reads (./object-schema.ts) before it is reduced, so a malformed object
 * is skipped with its reason instead of being half-read.
 *
 * The validators are ajv's, compiled ahead of time (./object-validators.generated.ts, made by
 * test/helpers/object-validators.ts): no schema is compiled and ajv is not loaded when pulldoctor
 * runs, and checking an object costs about as much as reading its fields.
 */
import * as generated from './object-validators.generated.js';

/** The kinds a source reads; everything else is skipped and counted. */
export type ReadKind = 'Pod' | 'Event' | 'Secret' | 'ServiceAccount' | WorkloadKind | 'Node';

/** Workloads read as owners: owner resolution, and their manifests' misplaced imagePullSecrets. */
export type WorkloadKind = 'ReplicaSet' | 'Job' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob';

/** What an ajv validator reports (allErrors off: the first problem only). */
interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

const VALIDATORS: Record<ReadKind, Validator> = {
  Pod: generated.Pod as Validator,
  Event: generated.Event as Validator,
  Secret: generated.Secret as Validator,
  ServiceAccount: generated.ServiceAccount as Validator,
  ReplicaSet: generated.Owner as Validator,
  Job: generated.Owner as Validator,
  Deployment: generated.Owner as Validator,
  StatefulSet: generated.Owner as Validator,
  DaemonSet: generated.Owner as Validator,
  CronJob: generated.Owner as Validator,
  Node: generated.Node as Validator,
};

/**
 * Why the object cannot be read (`spec.containers: must be array`), or undefined when it can.
 * The object's own `kind` is not read (`kind` says which schema): API list items carry none.
 */
export function invalidReason(kind: ReadKind, obj: unknown): string | undefined {
  const validate = VALIDATORS[kind];
  if (validate(obj)) return undefined;
  const e = validate.errors?.[0];
  return e ? describe(e) : 'does not match the expected shape';
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;
const MAX_SEGMENT = 64;

/** A JSON pointer as a field path: `/spec/containers/0/name` → `spec.containers[0].name`. */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^(0|[1-9]\d*)$/.test(seg)) out += `[${seg}]`;
    else if (IDENTIFIER.test(seg) && seg.length <= MAX_SEGMENT) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg.length > MAX_SEGMENT ? `${seg.slice(0, MAX_SEGMENT)}…` : seg)}]`;
  }
  return out;
}

/** ajv's type names, as in its own messages: `array`, `string or null`. */
const typeWords = (t: unknown): string => (Array.isArray(t) ? t.map(String) : String(t).split(',')).join(' or ');

function describe(e: SchemaError): string {
  const at = fieldPath(e.instancePath);
  switch (e.keyword) {
    case 'required': {
      const missing = fieldPath(`${e.instancePath}/${String(e.params.missingProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`);
      return `${missing}: is required`;
    }
    case 'type':
      return `${at || 'the object'}: must be ${typeWords(e.params.type)}`;
    case 'minItems':
    case 'minLength':
      return `${at}: must not be empty`;
    default:
      return `${at || 'the object'}: does not match the schema (${e.keyword})`;
  }
}
