import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { clean, displayWidth, fit, formatInterval, truncate, wrapWords } from '../../src/tui/format.js';

describe('format', () => {
  test('truncate ends with an ellipsis and respects wide characters', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly-10', 10)).toBe('exactly-10');
    expect(truncate('much-too-long-name', 10)).toBe('much-too-…');
    expect(displayWidth(truncate('名前空間名前空間', 7))).toBeLessThanOrEqual(7);
    expect(truncate('x', 0)).toBe('');
  });

  test('fit pads to the width', () => {
    expect(fit('ab', 5)).toBe('ab   ');
    expect(fit('abcdefgh', 5)).toBe('abcd…');
  });

  test('wrapWords keeps every character of a command and never exceeds the width', () => {
    const cmd = "kubectl create secret docker-registry regcred -n payments --docker-server=registry.example.com --docker-password='<password>'";
    const lines = wrapWords(cmd, 30, 24);
    expect(displayWidth(lines[0] ?? '')).toBeLessThanOrEqual(24);
    for (const l of lines.slice(1)) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    expect(lines.join('').replace(/ /g, '')).toBe(cmd.replace(/ /g, ''));
    expect(wrapWords('kubectl get pods -n payments', 18)).toEqual(['kubectl get pods', '-n payments']);
    const long = 'x'.repeat(75);
    expect(wrapWords(long, 30)).toEqual(['x'.repeat(30), 'x'.repeat(30), 'x'.repeat(15)]);
    expect(wrapWords('', 10)).toEqual(['']);
  });

  test('clean strips escapes and folds newlines', () => {
    expect(clean('a\x1b]0;pwned\x07b\x1b[2Jc\nd')).toBe('abc d');
    expect(clean(undefined)).toBe('');
  });

  test('widths are the terminal’s (as Ink measures them): emoji and CJK 2, zero-width 0', () => {
    expect(displayWidth('⚠️')).toBe(2);
    expect(displayWidth('☕')).toBe(2);
    expect(displayWidth('👨‍👩‍👧‍👦')).toBe(2);
    expect(displayWidth('名前')).toBe(4);
    expect(displayWidth('a\u200bb')).toBe(2);
    expect(displayWidth('cafe\u0301')).toBe(4);
    // a wide character that does not fit in the last column is left out, not half drawn
    expect(truncate('名前空間名前空間', 4)).toBe('名…');
    expect(truncate('ab⚠️cd', 3)).toBe('ab…');
    expect(fit('☕☕☕', 4)).toBe('☕… ');
    // long tokens are split between characters, never inside one
    expect(wrapWords('⚠️⚠️⚠️⚠️⚠️', 3)).toEqual(['⚠️', '⚠️', '⚠️', '⚠️', '⚠️']);
    expect(wrapWords('名前 空間名前 x', 8, 4)).toEqual(['名前', '空間名前', 'x']);
  });

  test('clean drops what the sanitiser drops, and characters of no width standing alone', () => {
    // zero-width space and joiner: the sanitiser's (so the family is four emoji, 8 columns)
    expect(clean('a\u200bb 👨‍👩‍👧‍👦')).toBe('ab 👨👩👧👦');
    expect(displayWidth(clean('👨‍👩‍👧‍👦'))).toBe(8);
    // word joiner, soft hyphen, a combining mark with nothing before it: Ink would give each a column
    expect(clean('\u0301x\u2060y\u00adz')).toBe('xyz');
    // combining marks and variation selectors on a character stay
    expect(clean('cafe\u0301 ⚠️')).toBe('cafe\u0301 ⚠️');
  });

  test('any text: wrapped lines fit their width and keep every character in order', () => {
    const piece = fc.constantFrom('a', 'bc', '-', '名', '⚠️', '☕', '👩', 'e\u0301', '✖', '/', ' ', '  ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 2, max: 30 }), (parts, width, first) => {
        const text = parts.join('');
        const lines = wrapWords(text, width, first);
        lines.forEach((l, i) => expect(stringWidth(l)).toBeLessThanOrEqual(i === 0 ? first : width));
        expect(lines.join('').replace(/ /g, '')).toBe(text.normalize().replace(/ /g, ''));
        expect(stringWidth(truncate(text, width))).toBeLessThanOrEqual(width);
      }),
      { numRuns: 300 },
    );
  });

  test('formatInterval', () => {
    expect(formatInterval(5000)).toBe('5s');
    expect(formatInterval(2500)).toBe('2.5s');
    expect(formatInterval(40)).toBe('40ms');
  });
});
