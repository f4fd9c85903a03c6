/**
 * The UI root: reads the store, lays out header / panes / footer for the terminal size and
 * turns key presses into reducer actions or controller commands. No scanning or timers here.
 */
import { Box, useApp, useInput, useStdout, type Key } from 'ink';
import { useEffect, type ReactNode } from 'react';
import { Detail } from './components/Detail.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { Lines } from './components/Lines.js';
import { List } from './components/List.js';
import { Overlay } from './components/Overlay.js';
import { Status } from './components/Status.js';
import type { Controller } from './controller.js';
import { keyCommand, splitInput } from './keys.js';
import { layout } from './layout.js';
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

  useEffect(() => {
    const update = () => store.dispatch({ type: 'resize', cols: stdout.columns || 80, rows: stdout.rows || 24 });
    update();
    stdout.on('resize', update);
    return () => {
      stdout.off('resize', update);
    };
  }, [stdout, store]);

  const handle = (input: string, key: Key): boolean => {
    const cmd = keyCommand(store.getState(), input, key, runbook);
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
  let body: ReactNode;
  if (state.overlay.kind !== 'none') {
    body = <Overlay state={state} width={l.cols} height={l.overlayHeight} />;
  } else if (!state.report) {
    body = <Status state={state} width={l.cols} height={l.bodyHeight} />;
  } else if (isEmptyReport(state, model)) {
    body = <Lines lines={emptyLines(state, l.cols)} width={l.cols} height={l.bodyHeight} color={state.color} />;
  } else if (!l.split) {
    body =
      state.focus === 'list' ? (
        <List state={state} model={model} width={l.listWidth} height={l.paneHeight} />
      ) : (
        <Detail state={state} model={model} width={l.detailWidth} height={l.paneHeight} />
      );
  } else {
    body = (
      <Box flexDirection="row">
        <List state={state} model={model} width={l.listWidth} height={l.paneHeight} />
        <Box borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderDimColor paddingLeft={1}>
          <Detail state={state} model={model} width={l.detailWidth} height={l.paneHeight} />
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
