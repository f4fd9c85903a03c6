/** The two header lines (scope, watch, summary or scan status) and the footer (notice, key hints, filter prompt). */
import { clean, clockTime, displayWidth, formatInterval, MARK, plural, resourceLabel, SPINNER, truncate, truncateStart } from './format.js';
import { seg, type Line, type Segment } from './lines.js';
import type { State } from './types.js';
import { gapSummary, unreadShown } from '../report/coverage.js';
import { nothingFoundLine } from '../report/text.js';

function progressSummary(s: State): string {
  const byResource = new Map<string, { objects: number; done: boolean }>();
  for (const p of s.progress) {
    const cur = byResource.get(p.resource) ?? { objects: 0, done: true };
    byResource.set(p.resource, { objects: cur.objects + p.objects, done: cur.done && p.done });
  }
  const order = ['pods', 'events', 'serviceaccounts', 'secrets'];
  const keys = [...order, ...[...byResource.keys()].filter((k) => !order.includes(k))];
  return keys
    .map((k) => {
      const v = byResource.get(k);
      if (!v && !order.includes(k)) return '';
      return `${resourceLabel(clean(k))} ${v?.objects ?? 0}${v?.done ? ' ✓' : ''}`;
    })
    .filter(Boolean)
    .join(' · ');
}

export function headerLines(s: State, cols: number): [Line, Line] {
  const right: Segment[] = [];
  if (s.watch && s.live) {
    right.push(s.live.connected ? seg('◉ live', 'ok', { bold: true }) : seg('◌ reconnecting', 'warning', { bold: true }));
  } else if (s.watch) right.push(seg(`◉ watch ${formatInterval(s.intervalMs)}`, 'ok', { bold: true }));
  if (s.lastScanAt) right.push(seg(`${right.length ? '  ' : ''}updated ${clockTime(s.lastScanAt)}`, 'muted'));
  const rightWidth = right.reduce((n, x) => n + displayWidth(x.text), 0);
  const leftWidth = Math.max(10, cols - rightWidth - 1);
  const left = truncate(`pulldoctor · ${clean(s.scope)}`, leftWidth);
  const first: Line = [
    seg('pulldoctor', 'accent', { bold: true }),
    seg(left.slice('pulldoctor'.length)),
    seg(' '.repeat(Math.max(1, cols - displayWidth(left) - rightWidth))),
    ...right,
  ];
  let second: Line;
  const spin = SPINNER[s.frame % SPINNER.length] ?? '';
  if (s.scanning) {
    // Before the first report the body shows the counts; afterwards they go here.
    second = s.report ? [seg(`${spin} rescanning  `, 'accent'), seg(progressSummary(s), 'muted')] : [seg(`${spin} scanning…`, 'accent')];
  } else if (s.error) {
    // Without a report the body shows the whole message; here one line is enough.
    second = [seg(`${MARK.error} ${s.report ? clean(s.error) : 'scan failed'}`, 'error', { bold: true })];
  } else if (s.report) {
    const r = s.report;
    const f = r.summary.findings;
    if (r.findings.length === 0) {
      const nothing = nothingFoundLine(r);
      second = [seg(clean(nothing.text), nothing.complete ? 'ok' : 'error', { bold: true })];
    } else {
      second = [
        seg(`${MARK.error} ${plural(f.error, 'error')}`, f.error ? 'error' : 'muted', { bold: f.error > 0 }),
        seg(' '),
        seg(`${MARK.warning} ${plural(f.warning, 'warning')}`, f.warning ? 'warning' : 'muted'),
        seg(' '),
        seg(`${MARK.info} ${f.info} info`, f.info ? 'info' : 'muted'),
        seg(` · ${plural(r.summary.workloadsAffected, 'workload')} · ${plural(r.summary.podsScanned, 'pod')}`, 'muted'),
      ];
    }
    if (r.findings.length && !r.summary.complete) second.push(seg(`  ⚠ INCOMPLETE: not covered: ${clean(gapSummary(r))}`, 'error', { bold: true }));
    if (r.accessProblems.length) second.push(seg(`  ! ${plural(r.accessProblems.length, 'access problem')}`, 'warning', { bold: true }));
    const unread = unreadShown(r).length;
    if (unread) second.push(seg(`  ! ${unread} not read`, 'warning', { bold: true }));
    if (r.errors.length) second.push(seg(`  ${MARK.error} ${plural(r.errors.length, 'cluster')} failed`, 'error', { bold: true }));
  } else {
    second = [seg('starting…', 'muted')];
  }
  return [first, second];
}

export function footerLine(s: State, cols: number): Line {
  if (s.editingFilter) {
    // The end of a long filter stays in view: it is where the typing happens.
    const hint = '   Enter keep · Esc clear';
    const filter = truncateStart(clean(s.filter), Math.max(1, cols - 2 - displayWidth(hint)));
    return [seg('/', 'accent', { bold: true }), seg(filter), seg('▏', 'accent'), seg(hint, 'muted')];
  }
  const out: Line = [];
  if (s.notice) out.push(seg(`${clean(s.notice.text)}  `, s.notice.tone === 'error' ? 'error' : s.notice.tone === 'ok' ? 'ok' : 'accent'));
  // [hint, priority]: when the line is too narrow the highest numbers go first, so `? help`
  // and `q quit` (0) stay visible at any width.
  let hints: [string, number][];
  if (s.overlay.kind === 'help') hints = [['↑↓ scroll', 1], ['Esc/q/? close', 0]];
  else if (s.overlay.kind === 'runbook') {
    hints = [['↑↓ scroll', 1]];
    if (s.overlay.pages.length > 1) hints.push([`←→ rule ${s.overlay.index + 1}/${s.overlay.pages.length}`, 2]);
    hints.push(['c/y command', 3]);
    hints.push(['Esc/q/e close', 0]);
  } else if (!s.report) {
    // Scanning or a failed first scan: only what does something.
    hints = [];
    if (s.error && !s.scanning) hints.push(['r retry', 0]);
    hints.push(['? help', 0], ['q quit', 0]);
  } else {
    hints = [
      [s.focus === 'detail' ? '↑↓ scroll' : '↑↓ move', 2],
      [s.focus === 'detail' ? '⏎ list' : '⏎ detail', 3],
      ['/ filter', 4],
      ['s severity', 6],
      ['e runbook', 5],
      [s.live ? 'r refresh' : 'r rescan', 7],
      ['w watch', 8],
    ];
    if (s.canProbe) hints.push(['p probe', 9]);
    hints.push(['c/y command', 10]);
    hints.push(['? help', 0], ['q quit', 0]);
  }
  const room = cols - out.reduce((n, x) => n + displayWidth(x.text), 0);
  const join = (h: [string, number][]) => h.map(([t]) => t).join(' · ');
  while (displayWidth(join(hints)) > room) {
    const worst = Math.max(...hints.map(([, p]) => p));
    if (worst === 0) break;
    const i = hints.findIndex(([, p]) => p === worst);
    hints.splice(i, 1);
  }
  out.push(seg(join(hints), 'muted'));
  const used = out.reduce((n, x) => n + displayWidth(x.text), 0);
  if (used > cols) {
    const last = out[out.length - 1];
    if (last) last.text = truncate(last.text, Math.max(1, cols - (used - displayWidth(last.text))));
  }
  return out;
}
