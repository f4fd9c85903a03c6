/**
 * Small pure string helpers for the UI: sanitising, width, truncation, wrapping, labels.
 * Everything that came from the cluster goes through `clean` before it is laid out.
 */
import type { Finding, Severity } from '../model/finding.js';
import { sanitizeLine } from '../report/sanitize.js';
import { age } from '../report/style.js';

export const MARK: Record<Severity, string> = { error: '✖', warning: '▲', info: '•' };
export const RESOLVED_MARK = '✔';
export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
export const ELLIPSIS = '…';

/** Untrusted text → one safe terminal line. */
export function clean(s: string | undefined): string {
  return s === undefined ? '' : sanitizeLine(s);
}

/** Rough display width of one code point: 2 for East Asian wide/fullwidth and emoji, 0 for combining marks. */
function charWidth(cp: number): number {
  if (cp >= 0x300 && cp <= 0x36f) return 0;
  if (cp >= 0xfe00 && cp <= 0xfe0f) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** Cut to at most `width` columns, ending with an ellipsis when something was cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + ELLIPSIS;
}

/** Pad with spaces to exactly `width` columns (truncating when longer). */
export function fit(s: string, width: number): string {
  const t = truncate(s, width);
  return t + ' '.repeat(Math.max(0, width - displayWidth(t)));
}

/** Split off the longest prefix of at most `width` columns (at least one character). */
function splitAt(s: string, width: number): [string, string] {
  let w = 0;
  let i = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width && i > 0) break;
    w += cw;
    i += ch.length;
  }
  return [s.slice(0, i), s.slice(i)];
}

/**
 * Wrap at spaces to `width` columns (the first line to `firstWidth`); spaces inside a line are
 * kept as they are (commands stay exact), tokens longer than a line are split.
 */
export function wrapWords(s: string, width: number, firstWidth = width): string[] {
  const lines: string[] = [];
  let limit = Math.max(1, firstWidth);
  let cur = '';
  const push = () => {
    lines.push(cur.trimEnd());
    cur = '';
    limit = Math.max(1, width);
  };
  for (const tok of s.split(/(?<= )/)) {
    if (cur === '' && tok.trim() === '' && lines.length > 0) continue;
    if (displayWidth((cur + tok).trimEnd()) <= limit) {
      cur += tok;
      continue;
    }
    if (cur.trim() !== '') push();
    let t = lines.length > 0 ? tok.trimStart() : tok;
    while (displayWidth(t.trimEnd()) > limit) {
      const [head, rest] = splitAt(t, limit);
      cur = head;
      push();
      t = rest;
    }
    cur = t;
  }
  if (cur.trim() !== '' || lines.length === 0) lines.push(cur.trimEnd());
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
