/**
 * Malformed input is never half-read. A property test feeds random mutations of REAL objects
 * (the Pods, Events — both APIs —, Secrets and ServiceAccounts of rule fixtures) to the whole
 * pipeline: the file source (a streamed JSON List, one item per line so each skipped object's
 * `stdin:line` names its item), the engine and every renderer (JSON, text, Markdown, the UI's
 * lines). Mutations: wrong types, nulls, missing fields, huge and hostile strings, items that are
 * not objects.
 *
 * 60 runs by default; `PROPERTY_RUNS=1000` runs more (a few minutes).
 *
 * The oracle below states, independently of src/collect/object-schema.ts, which fields each kind
 * is read by and their types; an object is skipped exactly when one of them is wrong, and a pod
 * that is scanned shows, in the snapshot, the fields its JSON shows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { RULES } from '../rules/index.js';
import { collectFiles } from '../src/collect/file.js';
import { runEngine } from '../src/engine/analyse.js';
import type { Report } from '../src/model/finding.js';
import type { ContainerSpec, ContainerStatus, Pod } from '../src/model/kube.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderText } from '../src/report/text.js';
import { detailLines } from '../src/tui/detail-lines.js';
import { headerLines } from '../src/tui/header-footer.js';
import { listLines } from '../src/tui/list-lines.js';
import { initialState, reducer } from '../src/tui/state.js';
import { ROOT } from './helpers/root.js';
import { fixtureSecretValues } from './helpers/secrets.js';

type Obj = Record<string, unknown>;
const NOW = new Date('2026-11-28T12:00:00Z');

// ---------------------------------------------------------------------------------------------
// The oracle: the fields each kind is read by (src/collect/reduce.ts), with their types.

type FieldType = 'string' | 'name' | 'time' | 'int' | 'bool' | 'object' | 'array' | 'nonEmptyArray' | 'strMap' | 'objectOrString';
type Field = [path: string, type: FieldType, required?: 'required'];

const META: Field[] = [
  ['metadata', 'object', 'required'],
  ['metadata.name', 'name', 'required'],
  ['metadata.namespace', 'string'],
  ['metadata.uid', 'string'],
  ['metadata.creationTimestamp', 'time'],
  ['metadata.managedFields', 'array'],
  ['metadata.managedFields[]', 'object'],
  ['metadata.managedFields[].time', 'time'],
  ['metadata.labels', 'strMap'],
  ['metadata.ownerReferences', 'array'],
  ['metadata.ownerReferences[]', 'object'],
  ['metadata.ownerReferences[].kind', 'string'],
  ['metadata.ownerReferences[].name', 'string'],
  ['metadata.ownerReferences[].uid', 'string'],
  ['metadata.ownerReferences[].controller', 'bool'],
];
const containers = (p: string, required = false): Field[] => [
  required ? [p, 'nonEmptyArray', 'required'] : [p, 'array'],
  [`${p}[]`, 'object'],
  [`${p}[].name`, 'name', 'required'],
  [`${p}[].image`, 'string'],
  [`${p}[].imagePullPolicy`, 'string'],
];
const state = (p: string): Field[] => [
  [p, 'object'],
  [`${p}.waiting`, 'object'],
  [`${p}.waiting.reason`, 'string'],
  [`${p}.waiting.message`, 'string'],
  [`${p}.running`, 'object'],
  [`${p}.running.startedAt`, 'time'],
  [`${p}.terminated`, 'object'],
  [`${p}.terminated.reason`, 'string'],
  [`${p}.terminated.message`, 'string'],
  [`${p}.terminated.exitCode`, 'int'],
  [`${p}.terminated.finishedAt`, 'time'],
];
const statuses = (p: string): Field[] => [
  [p, 'array'],
  [`${p}[]`, 'object'],
  [`${p}[].name`, 'string', 'required'],
  [`${p}[].image`, 'string'],
  [`${p}[].imageID`, 'string'],
  [`${p}[].ready`, 'bool'],
  [`${p}[].restartCount`, 'int'],
  ...state(`${p}[].state`),
  ...state(`${p}[].lastState`),
];
const pullSecretRefs = (p: string): Field[] => [
  [p, 'array'],
  [`${p}[]`, 'objectOrString'],
  [`${p}[].name`, 'string'],
];
const reference = (p: string): Field[] => [
  [p, 'object'],
  ...(['kind', 'name', 'namespace', 'uid', 'fieldPath'].map((k) => [`${p}.${k}`, 'string']) as Field[]),
];

const FIELDS: Record<string, Field[]> = {
  Pod: [
    ...META,
    ['spec', 'object', 'required'],
    ...containers('spec.containers', true),
    ...containers('spec.initContainers'),
    ...containers('spec.ephemeralContainers'),
    ...pullSecretRefs('spec.imagePullSecrets'),
    ['spec.serviceAccountName', 'string'],
    ['spec.serviceAccount', 'string'],
    ['spec.nodeName', 'string'],
    ['spec.nodeSelector', 'strMap'],
    ['status', 'object'],
    ['status.phase', 'string'],
    ['status.reason', 'string'],
    ['status.message', 'string'],
    ['status.startTime', 'time'],
    ...statuses('status.containerStatuses'),
    ...statuses('status.initContainerStatuses'),
    ...statuses('status.ephemeralContainerStatuses'),
  ],
  Event: [
    ...META,
    ['apiVersion', 'string'],
    ...reference('involvedObject'),
    ...reference('regarding'),
    ...(['type', 'reason', 'message', 'note', 'reportingInstance'].map((k) => [k, 'string']) as Field[]),
    ['count', 'int'],
    ['deprecatedCount', 'int'],
    ['series', 'object'],
    ['series.count', 'int'],
    ['series.lastObservedTime', 'time'],
    ...(['firstTimestamp', 'lastTimestamp', 'eventTime', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp'].map((k) => [k, 'time']) as Field[]),
    ['source', 'object'],
    ['source.host', 'string'],
    ['deprecatedSource', 'object'],
    ['deprecatedSource.host', 'string'],
  ],
  Secret: [...META, ['type', 'string'], ['data', 'strMap'], ['stringData', 'strMap']],
  ServiceAccount: [...META, ...pullSecretRefs('imagePullSecrets')],
};

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOk(v: unknown, t: FieldType): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'name':
      return typeof v === 'string' && v.length > 0;
    case 'time':
      return typeof v === 'string' || v === null;
    case 'int':
      return Number.isInteger(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'object':
      return isObj(v);
    case 'array':
      return Array.isArray(v);
    case 'nonEmptyArray':
      return Array.isArray(v) && v.length > 0;
    case 'strMap':
      return isObj(v) && Object.values(v).every((x) => typeof x === 'string');
    case 'objectOrString':
      return isObj(v) || typeof v === 'string';
  }
}

/** The values at a path (`a.b[].c`): every element for `[]`; only through objects and arrays. */
function valuesAt(root: unknown, p: string): { value: unknown; parentIsObject: boolean }[] {
  let cur: { value: unknown; parentIsObject: boolean }[] = [{ value: root, parentIsObject: true }];
  for (const part of p.split('.')) {
    const key = part.replace(/\[\]$/, '');
    const next: typeof cur = [];
    for (const { value } of cur) {
      if (!isObj(value)) continue;
      const v = value[key];
      if (part.endsWith('[]')) {
        if (Array.isArray(v)) for (const x of v) next.push({ value: x, parentIsObject: true });
      } else next.push({ value: v, parentIsObject: true });
    }
    cur = next;
  }
  return cur;
}

