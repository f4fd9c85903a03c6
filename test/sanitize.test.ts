import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeMarkdown, markdownCode, sanitizeLine, sanitizeTerminal } from '../src/report/sanitize.js';

describe('sanitize', () => {
  it('strips OSC title changes, CSI sequences, C1 controls and bidi overrides', () => {
    const hostile = 'Failed \x1b]0;pwned\x07to pull \x1b[2J\x1b[31mimage\x1b[0m \u009b31m"x" \u202egnp.exe';
    expect(sanitizeTerminal(hostile)).toBe('Failed to pull image 31m"x" gnp.exe');
  });

  it('never leaves an ESC or C0/C1 control (other than tab/newline) in its output', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = sanitizeTerminal(s);
        expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      }),
    );
  });

  it('folds newlines for one-line output', () => {
    expect(sanitizeLine('a\nb\r\nc\td')).toBe('a b c d');
  });

  it('escapes Markdown and HTML', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)> *bold* [link](http://x)')).toBe(
      '&lt;img src=x onerror=alert\\(1\\)&gt; \\*bold\\* \\[link\\]\\(http://x\\)',
    );
    expect(markdownCode('a`b')).toBe('``a`b``');
  });
});
