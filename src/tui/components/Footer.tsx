import type { State } from '../types.js';
import { footerLine } from '../header-footer.js';
import { Lines } from './Lines.js';

export function Footer({ state, cols }: { state: State; cols: number }) {
  return <Lines lines={[footerLine(state, cols)]} width={cols} height={1} color={state.color} />;
}
