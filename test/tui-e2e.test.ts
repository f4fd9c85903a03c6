/**
 * End-to-end: the built CLI in a real terminal (tmux). Needs `npm run build`, tmux, and the
 * bundled demo cluster; skipped when any of them is missing.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { describe, expect, test, type TestContext } from 'vitest';
import { CLI } from './helpers/cli.js';
import { FAILED_PULL_MESSAGE, IMAGE_PULL_BACKOFF, pod, podEvent, pullSecret, serviceAccount, startApiServer, writeKubeconfig } from './apiserver/index.js';
import { TmuxSession, tmuxAvailable, type TmuxOptions } from './tui/tmux.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = CLI;
const demo = join(root, 'fixtures', 'demo');
// A missing tmux or an unbuilt CLI is a broken setup, not a reason to skip: say what to run.
if (!tmuxAvailable()) throw new Error('tmux is not installed: `npm run setup` installs the packages the tests use');
if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` (npm test does)`);
const ready = existsSync(demo) && readdirSync(demo).length > 0;
const ARGS = process.env.PULLDOCTOR_E2E_ARGS ?? '--demo';

/**
 * Records the tty settings before and after, so the test can tell the terminal was restored,
 * and prints the program's exit status. Then the shell waits: the pane stays alive, so its
 * screen and modes stay exactly what the program left. (A dead pane is no good witness: tmux
 * prints "Pane is dead" on a new last line, which scrolls the top line into the scrollback, may
 * hide the cursor, and can report the pane dead before it knows the exit status.)
 */
const command = (args = ARGS) =>
  `A=$(stty -g); printf 'BEFORE\\n'; node ${cli} ${args}; code=$?; B=$(stty -g); [ "$A" = "$B" ] && echo TTY-RESTORED; echo "EXIT=$code"; read _`;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const selected = (screen: string) => screen.split('\n').find((l) => l.startsWith('› ')) ?? '';
/** Workload names in the list pane, e.g. `deploy/web`. */
const workloads = (screen: string) =>
  [...screen.matchAll(/^[› ] [✖▲•✔] ([a-z]+\/[^\s│…]+)/gm)].map((m) => m[1] ?? '').filter(Boolean);
const selectedName = (screen: string) => /^› [✖▲•✔] ([a-z]+\/[^\s│…]+)/.exec(selected(screen))?.[1];
/**
 * A whole frame is on screen: Ink erases bottom-up and redraws top-down, and tmux may parse a
 * frame in several reads, so a capture can catch half a frame; the footer is drawn last.
 */
const complete = (screen: string) => /^(↑↓ (move|scroll)|\/)/m.test(screen);

interface Ended {
  /** The visible screen right after the program ended. */
  screen: string;
  /** Screen plus scrollback. */
  all: string;
  alternateScreen: boolean;
  cursorVisible: boolean;
  /** The program's exit status, as the shell saw it. */
  status: number;
}

/** After the program was told to quit: what it left behind. */
async function ended(t: TmuxSession): Promise<Ended> {
  const screen = await t.waitForText(/^EXIT=\d+$/m);
  const modes = await t.modes();
  const all = await t.capture({ history: true });
  const status = Number(/^EXIT=(\d+)$/m.exec(screen)?.[1]);
  return { screen, all, ...modes, status };
}

/** The lines the shell printed are together: nothing was left between them, the cursor came back below BEFORE. */
function expectRestored(e: Ended, code: number) {
  expect(e.status).toBe(code);
  expect(e.alternateScreen).toBe(false);
  expect(e.cursorVisible).toBe(true);
  const lines = e.screen.split('\n');
  const at = lines.indexOf('BEFORE');
  expect(at, e.screen).toBeGreaterThanOrEqual(0);
  expect(lines.slice(at, at + 3)).toEqual(['BEFORE', 'TTY-RESTORED', `EXIT=${code}`]);
  // The UI was drawn on the alternate screen only: nothing of it on the screen or in the scrollback.
  expect(e.all).not.toContain('Workloads');
  expect(e.all).not.toContain('pulldoctor ·');
}

/** A terminal of its own for one test (each on its own tmux server), killed when the test ends. */
async function terminal(ctx: TestContext, cmd: string, o: TmuxOptions): Promise<TmuxSession> {
  const t = await TmuxSession.start(cmd, { cwd: root, ...o });
  ctx.onTestFinished(() => t.kill());
  return t;
}

