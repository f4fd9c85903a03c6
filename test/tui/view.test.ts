import { describe, expect, test } from 'vitest';
import { displayWidth } from '../../src/tui/format.js';
import { layout } from '../../src/tui/layout.js';
import type { Line } from '../../src/tui/lines.js';
import { runbookLines } from '../../src/tui/runbook-lines.js';

const text = (l: Line) => l.map((s) => s.text).join('');

describe('runbookLines', () => {
  test('reflows hard-wrapped paragraphs and list items to the width; keeps code lines', () => {
    const md = [
      '# rule-id',
      '',
      'The pod lists a secret that does not exist in the',
      "pod's namespace, so the kubelet pulls **without** it.",
      '',
      '- first item that is long enough to wrap',
      '  and continues here',
      '',
      '```sh',
      'kubectl get secret regcred -n payments',
      '```',
    ].join('\n');
    const lines = runbookLines(md, 40).map(text);
    expect(lines[0]).toBe('rule-id');
    expect(lines).toContain('The pod lists a secret that does not');
    expect(lines.join('\n')).toContain("exist in the pod's namespace, so the");
    expect(lines.join('\n')).not.toContain('**');
    expect(lines.find((l) => l.startsWith('• first'))).toBeDefined();
    expect(lines.join(' ')).toContain('and continues here');
    expect(lines.find((l) => l.startsWith('    kubectl get secret regcred'))).toBeDefined();
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(40);
  });

  test('terminal escapes in a runbook are dropped', () => {
    const lines = runbookLines('# x\n\nhello \x1b]0;pwned\x07\x1b[2Jworld', 40).map(text);
    expect(lines.join('\n')).toContain('hello world');
    expect(lines.join('\n')).not.toContain('\x1b');
  });
});

describe('layout', () => {
  test('80×24 splits into two panes that fit, one row spare', () => {
    const l = layout(80, 24);
    expect(l.split).toBe(true);
    expect(l.height).toBe(23);
    expect(l.listWidth + 2 + l.detailWidth).toBe(80);
    expect(layout(50, 20).split).toBe(false);
  });
});
