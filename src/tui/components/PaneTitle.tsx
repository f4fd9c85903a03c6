import { Text } from 'ink';
import { displayWidth, fit } from '../format.js';

export interface PaneTitleProps {
  title: string;
  right?: string;
  focused: boolean;
  width: number;
  color: boolean;
}

/** One-line pane title; the focused pane's title is highlighted (inverse, so it shows without colour too). */
export function PaneTitle({ title, right, focused, width, color }: PaneTitleProps) {
  const r = right ? ` ${right} ` : '';
  const text = fit(` ${title}`, Math.max(1, width - displayWidth(r))) + r;
  return (
    <Text wrap="truncate-end" bold inverse={focused} color={color && focused ? 'cyan' : undefined} dimColor={!focused}>
      {fit(text, width)}
    </Text>
  );
}
