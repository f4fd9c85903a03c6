/**
 * All UI state in one reducer. The store is a tiny external store so the controller (scans,
 * timers) can feed it from outside React; components read it through `useAppState`.
 */
import { useSyncExternalStore } from 'react';
import { SEVERITY_RANK, type Finding, type Report, type Severity } from '../model/finding.js';
import type { ProgressUpdate } from '../model/progress.js';
import { findingWorkloadKey, formatInterval, workloadKey } from './format.js';
import { buildModel, detailLines, layout, listLines, overlayLines, type Item } from './view.js';

export type Focus = 'list' | 'detail';

export type Overlay =
  | { kind: 'none' }
  | { kind: 'help'; scroll: number }
  | { kind: 'runbook'; pages: RunbookPage[]; index: number; scroll: number };

export interface RunbookPage {
  rule: string;
  text: string;
}

export interface ResolvedFinding {
  finding: Finding;
  /** Refreshes left before it disappears. */
  ttl: number;
}

export interface Notice {
  text: string;
  tone: 'info' | 'error' | 'ok';
}

export interface ProgressEntry {
  cluster?: string;
  resource: string;
  objects: number;
  done: boolean;
}

export interface State {
  scope: string;
  color: boolean;
  cols: number;
  rows: number;
  report?: Report;
  scanning: boolean;
  /** Completed scans (successful or not). */
  scans: number;
  progress: ProgressEntry[];
  /** Message of the last failed scan; cleared by a successful one. */
  error?: string;
  lastScanAt?: string;
  watch: boolean;
  intervalMs: number;
  resolved: ResolvedFinding[];
  focus: Focus;
  selected?: string;
  listOffset: number;
  detailScroll: number;
  filter: string;
  editingFilter: boolean;
  minSeverity: Severity;
  overlay: Overlay;
  canProbe: boolean;
  /** Workload key being probed. */
  probing?: string;
  notice?: Notice;
  frame: number;
}

export type Action =
  | { type: 'scanStart' }
  | { type: 'progress'; update: ProgressUpdate }
  | { type: 'scanDone'; report: Report; at?: string }
  | { type: 'scanFailed'; message: string; at?: string }
  | { type: 'tick' }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'move'; delta: number }
  | { type: 'moveTo'; where: 'first' | 'last' }
  | { type: 'page'; dir: 1 | -1 }
  | { type: 'toggleFocus' }
  | { type: 'focus'; focus: Focus }
  | { type: 'filterStart' }
  | { type: 'filterInput'; text: string }
  | { type: 'filterBackspace' }
  | { type: 'filterCommit' }
  | { type: 'filterCancel' }
  | { type: 'cycleSeverity' }
  | { type: 'openRunbook'; pages: RunbookPage[] }
  | { type: 'openHelp' }
  | { type: 'closeOverlay' }
  | { type: 'runbookSwitch'; delta: number }
  | { type: 'setWatch'; on: boolean }
  | { type: 'probeStart'; key: string }
  | { type: 'probeDone'; key: string; report: Report }
  | { type: 'probeFailed'; key: string; message: string }
  | { type: 'notice'; notice?: Notice };

/** How many refreshes a disappeared finding stays visible as resolved. */
export const RESOLVED_REFRESHES = 2;

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
    scanning: false,
    scans: 0,
    progress: [],
    watch: o.watch ?? false,
    intervalMs: o.intervalMs ?? 5000,
    resolved: [],
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

function items(s: State): Item[] {
  return buildModel(s).items;
}

/** Keep the selection on an existing item (or the item that took its place) and visible. */
function settle(s: State, previousItems?: Item[]): State {
  const list = items(s);
  let selected = s.selected;
  if (list.length === 0) {
    selected = undefined;
  } else if (!selected || !list.some((i) => i.key === selected)) {
    const oldIndex = previousItems && selected ? previousItems.findIndex((i) => i.key === selected) : -1;
    selected = list[clamp(oldIndex, 0, list.length - 1)]?.key;
  }
  const next: State = selected === s.selected ? s : { ...s, selected, detailScroll: 0 };
  return scrollIntoView(clampDetail(next));
}

