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
