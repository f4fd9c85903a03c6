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

  test('formatInterval', () => {
    expect(formatInterval(5000)).toBe('5s');
    expect(formatInterval(2500)).toBe('2.5s');
    expect(formatInterval(40)).toBe('40ms');
  });
});