/** While typing a filter the first matching workload is selected. */
function selectFirstMatch(s: State): State {
  const list = items(s);
  const first = list.find((i) => i.kind === 'workload') ?? list[0];
  const selected = first?.key;
  return settle(selected === s.selected ? s : { ...s, selected, detailScroll: 0 });
}

function scrollIntoView(s: State): State {
  const l = layout(s.cols, s.rows);
  const { spans } = listLines(s, buildModel(s), l.listWidth);
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

function clampDetail(s: State): State {
  const l = layout(s.cols, s.rows);
  const lines = detailLines(s, buildModel(s), l.detailWidth);
  const scroll = clamp(s.detailScroll, 0, Math.max(0, lines.length - l.paneHeight));
  return scroll === s.detailScroll ? s : { ...s, detailScroll: scroll };
}

function clampOverlay(s: State, o: Overlay): Overlay {
  if (o.kind === 'none') return o;
  const l = layout(s.cols, s.rows);
  const lines = overlayLines({ ...s, overlay: o }, l.overlayWidth);
  const scroll = clamp(o.scroll, 0, Math.max(0, lines.length - l.overlayHeight));
  return scroll === o.scroll ? o : { ...o, scroll };
}

function diffResolved(prev: Report | undefined, next: Report, resolved: ResolvedFinding[]): ResolvedFinding[] {
  const nextIds = new Set(next.findings.map((f) => f.id));
  const kept = resolved
    .filter((r) => !nextIds.has(r.finding.id))
    .map((r) => ({ ...r, ttl: r.ttl - 1 }))
    .filter((r) => r.ttl > 0);
  if (!prev) return kept;
  const known = new Set(kept.map((r) => r.finding.id));
  for (const f of prev.findings) {
    if (!nextIds.has(f.id) && !known.has(f.id)) kept.push({ finding: f, ttl: RESOLVED_REFRESHES });
  }
  return kept;
}

function mergeProbe(report: Report, key: string, probed: Report): Report {
  const findings = report.findings
    .filter((f) => findingWorkloadKey(f) !== key)
    .concat(probed.findings.filter((f) => findingWorkloadKey(f) === key));
  findings.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.namespace.localeCompare(b.namespace) || a.workload.name.localeCompare(b.workload.name),
  );
  const podKey = (p: { cluster?: string; namespace: string; workload: { kind: string; name: string } }) =>
    workloadKey({ cluster: p.cluster, namespace: p.namespace, kind: p.workload.kind, name: p.workload.name });
  const probedPods = probed.pods.filter((p) => podKey(p) === key);
  const pods = probedPods.length ? report.pods.filter((p) => podKey(p) !== key).concat(probedPods) : report.pods;
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const workloads = new Set(findings.map(findingWorkloadKey));
  return { ...report, findings, pods, summary: { ...report.summary, findings: counts, workloadsAffected: workloads.size } };
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
      const before = items(s);
      const resolved = diffResolved(s.report, a.report, s.resolved);
      const next: State = {
        ...s,
        report: a.report,
        resolved,
        scanning: false,
        scans: s.scans + 1,
        error: undefined,
        lastScanAt: a.at ?? new Date().toISOString(),
      };
      return settle(next, before);
    }
    case 'scanFailed':
      return settle({ ...s, scanning: false, scans: s.scans + 1, error: a.message, lastScanAt: a.at ?? new Date().toISOString() });
    case 'tick':
      return { ...s, frame: s.frame + 1 };
    case 'resize':
      if (a.cols === s.cols && a.rows === s.rows) return s;
      return settle({ ...s, cols: a.cols, rows: a.rows, overlay: clampOverlay({ ...s, cols: a.cols, rows: a.rows }, s.overlay) });
    case 'move': {
      if (s.overlay.kind !== 'none') return { ...s, overlay: clampOverlay(s, { ...s.overlay, scroll: s.overlay.scroll + a.delta }) };
      if (s.focus === 'detail') return clampDetail({ ...s, detailScroll: s.detailScroll + a.delta });
      const list = items(s);
      if (list.length === 0) return s;
      const index = list.findIndex((i) => i.key === s.selected);
      const target = list[clamp(index + a.delta, 0, list.length - 1)];
      if (!target || target.key === s.selected) return s;
      return settle({ ...s, selected: target.key, detailScroll: 0, notice: undefined });
    }
    case 'moveTo': {
      if (s.overlay.kind !== 'none') return { ...s, overlay: clampOverlay(s, { ...s.overlay, scroll: a.where === 'first' ? 0 : 1e9 }) };
      if (s.focus === 'detail') return clampDetail({ ...s, detailScroll: a.where === 'first' ? 0 : 1e9 });
      const list = items(s);
      const target = a.where === 'first' ? list[0] : list[list.length - 1];
      if (!target) return s;
      return settle({ ...s, selected: target.key, detailScroll: target.key === s.selected ? s.detailScroll : 0 });
    }
    case 'page': {
      const l = layout(s.cols, s.rows);
      const step = Math.max(1, (s.overlay.kind === 'none' ? l.paneHeight : l.overlayHeight) - 1);
      if (s.overlay.kind === 'none' && s.focus === 'list') return reducer(s, { type: 'move', delta: a.dir * Math.max(1, Math.floor(step / 2)) });
      return reducer(s, { type: 'move', delta: a.dir * step });
    }
    case 'toggleFocus':
      return { ...s, focus: s.focus === 'list' ? 'detail' : 'list' };
    case 'focus':
      return s.focus === a.focus ? s : { ...s, focus: a.focus };
    case 'filterStart':
      return { ...s, editingFilter: true, notice: undefined };
    case 'filterInput':
      return selectFirstMatch({ ...s, filter: s.filter + a.text, listOffset: 0 });
    case 'filterBackspace':
      return selectFirstMatch({ ...s, filter: [...s.filter].slice(0, -1).join(''), listOffset: 0 });
    case 'filterCommit':
      return { ...s, editingFilter: false };
    case 'filterCancel':
      return settle({ ...s, editingFilter: false, filter: '', listOffset: 0 });
    case 'cycleSeverity':
      return settle({ ...s, minSeverity: SEVERITY_CYCLE[s.minSeverity], listOffset: 0 });
    case 'openRunbook':
      if (a.pages.length === 0) return { ...s, notice: { text: 'select a workload to see its runbook', tone: 'info' } };
      return { ...s, overlay: { kind: 'runbook', pages: a.pages, index: 0, scroll: 0 }, notice: undefined };
    case 'openHelp':
      return { ...s, overlay: { kind: 'help', scroll: 0 } };
    case 'closeOverlay':
      return { ...s, overlay: { kind: 'none' } };
    case 'runbookSwitch': {
      const o = s.overlay;
      if (o.kind !== 'runbook' || o.pages.length < 2) return s;
      const index = (o.index + a.delta + o.pages.length) % o.pages.length;
      return { ...s, overlay: { ...o, index, scroll: 0 } };
    }
    case 'setWatch':
      return {
        ...s,
        watch: a.on,
        notice: { text: a.on ? `watch on: rescanning every ${formatInterval(s.intervalMs)}` : 'watch off', tone: 'info' },
      };
    case 'probeStart':
      return { ...s, probing: a.key, notice: { text: 'probing the registry…', tone: 'info' } };
    case 'probeDone': {
      if (!s.report) return { ...s, probing: undefined };
      const before = items(s);
      const report = mergeProbe(s.report, a.key, a.report);
      return settle({ ...s, report, probing: undefined, notice: { text: 'probe finished', tone: 'ok' } }, before);
    }
    case 'probeFailed':
      return { ...s, probing: undefined, notice: { text: `probe failed: ${a.message}`, tone: 'error' } };
    case 'notice':
      return { ...s, notice: a.notice };
  }
}

export interface Store {
  getState(): State;
  dispatch(a: Action): void;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: State): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(a) {
      const next = reducer(state, a);
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/** The one hook components get their state from. */
export function useAppState(store: Store): State {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
