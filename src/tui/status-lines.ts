/** Full-body states: scanning progress or the error before the first report, and the one line of an empty report. */
import { clean, fit, MARK, resourceLabel, SPINNER, truncate } from './format.js';
import { blank, para, seg, type Line } from './lines.js';
import type { Model } from './model.js';
import type { State } from './types.js';
import { nothingFoundLine } from '../report/text.js';

/** Body when there is no report yet: scanning progress or the scan error. */
export function statusLines(s: State, width: number): Line[] {
  const spin = SPINNER[s.frame % SPINNER.length] ?? '';
  if (s.scanning) {
    const out: Line[] = [[seg(`${spin} `, 'accent'), seg(`Scanning ${truncate(clean(s.scope), Math.max(4, width - 12))}…`, undefined, { bold: true })], blank()];
    const seen = new Set<string>();
    const rows = ['pods', 'events', 'serviceaccounts', 'secrets'];
    for (const p of s.progress) if (!rows.includes(p.resource)) rows.push(p.resource);
    for (const r of rows) {
      if (seen.has(r)) continue;
      seen.add(r);
      const entries = s.progress.filter((p) => p.resource === r);
      const objects = entries.reduce((n, p) => n + p.objects, 0);
      const done = entries.length > 0 && entries.every((p) => p.done);
      out.push([
        seg(`  ${fit(resourceLabel(clean(r)), 18)}`),
        seg(String(objects).padStart(7), done ? 'ok' : undefined),
        seg(done ? ' ✓' : entries.length ? ` ${spin}` : '', done ? 'ok' : 'accent'),
      ]);
    }
    return out;
  }
  if (s.error) {
    return [
      ...para(clean(s.error), width, { first: [seg(`${MARK.error} `, 'error', { bold: true })], indent: 2, tone: 'error', bold: true }),
      blank(),
      [seg('press r to retry, q to quit', 'muted')],
    ];
  }
  return [[seg('starting…', 'muted')]];
}

/** True when the scan found nothing at all to list: the body shows one clear line instead of panes. */
export function isEmptyReport(s: State, model: Model): boolean {
  return s.report !== undefined && model.items.length === 0 && s.report.findings.length === 0 && s.resolved.length === 0;
}

export function emptyLines(s: State, width: number): Line[] {
  const r = s.report;
  if (!r) return [];
  return [
    blank(),
    ...para(clean(nothingFoundLine(r).text), width, { indent: 2, tone: r.summary.complete ? 'ok' : 'error', bold: true }),
    blank(),
    ...para(`${s.watch ? 'watching: the list fills in when a pull starts failing' : 'press w to watch, r to rescan, q to quit'}`, width, {
      indent: 2,
      tone: 'muted',
    }),
  ];
}
