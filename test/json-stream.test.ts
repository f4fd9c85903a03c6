import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { JsonItemReader, JsonStreamError, readJsonItems, type JsonTop } from '../src/collect/json-stream.js';

function run(input: string | Buffer, splits: number[] = []): { items: unknown[]; top: JsonTop } {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const items: unknown[] = [];
  const r = new JsonItemReader((x) => items.push(x));
  let at = 0;
  for (const s of [...splits].sort((a, b) => a - b)) {
    r.write(buf.subarray(at, s));
    at = s;
  }
  r.write(buf.subarray(at));
  return { items, top: r.end() };
}

const LIST = JSON.stringify(
  {
    apiVersion: 'v1',
    items: [
      { kind: 'Pod', metadata: { name: 'a', annotations: { x: 'brace } bracket ] quote " backslash \\ end' } } },
      { kind: 'Event', message: 'héllo wörld 🚀 — "quoted" \\"', count: 3, nested: [[1, 2], { a: [] }, {}] },
      'a string item',
      42,
      -1.5e3,
      true,
      null,
      [],
      {},
    ],
    kind: 'List',
    metadata: { resourceVersion: '' },
  },
  null,
  4,
);

describe('JsonItemReader', () => {
  test('streams the items of a List and returns the other fields', () => {
    const { items, top } = run(LIST);
    const expected = JSON.parse(LIST) as { items: unknown[]; kind: string };
    expect(items).toEqual(expected.items);
    expect(top).toEqual({ kind: 'object', fields: { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } }, items: 9, hasItems: true });
  });

  test('any split of the input gives the same result (including inside UTF-8 sequences)', () => {
    const whole = run(LIST);
    const len = Buffer.byteLength(LIST);
    for (let s = 0; s <= len; s++) expect(run(LIST, [s])).toEqual(whole);
    // Byte-at-a-time.
    expect(run(LIST, Array.from({ length: len }, (_, i) => i))).toEqual(whole);
  });

  test('runs of backslashes and escaped quotes, split at every byte', () => {
    const items = ['\\', '\\\\"', '"\\"', 'a\\\\\\"b', { k: '}]\\"{[', '\\': ['\\\\', '"'] }, ['x\\', '\\"]']];
    const text = JSON.stringify({ apiVersion: 'v1', items, kind: 'List' }, null, 4);
    const whole = run(text);
    expect(whole.items).toEqual(items);
    const len = Buffer.byteLength(text);
    for (let s = 0; s <= len; s++) expect(run(text, [s]).items).toEqual(items);
    expect(run(text, Array.from({ length: len }, (_, i) => i)).items).toEqual(items);
  });

  test('top-level array, single object, empty list, scalar, BOM, compact JSON', () => {
    expect(run('[1, {"a": [2]}, "x"]')).toEqual({ items: [1, { a: [2] }, 'x'], top: { kind: 'array', items: 3 } });
    expect(run('[]').items).toEqual([]);
    expect(run(' { "kind": "Pod", "metadata": {"name": "p"} } ').top).toEqual({
      kind: 'object',
      fields: { kind: 'Pod', metadata: { name: 'p' } },
      items: 0,
      hasItems: false,
    });
    expect(run('{"kind":"PodList","items":[]}').top).toEqual({ kind: 'object', fields: { kind: 'PodList' }, items: 0, hasItems: true });
    expect(run('{}').top).toEqual({ kind: 'object', fields: {}, items: 0, hasItems: false });
    expect(run('42').top).toEqual({ kind: 'scalar', value: 42 });
    expect(run('"s"').top).toEqual({ kind: 'scalar', value: 's' });
    expect(run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"items":[1]}')])).items).toEqual([1]);
    expect(run('{"items":[{"a":1},{"b":2}],"kind":"List"}', [3, 12, 13, 20])).toEqual({
      items: [{ a: 1 }, { b: 2 }],
      top: { kind: 'object', fields: { kind: 'List' }, items: 2, hasItems: true },
    });
    // An `items` that is not an array is an ordinary field.
    expect(run('{"items": 3}').top).toEqual({ kind: 'object', fields: { items: 3 }, items: 0, hasItems: false });
  });

  test.each([
    ['{"items":[{"a":1}', /unexpected end/],
    ['{"items":[{"a":1}]', /unexpected end/],
    ['{"items":[1,]}', /expected a value/],
    ['{"items":[1 2]}', /expected "," or "\]"/],
    ['{"a" 1}', /expected ":"/],
    ['{"items":[{"a":tru}]}', /invalid JSON at byte 1[05]/],
    ['{"items":[]} x', /after the JSON value/],
    ['', /no JSON value/],
    ['{"a":1,}', /expected a property name/],
  ])('rejects %j', (input, message) => {
    expect(() => run(input)).toThrow(JsonStreamError);
    expect(() => run(input)).toThrow(message);
  });

  test('bounds one element', () => {
    const r = new JsonItemReader(() => undefined, 16);
    r.write('{"items":[{"a":"');
    expect(() => r.write('x'.repeat(64))).toThrow(/larger than/);
  });

  test('readJsonItems reads an async stream', async () => {
    async function* chunks() {
      const b = Buffer.from(LIST);
      for (let i = 0; i < b.length; i += 7) yield b.subarray(i, i + 7);
    }
    const items: unknown[] = [];
    const top = await readJsonItems(chunks(), (x) => items.push(x));
    expect(items).toHaveLength(9);
    expect(top.kind).toBe('object');
  });

  test('property: equals JSON.parse for any items and any chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (items, cuts, pretty) => {
        const text = JSON.stringify({ apiVersion: 'v1', items, kind: 'List' }, null, pretty ? 2 : undefined);
        const len = Buffer.byteLength(text);
        const got = run(text, cuts.map((c) => c % (len + 1)));
        expect(got.items).toEqual(JSON.parse(text).items);
        expect(got.top).toEqual({ kind: 'object', fields: { apiVersion: 'v1', kind: 'List' }, items: items.length, hasItems: true });
      }),
      { numRuns: 300 },
    );
  });
});

