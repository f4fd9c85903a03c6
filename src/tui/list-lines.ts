/** The list pane: one line per row of `listRows`, the selected workload highlighted. */
import { clean, displayWidth, fit, MARK, plural, shortKind, truncate } from './format.js';
import { blank, seg, sevMark, sevTone, type Line } from './lines.js';
import { listRows, type ListRow } from './list-rows.js';
import { accessLabel, type Model, type WorkloadItem } from './model.js';
import type { State } from './types.js';

function cause(w: WorkloadItem): string {
  const top = w.findings[0];
  if (!top) {
    const r = w.resolved[0];
    return r ? `fixed: ${clean(r.title)}` : '';
  }
  const more = w.findings.length > 1 ? ` +${w.findings.length - 1}` : '';
  const fixed = w.resolved.length ? ` (${w.resolved.length} fixed)` : '';
  return `${clean(top.title)}${more}${fixed}`;
}

function listRowLine(s: State, row: ListRow, width: number): Line {
  const focused = s.focus === 'list';
  switch (row.kind) {
    case 'error': {
      const sel = row.item.key === s.selected;
      const text = fit(`${sel ? '›' : ' '} ${MARK.error} ${clean(row.item.cluster)}: ${clean(row.item.message)}`, width);
      return [seg(text, 'error', { inverse: sel && focused, bold: sel })];
    }
    case 'message':
      return [seg(' '), seg(row.text, row.tone)];
    case 'namespace': {
      const ns = row.namespace;
      const title = `${ns.cluster ? `${clean(ns.cluster)} / ` : ''}${clean(ns.namespace)}`;
      return [seg(truncate(title, width), 'accent', { bold: true })];
    }
    case 'workload': {
      const w = row.item;
      const sel = w.key === s.selected;
      const inverse = sel && focused;
      const pods = w.pods.length ? plural(w.pods.length, 'pod') : '';
      const left = `${sel ? '›' : ' '} ${sevMark(w.severity)} `;
      const nameWidth = Math.max(4, width - displayWidth(left) - (pods ? displayWidth(pods) + 1 : 0));
      const name = fit(`${shortKind(w.workloadKind)}/${clean(w.name)}`, nameWidth);
      const tail = pods ? fit(` ${pods}`, width - displayWidth(left) - displayWidth(name)) : '';
      return [
        seg(left.slice(0, 2), undefined, { inverse, bold: sel }),
        seg(`${sevMark(w.severity)} `, sevTone(w.severity), { inverse, bold: true }),
        seg(name, undefined, { inverse, bold: sel || w.severity === 'error' }),
        seg(tail, 'muted', { inverse }),
      ];
    }
    case 'cause': {
      const w = row.item;
      const inverse = w.key === s.selected && focused;
      return [seg(fit(`    ${cause(w)}`, width), w.severity === 'resolved' ? 'ok' : 'muted', { inverse })];
    }
    case 'blank':
      return blank();
    case 'access': {
      const a = row.item;
      const sel = a.key === s.selected;
      return [seg(fit(`${sel ? '›' : ' '} ! ${accessLabel(a)}`, width), 'warning', { inverse: sel && focused, bold: true })];
    }
  }
}

/** The list pane's lines, one per row of `listRows`. */
export function listLines(s: State, model: Model, width: number): Line[] {
  return listRows(s, model, width).rows.map((row) => listRowLine(s, row, width));
}
