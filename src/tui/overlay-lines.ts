/** Full-screen overlays: the help (keys and markers) and the runbook pages of the selected workload. */
import { clean, displayWidth, fit, MARK, RESOLVED_MARK, wrapWords } from './format.js';
import { blank, seg, type Line } from './lines.js';
import { runbookLines } from './runbook-lines.js';
import type { Overlay, RunbookPage } from './types.js';

/** What an overlay shows: the help, or one runbook page. */
export type OverlayPage = 'help' | RunbookPage;

export function overlayPage(o: Overlay): OverlayPage | undefined {
  if (o.kind === 'help') return 'help';
  if (o.kind === 'runbook') return o.pages[o.index];
  return undefined;
}

export const KEYMAP: [string, string][] = [
  ['↑/↓  j/k', 'move the selection (scroll the detail pane when it has focus)'],
  ['PgUp/PgDn', 'page; g/G first/last'],
  ['Enter  Tab', 'switch between the workload list and the detail pane'],
  ['←/→  h/l', 'focus the list / the detail pane'],
  ['/', 'filter by text (namespace, workload, rule, image, secret, message)'],
  ['s', 'cycle the minimum severity: info → warning → error'],
  ['e', 'runbook of the selected workload’s findings (←/→ switches rule)'],
  ['r', 'rescan now (when watching a cluster: show the latest state now)'],
  ['w', 'toggle watch: a cluster is listed once, then followed as it changes; files and the demo are rescanned every --interval. Fixed findings show ✔ fixed for a moment'],
  ['c  C', 'select the next / previous command (fixes in the detail pane, code in the runbook)'],
  ['y', 'take the selected command: printed to stdout when you quit'],
  ['p', 'probe the selected workload’s registry (when probing is available)'],
  ['?', 'this help'],
  ['q  Esc  Ctrl-C', 'quit (q/Esc close this help or the runbook first)'],
];

function helpLines(width: number): Line[] {
  const out: Line[] = [[seg('Keys', 'accent', { bold: true })], blank()];
  const keyWidth = Math.max(...KEYMAP.map(([k]) => displayWidth(k))) + 2;
  for (const [k, v] of KEYMAP) {
    const lines = wrapWords(v, Math.max(8, width - keyWidth - 2));
    lines.forEach((l, i) => out.push([seg('  '), seg(fit(i === 0 ? k : '', keyWidth), 'accent', { bold: true }), seg(l)]));
  }
  out.push(
    blank(),
    [seg('Markers', 'accent', { bold: true })],
    blank(),
    [seg('  '), seg(`${MARK.error} error`, 'error'), seg('  blocks a pull now')],
    [seg('  '), seg(`${MARK.warning} warning`, 'warning'), seg('  latent or likely problem')],
    [seg('  '), seg(`${MARK.info} info`, 'info'), seg('  worth knowing')],
    [seg('  '), seg(`${RESOLVED_MARK} fixed`, 'ok'), seg('  gone since the previous scan or change')],
    [seg('  '), seg('! access', 'warning'), seg('  something pulldoctor was not allowed to read')],
  );
  return out;
}

export function overlayLines(page: OverlayPage, width: number): Line[] {
  return page === 'help' ? helpLines(width) : runbookLines(page.text, width);
}

export function overlayTitle(o: Overlay): string {
  if (o.kind === 'help') return 'Help';
  if (o.kind === 'runbook') {
    const page = o.pages[o.index];
    const n = o.pages.length > 1 ? ` (${o.index + 1}/${o.pages.length})` : '';
    return `Runbook · ${clean(page?.rule ?? '')}${n}`;
  }
  return '';
}
