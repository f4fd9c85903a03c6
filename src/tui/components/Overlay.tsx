import { Box } from 'ink';
import type { State } from '../types.js';
import { overlayLines, overlayTitle } from '../overlay-lines.js';
import { Lines } from './Lines.js';
import { PaneTitle } from './PaneTitle.js';

export interface OverlayProps {
  state: State;
  width: number;
  height: number;
}

/** Full-body view for the help and the runbook. */
export function Overlay({ state, width, height }: OverlayProps) {
  if (state.overlay.kind === 'none') return null;
  const lines = overlayLines(state, width - 2);
  const top = Math.min(state.overlay.scroll, Math.max(0, lines.length - height));
  const pos = lines.length > height ? `${top + 1}-${Math.min(lines.length, top + height)}/${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <PaneTitle title={overlayTitle(state)} right={pos} focused width={width} color={state.color} />
      <Box paddingLeft={1}>
        <Lines lines={lines.slice(top, top + height)} width={width - 2} height={height} color={state.color} />
      </Box>
    </Box>
  );
}