/** What a reader makes of an input cut at `splits`: its items and end, or its error. */
function outcome(input: string | Buffer, splits: number[] = [], fastPath = true, max?: number) {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const items: unknown[] = [];
  const offsets: number[] = [];
  const r: JsonItemReader = new JsonItemReader(
    (x) => {
      items.push(x);
      offsets.push(r.itemOffset);
    },
    max,
    fastPath,
  );
  try {
    let at = 0;
    for (const s of [...splits].sort((a, b) => a - b)) {
      r.write(buf.subarray(at, s));
      at = s;
    }
    r.write(buf.subarray(at));
    return { items, offsets, top: r.end(), fast: r.fastItems };
  } catch (e) {
    if (!(e instanceof JsonStreamError)) throw e;
    return { error: e.message, offset: e.offset, items: items.length, fast: r.fastItems };
  }
}

/** The fast path and the byte scan alone agree on everything but how many items took the fast path. */
function agree(input: string | Buffer, splits: number[] = [], max?: number) {
  const fast = outcome(input, splits, true, max);
  const { fast: _none, ...scan } = outcome(input, splits, false, max);
  expect(_none).toBe(0);
  const { fast: fastItems, ...same } = fast;
  expect(same).toEqual(scan);
  return { ...fast, fastItems };
}

/** As `kubectl get … -o json` prints it (4 spaces; items at 8). */
const kubectl = (items: unknown[]) => JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4);

const PODS = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'a', namespace: 'n', labels: { app: 'x' }, annotations: { note: 'ends like an item:\n        }', brace: '}', empty: '' } },
    spec: { containers: [{ name: 'c', image: 'registry.example/app:1', env: [{ name: 'A', value: '        }' }] }], volumes: [], nodeSelector: {} },
    status: { containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x" — héllo 🚀' } } }] },
  },
  {},
  { kind: 'Event', message: 'quote " backslash \\ brace } bracket ]', count: 2, nested: [[{}], { a: [{ b: {} }] }] },
  'not an object',
  [{ a: 1 }],
  { kind: 'Secret', data: { '.dockerconfigjson': 'e30=' } },
];

