/**
 * The scrollable text panes of a state (the detail pane, the overlay) as lines. Wrapping a
 * long detail or runbook is not free, so each holder (the App) remembers the last result
 * until what the pane shows changes: drawing and scroll keys share the work, and a spinner
 * tick does not lay the text out again.
 */
import { detailLines } from './detail-lines.js';
import { SPINNER } from './format.js';
import { layout } from './layout.js';
import type { Line } from './lines.js';
import { selectedItem } from './model.js';
import { overlayLines, overlayPage } from './overlay-lines.js';
import type { ScrollPane, State } from './types.js';

export interface Panes {
  detail(s: State): Line[];
  /** The open overlay's lines; none when no overlay is open. */
  overlay(s: State): Line[];
  /** How many lines a scrollable pane holds now: what a scroll key needs. */
  lines(s: State, pane: ScrollPane): number;
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
  const panes: Panes = {
    detail(s) {
      const item = selectedItem(s.model, s.selected);
      const spinner = item && s.probing === item.key ? SPINNER[s.frame % SPINNER.length] : undefined;
      return detail(item, s.report, spinner, layout(s.cols, s.rows).detailWidth);
    },
    overlay(s) {
      const page = overlayPage(s.overlay);
      return page ? overlay(page, layout(s.cols, s.rows).overlayWidth) : [];
    },
    lines(s, pane) {
      return (pane === 'detail' ? panes.detail(s) : panes.overlay(s)).length;
    },
  };
  return panes;
}
