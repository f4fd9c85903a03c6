/** Terminal geometry: how the screen is divided for a terminal size. Pure numbers, no text. */

export interface Layout {
  cols: number;
  /** Rows the UI draws (one less than the terminal, so Ink never has to clear the screen). */
  height: number;
  bodyHeight: number;
  /** Content rows of a pane (body minus its title line). */
  paneHeight: number;
  split: boolean;
  listWidth: number;
  detailWidth: number;
  overlayWidth: number;
  overlayHeight: number;
}

export function layout(cols: number, rows: number): Layout {
  const c = Math.max(20, cols);
  const height = Math.max(6, rows - 1);
  const bodyHeight = height - 3;
  const paneHeight = Math.max(1, bodyHeight - 1);
  const split = c >= 60;
  const listWidth = split ? Math.max(26, Math.min(44, Math.floor(c * 0.38))) : c;
  const detailWidth = split ? c - listWidth - 2 : c;
  return { cols: c, height, bodyHeight, paneHeight, split, listWidth, detailWidth, overlayWidth: c - 2, overlayHeight: paneHeight };
}