describe('JsonItemReader fast path (kubectl layout)', () => {
  const text = kubectl(PODS);
  const objects = PODS.filter((p) => typeof p === 'object' && !Array.isArray(p)).length;

  test('reads every object item of a kubectl dump without the byte scan, at every split', () => {
    const whole = agree(text);
    expect(whole.items).toEqual(PODS);
    expect(whole.fastItems).toBe(objects);
    const len = Buffer.byteLength(text);
    for (let s = 0; s <= len; s++) expect(agree(text, [s])).toEqual(whole);
    // Two cuts close together: a closing line split over three chunks.
    for (let s = 0; s + 5 <= len; s += 3) expect(agree(text, [s, s + 5])).toEqual(whole);
    expect(agree(text, Array.from({ length: len }, (_, i) => i))).toEqual(whole);
  });

  test('CRLF line ends, another indentation, a top-level array: the same items, still fast', () => {
    for (const t of [text.replace(/\n/g, '\r\n'), JSON.stringify({ items: PODS }, null, 2), JSON.stringify(PODS, null, 3)]) {
      const r = agree(t);
      expect(r.items).toEqual(PODS);
      expect(r.fastItems).toBe(objects);
    }
  });

  test('minified or tab-indented JSON goes through the byte scan', () => {
    for (const t of [JSON.stringify({ items: PODS, kind: 'List' }), JSON.stringify({ items: PODS }, null, '\t')]) {
      const r = agree(t);
      expect(r.items).toEqual(PODS);
      expect(r.fastItems).toBe(0);
    }
  });

  test('an item whose closing line is indented differently: the byte scan takes over from there', () => {
    const odd = '{\n    "items": [\n        {\n            "a": 1\n        },\n        {\n            "b": {\n                "c": 2\n            }\n    },\n        {\n            "d": 3\n        }\n    ]\n}\n';
    const r = agree(odd);
    expect(r.items).toEqual([{ a: 1 }, { b: { c: 2 } }, { d: 3 }]);
    expect(r.fastItems).toBe(1);
    const len = Buffer.byteLength(odd);
    for (let s = 0; s <= len; s++) expect(agree(odd, [s])).toEqual(r);
    // The guess runs past the bound on one element while the element itself is small.
    const many = kubectl(Array.from({ length: 40 }, (_, i) => ({ i }))).replace(/\n {8}\}/g, '\n      }');
    const bounded = agree(many, Array.from({ length: 60 }, (_, i) => i * 16), 256);
    expect(bounded.items).toHaveLength(40);
    expect(bounded.fastItems).toBe(0);
  });

  test('bad input inside an item: the same error at the same byte, at every split', () => {
    const bad = text.replace('"ImagePullBackOff"', '"ImagePullBackOff" "x"');
    const at = Buffer.from(bad).indexOf('"ImagePullBackOff" "x"') + '"ImagePullBackOff" '.length;
    const r = agree(bad);
    expect(r).toEqual({ error: `invalid JSON at byte ${at}: Expected ',' or '}' after property value`, offset: at, items: 0, fast: 0, fastItems: 0 });
    for (let s = 0; s <= Buffer.byteLength(bad); s += 7) expect(agree(bad, [s])).toEqual(r);
    // Cut short inside an item; an item that does not close within the bound.
    expect(agree(text.slice(0, text.indexOf('"Secret"')))).toMatchObject({ error: 'unexpected end of JSON input', items: 5 });
    const every50 = Array.from({ length: text.length / 50 }, (_, i) => i * 50);
    expect(agree(text, every50, 256)).toMatchObject({ error: expect.stringMatching(/larger than/), offset: text.indexOf('{\n            "apiVersion"') });
  });

  test('property: the fast path gives what the byte scan gives (any items, layout, chunking, corruption)', () => {
    const layout = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom('\t', ' \t', ''));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue())),
        layout,
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom(...'{}[]",:\n \\ax'))),
        (items, indent, crlf, array, cuts, corrupt) => {
          let text = JSON.stringify(array ? items : { apiVersion: 'v1', items, kind: 'List' }, null, indent);
          if (crlf) text = text.replace(/\n/g, '\r\n');
          if (corrupt) {
            const at = corrupt[0] % (text.length + 1);
            text = text.slice(0, at) + corrupt[1] + text.slice(at + 1);
          }
          const len = Buffer.byteLength(text);
          const got = agree(text, cuts.map((c) => c % (len + 1)));
          if (!corrupt) expect(got.items).toEqual(array ? JSON.parse(text) : (JSON.parse(text) as { items: unknown[] }).items);
        },
      ),
      { numRuns: 500 },
    );
  });
});
