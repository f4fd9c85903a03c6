/**
 * The built binary, end to end, for what only a real process shows: its exit status (after the
 * output is flushed), a stdin pipe, TTY and colour detection, --version and --help (yargs ends
 * the process for those). Everything else about the CLI runs in process: cli.test.ts. The UI in
 * a real terminal, with its signals, is tui-e2e.test.ts. `npm test` builds first.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runBin } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';

const NOW = '2026-11-28T12:00:00Z';
const FIRES = path.join(ROOT, 'fixtures/pull-secret-not-found/fires.yaml');
const QUIET = path.join(ROOT, 'fixtures/pull-secret-not-found/quiet.yaml');

// Concurrent: each test waits on its own child processes.
describe.concurrent('pulldoctor CLI (built binary)', () => {
  it('is built (npm test builds it)', () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build first`).toBe(true);
  });

  it('exit status 1 with findings, after the whole report reached the pipe', async () => {
    const r = await runBin(['--demo', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.source.kind).toBe('demo');
    expect(report.findings.length).toBeGreaterThan(20);
  });

  it('exit status 0 without findings, and with --fail-on never', async () => {
    const quiet = await runBin(['-f', QUIET, '-o', 'json', '--now', NOW]);
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout).findings).toEqual([]);
    expect((await runBin(['-f', FIRES, '-o', 'json', '--now', NOW, '--fail-on', 'never'])).code).toBe(0);
  });

  it.each([
    [['--no-such-flag'], /^pulldoctor: unknown option --no-such-flag \(see: pulldoctor --help\)$/m],
    [['-f', 'does-not-exist.yaml'], /^pulldoctor: does-not-exist\.yaml: no such file or directory/],
  ])('%j → exit status 2, one line on stderr, no stack trace', async (args, re) => {
    const r = await runBin(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('reads a dump from a stdin pipe (-f -)', async () => {
    const r = await runBin(['-f', '-', '-o', 'json', '--now', NOW], { input: readFileSync(FIRES, 'utf8') });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('pull-secret-not-found');
  });

  it('piped and not in CI: text (the UI needs a terminal), no colour', async () => {
    const r = await runBin(['-f', FIRES, '--now', NOW], { env: { CI: undefined } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^pulldoctor · /);
    expect(r.stdout).toContain('pull-secret-not-found');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('colour on request (FORCE_COLOR) through a pipe, and never with NO_COLOR', async () => {
    const text = ['-f', FIRES, '-o', 'text', '--now', NOW];
    expect((await runBin(text, { env: { FORCE_COLOR: '1' } })).stdout).toContain('\x1b[31m');
    expect((await runBin(text, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
  });

  it('--version prints the package version; --help the usage; both exit 0', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const v = await runBin(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const h = await runBin(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^pulldoctor \[pods\.\.\] \[options\]/);
    expect(h.stdout).toContain('--fail-on');
  });
});
