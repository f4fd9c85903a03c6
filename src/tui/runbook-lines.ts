/**
 * A rule's runbook (Markdown) as lines for the runbook overlay. Kept apart so the Markdown
 * renderer can grow (or be replaced) without touching the overlay around it.
 */
import { sanitizeTerminal } from '../report/sanitize.js';
import { truncate } from './format.js';
import { blank, para, seg, type Line } from './lines.js';

/** Light Markdown: headings bold, code blocks as commands, paragraphs reflowed, emphasis markers dropped. */
export function runbookLines(markdown: string, width: number): Line[] {
  const out: Line[] = [];
  let inCode = false;
  // The paragraph or list item being collected: reflowed to the width when it ends.
  let pending: { text: string; indent: number; first: string } | undefined;
  const flush = () => {
    if (!pending) return;
    const p = pending;
    pending = undefined;
    out.push(...para(p.text, width, { indent: p.indent, first: p.first ? [seg(p.first)] : undefined }));
  };
  for (const raw of sanitizeTerminal(markdown).replace(/\t/g, '  ').split(/\r?\n/)) {
    if (/^\s*```/.test(raw)) {
      flush();
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(...para(raw.replace(/\s+$/, ''), width, { indent: 4, tone: 'command' }));
      continue;
    }
    const line = raw.replace(/\*\*(.+?)\*\*/g, '$1');
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      out.push([seg(truncate(heading[2] ?? '', width), heading[1] === '#' ? 'accent' : undefined, { bold: true })]);
    } else if (line.trim() === '') {
      flush();
      out.push(blank());
    } else if (bullet) {
      flush();
      const ind = (bullet[1] ?? '').length;
      const mark = bullet[2] === '-' || bullet[2] === '*' ? '•' : (bullet[2] ?? '');
      pending = { text: bullet[3] ?? '', indent: ind + mark.length + 1, first: `${' '.repeat(ind)}${mark} ` };
    } else if (pending) {
      pending.text += ` ${line.trim()}`;
    } else {
      pending = { text: line.trim(), indent: 0, first: '' };
    }
  }
  flush();
  return out;
}
