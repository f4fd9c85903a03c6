/**
 * The scrollable text panes of a state (the detail pane, the overlay) as lines. Wrapping a
 * long detail or runbook is not free, so each holder (the App) remembers the last result
 * until what the pane shows changes: drawing and scroll keys share the work, and a spinner
 * tick does not lay the text out again.
 */
import { detailLines } from './detail-lines.js';
import { SPINNER } from './format.js';
import { layout } from './layout.js';
import { highlightCommand, paneCommands, type Line } from './lines.js';
import { selectedItem } from './model.js';
import { overlayLines, overlayPage } from './overlay-lines.js';
import type { ScrollPane, State } from './types.js';

export interface Panes {
  detail(s: State): Line[];
  /** The open overlay's lines; none when no overlay is open. */
  overlay(s: State): Line[];
  /** How many lines a scrollable pane holds now: what a scroll key needs. */
  lines(s: State, pane: ScrollPane): number;
  /** The commands a pane shows now, with the line each starts on. */
  commands(s: State, pane: ScrollPane): { text: string; line: number }[];
}

/** `fn` remembering its last call: the same arguments (===) give the same result without calling it again. */
function lastCall<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A): R => {
    if (last && last.args.length === args.length && last.args.every((a, i) => a === args[i])) return last.result;
    const result = fn(...args);
    last = { args, result };
    return result;
  };
}

export function createPanes(): Panes {
  const detail = lastCall(detailLines);
  const overlay = lastCall(overlayLines);
  const markDetail = lastCall(highlightCommand);
  const markOverlay = lastCall(highlightCommand);
  const plain = (s: State, pane: ScrollPane): Line[] => {
    if (pane === 'overlay') {
      const page = overlayPage(s.overlay);
      return page ? overlay(page, layout(s.cols, s.rows).overlayWidth) : [];
    }
    const item = selectedItem(s.model, s.selected);
    const spinner = item && s.probing === item.key ? SPINNER[s.frame % SPINNER.length] : undefined;
    return detail(item, s.report, spinner, layout(s.cols, s.rows).detailWidth);
  };
  const selected = (s: State, pane: ScrollPane) => (s.command?.pane === pane ? s.command.index : undefined);
  const panes: Panes = {
    detail(s) {
      return markDetail(plain(s, 'detail'), selected(s, 'detail'));
    },
    overlay(s) {
      return markOverlay(plain(s, 'overlay'), selected(s, 'overlay'));
    },
    lines(s, pane) {
      return plain(s, pane).length;
    },
    commands(s, pane) {
      return paneCommands(plain(s, pane)).map((c) => ({ text: c.ref.text, line: c.line }));
    },
  };
  return panes;
}
