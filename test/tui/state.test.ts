import { describe, expect, test } from 'vitest';
import { layout } from '../../src/tui/layout.js';
import { listRows } from '../../src/tui/list-rows.js';
import { buildModel } from '../../src/tui/model.js';
import { FIXED_MS, RESOLVED_REFRESHES } from '../../src/tui/report-changes.js';
import { initialState, reducer } from '../../src/tui/state.js';
import { createStore } from '../../src/tui/store.js';
import type { State } from '../../src/tui/types.js';
import { sampleReport } from './sample-report.js';

const base = (): State => initialState({ scope: 'test', cols: 100, rows: 30 });

describe('reducer', () => {
  test('progress keeps one entry per cluster and resource, in arrival order', () => {
    let s = reducer(base(), { type: 'scanStart' });
    s = reducer(s, { type: 'progress', update: { resource: 'pods', pages: 1, objects: 10, done: false } });
    s = reducer(s, { type: 'progress', update: { resource: 'events', pages: 1, objects: 5, done: false } });
    s = reducer(s, { type: 'progress', update: { resource: 'pods', pages: 2, objects: 30, done: true } });
    expect(s.progress).toEqual([
      { resource: 'pods', objects: 30, done: true },
      { resource: 'events', objects: 5, done: false },
    ]);
  });

  test('resolved findings live for two refreshes and vanish when they come back', () => {
    const full = sampleReport();
    const fixed = sampleReport();
    fixed.findings = fixed.findings.filter((f) => f.id !== 'worker-auth');
    let s = reducer(base(), { type: 'scanDone', report: full });
    expect(s.resolved).toEqual([]);
    s = reducer(s, { type: 'scanDone', report: fixed });
    expect(s.resolved.map((r) => [r.finding.id, r.ttl])).toEqual([['worker-auth', RESOLVED_REFRESHES]]);
    s = reducer(s, { type: 'scanDone', report: fixed });
    expect(s.resolved.map((r) => r.ttl)).toEqual([1]);
    s = reducer(s, { type: 'scanDone', report: fixed });
    expect(s.resolved).toEqual([]);
    // comes back: not resolved any more
    s = reducer(s, { type: 'scanDone', report: full });
    s = reducer(s, { type: 'scanDone', report: fixed });
    s = reducer(s, { type: 'scanDone', report: full });
    expect(s.resolved).toEqual([]);
  });

  test('live updates: a fixed finding lasts FIXED_MS whatever the number of updates, and goes when it comes back', () => {
    const full = sampleReport();
    const fixed = sampleReport();
    fixed.findings = fixed.findings.filter((f) => f.id !== 'worker-auth');
    const at = (ms: number) => new Date(Date.parse('2025-03-01T12:00:00Z') + ms).toISOString();
    let s = reducer(base(), { type: 'scanDone', report: full, live: true, at: at(0) });
    s = reducer(s, { type: 'scanDone', report: fixed, live: true, at: at(1000) });
    expect(s.resolved.map((r) => [r.finding.id, r.until])).toEqual([['worker-auth', Date.parse(at(1000)) + FIXED_MS]]);
    for (let i = 0; i < 10; i++) s = reducer(s, { type: 'scanDone', report: fixed, live: true, at: at(1100 + i) });
    expect(s.resolved).toHaveLength(1);
    expect(s.model.items.some((i) => i.kind === 'workload' && i.severity === 'resolved')).toBe(true);
    // Its time is up: the next update, or the expiry timer, drops it.
    const expired = reducer(s, { type: 'expireFixed', at: Date.parse(at(1000)) + FIXED_MS });
    expect(expired.resolved).toEqual([]);
    expect(expired.model.items.some((i) => i.kind === 'workload' && i.severity === 'resolved')).toBe(false);
    expect(reducer(s, { type: 'scanDone', report: fixed, live: true, at: at(1000 + FIXED_MS) }).resolved).toEqual([]);
    // It comes back before then: not fixed any more.
    expect(reducer(s, { type: 'scanDone', report: full, live: true, at: at(2000) }).resolved).toEqual([]);
  });

  test('selecting a command scrolls it into view and focuses the detail pane; y takes it', () => {
    let s = reducer({ ...base(), rows: 12 }, { type: 'scanDone', report: sampleReport() });
    s = reducer(s, { type: 'selectCommand', pane: 'detail', index: 2, line: 40, lines: 60 });
    expect(s.command).toEqual({ pane: 'detail', index: 2 });
    expect(s.focus).toBe('detail');
    const h = layout(s.cols, s.rows).paneHeight;
    expect(s.detailScroll).toBeLessThanOrEqual(40);
    expect(s.detailScroll + h).toBeGreaterThan(40);
    s = reducer(s, { type: 'pickCommand', text: 'kubectl get pods' });
    expect(s.picked).toBe('kubectl get pods');
    expect(s.notice?.text).toBe('will print on exit: kubectl get pods');
    // Moving the selection forgets the selected command (the pane shows another workload).
    expect(reducer(s, { type: 'move', delta: 1 }).command).toBeUndefined();
  });

  test('the selection stays visible when moving through a long list', () => {
    let s: State = { ...base(), rows: 10 };
    s = reducer(s, { type: 'scanDone', report: sampleReport() });
    const l = layout(s.cols, s.rows);
    for (let i = 0; i < 10; i++) {
      s = reducer(s, { type: 'move', delta: 1 });
      const { spans } = listRows(s, s.model, l.listWidth);
      const span = spans.get(s.selected ?? '');
      expect(span).toBeDefined();
      expect(span!.start).toBeGreaterThanOrEqual(s.listOffset);
      expect(span!.end).toBeLessThanOrEqual(s.listOffset + l.paneHeight);
    }
    expect(s.selected).toBe('access');
  });

  test('a probe replaces only the probed workload', () => {
    let s = reducer(base(), { type: 'scanDone', report: sampleReport() });
    const probed = sampleReport();
    probed.findings = probed.findings.filter((f) => f.workload.name !== 'ledger-worker' && f.workload.name !== 'debug');
    const key = s.model.items.find((i) => i.kind === 'workload' && i.name === 'ledger-worker')?.key ?? '';
    s = reducer(s, { type: 'probeStart', key });
    expect(s.probing).toBe(key);
    s = reducer(s, { type: 'probeDone', key, report: probed });
    expect(s.probing).toBeUndefined();
    const names = s.report?.findings.map((f) => f.workload.name);
    expect(names).not.toContain('ledger-worker');
    expect(names).toContain('debug'); // other workloads untouched
    expect(s.report?.summary.findings.error).toBe(2);
  });

  test('a probe result outlives a live update that leaves its workload alone; its findings are never marked fixed', () => {
    const at = (ms: number) => new Date(Date.parse('2025-03-01T12:00:00Z') + ms).toISOString();
    let s = reducer(base(), { type: 'scanDone', report: sampleReport(), live: true, at: at(0) });
    const key = s.model.items.find((i) => i.kind === 'workload' && i.name === 'ledger-worker')?.key ?? '';
    // The probe saw the registry refuse the token: one finding of its own for the workload.
    const probed = sampleReport();
    for (const f of probed.findings) if (f.id === 'worker-auth') Object.assign(f, { id: 'worker-probed', message: 'the registry answered 401 to the probe' });
    s = reducer(s, { type: 'probeDone', key, report: probed });
    const worker = (st: State) => st.report?.findings.filter((f) => f.workload.name === 'ledger-worker').map((f) => f.id);
    expect(worker(s)).toEqual(['worker-probed']);

    // Another workload is fixed: the probe result stays, and only that workload is marked fixed.
    const otherFixed = sampleReport();
    otherFixed.findings = otherFixed.findings.filter((f) => f.id !== 'debug-ref');
    s = reducer(s, { type: 'scanDone', report: otherFixed, live: true, at: at(1000) });
    expect(worker(s)).toEqual(['worker-probed']);
    expect(s.resolved.map((r) => r.finding.id)).toEqual(['debug-ref']);
    const shown = s.report?.findings ?? [];
    expect(s.report?.summary.findings).toEqual({
      error: shown.filter((f) => f.severity === 'error').length,
      warning: shown.filter((f) => f.severity === 'warning').length,
      info: shown.filter((f) => f.severity === 'info').length,
    });

    // The workload moves to another image: the probe answered for the old one, so it goes, and
    // the scan's own finding is back; the probe's finding leaving is not a fix.
    const newImage = sampleReport();
    newImage.findings = newImage.findings.filter((f) => f.id !== 'debug-ref');
    for (const f of newImage.findings) if (f.id === 'worker-auth') f.image = 'ghcr.io/acme/ledger-worker:2.4';
    s = reducer(s, { type: 'scanDone', report: newImage, live: true, at: at(2000) });
    expect(worker(s)).toEqual(['worker-auth']);
    expect(s.probes).toEqual([]);
    expect(s.resolved.map((r) => r.finding.id)).toEqual(['debug-ref']);
    expect(s.notice?.text).toBe('probe result dropped: the workload changed since (p probes again)');
  });

  test('the listed model follows every change of report, filter and severity', () => {
    let s = reducer(base(), { type: 'scanDone', report: sampleReport() });
    const fixed = sampleReport();
    fixed.findings = fixed.findings.filter((f) => f.id !== 'worker-auth');
    const steps: Parameters<typeof reducer>[1][] = [
      { type: 'filterStart' },
      { type: 'filterInput', text: 'led' },
      { type: 'filterBackspace' },
      { type: 'filterCommit' },
      { type: 'cycleSeverity' },
      { type: 'scanDone', report: fixed },
      { type: 'cycleSeverity' },
      { type: 'filterCancel' },
      { type: 'probeDone', key: 'nothing', report: fixed },
    ];
    for (const a of steps) {
      s = reducer(s, a);
      expect(s.model).toEqual(buildModel(s));
    }
    expect(s.model.items.some((i) => i.kind === 'workload' && i.severity === 'resolved')).toBe(true);
  });

  test('scrolling a text pane stops at its last line, and the way back starts from there', () => {
    let s: State = { ...base(), rows: 20 };
    s = reducer(s, { type: 'scanDone', report: sampleReport() });
    const height = layout(s.cols, s.rows).paneHeight;
    const lines = height + 10;
    s = reducer(s, { type: 'scroll', pane: 'detail', move: { to: 'last' }, lines });
    expect(s.detailScroll).toBe(10);
    s = reducer(s, { type: 'scroll', pane: 'detail', move: { by: 5 }, lines });
    expect(s.detailScroll).toBe(10);
    s = reducer(s, { type: 'scroll', pane: 'detail', move: { by: -1 }, lines });
    expect(s.detailScroll).toBe(9);
    // the content shrank (a rescan): the next key starts from the new last line
    s = reducer(s, { type: 'scroll', pane: 'detail', move: { by: -1 }, lines: height + 4 });
    expect(s.detailScroll).toBe(3);
    s = reducer(s, { type: 'scroll', pane: 'detail', move: { page: -1 }, lines });
    expect(s.detailScroll).toBe(0);
    // the overlay scrolls only while open
    expect(reducer(s, { type: 'scroll', pane: 'overlay', move: { by: 1 }, lines })).toBe(s);
    s = reducer(s, { type: 'openHelp' });
    s = reducer(s, { type: 'scroll', pane: 'overlay', move: { page: 1 }, lines });
    expect(s.overlay).toEqual({ kind: 'help', scroll: Math.min(10, height - 1) });
  });

  test('store notifies only on change', () => {
    const store = createStore(base());
    let calls = 0;
    store.subscribe(() => calls++);
    store.dispatch({ type: 'focus', focus: 'list' });
    expect(calls).toBe(0);
    store.dispatch({ type: 'toggleFocus' });
    expect(calls).toBe(1);
    expect(store.getState().focus).toBe('detail');
  });
});