/** What is wrong with an object of a kind, by the oracle: an empty list when it is usable. */
function violations(raw: unknown, kind: string): string[] {
  if (!isObj(raw)) return ['not an object'];
  const out: string[] = [];
  for (const [p, t, required] of FIELDS[kind] ?? []) {
    for (const { value } of valuesAt(raw, p)) {
      if (value === undefined) {
        if (required) out.push(`${p}: missing`);
      } else if (!typeOk(value, t)) out.push(`${p}: not ${t}`);
    }
  }
  return out;
}

/** The pod fields that decide whether it is healthy, read straight from its JSON (null/'' as absent). */
function shown(raw: Obj) {
  const meta = raw.metadata as Obj;
  const spec = raw.spec as Obj;
  const status = isObj(raw.status) ? raw.status : {};
  const opt = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const list = (v: unknown) => (Array.isArray(v) ? (v as Obj[]) : []);
  const ctr = (c: Obj) => ({ name: c.name, image: opt(c.image), pullPolicy: opt(c.imagePullPolicy) });
  const st = (c: Obj) => {
    const s = isObj(c.state) ? c.state : {};
    const w = isObj(s.waiting) ? s.waiting : undefined;
    return { name: c.name, waiting: w ? { reason: opt(w.reason), message: opt(w.message) } : undefined, running: isObj(s.running) };
  };
  return {
    name: meta.name,
    namespace: opt(meta.namespace) ?? 'default',
    containers: list(spec.containers).map(ctr),
    init: list(spec.initContainers).map(ctr),
    ephemeral: list(spec.ephemeralContainers).map(ctr),
    pullSecrets: list(spec.imagePullSecrets).map((r) => (isObj(r) ? opt(r.name) : undefined)),
    serviceAccount: opt(spec.serviceAccountName) ?? opt(spec.serviceAccount),
    node: opt(spec.nodeName),
    statuses: list(status.containerStatuses).map(st),
    initStatuses: list(status.initContainerStatuses).map(st),
  };
}

