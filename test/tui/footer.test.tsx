/**
 * The footer always tells the user how to get help and how to leave, whatever the width, and
 * before the first report it only offers keys that do something.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { UserError } from '../../src/model/errors.js';
import type { Report } from '../../src/model/finding.js';
import { App } from '../../src/tui/App.js';
import { createController, type Controller } from '../../src/tui/controller.js';
import { displayWidth } from '../../src/tui/format.js';
import { initialState, reducer } from '../../src/tui/state.js';
import { createStore } from '../../src/tui/store.js';
import type { State } from '../../src/tui/types.js';
import { footerLine } from '../../src/tui/header-footer.js';
import { defaultRunbook, mount, plain, tick, type Mounted } from './harness.js';
import { sampleReport } from './sample-report.js';

const text = (s: State, cols: number) => footerLine(s, cols).map((x) => x.text).join('');

function loaded(extra: Partial<State> = {}): State {
  const s = initialState({ scope: 'demo', canProbe: true, cols: 100, rows: 30 });
  return { ...reducer(s, { type: 'scanDone', report: sampleReport(), at: '2025-03-01T12:00:00Z' }), ...extra };
}

describe('footer hints', () => {
  test.each([200, 100, 80, 60, 40, 30])('at %i columns: fits, and ? help · q quit stay visible', (cols) => {
    const t = text(loaded(), cols);
    expect(displayWidth(t)).toBeLessThanOrEqual(cols);
    expect(t).toContain('? help · q quit');
  });

  test('wide: every key is listed; narrow: the least important go first', () => {
    expect(text(loaded(), 200)).toBe('↑↓ move · ⏎ detail · / filter · s severity · e runbook · r rescan · w watch · p probe · c/y command · ? help · q quit');
    expect(text(loaded(), 80)).toBe('↑↓ move · ⏎ detail · / filter · s severity · e runbook · ? help · q quit');
    expect(text(loaded(), 40)).toBe('↑↓ move · ⏎ detail · ? help · q quit');
  });

  test('a notice keeps the hints to help and quit', () => {
    const t = text(loaded({ notice: { text: 'watch on: rescanning every 5s', tone: 'info' } }), 80);
    expect(t).toContain('watch on: rescanning every 5s');
    expect(t).toContain('? help · q quit');
    expect(displayWidth(t)).toBeLessThanOrEqual(80);
  });

  test('before the first report: only keys that do something', () => {
    const s = initialState({ scope: 'demo', cols: 80, rows: 24 });
    expect(text(reducer(s, { type: 'scanStart' }), 80)).toBe('? help · q quit');
    expect(text(reducer(s, { type: 'scanFailed', message: 'no such file', at: '2025-03-01T12:00:00Z' }), 80)).toBe(
      'r retry · ? help · q quit',
    );
  });

  test('overlays: close key always visible', () => {
    const help = reducer(loaded(), { type: 'openHelp' });
    expect(text(help, 20)).toContain('Esc/q/? close');
    const runbook = reducer(loaded(), { type: 'openRunbook', pages: [{ rule: 'a', text: '# a' }, { rule: 'b', text: '# b' }] });
    expect(text(runbook, 80)).toBe('↑↓ scroll · ←→ rule 1/2 · c/y command · Esc/q/e close');
    expect(text(runbook, 30)).toBe('↑↓ scroll · Esc/q/e close');
  });
});

describe('what the user sees (ink-testing-library, 100 columns)', () => {
  let controller: Controller | undefined;
  let unmount: (() => void) | undefined;
  afterEach(() => {
    controller?.dispose();
    unmount?.();
    controller = undefined;
    unmount = undefined;
  });

  function show(scan: () => Promise<Report>) {
    const store = createStore(initialState({ scope: 'context kind-dev · all namespaces', canProbe: true, cols: 100, rows: 30 }));
    controller = createController(store, { scan, intervalMs: 5000 });
    const r = render(<App store={store} controller={controller} runbook={defaultRunbook} />);
    unmount = r.unmount;
    controller.start();
    return { ...r, frame: () => plain(r.lastFrame() ?? '') };
  }

  test('the main view shows ? help and q quit at 100 columns', async () => {
    const ui = show(async () => sampleReport());
    await tick();
    const last = ui.frame().split('\n').filter((l) => l.trim()).pop() ?? '';
    expect(last).toContain('? help · q quit');
    expect(displayWidth(last)).toBeLessThanOrEqual(100);
  });

  test('a failed first scan: the message once, in full, with what to do', async () => {
    const message = 'kubeconfig /nonexistent: no such file';
    const ui = show(async () => {
      throw new UserError(message);
    });
    await tick();
    const f = ui.frame();
    expect(f.split(message).length - 1).toBe(1);
    expect(f).toContain(`✖ ${message}`);
    expect(f).toContain('✖ scan failed');
    expect(f).toContain('r retry · ? help · q quit');
    ui.stdin.write('?');
    await tick();
    expect(ui.frame()).toContain('cycle the minimum severity');
  });
});

describe('80 columns (harness with a sized terminal)', () => {
  let m: Mounted | undefined;
  afterEach(() => {
    m?.unmount();
    m = undefined;
  });

  test('80×24: the footer still says how to get help and quit', async () => {
    m = await mount({ report: sampleReport(), cols: 80, rows: 24, probe: async () => sampleReport() });
    const last = m.lines().filter((l) => l.trim()).pop() ?? '';
    expect(last).toContain('? help · q quit');
    expect(displayWidth(last)).toBeLessThanOrEqual(80);
  });
});
