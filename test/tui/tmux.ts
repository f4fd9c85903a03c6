/**
 * Drive a program in a real terminal through tmux, for end-to-end tests of the UI.
 * Each session runs on its own tmux server socket, so tests never touch the user's tmux
 * and `kill()` only ends what the test started.
 *
 *   const t = await TmuxSession.start('node dist/src/cli.js --demo', { cols: 100, rows: 30 });
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

  /** The visible screen as plain text, one line per row. */
  async capture(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-t', this.name);
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

  /** Exit status once the program has ended, undefined while it runs. */
  async exitStatus(): Promise<number | undefined> {
    const out = (await this.tmux('display-message', '-p', '-t', this.name, '#{pane_dead} #{pane_dead_status}')).trim();
    const [dead, status] = out.split(' ');
    return dead === '1' ? Number(status) : undefined;
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const status = await this.exitStatus();
      if (status !== undefined) return status;
      await sleep(50);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for the program to exit; screen:\n${await this.capture()}`);
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
