import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { colourEnabled, runTui } from '../../src/tui/run.js';
import type { Report } from '../../src/model/finding.js';
import { FakeStdin, FakeStdout, KEY, tick } from './harness.js';
import { sampleReport } from './sample-report.js';

async function drive(keys: string[], tty = true) {
  const stdout = new FakeStdout(100, 30, tty);
  const stdin = new FakeStdin();
  let scanned = 0;
  const done = runTui({
    scan: async () => {
      scanned++;
      return sampleReport();
    },
    scope: 'demo cluster · all namespaces',
    intervalMs: 5000,
    watch: false,
    runbook: (id) => `# ${id}\n`,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
  });
  await tick(50);
  for (const k of keys) {
    stdin.write(k);
    await tick(30);
  }
  const code = await Promise.race([done, tick(2000).then(() => 'timeout' as const)]);
  return { code, stdout, stdin, scanned, output: stdout.frames.join('') };
}

describe('runTui', () => {
  test('q quits with 0; alternate screen entered and left, cursor shown, raw mode off', async () => {
    const r = await drive(['j', 'q']);
    expect(r.code).toBe(0);
    expect(r.scanned).toBe(1);
    expect(r.stdout.frames[0]).toContain('\x1b[?1049h');
    expect(r.output).toContain('payments-api');
    const tail = r.stdout.frames.slice(-3).join('');
    expect(tail).toContain('\x1b[?1049l');
    expect(tail).toContain('\x1b[?25h');
    expect(r.output.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(r.output.lastIndexOf('payments-api'));
    expect(r.stdin.rawMode).toBe(false);
  });

  test('Ctrl-C and Esc quit with 0', async () => {
    expect((await drive([KEY.ctrlC])).code).toBe(0);
    expect((await drive([KEY.escape])).code).toBe(0);
  });

  test('no alternate screen when stdout is not a TTY', async () => {
    const r = await drive(['q'], false);
    expect(r.code).toBe(0);
    expect(r.output).not.toContain('\x1b[?1049h');
    expect(r.output).not.toContain('\x1b[?1049l');
  });

  test('quitting while a scan is still running resolves too', async () => {
    const stdout = new FakeStdout(100, 30, true);
    const stdin = new FakeStdin();
    const done = runTui({
      scan: () => new Promise<Report>(() => {}),
      scope: 'x',
      intervalMs: 5000,
      watch: true,
      runbook: () => '',
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
    });
    await tick(50);
    stdin.write('q');
    expect(await Promise.race([done, tick(2000).then(() => 'timeout')])).toBe(0);
  });
});

describe('runTui: every way out restores the terminal', () => {
  function start(signals: EventEmitter) {
    const stdout = new FakeStdout(100, 30, true);
    const stdin = new FakeStdin();
    const done = runTui({
      scan: async () => sampleReport(),
      scope: 'x',
      intervalMs: 5000,
      watch: false,
      runbook: () => '',
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      signals: signals as unknown as NodeJS.EventEmitter,
    });
    return { stdout, stdin, done };
  }

  test.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ])('%s: alternate screen left, cursor shown, raw mode off, exit %i', async (signal, code) => {
    const signals = new EventEmitter();
    const r = start(signals);
    await tick(50);
    expect(r.stdin.rawMode).toBe(true);
    expect(signals.listenerCount(signal)).toBe(1);
    signals.emit(signal);
    expect(await Promise.race([r.done, tick(2000).then(() => 'timeout')])).toBe(code);
    const out = r.stdout.frames.join('');
    expect(out.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(out.lastIndexOf('payments-api'));
    expect(out.slice(out.lastIndexOf('\x1b[?1049l'))).toContain('\x1b[?25h');
    expect(r.stdin.rawMode).toBe(false);
    // Listeners are gone afterwards.
    expect(signals.listenerCount(signal)).toBe(0);
  });

  test('an uncaught exception leaves the alternate screen before Node prints it', async () => {
    const r = start(new EventEmitter());
    await tick(50);
    expect(process.listeners('uncaughtExceptionMonitor').length).toBeGreaterThan(0);
    const emit = process.emit as (this: NodeJS.Process, event: string, ...args: unknown[]) => boolean;
    emit.call(process, 'uncaughtExceptionMonitor', new Error('boom'), 'uncaughtException');
    expect(r.stdout.frames.join('')).toContain('\x1b[?1049l\x1b[?25h');
    r.stdin.write('q');
    expect(await Promise.race([r.done, tick(2000).then(() => 'timeout')])).toBe(0);
    // Left once only.
    expect(r.stdout.frames.join('').split('\x1b[?1049l').length - 1).toBe(1);
  });
});

describe('colourEnabled', () => {
  test('follows NO_COLOR', () => {
    expect(colourEnabled({})).toBe(true);
    expect(colourEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colourEnabled({ NO_COLOR: '1' })).toBe(false);
  });
});
