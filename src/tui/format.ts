/**
 * Small pure string helpers for the UI: sanitising, width, truncation, wrapping, labels.
 * Everything that came from the cluster goes through `clean` before it is laid out. Widths,
 * truncation and wrapping come from the libraries Ink itself uses (string-width, cli-truncate,
 * wrap-ansi), so a line we fit to a pane is a line Ink draws as it is.
 */
import cliTruncate from 'cli-truncate';
import measure from 'string-width';
import wrapAnsi from 'wrap-ansi';
import type { Finding, Severity } from '../model/finding.js';
import { sanitizeLine } from '../report/sanitize.js';
import { age } from '../report/style.js';
import { memoString } from '../util/memo.js';

export const MARK: Record<Severity, string> = { error: '✖', warning: '▲', info: '•' };
export const RESOLVED_MARK = '✔';
export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
export const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Characters of one untrusted string the UI shows at most. */
const MAX_TEXT = 4000;

/**
 * Untrusted text → one safe terminal line: sanitised, then without characters of no width
 * that stand alone (a word joiner, a soft hyphen, a combining mark with nothing to combine
 * with). They are invisible, and Ink draws every character in at least one column, so one of
 * them would push the rest of its line out of place.
 */
export function clean(s: string | undefined): string {
  if (s === undefined) return '';
  // A pane shows a few thousand characters of one string at most; measuring and wrapping a
  // huge one (a dump can hold anything) would take minutes.
  return cleanText(s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);
}

// Every frame lays out the same cluster strings again, and measuring text that is not ASCII
// takes string-width one grapheme at a time (~0.1 ms for a line of CJK and emoji): both the
// cleaning and the widths are remembered (src/util/memo.ts).
const cleanText = memoString((s: string): string => {
  const line = sanitizeLine(s);
  if (/^[\x20-\x7e]*$/.test(line)) return line;
  let out = '';
  for (const { segment } of graphemes.segment(line)) if (measure(segment) > 0) out += segment;
  return out;
});

/**
 * Columns `s` takes on the terminal, measured as Ink measures it (string-width): East Asian
 * wide characters and emoji (⚠️, ☕, 👨‍👩‍👧‍👦) take 2, zero-width and combining characters 0.
 */
export const displayWidth: (s: string) => number = memoString(measure);

/**
 * The longest start of `s` that fits in `width` columns, by cli-truncate (the truncation Ink
 * does). cli-truncate keeps a wide character that straddles the limit, one column too many,
 * so ask for less until it fits.
 */
function cut(s: string, width: number, ellipsis: string, position: 'start' | 'end' = 'end'): string {
  for (let w = width; w >= 1; w--) {
    const t = cliTruncate(s, w, { truncationCharacter: ellipsis, position });
    if (displayWidth(t) <= width) return t;
  }
  return '';
}

/** Cut to at most `width` columns, ending with an ellipsis when something was cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  return cut(s, width, ELLIPSIS);
}

/** Cut to at most `width` columns keeping the end, starting with an ellipsis when something was cut. */
export function truncateStart(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  return cut(s, width, ELLIPSIS, 'start');
}

/** Pad with spaces to exactly `width` columns (truncating when longer). */
export function fit(s: string, width: number): string {
  const t = truncate(s, width);
  return t + ' '.repeat(Math.max(0, width - displayWidth(t)));
}

/** Split off the longest start of at most `width` columns; at least one character, even a wide one. */
function splitAt(s: string, width: number): [string, string] {
  // Measure only a start of the text, about what can fill the line (cli-truncate is slow on
  // long text); printable ASCII is one column a character.
  const start = s.slice(0, width * 2 + 16);
  if (/^[\x20-\x7e]+$/.test(start)) return [s.slice(0, width), s.slice(width)];
  let head = width >= 2 ? cut(start, width, '') : '';
  // A start that is not one (should not happen with text free of escapes): one character at a time.
  if (!head || !s.startsWith(head)) head = graphemes.segment(s)[Symbol.iterator]().next().value?.segment ?? s;
  return [head, s.slice(head.length)];
}

/**
 * Wrap at spaces to `width` columns (the first line to `firstWidth`) with wrap-ansi, as Ink
 * wraps; spaces inside a line are kept as they are (commands stay exact), and so are leading
 * spaces when the first word fits after them; tokens longer than a line are split.
 */
