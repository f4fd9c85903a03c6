/**
 * Field and label selectors as the API server parses them (the subset the tests and kubectl
 * use). A parse error is thrown as a `SelectorError`, which the server answers with 400.
 */

export class SelectorError extends Error {}

type Obj = Record<string, unknown>;

export type Matcher = (obj: Obj) => boolean;

/** Split on commas that are not inside parentheses (`env in (a,b),tier=web`). */
function splitTerms(sel: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** Field paths each resource supports (like the real server; anything else is a 400). */
const FIELDS: Record<string, string[]> = {
  common: ['metadata.name', 'metadata.namespace'],
  pods: ['spec.nodeName', 'spec.serviceAccountName', 'status.phase', 'spec.schedulerName', 'spec.restartPolicy'],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  secrets: ['type'],
};

function fieldValue(obj: Obj, path: string): string {
  if (path === 'source') {
    const src = obj.source as Obj | undefined;
    return typeof src?.component === 'string' ? src.component : '';
  }
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return '';
    cur = (cur as Obj)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

export function parseFieldSelector(sel: string | null | undefined, resource: string): Matcher {
  if (!sel) return () => true;
  const allowed = new Set([...(FIELDS.common ?? []), ...(FIELDS[resource] ?? [])]);
  const tests = splitTerms(sel).map((term) => {
    const m = /^([^!=]+?)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${sel}'; can't understand '${term}'`);
    const [, field = '', op, value = ''] = m;
    if (!allowed.has(field)) throw new SelectorError(`field label not supported: ${field}`);
    return op === '!=' ? (o: Obj) => fieldValue(o, field) !== value : (o: Obj) => fieldValue(o, field) === value;
  });
  return (o) => tests.every((t) => t(o));
}

function labelsOf(obj: Obj): Record<string, string> {
  const meta = obj.metadata as Obj | undefined;
  const labels = meta?.labels;
  return typeof labels === 'object' && labels !== null ? (labels as Record<string, string>) : {};
}

export function parseLabelSelector(sel: string | null | undefined): Matcher {
  if (!sel) return () => true;
  const tests = splitTerms(sel).map((term): Matcher => {
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const [, key = '', op, list = ''] = m;
      const values = new Set(list.split(',').map((v) => v.trim()));
      return op === 'in'
        ? (o) => key in labelsOf(o) && values.has(labelsOf(o)[key] ?? '')
        : (o) => !(key in labelsOf(o)) || !values.has(labelsOf(o)[key] ?? '');
    }
    m = /^([\w./-]+)\s*(==|!=|=)\s*([\w./-]*)$/.exec(term);
    if (m) {
      const [, key = '', op, value = ''] = m;
      return op === '!=' ? (o) => labelsOf(o)[key] !== value : (o) => labelsOf(o)[key] === value;
    }
    m = /^(!?)([\w./-]+)$/.exec(term);
    if (m) {
      const [, neg, key = ''] = m;
      return neg ? (o) => !(key in labelsOf(o)) : (o) => key in labelsOf(o);
    }
    throw new SelectorError(`unable to parse requirement: found '${term}', expected: identifier`);
  });
  return (o) => tests.every((t) => t(o));
}
