import { Box } from 'ink';
import type { Line } from '../lines.js';
import { Lines } from './Lines.js';
import { PaneTitle } from './PaneTitle.js';

export interface DetailProps {
  title: string;
  lines: Line[];
  /** First line to show (clamped to the content). */
  scroll: number;
  focused: boolean;
  width: number;
  height: number;
  color: boolean;
}

export function Detail({ title, lines, scroll, focused, width, height, color }: DetailProps) {
  const top = Math.min(scroll, Math.max(0, lines.length - height));
  const visible = lines.slice(top, top + height);
  const pos = lines.length > height ? `${top + 1}-${Math.min(lines.length, top + height)}/${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <PaneTitle title={title} right={pos} focused={focused} width={width} color={color} />
      <Lines lines={visible} width={width} height={height} color={color} />
    </Box>
  );
}