// Concurrent: most of each test is waiting for a frame, and every test has its own tmux server.
describe.skipIf(!ready).concurrent('UI end to end (tmux, built CLI)', () => {
  test('first screen, navigation, filter, runbook, quit with 0 and a restored terminal', async (ctx) => {
    const t = await terminal(ctx, command(), { cols: 100, rows: 30 });
    let screen = await t.waitFor((s) => s.includes('Workloads') && complete(s), 'the workload list', 20_000);
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

    // pane switch; the detail pane scrolls to the remediation commands
    await t.sendKeys('Enter');
    await t.waitForText('⏎ list');
    screen = await t.capture();
    for (let i = 0; i < 80 && !/│\s+\$ \S/.test(screen); i++) {
      await t.sendKeys('j');
      screen = await t.waitFor(complete, 'a frame');
    }
    expect(screen).toMatch(/│\s+\$ \S/);
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
    // Rendered Markdown: no markup on screen.
    expect(screen).not.toMatch(/```|\*\*|^│?\s*#{1,6} /m);
    await t.sendKeys('Escape');
    await t.waitForNoText('Runbook ·');

    // help
    await t.sendKeys('?');
    await t.waitForText('cycle the minimum severity');
    await t.sendKeys('?');
    await t.waitForNoText('cycle the minimum severity');

    // quit
    await t.sendKeys('q');
    expectRestored(await ended(t), 0);
  }, 60_000);

  test('the keyboard reaches every workload of the summary', async (ctx) => {
    const t = await terminal(ctx, command(), { cols: 100, rows: 30 });
    let screen = await t.waitFor((s) => s.includes('Workloads') && complete(s), 'the workload list', 20_000);
    const total = Number(/· (\d+) workloads? ·/.exec(screen)?.[1]);
    expect(total).toBeGreaterThan(1);
    const seen = new Set<string>();
    let name = selectedName(screen);
    while (name && !seen.has(name)) {
      seen.add(name);
      await t.sendKeys('j');
      const before = name;
      // The last workload: j changes nothing (the access-problems entry has no name).
      screen = await t.waitFor((s) => complete(s) && (selectedName(s) !== before || seen.size >= total), `the selection to leave ${before}`);
      name = selectedName(screen);
    }
    expect(seen.size).toBe(total);
    await t.sendKeys('q');
    expectRestored(await ended(t), 0);
  }, 60_000);

  test('80×24 fits and survives a resize; Ctrl-C quits with 0', async (ctx) => {
    const t = await terminal(ctx, command(), { cols: 80, rows: 24 });
    let screen = await t.waitFor((s) => s.includes('Workloads') && complete(s), 'the workload list', 20_000);
    for (const line of screen.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    const headers = (s: string) => s.split('\n').filter((l) => l.includes('pulldoctor ·')).length;
    await t.resize(120, 40);
    // Wider panes: the divider moves right of where it was at 80 columns.
    screen = await t.waitFor((s) => complete(s) && (s.split('\n')[3] ?? '').indexOf('│') > 40 && headers(s) === 1, 'the 120-column layout');
    await t.resize(70, 20);
    screen = await t.waitFor((s) => {
      const lines = s.split('\n');
      // 20 rows: the UI draws 19, the footer last.
      return s.includes('Workloads') && headers(s) === 1 && lines.every((l) => [...l].length <= 70) && (lines[18] ?? '').startsWith('↑↓ move');
    }, 'the 70×20 layout');
    await t.sendKeys('C-c');
    expectRestored(await ended(t), 0);
  }, 60_000);

  test('SIGTERM ends the UI and restores the terminal', async (ctx) => {
    const t = await terminal(ctx, command(), { cols: 100, rows: 30 });
    await t.waitForText('Workloads', 20_000);
    const pids = await t.childPids();
    expect(pids.length).toBe(1);
    process.kill(pids[0] ?? 0, 'SIGTERM');
    expectRestored(await ended(t), 143);
  }, 60_000);

  test('empty state: one clear line', async (ctx) => {
    const t = await terminal(ctx, command('-f fixtures/pull-secret-not-found/quiet.yaml'), { cols: 80, rows: 24 });
    const screen = await t.waitForText(/no image pull problems in \d+ pods?/, 20_000);
    expect(screen).toContain('press w to watch');
    await t.sendKeys('q');
    expectRestored(await ended(t), 0);
  }, 60_000);

  test('-w on a live cluster: a fix on the API server shows within 2 s with the fixed mark, without rescans', async (ctx) => {
    const failing = pod({ namespace: 'payments', name: 'api-0', pullSecrets: ['paycred'], waiting: IMAGE_PULL_BACKOFF });
    const api = await startApiServer({
      objects: [
        failing,
        podEvent(failing, { reason: 'Failed', message: FAILED_PULL_MESSAGE, count: 3 }),
        serviceAccount('payments'),
        pod({ namespace: 'shop', name: 'web-0' }),
        serviceAccount('shop'),
      ],
    });
    const home = mkdtempSync(join(tmpdir(), 'pulldoctor-tui-live-'));
    ctx.onTestFinished(async () => {
      await api.close();
      rmSync(home, { recursive: true, force: true });
    });
    const kc = writeKubeconfig({ file: join(home, 'config'), contexts: [{ name: 'live', server: api }] });
    const t = await terminal(ctx, command(`-w -A --kubeconfig ${kc}`), { cols: 100, rows: 30, env: { HOME: home } });
    let screen = await t.waitFor((s) => s.includes('api-0') && complete(s), 'the failing pod', 20_000);
    expect(screen).toContain('◉ live');
    expect(screen).toMatch(/✖ \d+ errors?/);
    const lists = api.requests.filter((q) => q.query.watch !== '1' && q.path === '/api/v1/pods').length;
    // The fix lands: the secret is created and the pod pulls.
    const t0 = Date.now();
    api.addObjects([pullSecret('payments', 'paycred'), pod({ namespace: 'payments', name: 'api-0', pullSecrets: ['paycred'] })]);
    screen = await t.waitFor((s) => /✔ pod\/api-0/.test(s) && s.includes('fixed:') && complete(s), 'the fixed mark', 5_000);
    expect(Date.now() - t0).toBeLessThan(2_000 + 500); // 2 s, plus the capture's polling
    expect(screen).toContain('✔ fixed  pull-secret-not-found');
    expect(screen).toMatch(/no image pull problems in 2 pods/);
    // Followed by watches: the pods were listed once, never again.
    expect(api.requests.filter((q) => q.query.watch !== '1' && q.path === '/api/v1/pods').length).toBe(lists);
    expect(lists).toBe(1);
    await t.sendKeys('q');
    expectRestored(await ended(t), 0);
  }, 60_000);
});
