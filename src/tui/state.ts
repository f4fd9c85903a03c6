/**
 * State transitions: (state, action) → state. Works on the model (what is listed) and the
 * list's row geometry; never renders text. Scrolling a text pane comes with the pane's
 * line count in the action, measured by the view.
 */
import type { Severity } from '../model/finding.js';
import { formatInterval } from './format.js';
import { layout } from './layout.js';
import { listRows } from './list-rows.js';
import { buildModel, EMPTY_MODEL, type Item } from './model.js';
import { diffResolved, mergeProbe, probeBasis, unexpired } from './report-changes.js';
import type { Action, ProgressEntry, ScrollMove, State } from './types.js';

export interface InitOptions {
  scope: string;
  intervalMs?: number;
  watch?: boolean;
  color?: boolean;
  canProbe?: boolean;
  cols?: number;
  rows?: number;
}

export function initialState(o: InitOptions): State {
  return {
    scope: o.scope,
    color: o.color ?? true,
    cols: o.cols ?? 80,
    rows: o.rows ?? 24,
    model: EMPTY_MODEL,
    scanning: false,
    scans: 0,
    progress: [],
    watch: o.watch ?? false,
    intervalMs: o.intervalMs ?? 5000,
    resolved: [],
    probes: [],
    focus: 'list',
    listOffset: 0,
    detailScroll: 0,
    filter: '',
    editingFilter: false,
    minSeverity: 'info',
    overlay: { kind: 'none' },
    canProbe: o.canProbe ?? false,
    frame: 0,
  };
}

const SEVERITY_CYCLE: Record<Severity, Severity> = { info: 'warning', warning: 'error', error: 'info' };

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/** The state with its model rebuilt; for every transition that changes the report, resolved findings or filters. */
function remodel(s: State): State {
  return { ...s, model: buildModel(s) };
}

/** Keep the selection on an existing item (or the item that took its place) and visible. */
function settle(s: State, previousItems?: Item[]): State {
  const list = s.model.items;
  let selected = s.selected;
  if (list.length === 0) {
    selected = undefined;
  } else if (!selected || !list.some((i) => i.key === selected)) {
    const oldIndex = previousItems && selected ? previousItems.findIndex((i) => i.key === selected) : -1;
    selected = list[clamp(oldIndex, 0, list.length - 1)]?.key;
  }
  return scrollIntoView(selected === s.selected ? s : { ...s, selected, detailScroll: 0 });
}

/** While typing a filter the first matching workload is selected. */
function selectFirstMatch(s: State): State {
  const list = s.model.items;
  const first = list.find((i) => i.kind === 'workload') ?? list[0];
  const selected = first?.key;
  return settle(selected === s.selected ? s : { ...s, selected, detailScroll: 0 });
}

function scrollIntoView(s: State): State {
  const l = layout(s.cols, s.rows);
  const { spans } = listRows(s, s.model, l.listWidth);
  const span = s.selected ? spans.get(s.selected) : undefined;
  let offset = s.listOffset;
  const total = Math.max(...[...spans.values()].map((x) => x.end), 0);
  if (span) {
    // Show the namespace header above the first workload of a namespace when it fits.
    const start = Math.max(0, span.headerStart ?? span.start);
    if (span.end > offset + l.paneHeight) offset = span.end - l.paneHeight;
    if (start < offset) offset = start;
    if (span.start < offset) offset = span.start;
  }
  offset = clamp(offset, 0, Math.max(0, total - l.paneHeight));
  return offset === s.listOffset ? s : { ...s, listOffset: offset };
}

/** New first line of a text pane of `height` rows holding `lines` lines. */
function scrolled(current: number, move: ScrollMove, lines: number, height: number): number {
  const max = Math.max(0, lines - height);
  const from = clamp(current, 0, max);
  if ('by' in move) return clamp(from + move.by, 0, max);
  if ('page' in move) return clamp(from + move.page * Math.max(1, height - 1), 0, max);
  return move.to === 'first' ? 0 : max;
}

