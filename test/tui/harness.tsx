/** Test harness: mounts the App with fake terminal streams whose size can be set and changed. */
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { App } from '../../src/tui/App.js';
import { createController, type Controller, type LiveSession, type ProbeTarget } from '../../src/tui/controller.js';
import { displayWidth } from '../../src/tui/format.js';
import { initialState } from '../../src/tui/state.js';
import { createStore, type Store } from '../../src/tui/store.js';
import type { Report } from '../../src/model/finding.js';
import type { ProgressCallback } from '../../src/model/progress.js';

export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY: boolean;
  constructor(
    public columns = 100,
    public rows = 30,
    tty = false,
  ) {
    super();
    this.isTTY = tty;
  }
  write = (chunk: string, cb?: () => void): boolean => {
    this.frames.push(String(chunk));
    if (typeof cb === 'function') cb();
    return true;
  };
  lastFrame = (): string => this.frames[this.frames.length - 1] ?? '';
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  rawMode = false;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(on: boolean): void {
    this.rawMode = on;
  }
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  enter: '\r',
  tab: '\t',
  escape: '\x1b',
  backspace: '\x7f',
  ctrlC: '\x03',
};

export const tick = (ms = 20) => new Promise<void>((r) => setTimeout(r, ms));

/** Remove SGR colour codes so assertions see the text. */
export const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

export interface MountOptions {
  scan?: (onProgress: ProgressCallback) => Promise<Report>;
  report?: Report;
  cols?: number;
  rows?: number;
  watch?: boolean;
  intervalMs?: number;
  probe?: (w: ProbeTarget) => Promise<Report>;
  runbook?: (rule: string) => string;
  scope?: string;
  color?: boolean;
  live?: () => LiveSession;
}

export interface Mounted {
  store: Store;
  controller: Controller;
  stdout: FakeStdout;
  stdin: FakeStdin;
  frame(): string;
  lines(): string[];
  press(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  waitFor(pred: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<unknown>;
  unmount(): void;
}

export const defaultRunbook = (rule: string) =>
  `# ${rule}\n\nWhat **${rule}** means.\n\n## Mitigation\n\n\`\`\`sh\nkubectl get events -n <namespace>\n\`\`\`\n\n- check the secret\n- restart the workload\n`;

export async function mount(o: MountOptions = {}): Promise<Mounted> {
  const stdout = new FakeStdout(o.cols ?? 100, o.rows ?? 30);
  const stdin = new FakeStdin();
  const stderr = new FakeStdout();
  const store = createStore(
    initialState({
      scope: o.scope ?? 'context kind-dev · all namespaces',
      intervalMs: o.intervalMs ?? 5000,
      watch: o.watch ?? false,
      color: o.color ?? true,
      canProbe: o.probe !== undefined,
      cols: stdout.columns,
      rows: stdout.rows,
    }),
  );
  const scan = o.scan ?? (async () => o.report as Report);
  const controller = createController(store, {
    scan,
    intervalMs: store.getState().intervalMs,
    ...(o.probe ? { probe: o.probe } : {}),
    ...(o.live ? { live: o.live } : {}),
  });
  const instance = render(<App store={store} controller={controller} runbook={o.runbook ?? defaultRunbook} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const exited = instance.waitUntilExit();
  controller.start();
  await tick();
  const frame = () => plain(stdout.lastFrame());
  return {
    store,
    controller,
    stdout,
    stdin,
    frame,
    lines: () => frame().split('\n'),
    async press(...keys) {
      for (const k of keys) {
        stdin.write(k);
        await tick();
      }
    },
    async type(text) {
      for (const ch of text) {
        stdin.write(ch);
        await tick(5);
      }
      await tick();
    },
    async waitFor(pred, timeoutMs = 2000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (pred(f)) return f;
        if (Date.now() > end) throw new Error(`timed out waiting; last frame:\n${f}`);
        await tick(10);
      }
    },
    exited,
    unmount() {
      controller.dispose();
      instance.unmount();
      instance.cleanup();
    },
  };
}

export function maxLineWidth(frame: string): number {
  return Math.max(...plain(frame).split('\n').map(displayWidth));
}
