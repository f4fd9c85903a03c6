/**
 * Entry point of the interactive UI. Owns the terminal: alternate screen on a TTY, Ink
 * render, and restoring everything (screen, cursor, raw mode) before it resolves.
 */
import { render } from 'ink';
import type { Report } from '../model/finding.js';
import type { ProgressCallback } from '../model/progress.js';
import { App } from './App.js';
import { createController, type ProbeTarget } from './controller.js';
import { createStore, initialState } from './state.js';

export interface TuiOptions {
  /** Throws Error/UserError on scan failure; the UI shows its message. */
  scan: (onProgress: ProgressCallback) => Promise<Report>;
  /** Header text, e.g. `context kind-dev · namespace default`. */
  scope: string;
  /** Watch interval, default 5000. */
  intervalMs: number;
  /** Start in watch mode. */
  watch: boolean;
  /** Markdown text of rules/<id>.md. */
  runbook: (ruleId: string) => string;
  probe?: (workload: ProbeTarget) => Promise<Report>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

const ENTER_ALT = '\x1b[?1049h\x1b[H';
const LEAVE_ALT = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const CLEAR = '\x1b[2J\x1b[H';

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
    process.once('exit', restore);
  }

  let code = 0;
  try {
    const instance = render(<App store={store} controller={controller} runbook={opts.runbook} />, {
      stdout,
      stdin,
      exitOnCtrlC: false,
      // Stray console output (e.g. client warnings) would tear the screen; Ink prints it
      // above the UI instead. Only for the real terminal: test streams keep the console alone.
      patchConsole: opts.stdout === undefined,
    });
    controller.start();
    await instance.waitUntilExit();
  } catch (e) {
    code = 1;
    restore();
    process.stderr.write(`pulldoctor: ${e instanceof Error ? e.message : String(e)}\n`);
  } finally {
    controller.dispose();
    stdout.off('resize', onResize);
    process.off('exit', restore);
    restore();
  }
  return code;
}