export function reducer(s: State, a: Action): State {
  switch (a.type) {
    case 'scanStart':
      return { ...s, scanning: true, progress: [] };
    case 'progress': {
      const u = a.update;
      const progress = s.progress.filter((p) => !(p.resource === u.resource && p.cluster === u.cluster));
      const entry: ProgressEntry = { resource: u.resource, objects: u.objects, done: u.done };
      if (u.cluster !== undefined) entry.cluster = u.cluster;
      const index = s.progress.findIndex((p) => p.resource === u.resource && p.cluster === u.cluster);
      if (index >= 0) progress.splice(index, 0, entry);
      else progress.push(entry);
      return { ...s, progress };
    }
    case 'scanDone': {
      const at = a.at ?? new Date().toISOString();
      // Probe results stay while their workload is as it was probed; the others are stale.
      const probes = s.probes.filter((p) => probeBasis(a.report, p.key) === p.basis);
      const dropped = s.probes.length - probes.length;
      const next = remodel({
        ...s,
        report: probes.reduce((r, p) => mergeProbe(r, p.key, p.report), a.report),
        scanned: a.report,
        probes,
        // Fixed is what the scans say: a probe's findings leaving with their probe are not fixes.
        resolved: diffResolved(s.scanned ?? s.report, a.report, s.resolved, a.live ? { now: Date.parse(at) } : undefined),
        scanning: false,
        scans: s.scans + 1,
        error: undefined,
        lastScanAt: at,
        ...(dropped ? { notice: { text: `probe ${dropped === 1 ? 'result' : 'results'} dropped: the workload changed since (p probes again)`, tone: 'info' as const } } : {}),
      });
      return settle(next, s.model.items);
    }
    case 'expireFixed': {
      const resolved = unexpired(s.resolved, a.at);
      return resolved === s.resolved ? s : settle(remodel({ ...s, resolved }), s.model.items);
    }
    case 'live':
      return { ...s, live: a.live };
    case 'selectCommand': {
      const l = layout(s.cols, s.rows);
      const height = a.pane === 'detail' ? l.paneHeight : l.overlayHeight;
      const current = a.pane === 'detail' ? s.detailScroll : s.overlay.kind === 'none' ? 0 : s.overlay.scroll;
      // Scroll so that the command's first line shows, a little below the top when it moves.
      const top = a.line >= current && a.line < current + height - 1 ? current : scrolled(0, { by: a.line - 2 }, a.lines, height);
      const next: State = { ...s, command: { pane: a.pane, index: a.index } };
      if (a.pane === 'detail') return { ...next, detailScroll: top, focus: 'detail' };
      return s.overlay.kind === 'none' ? next : { ...next, overlay: { ...s.overlay, scroll: top } };
    }
    case 'pickCommand':
      return { ...s, picked: a.text, notice: { text: `will print on exit: ${a.text}`, tone: 'ok' } };
    case 'scanFailed':
      return settle({ ...s, scanning: false, scans: s.scans + 1, error: a.message, lastScanAt: a.at ?? new Date().toISOString() });
    case 'tick':
      return { ...s, frame: s.frame + 1 };
    case 'resize':
      if (a.cols === s.cols && a.rows === s.rows) return s;
      return settle({ ...s, cols: a.cols, rows: a.rows });
    case 'move': {
      const list = s.model.items;
      if (list.length === 0) return s;
      const index = list.findIndex((i) => i.key === s.selected);
      const target = list[clamp(index + a.delta, 0, list.length - 1)];
      if (!target || target.key === s.selected) return s;
      return settle({ ...s, selected: target.key, detailScroll: 0, notice: undefined, command: undefined });
    }
    case 'moveTo': {
      const list = s.model.items;
      const target = a.where === 'first' ? list[0] : list[list.length - 1];
      if (!target) return s;
      return settle({ ...s, selected: target.key, detailScroll: target.key === s.selected ? s.detailScroll : 0 });
    }
    case 'page': {
      const step = Math.max(1, layout(s.cols, s.rows).paneHeight - 1);
      return reducer(s, { type: 'move', delta: a.dir * Math.max(1, Math.floor(step / 2)) });
    }
    case 'scroll': {
      const l = layout(s.cols, s.rows);
      if (a.pane === 'detail') {
        const detailScroll = scrolled(s.detailScroll, a.move, a.lines, l.paneHeight);
        return detailScroll === s.detailScroll ? s : { ...s, detailScroll };
      }
      const o = s.overlay;
      if (o.kind === 'none') return s;
      const scroll = scrolled(o.scroll, a.move, a.lines, l.overlayHeight);
      return scroll === o.scroll ? s : { ...s, overlay: { ...o, scroll } };
    }
    case 'toggleFocus':
      return { ...s, focus: s.focus === 'list' ? 'detail' : 'list' };
    case 'focus':
      return s.focus === a.focus ? s : { ...s, focus: a.focus };
    case 'filterStart':
      return { ...s, editingFilter: true, notice: undefined };
    case 'filterInput':
      return selectFirstMatch(remodel({ ...s, filter: s.filter + a.text, listOffset: 0 }));
    case 'filterBackspace':
      return selectFirstMatch(remodel({ ...s, filter: [...s.filter].slice(0, -1).join(''), listOffset: 0 }));
    case 'filterCommit':
      return { ...s, editingFilter: false };
    case 'filterCancel':
      return settle(remodel({ ...s, editingFilter: false, filter: '', listOffset: 0 }));
    case 'cycleSeverity':
      return settle(remodel({ ...s, minSeverity: SEVERITY_CYCLE[s.minSeverity], listOffset: 0 }));
    case 'openRunbook':
      if (a.pages.length === 0) return { ...s, notice: { text: 'select a workload to see its runbook', tone: 'info' } };
      return { ...s, overlay: { kind: 'runbook', pages: a.pages, index: 0, scroll: 0 }, notice: undefined, command: undefined };
    case 'openHelp':
      return { ...s, overlay: { kind: 'help', scroll: 0 } };
    case 'closeOverlay':
      return { ...s, overlay: { kind: 'none' }, command: undefined };
    case 'runbookSwitch': {
      const o = s.overlay;
      if (o.kind !== 'runbook' || o.pages.length < 2) return s;
      const index = (o.index + a.delta + o.pages.length) % o.pages.length;
      return { ...s, overlay: { ...o, index, scroll: 0 }, command: undefined };
    }
    case 'setWatch': {
      const following = a.live ?? s.live !== undefined;
      const on = following ? 'watch on: listed once, now following the cluster' : `watch on: rescanning every ${formatInterval(s.intervalMs)}`;
      return { ...s, watch: a.on, notice: { text: a.on ? on : 'watch off', tone: 'info' } };
    }
    case 'probeStart':
      return { ...s, probing: a.key, notice: { text: 'probing the registry…', tone: 'info' } };
    case 'probeDone': {
      if (!s.report) return { ...s, probing: undefined };
      const scanned = s.scanned ?? s.report;
      const probe = { key: a.key, basis: probeBasis(scanned, a.key), report: a.report };
      const report = mergeProbe(s.report, a.key, a.report);
      const probes = [...s.probes.filter((p) => p.key !== a.key), probe];
      return settle(remodel({ ...s, report, scanned, probes, probing: undefined, notice: { text: 'probe finished', tone: 'ok' } }), s.model.items);
    }
    case 'probeFailed':
      return { ...s, probing: undefined, notice: { text: `probe failed: ${a.message}`, tone: 'error' } };
    case 'notice':
      return { ...s, notice: a.notice };
  }
}
