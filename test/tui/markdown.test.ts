/** The runbook overlay's Markdown renderer, on every runbook at 80 columns and on the constructs it maps. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { displayWidth } from '../../src/tui/format.js';
import { paneCommands, type Line } from '../../src/tui/lines.js';
import { codeCommands, markdownLines } from '../../src/tui/markdown-lines.js';
import { ROOT } from '../helpers/root.js';

const text = (l: Line) => l.map((s) => s.text).join('');
const rulesDir = path.join(ROOT, 'rules');
const runbooks = readdirSync(rulesDir).filter((f) => f.endsWith('.md'));

describe('runbook Markdown at 80 columns', () => {
  test.each(runbooks)('%s', (file) => {
    const md = readFileSync(path.join(rulesDir, file), 'utf8');
    const lines = markdownLines(md, 80);
    if (process.env.SHOW_MARKDOWN) console.log(lines.map(text).join('\n'));
    for (const l of lines) expect(displayWidth(text(l)), text(l)).toBeLessThanOrEqual(80);
    // Markup is rendered, not shown: no heading marks, no emphasis stars, no backticks.
    const prose = lines.filter((l) => !l.some((s) => s.cmd || s.tone === 'command'));
    for (const l of prose) {
      expect(text(l)).not.toMatch(/^#{1,6} /);
      // (A code span may hold backticks itself, as containerd's own message does: only the prose is checked.)
      const outside = l.filter((seg) => seg.tone !== 'accent').map((seg) => seg.text).join('');
      expect(outside).not.toMatch(/\*\*|`/);
    }
    // The title and the four sections are headings (bold), in order.
    const headings = lines.filter((l) => l.length > 0 && l.every((s) => s.bold)).map(text);
    expect(headings).toEqual([file.replace(/\.md$/, ''), 'Meaning', 'Impact', 'Diagnosis', 'Mitigation']);
    // Every command of a code block is selectable, once, whole.
    const fences = [...md.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const expected = fences.flatMap((f) => codeCommands(f).flatMap((c) => (c.command ? [c.command] : [])));
    expect(paneCommands(lines).map((c) => c.ref.text)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    // Code spans keep their text without the backticks (spans within one source line).
    // Paragraphs joined into one line each (a span may cross a line break); double-backtick spans left out.
    const prose2 = md.replace(/```[\s\S]*?```/g, '').split(/\n\s*\n/).map((p) => p.replace(/\n/g, ' ')).filter((p) => !p.includes('``'));
    const accent = lines.flatMap((l) => l.filter((s) => s.tone === 'accent').map((s) => s.text)).join(' ');
    for (const l of prose2) for (const span of l.matchAll(/`([^`]+)`/g)) expect(accent, span[1]).toContain((span[1] ?? '').split(' ')[0]);
  });
});

describe('Markdown constructs', () => {
  const md = [
    '# Title',
    '',
    'Plain **bold** *em* `code` and a [link](https://example.com/x).',
    '',
    '## Steps',
    '',
    '1. first',
    '2. second with `kubectl`',
    '   - nested',
    '',
    '```sh',
    'kubectl create secret docker-registry regcred -n shop \\',
    "  --docker-server=r.example.com --docker-password='<password>'",
    '# a comment',
    'kubectl rollout restart deployment/web -n shop',
    '```',
    '',
    '> a quote',
  ].join('\n');

  test('styles, markers and commands', () => {
    const lines = markdownLines(md, 60);
    const all = lines.map(text);
    expect(all[0]).toBe('Title');
    expect(lines[0]?.[0]).toMatchObject({ tone: 'accent', bold: true });
    const para = lines.find((l) => text(l).startsWith('Plain')) ?? [];
    expect(text(para)).toBe('Plain bold em code and a link (https://example.com/x).');
    expect(para.find((s) => s.text === 'bold')).toMatchObject({ bold: true });
    expect(para.find((s) => s.text === 'em')).toMatchObject({ italic: true });
    expect(para.find((s) => s.text === 'code')).toMatchObject({ tone: 'accent' });
    expect(all).toContain('1. first');
    expect(all).toContain('2. second with kubectl');
    expect(all).toContain('   • nested');
    expect(all).toContain('│ a quote');
    const cmds = paneCommands(lines).map((c) => c.ref.text);
    expect(cmds).toEqual([
      "kubectl create secret docker-registry regcred -n shop --docker-server=r.example.com --docker-password='<password>'",
      'kubectl rollout restart deployment/web -n shop',
    ]);
    const comment = lines.find((l) => text(l).includes('# a comment'));
    expect(comment?.some((s) => s.cmd)).toBe(false);
  });

  test('terminal escapes in the text are removed; narrow widths still fit', () => {
    const lines = markdownLines('# a\x1b[31mred\x1b[0m\n\nword '.repeat(3) + 'x'.repeat(70), 24);
    for (const l of lines) {
      expect(text(l)).not.toContain('\x1b');
      expect(displayWidth(text(l))).toBeLessThanOrEqual(24);
    }
  });
});
