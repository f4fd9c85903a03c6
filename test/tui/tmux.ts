/**
 * Drive a program in a real terminal through tmux, for end-to-end tests of the UI.
 * Each session runs on its own tmux server socket, so tests never touch the user's tmux
 * and `kill()` only ends what the test started.
 *
 *   const t = await TmuxSession.start('node dist/cli.js --demo', { cols: 100, rows: 30 });
 *   await t.waitForText('deploy/');
 *   await t.sendKeys('j');            // tmux key names: 'Down', 'Enter', 'Escape', 'C-c', …
 *   await t.sendText('/web');         // literal text
 *   const code = await t.waitForExit();
 *   t.kill();
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface TmuxOptions {
  cols?: number;
  rows?: number;
  cwd?: string;
  /** Extra environment for the program (set on its command line). */
  env?: Record<string, string>;
  /** Variables removed from the program's environment; default CI-detection variables, so UIs render live. */
  unset?: string[];
}

export function tmuxAvailable(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tmux', args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`tmux ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class TmuxSession {
  private killed = false;

  private constructor(
    readonly socket: string,
    readonly name: string,
  ) {}

  private tmux(...args: string[]): Promise<string> {
    return run(['-L', this.socket, ...args]);
  }

  /** Start `command` (a shell command line) in a detached session of the given size. */
  static async start(command: string, o: TmuxOptions = {}): Promise<TmuxSession> {
    const id = randomBytes(4).toString('hex');
    const s = new TmuxSession(`pulldoctor-test-${process.pid}-${id}`, `t${id}`);
    const unset = o.unset ?? ['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS'];
    const env = Object.entries({ TERM: 'xterm-256color', ...o.env }).map(([k, v]) => `${k}=${shellQuote(v)}`);
    const line = ['env', ...unset.flatMap((u) => ['-u', u]), ...env, 'sh', '-c', shellQuote(command)].join(' ');
    const args = ['-f', '/dev/null', 'new-session', '-d', '-s', s.name, '-x', String(o.cols ?? 100), '-y', String(o.rows ?? 30)];
    if (o.cwd) args.push('-c', o.cwd);
    // Keep the pane after the program exits so its exit status and last screen can be read.
    await s.tmux(...args, 'sh -c "exec sleep 86400"');
    await s.tmux('set-option', '-t', s.name, 'remain-on-exit', 'on');
    await s.tmux('respawn-pane', '-k', '-t', s.name, line);
    return s;
  }

  /** Send tmux key names (e.g. `Down`, `Enter`, `Escape`, `C-c`, `q`). */
  async sendKeys(...keys: string[]): Promise<void> {
    for (const k of keys) await this.tmux('send-keys', '-t', this.name, k);
  }

  /** Send literal text (no key-name lookup). */
  async sendText(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /**
   * The visible screen as plain text, one line per row; with `history` the scrollback above it
   * too. Note that once the program has ended, tmux (remain-on-exit) prints "Pane is dead" on a
   * new last line, which scrolls the top line of the screen into the scrollback: to check what
   * the program left behind, wait for the exit and capture with `history`.
   */
  async capture(o: { history?: boolean } = {}): Promise<string> {
    return this.tmux('capture-pane', '-p', ...(o.history ? ['-S', '-'] : []), '-t', this.name);
  }

  /** Wait until `pred(screen)` holds; returns the screen. */
  async waitFor(pred: (screen: string) => boolean, what = 'a condition', timeoutMs = 10_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < end) {
      screen = await this.capture();
      if (pred(screen)) return screen;
      await sleep(50);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${screen}`);
  }

  /** Terminal modes of the pane: alternate screen on, cursor visible. */
  async modes(): Promise<{ alternateScreen: boolean; cursorVisible: boolean }> {
    const out = (await this.tmux('display-message', '-p', '-t', this.name, '#{alternate_on} #{cursor_flag}')).trim();
    const [alt, cursor] = out.split(' ');
    return { alternateScreen: alt === '1', cursorVisible: cursor === '1' };
  }

  /** Wait until the screen contains `text` (or matches it); returns the screen. */
  async waitForText(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < end) {
      screen = await this.capture();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      await sleep(50);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(text)}; screen:\n${screen}`);
  }

  /** Wait until the screen no longer contains `text`. */
  async waitForNoText(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < end) {
      screen = await this.capture();
      if (!(typeof text === 'string' ? screen.includes(text) : text.test(screen))) return screen;
      await sleep(50);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(text)} to go; screen:\n${screen}`);
  }

  /**
   * Exit status once the program has ended (128+n when a signal killed it), undefined while it
   * runs. tmux marks the pane dead when the terminal closes, which can be before it has reaped
   * the process and knows the status: until then this is still undefined.
   */
  async exitStatus(): Promise<number | undefined> {
    const out = (await this.tmux('display-message', '-p', '-t', this.name, '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}')).trim();
    const [dead, status, signal] = out.split(':');
    if (dead !== '1') return undefined;
    if (status) return Number(status);
    if (signal) return 128 + Number(signal);
    return undefined;
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const status = await this.exitStatus();
      if (status !== undefined) return status;
      await sleep(50);
    }
    const pane = (await this.tmux('display-message', '-p', '-t', this.name, 'dead=#{pane_dead} status=#{pane_dead_status} signal=#{pane_dead_signal}')).trim();
    throw new Error(`timed out after ${timeoutMs} ms waiting for the program to exit (${pane}); screen:\n${await this.capture()}`);
  }

  /** Process ids of the children of the pane's shell (e.g. the program it runs). */
  async childPids(): Promise<number[]> {
    const shell = (await this.tmux('display-message', '-p', '-t', this.name, '#{pane_pid}')).trim();
    return new Promise((resolve) => {
      execFile('ps', ['-o', 'pid=', '--ppid', shell], { encoding: 'utf8' }, (_err, stdout) => {
        resolve(stdout.split(/\s+/).filter(Boolean).map(Number));
      });
    });
  }

  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux('resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows));
  }

  /** End this session's tmux server (only the one this helper started). */
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    try {
      execFileSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
