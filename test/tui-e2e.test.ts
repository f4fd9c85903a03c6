/**
 * End-to-end: the built CLI in a real terminal (tmux). Needs `npm run build`, tmux, and the
 * bundled demo cluster; skipped when any of them is missing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { TmuxSession, tmuxAvailable } from './tui/tmux.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'src', 'cli.js');
const demo = join(root, 'fixtures', 'demo');
const ready = tmuxAvailable() && existsSync(cli) && existsSync(demo) && readdirSync(demo).length > 0;
const ARGS = process.env.PULLDOCTOR_E2E_ARGS ?? '--demo';

// Records the tty settings before and after, so the test can tell the terminal was restored.
const command = `A=$(stty -g); printf 'BEFORE\\n'; node ${cli} ${ARGS}; code=$?; B=$(stty -g); [ "$A" = "$B" ] && echo TTY-RESTORED; echo "EXIT=$code"`;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const selected = (screen: string) => screen.split('\n').find((l) => l.startsWith('› ')) ?? '';
/** Workload names in the list pane, e.g. `deploy/web`. */
const workloads = (screen: string) =>
  [...screen.matchAll(/^[› ] [✖▲•✔] ([a-z]+\/[^\s│…]+)/gm)].map((m) => m[1] ?? '').filter(Boolean);

let t: TmuxSession | undefined;
afterEach(() => {
  t?.kill();
  t = undefined;
});

describe.skipIf(!ready)('UI end to end (tmux, built CLI)', () => {
  test('first screen, navigation, filter, runbook, quit with 0 and a restored terminal', async () => {
    t = await TmuxSession.start(command, { cols: 100, rows: 30, cwd: root });
    let screen = await t.waitForText('Workloads', 20_000);
    expect(screen).toContain('pulldoctor ·');
    expect(screen).toMatch(/\d+ errors?/);
    const names = workloads(screen);
    expect(names.length).toBeGreaterThan(1);
    const first = selected(screen);
    expect(first).toContain(names[0] ?? '?');

    // navigation
    await t.sendKeys('j');
    screen = await t.waitForText((names[1] ?? '?').slice(0, 10));
    await t.waitForText(new RegExp(`^› .*${escape(names[1] ?? '?')}`, 'm'));

    // pane switch
    await t.sendKeys('Enter');
    await t.waitForText('⏎ list');
    await t.sendKeys('Tab');
    await t.waitForText('⏎ detail');

    // filter by the second workload's name: the first one disappears
    const target = (names[1] ?? '').split('/')[1] ?? '';
    await t.sendKeys('/');
    await t.sendText(target);
    await t.sendKeys('Enter');
    screen = await t.waitForText(new RegExp(`Workloads \\d+/\\d+ /${escape(target)}`));
    if (!(names[0] ?? '').includes(target)) expect(screen).not.toContain(names[0] ?? '?');
    await t.sendKeys('/', 'Escape');
    await t.waitForText(names[0] ?? '?');

    // runbook
    await t.sendKeys('e');
    screen = await t.waitForText('Runbook ·');
    expect(screen).toContain('Esc/q/e close');
    await t.sendKeys('Escape');
    await t.waitForNoText('Runbook ·');

    // help
    await t.sendKeys('?');
    await t.waitForText('cycle the minimum severity');
    await t.sendKeys('?');

    // quit
    await t.sendKeys('q');
    screen = await t.waitForText('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('TTY-RESTORED');
    expect(screen).toContain('BEFORE');
    expect(screen).not.toContain('Workloads');
  }, 60_000);

  test('80×24 fits and survives a resize', async () => {
    t = await TmuxSession.start(command, { cols: 80, rows: 24, cwd: root });
    let screen = await t.waitForText('Workloads', 20_000);
    for (const line of screen.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    await t.resize(120, 40);
    screen = await t.waitForText(/updated/);
    await t.resize(70, 20);
    await new Promise((r) => setTimeout(r, 300));
    screen = await t.capture();
    expect(screen).toContain('Workloads');
    expect(screen.split('\n').filter((l) => l.includes('pulldoctor ·')).length).toBe(1);
    await t.sendKeys('C-c');
    screen = await t.waitForText('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('TTY-RESTORED');
  }, 60_000);
});
