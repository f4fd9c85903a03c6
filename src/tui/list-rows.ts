/**
 * Which row of the list pane shows what: the list's geometry, without styling. The reducer
 * uses it to keep the selection in view, the list view draws each row; so what is scrolled
 * to is what is drawn.
 */
import { clean, plural, wrapWords } from './format.js';
import type { AccessItem, ClusterErrorItem, Model, NamespaceView, WorkloadItem } from './model.js';
import type { State } from './types.js';
import { nothingFoundLine } from '../report/text.js';

export type ListRow =
  | { kind: 'error'; item: ClusterErrorItem }
  /** One wrapped line of the message shown when no workload is listed. */
  | { kind: 'message'; text: string; tone: 'ok' | 'muted' | 'error' }
  | { kind: 'namespace'; namespace: NamespaceView }
  /** A workload takes two rows: its name, then its cause. */
  | { kind: 'workload'; item: WorkloadItem }
  | { kind: 'cause'; item: WorkloadItem }
  | { kind: 'blank' }
  | { kind: 'access'; item: AccessItem };

export interface Span {
  start: number;
  end: number;
  /** Row of the namespace header, for the first workload of a namespace. */
  headerStart?: number;
}

export interface ListRows {
  rows: ListRow[];
  /** Rows of each selectable item, by item key. */
  spans: Map<string, Span>;
}

export type ListInput = Pick<State, 'report' | 'resolved' | 'filter' | 'minSeverity'>;

/** Why the list is empty: nothing found at all, or everything filtered away. */
function emptyMessage(s: ListInput, model: Model): { text: string; tone: 'ok' | 'muted' | 'error' } | undefined {
  const report = s.report;
  if (model.namespaces.length > 0 || !report) return undefined;
  if (report.findings.length === 0 && s.resolved.length === 0) {
    const nothing = nothingFoundLine(report);
    return { text: clean(nothing.text), tone: nothing.complete ? 'ok' : 'error' };
  }
  const why = [s.filter ? `matches /${clean(s.filter)}/` : '', s.minSeverity !== 'info' ? `at severity ≥ ${s.minSeverity}` : '']
    .filter(Boolean)
    .join(' ');
  return { text: `no workload ${why || 'to show'} (${plural(model.totalWorkloads, 'workload')} hidden)`, tone: 'muted' };
}

/** The list's rows for a pane `width` columns wide (only the message wraps). */
export function listRows(s: ListInput, model: Model, width: number): ListRows {
  const rows: ListRow[] = [];
  const spans = new Map<string, Span>();
  for (const item of model.errors) {
    spans.set(item.key, { start: rows.length, end: rows.length + 1 });
    rows.push({ kind: 'error', item });
  }
  const message = emptyMessage(s, model);
  if (message) {
    // One column of indent, as every other row has its marker column.
    for (const text of wrapWords(message.text, Math.max(8, width - 1))) rows.push({ kind: 'message', text, tone: message.tone });
  }
  for (const namespace of model.namespaces) {
    const headerStart = rows.length;
    rows.push({ kind: 'namespace', namespace });
    namespace.workloads.forEach((item, i) => {
      const span: Span = { start: rows.length, end: rows.length + 2 };
      if (i === 0) span.headerStart = headerStart;
      spans.set(item.key, span);
      rows.push({ kind: 'workload', item }, { kind: 'cause', item });
    });
  }
  if (model.access) {
    if (rows.length) rows.push({ kind: 'blank' });
    spans.set(model.access.key, { start: rows.length, end: rows.length + 1 });
    rows.push({ kind: 'access', item: model.access });
  }
  return { rows, spans };
}