/** The same fields of a pod as the snapshot holds them. */
function scanned(p: Pod) {
  const opt = (v: string | undefined) => (v === '' ? undefined : v);
  const ctr = (c: ContainerSpec) => ({ name: c.name, image: opt(c.image), pullPolicy: opt(c.imagePullPolicy) });
  const st = (c: ContainerStatus) => ({
    name: c.name,
    waiting: c.state?.waiting ? { reason: opt(c.state.waiting.reason), message: opt(c.state.waiting.message) } : undefined,
    running: c.state?.running !== undefined,
  });
  return {
    name: p.metadata.name,
    namespace: p.metadata.namespace,
    containers: p.spec.containers.map(ctr),
    init: (p.spec.initContainers ?? []).map(ctr),
    ephemeral: (p.spec.ephemeralContainers ?? []).map(ctr),
    pullSecrets: (p.spec.imagePullSecrets ?? []).map((r) => opt(r.name)),
    serviceAccount: p.spec.serviceAccountName,
    node: p.spec.nodeName,
    statuses: (p.status?.containerStatuses ?? []).map(st),
    initStatuses: (p.status?.initContainerStatuses ?? []).map(st),
  };
}

// ---------------------------------------------------------------------------------------------
// Real objects: the items of some rule fixtures, and one Event in the events.k8s.io/v1 form.

function fixtureItems(rule: string): Obj[] {
  const text = readFileSync(path.join(ROOT, 'fixtures', rule, 'fires.yaml'), 'utf8');
  return parseAllDocuments(text).flatMap((d) => {
    const v = d.toJS() as Obj;
    return Array.isArray(v.items) ? (v.items as Obj[]) : [v];
  });
}

/** A core v1 Event as the events.k8s.io/v1 API serves it. */
function toEventsV1(ev: Obj): Obj {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: ev.metadata,
    eventTime: ev.eventTime ?? null,
    reason: ev.reason,
    regarding: ev.involvedObject,
    note: ev.message,
    type: ev.type,
    reportingController: 'kubelet',
    reportingInstance: (ev.source as Obj | undefined)?.host ?? '',
    deprecatedSource: ev.source,
    deprecatedFirstTimestamp: ev.firstTimestamp,
    deprecatedLastTimestamp: ev.lastTimestamp,
    deprecatedCount: ev.count,
  };
}

