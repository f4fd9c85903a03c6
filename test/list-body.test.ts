/**
 * A list page read as it arrives gives the body JSON.parse gives, with each item replaced by what
 * `item` made of it, however the bytes are split; anything that is not a JSON object is the one
 * "not a JSON object" answer, whatever `item` already saw.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ListBodyReader, NOT_A_LIST_OBJECT } from '../src/collect/list-body.js';

function read(text: string, cuts: number[] = [], item: (raw: unknown) => unknown = (x) => x): { body: unknown; seen: unknown[] } {
  const buf = Buffer.from(text, 'utf8');
  const seen: unknown[] = [];
  const r = new ListBodyReader((raw) => {
    seen.push(raw);
    return item(raw);
  });
  let at = 0;
  for (const c of [...cuts].map((c) => c % (buf.length + 1)).sort((a, b) => a - b)) {
    r.write(buf.subarray(at, c));
    at = c;
  }
  r.write(buf.subarray(at));
  return { body: r.end(), seen };
}

/** A page as the API server writes it (compact; kind, apiVersion, metadata, then items). */
const page = (items: unknown[], cont?: string) =>
  JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '5890', ...(cont ? { continue: cont } : {}) }, items });

describe('ListBodyReader', () => {
  test('any page, split anywhere (inside a multi-byte character too), reads as JSON.parse reads it', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.array(fc.nat(), { maxLength: 8 }), fc.option(fc.string()), (items, cuts, cont) => {
        const text = page(items, cont ?? undefined);
        expect(read(text, cuts).body).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  test("each item is replaced by what `item` made of it, in order, and `item` saw each item once as parsed", () => {
    const pods = ['web-0', 'web-1', 'wéb-2 ☃'].map((name) => ({ metadata: { name, namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }));
    const text = page(pods, 'eyJydiI6IjU4OTAifQ');
    const { body, seen } = read(text, [1, 40, 41, 100, 157, 158], (raw) => (raw as { metadata: { name: string } }).metadata.name);
    expect(seen).toEqual(pods);
    expect(body).toEqual({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '5890', continue: 'eyJydiI6IjU4OTAifQ' }, items: ['web-0', 'web-1', 'wéb-2 ☃'] });
  });

  test('metadata after items, whitespace, a byte-order mark: still the same body', () => {
    const text = '\ufeff{ "items" : [ {"a":1} , {"b":[2,"]"]} ] ,\n "metadata": {"resourceVersion":"7"}, "kind":"PodList" }';
    expect(read(text, [5, 17]).body).toEqual({ items: [{ a: 1 }, { b: [2, ']'] }], metadata: { resourceVersion: '7' }, kind: 'PodList' });
  });

  test('an object without items, or whose items is not an array, is kept as served', () => {
    expect(read('{"kind":"Status","status":"Success"}').body).toEqual({ kind: 'Status', status: 'Success' });
    expect(read('{"kind":"PodList","items":null}').body).toEqual({ kind: 'PodList', items: null });
  });

  test('not a JSON object (a proxy page, a cut-off body, bad JSON in an item, an array, a number): one answer, the items already read dropped', () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    const good = page([{ metadata: { name: 'web-0' } }, { metadata: { name: 'web-1' } }]);
    for (const text of [html, good.slice(0, -30), good.replace('"web-1"', 'web-1'), '[{"metadata":{}}]', '42', '', `${good} {}`]) {
      expect(read(text).body, text).toBe(NOT_A_LIST_OBJECT);
    }
    // The first item was whole before the body turned out broken: it was seen, and dropped.
    expect(read(good.slice(0, -30)).seen).toHaveLength(1);
  });

  test('an exception of `item` is not taken for bad input: it comes out as it is', () => {
    const r = new ListBodyReader(() => {
      throw new TypeError('bug in prepare');
    });
    expect(() => r.write(Buffer.from(page([{ metadata: {} }])))).toThrow(TypeError);
  });
});
