/**
 * What the view produces: lines of styled segments, already sanitised and fitted to a width;
 * and the small helpers every pane builds them with.
 */
import type { Severity } from '../model/finding.js';
import { displayWidth, MARK, RESOLVED_MARK, wrapWords } from './format.js';

export type Tone = 'error' | 'warning' | 'info' | 'ok' | 'accent' | 'muted' | 'command';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
}

export type Line = Segment[];

export const sevTone = (s: Severity | 'resolved'): Tone => (s === 'resolved' ? 'ok' : s);
export const sevMark = (s: Severity | 'resolved'): string => (s === 'resolved' ? RESOLVED_MARK : MARK[s]);
export const seg = (text: string, tone?: Tone, extra?: Omit<Segment, 'text' | 'tone'>): Segment =>
  tone ? { text, tone, ...extra } : { text, ...extra };

export interface ParaOptions {
  indent?: number;
  /** Segments replacing the indent on the first line (same width as the indent). */
  first?: Segment[];
  tone?: Tone;
  bold?: boolean;
}

/** A paragraph wrapped to `width` columns: every line indented, or led by `first` on the first line. */
export function para(text: string, width: number, o: ParaOptions = {}): Line[] {
  const indent = o.indent ?? 0;
  const avail = Math.max(8, width - indent);
  const firstAvail = o.first ? Math.max(4, width - o.first.reduce((n, x) => n + displayWidth(x.text), 0)) : avail;
  const parts = wrapWords(text, avail, firstAvail);
  return parts.map((p, i) => {
    const lead = i === 0 && o.first ? o.first : [seg(' '.repeat(indent))];
    const extra = o.bold ? { bold: true } : undefined;
    return [...lead, seg(p, o.tone, extra)];
  });
}

export const blank = (): Line => [];