export function wrapWords(s: string, width: number, firstWidth = width): string[] {
  const limit = Math.max(1, width);
  const firstLimit = Math.max(1, firstWidth);
  const text = s.normalize(); // wrap-ansi normalises (NFC); so do we, so its lines are pieces of the text
  const body = text.trimStart();
  if (body.trim() === '') return [''];
  // Most text fits on its line, and then needs no wrapping.
  if (displayWidth(text.trimEnd()) <= firstLimit) return [text.trimEnd()];
  let lead = text.slice(0, text.length - body.length);
  if (/[^ ]/.test(lead) || lead.length + displayWidth(body.split(' ')[0] ?? '') > firstLimit) lead = '';
  const first = firstLimit - lead.length;
  if (first > limit) {
    // A first line wider than the others: wrap it on its own, then the rest.
    const head = wrapTo(body, first, 0)[0] ?? '';
    const rest = body.slice(head.length).trimStart();
    if (head && body.startsWith(head)) return rest.trim() === '' ? [lead + head] : [lead + head, ...wrapTo(rest, limit, 0)];
  }
  const lines = wrapTo(body, limit, limit - Math.min(first, limit));
  lines[0] = lead + (lines[0] ?? '');
  return lines;
}

/** Lines of at most `limit` columns; the first has `pad` columns less. */
function wrapTo(body: string, limit: number, pad: number): string[] {
  // wrap-ansi wraps every line to one width: a placeholder glued to the first word takes the
  // columns the first line does not have, and comes off afterwards.
  const lines: string[] = [];
  let rest = 'x'.repeat(pad) + body;
  while (rest.trim() !== '') {
    const wrapped = wrapAnsi(rest, limit, { hard: false, trim: true, wordWrap: true }).split('\n');
    const over = wrapped.findIndex((l) => displayWidth(l) > limit);
    if (over < 0) {
      lines.push(...wrapped);
      break;
    }
    // A token longer than a line: split it into whole lines at once (one line per pass would
    // wrap the rest again each time), and wrap what is left of it with the text after it (taken
    // from the text, so its spaces stay as they were).
    const row = wrapped[over] ?? '';
    const heads: string[] = [];
    let tail = row;
    do {
      const [h, t] = splitAt(tail, limit);
      heads.push(h);
      tail = t;
    } while (displayWidth(tail) > limit);
    lines.push(...wrapped.slice(0, over), ...heads);
    let at = 0;
    for (const l of wrapped.slice(0, over)) {
      const i = rest.indexOf(l, at);
      if (i >= 0) at = i + l.length;
    }
    at = rest.indexOf(row, at);
    const cutLength = heads.reduce((n, h) => n + h.length, 0);
    rest = at >= 0 ? rest.slice(at + cutLength) : [tail, ...wrapped.slice(over + 1)].join(' ');
  }
  lines[0] = (lines[0] ?? '').slice(pad);
  return lines;
}

export { plural } from '../util/text.js';

const KIND_SHORT: Record<string, string> = {
  Deployment: 'deploy',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  ReplicaSet: 'rs',
  ReplicationController: 'rc',
  CronJob: 'cronjob',
  Job: 'job',
  Pod: 'pod',
};

export function shortKind(kind: string): string {
  return KIND_SHORT[kind] ?? clean(kind).toLowerCase();
}

/** Stable key of a workload (selection survives rescans). */
export function workloadKey(w: { cluster?: string; namespace: string; kind: string; name: string }): string {
  return ['w', w.cluster ?? '', w.namespace, w.kind, w.name].join('\u0000');
}

export function findingWorkloadKey(f: Finding): string {
  return workloadKey({ cluster: f.cluster, namespace: f.namespace, kind: f.workload.kind, name: f.workload.name });
}

/** "6m ago" relative to `now`; undefined when unknown (the same wording as text reports). */
export { age };

/** Human label for a progress resource key. */
export function resourceLabel(resource: string): string {
  return resource === 'serviceaccounts' ? 'service accounts' : resource;
}

export function clockTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** 5000 → "5s", 2500 → "2.5s", 40 → "40ms". */
export function formatInterval(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const sec = ms / 1000;
  return Number.isInteger(sec) ? `${sec}s` : `${sec.toFixed(1)}s`;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
