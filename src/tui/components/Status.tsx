import type { State } from '../types.js';
import { statusLines } from '../status-lines.js';
import { Lines } from './Lines.js';

/** Body before the first report: scanning progress, or the scan error. */
export function Status({ state, width, height }: { state: State; width: number; height: number }) {
  return <Lines lines={statusLines(state, width)} width={width} height={height} color={state.color} />;
}