const BASE: Obj[] = (() => {
  const items = ['registry-auth-rejected', 'pull-secret-not-found', 'service-account-pull-secrets-not-applied', 'image-not-found'].flatMap(fixtureItems);
  const kept = items.filter((o) => typeof o.kind === 'string' && o.kind in FIELDS);
  const core = kept.find((o) => o.kind === 'Event' && o.apiVersion === 'v1');
  if (core) kept.push(toEventsV1(core));
  return kept;
})();

// ---------------------------------------------------------------------------------------------
// Mutations.

const HUGE = `${'x'.repeat(200_000)}\u001b[2J\u001b]0;pwned\u0007`;
const badValue = fc.oneof(
  fc.constantFrom<unknown>(7, -1, 1.5, true, false, null, 'oops', '', [], [7], [null], {}, { x: 1 }, HUGE, 'a\nb\u001b[31mred'),
  fc.string({ maxLength: 12 }),
);

interface Mutation {
  target: number;
  op: 'set' | 'delete' | 'replace-item';
  /** A field of the oracle (index into the kind's fields), or a random walk through the object. */
  field: number | undefined;
  walk: number[];
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  target: fc.nat(),
  op: fc.constantFrom<Mutation['op']>('set', 'set', 'set', 'delete', 'delete', 'replace-item'),
  field: fc.option(fc.nat(), { nil: undefined }),
  walk: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
  value: badValue,
});

/** The concrete path of a mutation in an object: keys and array indexes. */
function pathOf(obj: Obj, m: Mutation): (string | number)[] {
  const kind = String(obj.kind);
  const fields = (FIELDS[kind] ?? []).filter(([p]) => p !== 'metadata');
  if (m.field !== undefined && fields.length) {
    const [p] = fields[m.field % fields.length] as Field;
    const out: (string | number)[] = [];
    let cur: unknown = obj;
    let i = 0;
    for (const part of p.split('.')) {
      const key = part.replace(/\[\]$/, '');
      out.push(key);
      cur = isObj(cur) ? cur[key] : undefined;
      if (part.endsWith('[]')) {
        const n = Array.isArray(cur) ? cur.length : 0;
        const idx = n ? (m.walk[i++ % m.walk.length] as number) % n : 0;
        out.push(idx);
        cur = Array.isArray(cur) ? cur[idx] : undefined;
      }
    }
    return out;
  }
  const out: (string | number)[] = [];
  let cur: unknown = obj;
  for (const choice of m.walk) {
    const keys: (string | number)[] = Array.isArray(cur) ? cur.map((_, i) => i) : isObj(cur) ? Object.keys(cur).filter((k) => k !== 'kind').sort() : [];
    if (!keys.length) break;
    const k = keys[choice % keys.length] as string | number;
    out.push(k);
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return out;
}

/** Apply a mutation in place (missing parents are made as objects). */
function apply(objs: unknown[], m: Mutation): void {
  const i = m.target % objs.length;
  const obj = objs[i];
  if (m.op === 'replace-item') {
    objs[i] = m.value;
    return;
  }
  if (!isObj(obj)) return;
  const p = pathOf(obj, m);
  if (!p.length) return;
  let cur: unknown = obj;
  for (const k of p.slice(0, -1)) {
    const c = cur as Record<string | number, unknown>;
    if (typeof c[k] !== 'object' || c[k] === null) c[k] = {};
    cur = c[k];
  }
  const last = p[p.length - 1] as string | number;
  const c = cur as Record<string | number, unknown>;
  if (m.op === 'delete') {
    if (Array.isArray(c) && typeof last === 'number') c.splice(last, 1);
    else delete c[last];
  } else c[last] = m.value;
}

// ---------------------------------------------------------------------------------------------

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateReport = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));
const SECRETS = fixtureSecretValues();
const FAILING = new Set(['ErrImagePull', 'ImagePullBackOff']);

/** A JSON List with one item per line: line N + 2 holds item N. */
const dump = (items: unknown[]) => `{"apiVersion":"v1","kind":"List","items":[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]}\n`;

