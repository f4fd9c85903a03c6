/** The UI never calls an incomplete scan clean: its status line, list and body say what is not covered. */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/finding.js';
import { detailLines } from '../../src/tui/detail-lines.js';
import { headerLines } from '../../src/tui/header-footer.js';
import type { Line } from '../../src/tui/lines.js';
import { listLines } from '../../src/tui/list-lines.js';
import { initialState, reducer } from '../../src/tui/state.js';
import { emptyLines } from '../../src/tui/status-lines.js';
import { emptyReport, sampleReport } from './sample-report.js';

const text = (lines: Line[]) => lines.map((l) => l.map((s) => s.text).join('')).join('\n');
const shown = (r: Report) => reducer(initialState({ scope: 'context prod · namespaces shop, web', cols: 120, rows: 30 }), { type: 'scanDone', report: r });

/** Pods refused in `web`, a malformed Event in `shop`. */
function incomplete(r: Report): Report {
  r.summary.complete = false;
  r.summary.skipped = [
    { kind: 'Pod', namespace: 'web', reason: 'list forbidden (403): pods is forbidden', source: '/api/v1/namespaces/web/pods', status: 403, check: 'kubectl auth can-i list pods -n web' },
    { kind: 'Event', namespace: 'shop', name: 'cart.17a', reason: 'message: must be string', source: '/api/v1/namespaces/shop/events' },
  ];
  r.accessProblems.push({ resource: 'pods', namespace: 'web', verb: 'list', status: 403, message: 'pods is forbidden', canI: 'kubectl auth can-i list pods -n web' });
  return r;
}

describe('an incomplete scan in the UI', () => {
  it('without findings: no "no image pull problems", but what is not covered', () => {
    const s = shown(incomplete(emptyReport(3)));
    const screen = [text(headerLines(s, 120)), text(listLines(s, s.model, 44)), text(emptyLines(s, 80))].join('\n');
    expect(screen).not.toContain('no image pull problems');
    expect(text(headerLines(s, 120))).toContain('⚠ INCOMPLETE: nothing found in the 3 pods that could be scanned; not covered: pods in namespace web (forbidden)');
    expect(text(headerLines(s, 120))).toContain('! 1 not read');
  });

  it('with findings: the counts, then what is not covered; the list item shows each thing not read once', () => {
    const s = shown(incomplete(sampleReport()));
    const header = text(headerLines(s, 200));
    expect(header).toContain('⚠ INCOMPLETE: not covered: pods in namespace web (forbidden)');
    expect(text(listLines(s, s.model, 44))).toContain('! could not read (3)');
    const item = s.model.items.find((i) => i.kind === 'access');
    const detail = text(detailLines(item, s.report, undefined, 100));
    expect(detail.split('kubectl auth can-i list pods -n web')).toHaveLength(2);
    expect(detail).toContain('Event shop/cart.17a (/api/v1/namespaces/shop/events): message: must be string');
  });

  it("a workload's detail lists an access problem its pods share once", () => {
    const r = sampleReport();
    const db = r.pods.find((p) => p.name === 'orders-db-0');
    if (!db) throw new Error('sample report changed');
    r.pods.push({ ...structuredClone(db), name: 'orders-db-1' });
    const s = shown(r);
    const item = s.model.items.find((i) => i.kind === 'workload' && i.name === 'orders-db');
    const detail = text(detailLines(item, s.report, undefined, 100));
    expect(detail.split('kubectl auth can-i get secrets/quay-creds -n shop')).toHaveLength(2);
  });

  it('a complete scan without findings still says so', () => {
    const s = shown(emptyReport(17));
    expect(text(headerLines(s, 120))).toContain('✔ no image pull problems in 17 pods');
  });
});
