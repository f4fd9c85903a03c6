import { Box, Text } from 'ink';
import type { Line, Segment, Tone } from '../lines.js';

const TONE_COLOR: Record<Tone, string | undefined> = {
  error: 'red',
  warning: 'yellow',
  info: 'blue',
  ok: 'green',
  accent: 'cyan',
  muted: undefined,
  command: 'green',
};

function SegmentText({ s, color }: { s: Segment; color: boolean }) {
  const c = color && s.tone ? TONE_COLOR[s.tone] : undefined;
  return (
    <Text color={c} bold={s.bold ?? false} italic={s.italic ?? false} inverse={s.inverse ?? false} dimColor={s.tone === 'muted' && !s.inverse}>
      {s.text}
    </Text>
  );
}

export interface LinesProps {
  lines: Line[];
  width: number;
  /** Fixed height: missing lines are blank, extra lines are not drawn. */
  height?: number;
  color: boolean;
}

/** Renders pre-laid-out lines: one Text per line, never wrapped (truncated if it still overflows). */
export function Lines({ lines, width, height, color }: LinesProps) {
  const shown = height === undefined ? lines : lines.slice(0, height);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0 ? ' ' : line.map((s, j) => <SegmentText key={j} s={s} color={color} />)}
        </Text>
      ))}
    </Box>
  );
}
