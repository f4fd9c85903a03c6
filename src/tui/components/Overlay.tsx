import { Box } from 'ink';
import type { Line } from '../lines.js';
import { Lines } from './Lines.js';
import { PaneTitle } from './PaneTitle.js';

export interface OverlayProps {
  title: string;
  /** Laid out for `width - 2` columns (one column of margin each side). */
  lines: Line[];
  /** First line to show (clamped to the content). */
  scroll: number;
  width: number;
  height: number;
  color: boolean;
}

/** Full-body view for the help and the runbook. */
export function Overlay({ title, lines, scroll, width, height, color }: OverlayProps) {
  const top = Math.min(scroll, Math.max(0, lines.length - height));
  const pos = lines.length > height ? `${top + 1}-${Math.min(lines.length, top + height)}/${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <PaneTitle title={title} right={pos} focused width={width} color={color} />
      <Box paddingLeft={1}>
        <Lines lines={lines.slice(top, top + height)} width={width - 2} height={height} color={color} />
      </Box>
    </Box>
  );
}
