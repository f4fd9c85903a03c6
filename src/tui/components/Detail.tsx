import { Box } from 'ink';
import type { Model } from '../model.js';
import type { State } from '../types.js';
import { detailLines, detailTitle } from '../detail-lines.js';
import { Lines } from './Lines.js';
import { PaneTitle } from './PaneTitle.js';

export interface DetailProps {
  state: State;
  model: Model;
  width: number;
  height: number;
}

export function Detail({ state, model, width, height }: DetailProps) {
  const lines = detailLines(state, model, width);
  const top = Math.min(state.detailScroll, Math.max(0, lines.length - height));
  const visible = lines.slice(top, top + height);
  const pos = lines.length > height ? `${top + 1}-${Math.min(lines.length, top + height)}/${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <PaneTitle title={detailTitle(state, model)} right={pos} focused={state.focus === 'detail'} width={width} color={state.color} />
      <Lines lines={visible} width={width} height={height} color={state.color} />
    </Box>
  );
}
