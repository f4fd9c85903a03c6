/**
 * Entry point of the interactive UI. Owns the terminal: alternate screen on a TTY, Ink
 * render, and restoring everything (screen, cursor, raw mode) before it resolves.
 */
import { render } from 'ink';
import type { Report } from '../model/finding.js';
import type { ProgressCallback } from '../model/progress.js';
import { sanitizeLine } from '../report/sanitize.js';
import { App } from './App.js';
import { createController, type LiveSession, type ProbeTarget } from './controller.js';
import { initialState } from './state.js';
import { createStore } from './store.js';

export interface TuiOptions {
  /** Throws Error/UserError on scan failure; the UI shows its message. */
  scan: (onProgress: ProgressCallback) => Promise<Report>;
  /** Header text, e.g. `context kind-dev · namespace default`. */
  scope: string;
  /** Watch interval, default 5000 (rescans of files and the demo; a live cluster is followed instead). */
  intervalMs: number;
  /** A live cluster: watching lists it once and then follows it (list + watch). */
  live?: () => LiveSession;
  /** Start in watch mode. */
  watch: boolean;
  /** Markdown text of rules/<id>.md. */
  runbook: (ruleId: string) => string;
  probe?: (workload: ProbeTarget) => Promise<Report>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /**
   * Write every frame in full instead of redrawing in place. For test streams: Ink holds all
   * frames back until exit when it thinks it runs in CI (the CI variable), and a test that
   * reads frames mid-run must see them there too.
   */
  fullFrames?: boolean;
  /** Where SIGINT/SIGTERM/SIGHUP arrive; default `process` (tests pass an emitter). */
  signals?: NodeJS.EventEmitter;
}

const ENTER_ALT = '\x1b[?1049h\x1b[H';
const LEAVE_ALT = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const CLEAR = '\x1b[2J\x1b[H';

/** Signals that end the UI; the exit code is 128 + the signal number, as a shell reports it. */
const SIGNALS: Record<'SIGHUP' | 'SIGINT' | 'SIGTERM', number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Colours unless NO_COLOR is set to a non-empty value (https://no-color.org). */
export function colourEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR === undefined || env.NO_COLOR === '';
}

/** Resolves with the exit code (0 on a normal quit) after Ink unmounted and the terminal is restored. */
export async function runTui(opts: TuiOptions): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const tty = stdout.isTTY === true;
  const store = createStore(
    initialState({
      scope: opts.scope,
      intervalMs: opts.intervalMs > 0 ? opts.intervalMs : 5000,
      watch: opts.watch,
      color: colourEnabled(),
      canProbe: opts.probe !== undefined,
      cols: stdout.columns || 80,
      rows: stdout.rows || 24,
    }),
  );
  const controllerOptions: Parameters<typeof createController>[1] = { scan: opts.scan, intervalMs: store.getState().intervalMs };
  if (opts.probe) controllerOptions.probe = opts.probe;
  if (opts.live) controllerOptions.live = opts.live;
  const controller = createController(store, controllerOptions);

  let altScreen = false;
  const restore = () => {
    if (!altScreen) return;
    altScreen = false;
    try {
      stdout.write(LEAVE_ALT + SHOW_CURSOR);
    } catch {
      // stdout may be gone while the process exits
    }
  };
  // Ink redraws relative to the cursor; after a resize start from a clean screen. Prepended so
  // it runs before Ink's own resize handler redraws.
  const onResize = () => {
    if (altScreen) stdout.write(CLEAR);
  };
  if (tty) {
    stdout.write(ENTER_ALT);
    altScreen = true;
    stdout.prependListener('resize', onResize);
    // Last resorts: the process ends some other way (process.exit elsewhere, an uncaught
    // exception). The monitor runs before Node prints the error, so the error lands on the
    // normal screen instead of vanishing with the alternate one.
    process.once('exit', restore);
    process.on('uncaughtExceptionMonitor', restore);
  }

  let code = 0;
  let instance: ReturnType<typeof render> | undefined;
  // A signal (kill, SIGINT outside raw mode, the terminal closing) ends the UI like q does, but
  // with 128+n. Having our own listeners also stops Ink's signal-exit from re-raising the signal
  // before the terminal is restored (it only does that when it is the sole listener).
  const signals = opts.signals ?? process;
  const onSignal: Record<string, () => void> = {};
  for (const [name, n] of Object.entries(SIGNALS)) {
    onSignal[name] = () => {
      if (code === 0) code = 128 + n;
      controller.dispose();
      if (instance) instance.unmount();
      else restore();
    };
    signals.on(name, onSignal[name]);
  }
  try {
    instance = render(<App store={store} controller={controller} runbook={opts.runbook} />, {
      stdout,
      stdin,
      exitOnCtrlC: false,
      // Stray console output (e.g. client warnings) would tear the screen; Ink prints it
      // above the UI instead. Only for the real terminal: test streams keep the console alone.
      patchConsole: opts.stdout === undefined,
      debug: opts.fullFrames === true,
    });
    controller.start();
    await instance.waitUntilExit();
  } catch (e) {
    code = 1;
    restore();
    process.stderr.write(`pulldoctor: ${sanitizeLine(e instanceof Error ? e.message : String(e))}\n`);
  } finally {
    controller.dispose();
    for (const [name, listener] of Object.entries(onSignal)) signals.off(name, listener);
    stdout.off('resize', onResize);
    process.off('exit', restore);
    process.off('uncaughtExceptionMonitor', restore);
    restore();
  }
  // The command taken with `y`, on the normal screen where it can be copied (or piped).
  const picked = store.getState().picked;
  if (picked && code === 0) stdout.write(`${picked}\n`);
  return code;
}