function renderAll(report: Report): string[] {
  const outputs = [renderJson(report), renderText(report), renderMarkdown(report)];
  let s = reducer(initialState({ scope: 'stdin', cols: 100, rows: 30 }), { type: 'scanDone', report, at: NOW.toISOString() });
  const lines = [...headerLines(s, 100), ...listLines(s, s.model, 40)];
  for (const item of s.model.items) {
    s = { ...s, selected: item.key };
    lines.push(...detailLines(item, report, undefined, 58));
  }
  outputs.push(lines.map((l) => l.map((x) => x.text).join('')).join('\n'));
  return outputs;
}

describe('malformed input is validated where it enters, never half-read', () => {
  it('has real objects of every kind to mutate', () => {
    expect(new Set(BASE.map((o) => o.kind))).toEqual(new Set(['Pod', 'Event', 'Secret', 'ServiceAccount']));
    for (const o of BASE) expect(violations(o, String(o.kind)), `${String(o.kind)} ${JSON.stringify(o.metadata)}`).toEqual([]);
  });

  it('property: random mutations of real objects through file source, engine and every renderer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (mutations, podsOnly) => {
        const objs: unknown[] = structuredClone(BASE);
        const pods = objs.flatMap((o, i) => ((o as Obj).kind === 'Pod' ? [i] : []));
        for (const m of mutations) apply(objs, podsOnly ? { ...m, target: pods[m.target % pods.length] as number } : m);

        const snapshot = await collectFiles(['-'], { readStdin: async () => Buffer.from(dump(objs)) });
        const report = runEngine(snapshot, RULES, NOW);
        const outputs = renderAll(report);

        // Every skipped object has a reason and names its line; its item is one the oracle rejects.
        const skippedLines = new Map<number, string>();
        for (const e of report.summary.skipped) {
          expect(e.reason.length).toBeGreaterThan(0);
          const m = /^stdin:(\d+)$/.exec(e.source);
          expect(m, e.source).not.toBeNull();
          skippedLines.set(Number(m?.[1]) - 2, e.kind);
        }
        const scannedPods = [...snapshot.pods];
        let podsExpected = 0;
        objs.forEach((raw, i) => {
          const kind = isObj(raw) && typeof raw.kind === 'string' ? raw.kind : undefined;
          if (kind === undefined) {
            // Not an object (skipped, kind unknown), or an object without kind (counted as another kind).
            if (!isObj(raw)) expect(skippedLines.get(i), `item ${i}`).toBe('unknown');
            return;
          }
          const wrong = violations(raw, kind);
          expect(skippedLines.has(i), `item ${i} (${kind}): oracle says ${JSON.stringify(wrong).slice(0, 300)}`).toBe(wrong.length > 0);
          if (kind !== 'Pod' || wrong.length) return;
          // A pod that is scanned shows in the snapshot exactly the fields its JSON shows.
          podsExpected++;
          const pod = scannedPods.shift();
          expect(pod && scanned(pod)).toEqual(shown(raw as Obj));
          // And if its JSON says a container's pull is failing, the report says so.
          const sh = shown(raw as Obj);
          const failing = sh.statuses.some((s) => FAILING.has(s.waiting?.reason ?? '') && sh.containers.some((c) => c.name === s.name));
          if (failing) {
            expect(report.findings.some((f) => f.namespace === sh.namespace && f.pods.includes(String(sh.name))), `pod ${sh.namespace}/${String(sh.name)}`).toBe(true);
          }
        });
        expect(scannedPods).toEqual([]);
        expect(report.summary.podsScanned).toBe(podsExpected);

        // A skipped pod makes the scan incomplete, and no output calls it clean.
        const podSkipped = report.summary.skipped.some((e) => e.kind === 'Pod');
        if (podSkipped) {
          expect(report.summary.complete).toBe(false);
          for (const out of outputs) expect(out).not.toContain('no image pull problems');
        } else expect(report.summary.complete).toBe(true);

        expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
        for (const out of outputs) for (const secret of SECRETS) expect(out.includes(secret), 'a secret value was printed').toBe(false);
        expect(outputs.slice(1).some((o) => o.includes('\u001b'))).toBe(false);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60) },
    );
  }, 120_000);
});
