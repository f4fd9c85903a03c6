import type { State } from '../types.js';
import { headerLines } from '../header-footer.js';
import { Lines } from './Lines.js';

export function Header({ state, cols }: { state: State; cols: number }) {
  return <Lines lines={headerLines(state, cols)} width={cols} height={2} color={state.color} />;
}
