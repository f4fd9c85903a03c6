import { Box } from 'ink';
import type { Model } from '../model.js';
import type { State } from '../types.js';
import { listLines } from '../list-lines.js';
import { Lines } from './Lines.js';
import { PaneTitle } from './PaneTitle.js';

export interface ListProps {
  state: State;
  model: Model;
  width: number;
  height: number;
}

export function List({ state, model, width, height }: ListProps) {
  const lines = listLines(state, model, width);
  const parts = [`Workloads ${model.shownWorkloads}${model.shownWorkloads !== model.totalWorkloads ? `/${model.totalWorkloads}` : ''}`];
  if (state.filter) parts.push(`/${state.filter}`);
  if (state.minSeverity !== 'info') parts.push(`≥${state.minSeverity}`);
  const visible = lines.slice(state.listOffset, state.listOffset + height);
  const more = lines.length > height ? `${state.listOffset > 0 ? '↑' : ' '}${state.listOffset + height < lines.length ? '↓' : ' '}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <PaneTitle title={parts.join(' ')} right={more} focused={state.focus === 'list'} width={width} color={state.color} />
      <Lines lines={visible} width={width} height={height} color={state.color} />
    </Box>
  );
}
