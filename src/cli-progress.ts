/** A one-line stderr spinner for text mode on a TTY: live counts per resource. */
import type { ProgressCallback, ProgressUpdate } from './model/progress.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function stderrSpinner(stream: NodeJS.WriteStream = process.stderr): { onProgress: ProgressCallback; stop(): void } {
  const state = new Map<string, ProgressUpdate>();
  let frame = 0;
  const draw = () => {
    const parts = [...state.values()].map((u) => `${u.cluster ? `${u.cluster}:` : ''}${u.resource} ${u.objects}${u.done ? ' ✓' : ''}`);
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} scanning ${parts.join('  ')}`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    onProgress(u) {
      state.set(`${u.cluster ?? ''}/${u.resource}`, u);
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}
