/**
 * A list page's body read as it arrives: each element of its top-level `items` is parsed as soon
 * as its last byte is here and goes through `item` at once (./json-stream.ts does the reading).
 * The body that results is what `JSON.parse` of the whole text would give (for any body with one
 * `items` key, as an API server writes it), except that `items` holds what `item` returned for
 * each element, in order.
 *
 * Why: a page of 500 pods is ~2 MiB of JSON. Parsed whole, it becomes ~10 MiB of objects that
 * all live until the last one is reduced, so the young generation's collections copy them and
 * then promote them, and the old generation must be collected later. Element by element, an
 * element's objects die as soon as `item` has reduced it, young and cheap to collect; and the
 * text is parsed while the rest of the page is still on its way.
 *
 * What the caller sees does not depend on this: a body that is not exactly one JSON value, or
 * not an object, is `NOT_A_LIST_OBJECT` (the caller's message is the same as for any answer
 * that is not a JSON object); nothing `item` returned for such a body is kept.
 */
import { JsonItemReader, JsonStreamError } from './json-stream.js';

/** The body of a 2xx answer that is not a JSON object (HTML from a proxy, truncated JSON, an array), and what the list's failure says of it. */
export const NOT_A_LIST_OBJECT = 'the answer is not a JSON object';

export class ListBodyReader {
  private readonly items: unknown[] = [];
  private readonly reader: JsonItemReader;
  private broken = false;

  constructor(item: (raw: unknown) => unknown) {
    this.reader = new JsonItemReader((raw) => {
      this.items.push(item(raw));
    });
  }

  /** The next bytes of the body (any split). Errors thrown by `item` propagate. */
  write(chunk: Buffer): void {
    if (this.broken) return;
    try {
      this.reader.write(chunk);
    } catch (e) {
      if (!(e instanceof JsonStreamError)) throw e;
      this.stop();
    }
  }

  /** The whole body, read. */
  end(): unknown {
    if (this.broken) return NOT_A_LIST_OBJECT;
    let top;
    try {
      top = this.reader.end();
    } catch (e) {
      if (!(e instanceof JsonStreamError)) throw e;
      this.stop();
      return NOT_A_LIST_OBJECT;
    }
    if (top.kind !== 'object') return NOT_A_LIST_OBJECT;
    // An `items` that is not an array is kept as it was served (the caller reads none of it).
    return top.hasItems ? { ...top.fields, items: this.items } : { ...top.fields };
  }

  private stop(): void {
    this.broken = true;
    this.items.length = 0;
  }
}
