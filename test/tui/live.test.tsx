/**
 * The UI following a live cluster (a fake LiveSession): no rescans, an update on every change,
 * fixed findings marked for a time, the connection in the header; and taking a command.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Report } from '../../src/model/finding.js';
import type { LiveSession } from '../../src/tui/controller.js';
import { FIXED_MS } from '../../src/tui/report-changes.js';
import { runTui } from '../../src/tui/run.js';
import { defaultRunbook, FakeStdin, FakeStdout, mount, plain, tick, type Mounted } from './harness.js';
import { sampleReport } from './sample-report.js';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
  vi.useRealTimers();
});

/** A live session whose state the test sets; `change()` is the cluster changing. */
function fakeLive(first: Report) {
  let current = first;
  const listeners = new Set<() => void>();
  const calls = { start: 0, report: 0, stop: 0 };
  let connected = true;
  let lastError: string | undefined;
  const session: LiveSession = {
    async start() {
      calls.start++;
      return current;
    },
    report() {
      calls.report++;
      return current;
    },
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    status: () => ({ connected, ...(lastError ? { lastError } : {}) }),
    async stop() {
      calls.stop++;
    },
  };
  return {
    calls,
    factory: () => session,
    change(next: Report) {
      current = next;
      for (const l of listeners) l();
    },
    disconnect(error?: string) {
      connected = false;
      lastError = error;
    },
    reconnect() {
      connected = true;
      lastError = undefined;
    },
  };
}

const withoutLedger = () => {
  const r = sampleReport();
  r.findings = r.findings.filter((f) => f.workload.name !== 'ledger-worker');
  return r;
};

describe('watch mode on a live cluster', () => {
  test('lists once, updates on each change, shows ✔ fixed for a moment, never rescans', async () => {
    let scans = 0;
    const live = fakeLive(sampleReport());
    m = await mount({ watch: true, intervalMs: 30, scan: async () => (scans++, sampleReport()), live: live.factory });
    await m.waitFor((f) => f.includes('deploy/ledger-worker'));
    expect(m.frame()).toContain('◉ live');
    expect(live.calls.start).toBe(1);

    const t0 = Date.now();
    live.change(withoutLedger());
    const f = await m.waitFor((fr) => fr.includes('fixed: Registry rejected'));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(f).toMatch(/✔ deploy\/ledger-worker/);
    // Another change does not age the mark (it lasts a time, not a number of updates).
    live.change(withoutLedger());
    live.change(withoutLedger());
    await tick(300);
    expect(m.frame()).toContain('fixed: Registry rejected');
    expect(scans).toBe(0);
    // After FIXED_MS it is gone.
    const until = m.store.getState().resolved[0]?.until ?? 0;
    expect(until - t0).toBeGreaterThanOrEqual(FIXED_MS - 50);
    m.store.dispatch({ type: 'expireFixed', at: until + 1 });
    await m.waitFor((fr) => !fr.includes('ledger-worker'));
  });

  test('the header says when the watch is reconnecting; w stops and restarts following', async () => {
    const live = fakeLive(sampleReport());
    m = await mount({ watch: true, live: live.factory });
    await m.waitFor((f) => f.includes('◉ live'));
    live.disconnect('context live (http://127.0.0.1:9): cannot connect: connect ECONNREFUSED 127.0.0.1:9');
    let f = await m.waitFor((fr) => fr.includes('◌ reconnecting'), 3000);
    expect(f).toContain('watch interrupted: context live');
    live.reconnect();
    f = await m.waitFor((fr) => fr.includes('◉ live'), 3000);
    expect(f).toContain('watch reconnected');
    await m.press('w');
    expect(m.frame()).not.toContain('◉ live');
    expect(live.calls.stop).toBe(1);
    await m.press('w');
    await m.waitFor((f) => f.includes('watch on: listed once, now following the cluster'));
    expect(live.calls.start).toBe(2);
  });

  test('a live start that fails shows the error; r tries the live start again (no interval rescans)', async () => {
    let scans = 0;
    let attempts = 0;
    const good = fakeLive(sampleReport());
    const live = () => {
      attempts++;
      if (attempts === 1) return { ...good.factory(), start: () => Promise.reject(new Error('context live (http://127.0.0.1:9): cannot connect: connect ECONNREFUSED 127.0.0.1:9')) };
      return good.factory();
    };
    m = await mount({ watch: true, intervalMs: 20, scan: async () => (scans++, sampleReport()), live });
    await m.waitFor((f) => f.includes('cannot connect'));
    await tick(100);
    expect(scans).toBe(0);
    await m.press('r');
    await m.waitFor((f) => f.includes('◉ live') && f.includes('deploy/ledger-worker'));
    expect(attempts).toBe(2);
    expect(scans).toBe(0);
  });
});

describe('taking a command', () => {
  /** Wait (up to 5 s) for a frame the test expects, instead of a fixed pause that a loaded machine outlasts. */
  async function until(ok: () => boolean): Promise<void> {
    for (const t = Date.now(); !ok() && Date.now() - t < 5000; ) await tick(20);
  }

  test('c selects the fixes of the detail pane in turn, y takes one, quitting prints it', async () => {
    const stdout = new FakeStdout(100, 30);
    const stdin = new FakeStdin();
    const report = sampleReport();
    const done = runTui({ scan: async () => report, scope: 'test', intervalMs: 5000, watch: false, runbook: defaultRunbook, fullFrames: true, stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream });
    await until(() => /│\s+\$ /.test(plain(stdout.lastFrame())));
    const before = plain(stdout.lastFrame());
    // The first command of the detail pane (the part of it on its first line).
    const shown = /│\s+\$ (.*)$/m.exec(before)?.[1]?.trim() ?? '?';
    stdin.write('c');
    await until(() => /│\s+›?\s*\$/.test(plain(stdout.lastFrame())) && plain(stdout.lastFrame()) !== before);
    stdin.write('y');
    await until(() => stdout.lastFrame().includes('will print on exit'));
    expect(stdout.lastFrame()).toContain('will print on exit');
    stdin.write('q');
    expect(await done).toBe(0);
    const printed = stdout.frames.at(-1) ?? '';
    expect(printed.endsWith('\n')).toBe(true);
    expect(printed.startsWith(shown)).toBe(true);
    expect(printed.trim().split('\n')).toHaveLength(1);
  });

  test('in the runbook, c walks the code block commands and y takes the selected one', async () => {
    m = await mount({ report: sampleReport() });
    await m.press('e');
    await m.waitFor((f) => f.includes('Runbook ·'));
    await m.press('c');
    expect(m.store.getState().command).toEqual({ pane: 'overlay', index: 0 });
    await m.press('y');
    expect(m.store.getState().picked).toBe('kubectl get events -n <namespace>');
    // Only one command: c wraps around to it.
    await m.press('c');
    expect(m.store.getState().command).toEqual({ pane: 'overlay', index: 0 });
  });
});
