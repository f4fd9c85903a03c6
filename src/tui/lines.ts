/**
 * What the view produces: lines of styled segments, already sanitised and fitted to a width;
 * and the small helpers every pane builds them with.
 */
import type { Severity } from '../model/finding.js';
import { displayWidth, MARK, RESOLVED_MARK, wrapWords } from './format.js';

export type Tone = 'error' | 'warning' | 'info' | 'ok' | 'accent' | 'muted' | 'command';

/** A shell command shown in a pane, which the user can select and take (printed on exit). */
export interface CommandRef {
  /** Position among the commands of its pane, in reading order. */
  index: number;
  /** The whole command (a wrapped or continued command is one). */
  text: string;
}

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  italic?: boolean;
  inverse?: boolean;
  /** This text is (part of) a command. */
  cmd?: CommandRef;
}

export type Line = Segment[];

export const sevTone = (s: Severity | 'resolved'): Tone => (s === 'resolved' ? 'ok' : s);
export const sevMark = (s: Severity | 'resolved'): string => (s === 'resolved' ? RESOLVED_MARK : MARK[s]);
export const seg = (text: string, tone?: Tone, extra?: Omit<Segment, 'text' | 'tone'>): Segment =>
  tone ? { text, tone, ...extra } : { text, ...extra };

/** A command to select; `numberCommands` gives it its place once the pane's lines are complete. */
export const commandRef = (text: string): CommandRef => ({ index: -1, text });

export interface ParaOptions {
  indent?: number;
  /** Segments replacing the indent on the first line (same width as the indent). */
  first?: Segment[];
  tone?: Tone;
  bold?: boolean;
  /** The paragraph is this command (selectable). */
  cmd?: CommandRef;
}

/** A paragraph wrapped to `width` columns: every line indented, or led by `first` on the first line. */
export function para(text: string, width: number, o: ParaOptions = {}): Line[] {
  const indent = o.indent ?? 0;
  const avail = Math.max(8, width - indent);
  const firstAvail = o.first ? Math.max(4, width - o.first.reduce((n, x) => n + displayWidth(x.text), 0)) : avail;
  const parts = wrapWords(text, avail, firstAvail);
  return parts.map((p, i) => {
    const lead = i === 0 && o.first ? o.first : [seg(' '.repeat(indent))];
    const extra = { ...(o.bold ? { bold: true } : {}), ...(o.cmd ? { cmd: o.cmd } : {}) };
    return [...lead, seg(p, o.tone, extra)];
  });
}

export const blank = (): Line => [];

/** The commands of a pane's lines, in order: each with the first line it is on. */
export function paneCommands(lines: Line[]): { ref: CommandRef; line: number }[] {
  const out: { ref: CommandRef; line: number }[] = [];
  const seen = new Set<CommandRef>();
  lines.forEach((line, i) => {
    for (const s of line) {
      if (s.cmd && !seen.has(s.cmd)) {
        seen.add(s.cmd);
        out.push({ ref: s.cmd, line: i });
      }
    }
  });
  return out;
}

/** Number the commands of `lines` in reading order (their `index`), for lines built from several parts. */
export function numberCommands(lines: Line[]): Line[] {
  paneCommands(lines).forEach((c, i) => {
    c.ref.index = i;
  });
  return lines;
}

/** `lines` with the command at `index` highlighted (the same lines when there is none). */
export function highlightCommand(lines: Line[], index: number | undefined): Line[] {
  if (index === undefined) return lines;
  return lines.map((line) => (line.some((s) => s.cmd?.index === index) ? line.map((s) => (s.cmd?.index === index ? { ...s, inverse: true } : s)) : line));
}
