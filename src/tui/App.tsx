/**
 * The UI root: reads the store, lays out header / panes / footer for the terminal size and
 * turns key presses into reducer actions or controller commands. No scanning or timers here.
 */
import { Box, useApp, useInput, useStdout, type Key } from 'ink';
import { useEffect, useState, type ReactNode } from 'react';
import { Detail } from './components/Detail.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { Lines } from './components/Lines.js';
import { List } from './components/List.js';
import { Overlay } from './components/Overlay.js';
import { Status } from './components/Status.js';
import type { Controller } from './controller.js';
import { detailTitle } from './detail-lines.js';
import { keyCommand, splitInput } from './keys.js';
import { layout } from './layout.js';
import { selectedItem } from './model.js';
import { overlayTitle } from './overlay-lines.js';
import { createPanes } from './panes.js';
import { useAppState, type Store } from './store.js';
import { emptyLines, isEmptyReport } from './status-lines.js';

export interface AppProps {
  store: Store;
  controller: Controller;
  runbook: (ruleId: string) => string;
}

export function App({ store, controller, runbook }: AppProps) {
  const state = useAppState(store);
  const { exit } = useApp();
  const { stdout } = useStdout();
  // The text panes' lines, remembered across renders and shared with the scroll keys.
  const [panes] = useState(createPanes);

  useEffect(() => {
    const update = () => store.dispatch({ type: 'resize', cols: stdout.columns || 80, rows: stdout.rows || 24 });
    update();
    stdout.on('resize', update);
    return () => {
      stdout.off('resize', update);
    };
  }, [stdout, store]);

  const handle = (input: string, key: Key): boolean => {
    const cmd = keyCommand(store.getState(), input, key, { runbook, paneLines: panes.lines, paneCommands: panes.commands });
    if (!cmd) return true;
    switch (cmd.type) {
      case 'dispatch':
        store.dispatch(cmd.action);
        return true;
      case 'rescan':
        controller.rescan();
        return true;
      case 'toggleWatch':
        controller.toggleWatch();
        return true;
      case 'probe':
        controller.probeSelected();
        return true;
      case 'quit':
        controller.dispose();
        exit();
        return false;
    }
  };

  useInput((input, key) => {
    for (const press of splitInput(input, key)) if (!handle(press.input, press.key)) return;
  });

  const l = layout(state.cols, state.rows);
  const model = state.model;
  const detail = () => (
    <Detail
      title={detailTitle(selectedItem(model, state.selected))}
      lines={panes.detail(state)}
      scroll={state.detailScroll}
      focused={state.focus === 'detail'}
      width={l.detailWidth}
      height={l.paneHeight}
      color={state.color}
    />
  );
  let body: ReactNode;
  if (state.overlay.kind !== 'none') {
    body = (
      <Overlay
        title={overlayTitle(state.overlay)}
        lines={panes.overlay(state)}
        scroll={state.overlay.scroll}
        width={l.cols}
        height={l.overlayHeight}
        color={state.color}
      />
    );
  } else if (!state.report) {
    body = <Status state={state} width={l.cols} height={l.bodyHeight} />;
  } else if (isEmptyReport(state, model)) {
    body = <Lines lines={emptyLines(state, l.cols)} width={l.cols} height={l.bodyHeight} color={state.color} />;
  } else if (!l.split) {
    body = state.focus === 'list' ? <List state={state} model={model} width={l.listWidth} height={l.paneHeight} /> : detail();
  } else {
    body = (
      <Box flexDirection="row">
        <List state={state} model={model} width={l.listWidth} height={l.paneHeight} />
        <Box borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderDimColor paddingLeft={1}>
          {detail()}
        </Box>
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={l.cols} height={l.height}>
      <Header state={state} cols={l.cols} />
      <Box height={l.bodyHeight} flexDirection="column" overflow="hidden">
        {body}
      </Box>
      <Footer state={state} cols={l.cols} />
    </Box>
  );
}
