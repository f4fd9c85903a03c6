import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GO_QUOTED, goQuote, goUnquote } from '../src/go/quote.js';
import { goParseURL } from '../src/go/url.js';

// Go strconv.Quote: the cases that distinguish it from JSON.stringify and from a naive escaper.
describe('goQuote', () => {
  it.each<[string, string]>([
    ['nginx:1.25', '"nginx:1.25"'],
    ['say "hi" C:\\x', '"say \\"hi\\" C:\\\\x"'],
    ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['\u0085\u00a0\u200b', '"\\u0085\\u00a0\\u200b"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['é日本🐳', '"é日本🐳"'],
    // Go holds a real U+FFFD (decoders replace invalid UTF-8 with it) and prints it literally.
    ['bad\ufffd', '"bad\ufffd"'],
    // A lone surrogate (JSON `\ud800`) is U+FFFD in Go.
    ['\ud800x', '"\ufffdx"'],
    ['\udc00', '"\ufffd"'],
  ])('%j → %s', (input, expected) => expect(goQuote(input)).toBe(expected));

  it('is what Go url.Parse errors print for a registry key (credential checks quote these)', () => {
    expect(goParseURL('https://bad\ufffd host')).toEqual({ ok: false, error: 'parse "https://bad\ufffd host": invalid character " " in host name' });
  });
});

describe('goUnquote', () => {
  it.each<[string, string]>([
    [String.raw`my\"img\\name:1`, 'my"img\\name:1'],
    [String.raw`a\tb\nc\rd\a\b\f\v`, 'a\tb\nc\rd\x07\b\f\v'],
    [String.raw`caf\303\251`, 'café'],
    [String.raw`caf\xc3\xa9`, 'café'],
    [String.raw`smile\U0001f600`, 'smile😀'],
    // an invalid byte decodes to U+FFFD, as Go's UTF-8 decoding does
    [String.raw`bad\xff`, 'bad\ufffd'],
    // escapes Go never produces stay literal
    [String.raw`keep\q`, 'keep\\q'],
    [String.raw`cut\u00`, 'cut\\u00'],
  ])('%s', (body, want) => expect(goUnquote(body)).toBe(want));

  it('inverts goQuote for every string Go can hold', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string()), (s) => {
        const q = goQuote(s);
        const m = new RegExp(`^${GO_QUOTED}$`).exec(q);
        expect(m).not.toBeNull();
        expect(goUnquote(m?.[1] ?? '')).toBe(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
      }),
      { numRuns: 1000 },
    );
  });
});
