/**
 * Server-side printing: the `meta.k8s.io/v1` Table `kubectl get` asks for
 * (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`). Columns follow the real
 * server's printers for pods, events and secrets; other kinds get the default Name/Created At.
 */

type Obj = Record<string, unknown>;

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const col = (name: string, type = 'string', priority = 0, format = ''): Column => ({
  name,
  type,
  format,
  description: name,
  priority,
});

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const y = Math.floor(hours / 24 / 365);
    const d = Math.floor(hours / 24) % 365;
    return d === 0 ? `${y}y` : `${y}y${d}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const age = (ts: unknown, now: number): string =>
  typeof ts === 'string' && ts ? humanDuration(now - Date.parse(ts)) : '<unknown>';

const o = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const a = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(o) : []);
const s = (v: unknown): string => (typeof v === 'string' ? v : '');

function podCells(pod: Obj, now: number): unknown[] {
  const spec = o(pod.spec);
  const status = o(pod.status);
  const statuses = a(status.containerStatuses);
  const total = a(spec.containers).length;
  const ready = statuses.filter((c) => c.ready === true).length;
  const restarts = statuses.reduce((n, c) => n + (typeof c.restartCount === 'number' ? c.restartCount : 0), 0);
  let reason = s(status.reason) || s(status.phase);
  const initWaiting = a(status.initContainerStatuses)
    .map((c) => s(o(o(c.state).waiting).reason))
    .find((r) => r && r !== 'PodInitializing');
  if (initWaiting) reason = `Init:${initWaiting}`;
  else
    for (const c of statuses) {
      const st = o(c.state);
      const w = s(o(st.waiting).reason);
      const t = s(o(st.terminated).reason);
      if (w) reason = w;
      else if (t) reason = t;
    }
  const meta = o(pod.metadata);
  return [
    s(meta.name),
    `${ready}/${total}`,
    reason,
    String(restarts),
    age(meta.creationTimestamp, now),
    s(status.podIP) || '<none>',
    s(spec.nodeName) || '<none>',
    s(status.nominatedNodeName) || '<none>',
    '<none>',
  ];
}

function eventCells(ev: Obj, now: number): unknown[] {
  const inv = o(ev.involvedObject);
  const src = o(ev.source);
  const last = s(ev.lastTimestamp) || s(ev.eventTime) || s(o(ev.metadata).creationTimestamp);
  const first = s(ev.firstTimestamp) || s(ev.eventTime) || s(o(ev.metadata).creationTimestamp);
  const source = [s(src.component) || s(ev.reportingComponent), s(src.host) || s(ev.reportingInstance)]
    .filter(Boolean)
    .join(', ');
  return [
    age(last, now),
    s(ev.type),
    s(ev.reason),
    `${s(inv.kind).toLowerCase()}/${s(inv.name)}`,
    s(inv.fieldPath),
    source,
    s(ev.message).trim(),
    age(first, now),
    typeof ev.count === 'number' ? ev.count : 1,
    s(o(ev.metadata).name),
  ];
}

function secretCells(secret: Obj, now: number): unknown[] {
  const meta = o(secret.metadata);
  return [s(meta.name), s(secret.type), Object.keys(o(secret.data)).length, age(meta.creationTimestamp, now)];
}

const TABLES: Record<string, { columns: Column[]; cells: (obj: Obj, now: number) => unknown[] }> = {
  pods: {
    columns: [
      col('Name'),
      col('Ready'),
      col('Status'),
      col('Restarts'),
      col('Age'),
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    cells: podCells,
  },
  events: {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Subobject', 'string', 1),
      col('Source', 'string', 1),
      col('Message'),
      col('First Seen', 'string', 1),
      col('Count', 'integer', 1),
      col('Name', 'string', 1),
    ],
    cells: eventCells,
  },
  secrets: { columns: [col('Name'), col('Type'), col('Data', 'integer'), col('Age')], cells: secretCells },
};

const defaultTable = {
  columns: [col('Name', 'string', 0, 'name'), col('Created At', 'date')],
  cells: (obj: Obj) => [s(o(obj.metadata).name), s(o(obj.metadata).creationTimestamp)],
};

export function toTable(
  resource: string,
  items: Obj[],
  listMeta: Obj,
  includeObject: string,
  now = Date.now(),
): Obj {
  const t = TABLES[resource] ?? defaultTable;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: t.columns,
    rows: items.map((item) => ({
      cells: t.cells(item, now),
      object:
        includeObject === 'None'
          ? undefined
          : includeObject === 'Object'
            ? item
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata },
    })),
  };
}
