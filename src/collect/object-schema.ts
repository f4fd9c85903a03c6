/**
 * JSON Schemas for exactly the fields pulldoctor reads of each kind (src/collect/reduce.ts reads
 * these and nothing else). An object that fails its schema is skipped with the reason, never
 * half-read: a `containers: "oops"` Pod must not become a healthy Pod without containers.
 *
 * Rules of thumb:
 * - Only fields pulldoctor reads are described; everything else may be anything.
 * - A field that is present must have the type Kubernetes gives it. `null` counts as a value,
 *   and is accepted only where the API server itself writes it: timestamps (`metav1.Time` and
 *   `MicroTime` serialise a zero time as `null`, e.g. `eventTime: null` on core v1 Events).
 * - Required: `metadata.name` (non-empty) everywhere, a Pod's `spec.containers` (at least one,
 *   each with a name), container status names.
 * - `imagePullSecrets` entries may be strings as well as `{name}` objects: the API server would
 *   refuse them, but a hand-made input can hold them and the rules say where they must go.
 */

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const name: Schema = { type: 'string', minLength: 1 };
const time: Schema = { type: ['string', 'null'] };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const strMap: Schema = { type: 'object', additionalProperties: str };

function obj(properties: Record<string, Schema>, required?: string[]): Schema {
  return { type: 'object', properties, ...(required?.length ? { required } : {}) };
}

const arrayOf = (items: Schema, minItems?: number): Schema => ({ type: 'array', items, ...(minItems ? { minItems } : {}) });

/** The `$id` of the shared definitions; a kind's schema refers to them as `DEFS#/$defs/<name>`. */
export const DEFS_ID = 'pulldoctor-objects';
const ref = (def: string): Schema => ({ $ref: `${DEFS_ID}#/$defs/${def}` });

/** Parts several kinds share (referenced, so the generated validators hold each once). */
export const DEFS: Schema = {
  $id: DEFS_ID,
  $defs: {
    /** ObjectMeta as reduceMeta reads it. */
    meta: obj(
      {
        name,
        namespace: str,
        uid: str,
        creationTimestamp: time,
        managedFields: arrayOf(obj({ time })),
        labels: strMap,
        ownerReferences: arrayOf(obj({ kind: str, name: str, uid: str, controller: bool })),
      },
      ['name'],
    ),
    pullSecretRefs: arrayOf({ type: ['object', 'string'], properties: { name: str } }),
    container: obj({ name, image: str, imagePullPolicy: str }, ['name']),
    containerState: obj({
      waiting: obj({ reason: str, message: str }),
      running: obj({ startedAt: time }),
      terminated: obj({ reason: str, message: str, exitCode: int, finishedAt: time }),
    }),
    containerStatus: obj(
      {
        name: str,
        image: str,
        imageID: str,
        ready: bool,
        restartCount: int,
        state: ref('containerState'),
        lastState: ref('containerState'),
      },
      ['name'],
    ),
    objectReference: obj({ kind: str, name: str, namespace: str, uid: str, fieldPath: str }),
  },
};

const meta = ref('meta');
const containers = (minItems?: number) => arrayOf(ref('container'), minItems);
const statuses = arrayOf(ref('containerStatus'));

export const POD_SCHEMA = obj(
  {
    metadata: meta,
    spec: obj(
      {
        containers: containers(1),
        initContainers: containers(),
        ephemeralContainers: containers(),
        imagePullSecrets: ref('pullSecretRefs'),
        serviceAccountName: str,
        serviceAccount: str,
        nodeName: str,
        nodeSelector: strMap,
      },
      ['containers'],
    ),
    status: obj({
      phase: str,
      reason: str,
      message: str,
      startTime: time,
      containerStatuses: statuses,
      initContainerStatuses: statuses,
      ephemeralContainerStatuses: statuses,
    }),
  },
  ['metadata', 'spec'],
);

/** Core v1 and events.k8s.io/v1 Events: reduceEvent reads either set of fields. */
export const EVENT_SCHEMA = obj(
  {
    apiVersion: str,
    metadata: meta,
    involvedObject: ref('objectReference'),
    regarding: ref('objectReference'),
    type: str,
    reason: str,
    message: str,
    note: str,
    count: int,
    deprecatedCount: int,
    series: obj({ count: int, lastObservedTime: time }),
    firstTimestamp: time,
    lastTimestamp: time,
    eventTime: time,
    deprecatedFirstTimestamp: time,
    deprecatedLastTimestamp: time,
    source: obj({ host: str }),
    deprecatedSource: obj({ host: str }),
    reportingInstance: str,
  },
  ['metadata'],
);

export const SECRET_SCHEMA = obj({ metadata: meta, type: str, data: strMap, stringData: strMap }, ['metadata']);

export const SERVICE_ACCOUNT_SCHEMA = obj({ metadata: meta, imagePullSecrets: ref('pullSecretRefs') }, ['metadata']);

/** ReplicaSets and Jobs: only their metadata (owner resolution). */
export const OWNER_SCHEMA = obj({ metadata: meta }, ['metadata']);

export const NODE_SCHEMA = obj(
  {
    metadata: obj({ name, labels: strMap }, ['name']),
    status: obj({
      nodeInfo: obj({ architecture: str, operatingSystem: str, containerRuntimeVersion: str, kubeletVersion: str }),
      conditions: arrayOf(obj({ type: str, status: str, message: str })),
    }),
  },
  ['metadata'],
);

/** The schema of each kind a source reads (ReplicaSets and Jobs share `Owner`). */
export const OBJECT_SCHEMAS = {
  Pod: POD_SCHEMA,
  Event: EVENT_SCHEMA,
  Secret: SECRET_SCHEMA,
  ServiceAccount: SERVICE_ACCOUNT_SCHEMA,
  Owner: OWNER_SCHEMA,
  Node: NODE_SCHEMA,
} as const;
