/**
 * Key map: (state, key) → what to do. Pure, so it is easy to test and to read in one place.
 * Reducer actions go to the store; commands go to the controller (scans, probes, quitting).
 * A key that scrolls a text pane carries the pane's line count, measured by the view (`paneLines`),
 * so the reducer never lays text out.
 */
import type { Key } from 'ink';
import { selectedItem } from './model.js';
import type { Action, RunbookPage, ScrollMove, ScrollPane, State } from './types.js';

export type Command =
  | { type: 'dispatch'; action: Action }
  | { type: 'rescan' }
  | { type: 'toggleWatch' }
  | { type: 'probe' }
  | { type: 'quit' };

const act = (action: Action): Command => ({ type: 'dispatch', action });

export function runbookPages(s: State, runbook: (ruleId: string) => string): RunbookPage[] {
  const item = selectedItem(s.model, s.selected);
  if (!item || item.kind !== 'workload') return [];
  const rules: string[] = [];
  for (const f of [...item.findings, ...item.resolved]) if (!rules.includes(f.rule)) rules.push(f.rule);
  return rules.map((rule) => {
    let text: string;
    try {
      text = runbook(rule);
    } catch (e) {
      text = `# ${rule}\n\nNo runbook available: ${e instanceof Error ? e.message : String(e)}`;
    }
    return { rule, text };
  });
}

/** Movement keys, the same in the main view and in overlays (help, runbook). */
function movement(input: string, key: Key): ScrollMove | undefined {
  if (key.upArrow || input === 'k') return { by: -1 };
  if (key.downArrow || input === 'j') return { by: 1 };
  if (key.pageUp) return { page: -1 };
  if (key.pageDown || input === ' ') return { page: 1 };
  if (input === 'g' || key.home) return { to: 'first' };
  if (input === 'G' || key.end) return { to: 'last' };
  return undefined;
}

/** What the key map needs from outside: runbooks to open, and how long the text panes are. */
export interface KeyContext {
  /** Markdown text of a rule's runbook; throws when there is none. */
  runbook: (ruleId: string) => string;
  /** How many lines a scrollable pane holds now (the view lays them out). */
  paneLines: (s: State, pane: ScrollPane) => number;
  /** The commands a pane shows now: their text and the line each starts on. */
  paneCommands?: (s: State, pane: ScrollPane) => { text: string; line: number }[];
}

/** `c`/`C`: the next or previous command of the open overlay, else of the detail pane; `y` takes it. */
function commandKey(s: State, input: string, ctx: KeyContext): Command | undefined {
  const pane: ScrollPane = s.overlay.kind !== 'none' ? 'overlay' : 'detail';
  const cmds = ctx.paneCommands?.(s, pane) ?? [];
  const current = s.command?.pane === pane && s.command.index < cmds.length ? s.command.index : undefined;
  if (input === 'y') {
    const c = current !== undefined ? cmds[current] : undefined;
    if (!c) return act({ type: 'notice', notice: { text: 'press c to select a command first', tone: 'info' } });
    return act({ type: 'pickCommand', text: c.text });
  }
  if (cmds.length === 0) return act({ type: 'notice', notice: { text: 'no command here to select', tone: 'info' } });
  const delta = input === 'C' ? -1 : 1;
  const index = current === undefined ? (delta > 0 ? 0 : cmds.length - 1) : (current + delta + cmds.length) % cmds.length;
  return act({ type: 'selectCommand', pane, index, line: cmds[index]?.line ?? 0, lines: ctx.paneLines(s, pane) });
}

/** A movement scrolls the open overlay, or the detail pane when it has focus; otherwise it moves the selection. */
function move(s: State, m: ScrollMove, ctx: KeyContext): Command {
  const pane: ScrollPane | undefined = s.overlay.kind !== 'none' ? 'overlay' : s.focus === 'detail' ? 'detail' : undefined;
  if (pane) return act({ type: 'scroll', pane, move: m, lines: ctx.paneLines(s, pane) });
  if ('by' in m) return act({ type: 'move', delta: m.by });
  if ('page' in m) return act({ type: 'page', dir: m.page });
  return act({ type: 'moveTo', where: m.to });
}

export function keyCommand(s: State, input: string, key: Key, ctx: KeyContext): Command | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };

  if (s.editingFilter) {
    if (key.escape) return act({ type: 'filterCancel' });
    if (key.return || key.tab) return act({ type: 'filterCommit' });
    if (key.backspace || key.delete) return act({ type: 'filterBackspace' });
    if (key.upArrow) return move(s, { by: -1 }, ctx);
    if (key.downArrow) return move(s, { by: 1 }, ctx);
    if (key.ctrl || key.meta || !input) return undefined;
    // Printable text only (pasted text may carry newlines or escapes).
    const text = input.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
    return text ? act({ type: 'filterInput', text }) : undefined;
  }

  if (s.overlay.kind !== 'none') {
    if (key.escape || input === 'q') return act({ type: 'closeOverlay' });
    if (input === '?' && s.overlay.kind === 'help') return act({ type: 'closeOverlay' });
    if (input === 'e' && s.overlay.kind === 'runbook') return act({ type: 'closeOverlay' });
    const m = movement(input, key);
    if (m) return move(s, m, ctx);
    if (key.leftArrow || input === 'h') return act({ type: 'runbookSwitch', delta: -1 });
    if (key.rightArrow || input === 'l' || key.tab) return act({ type: 'runbookSwitch', delta: 1 });
    if (input === '?') return act({ type: 'openHelp' });
    if (input === 'c' || input === 'C' || input === 'y') return commandKey(s, input, ctx);
    return undefined;
  }

  if (key.escape || input === 'q') return { type: 'quit' };
  const m = movement(input, key);
  if (m) return move(s, m, ctx);
  if (key.return || key.tab) return act({ type: 'toggleFocus' });
  if (key.leftArrow || input === 'h') return act({ type: 'focus', focus: 'list' });
  if (key.rightArrow || input === 'l') return act({ type: 'focus', focus: 'detail' });
  if (input === '/') return act({ type: 'filterStart' });
  if (input === 's') return act({ type: 'cycleSeverity' });
  if (input === 'e') return act({ type: 'openRunbook', pages: runbookPages(s, ctx.runbook) });
  if (input === '?') return act({ type: 'openHelp' });
  if (input === 'r') return { type: 'rescan' };
  if (input === 'w') return { type: 'toggleWatch' };
  if (input === 'p') return { type: 'probe' };
  if (input === 'c' || input === 'C' || input === 'y') return commandKey(s, input, ctx);
  return undefined;
}

/**
 * Ink hands over a chunk of plain text as one input ("jj\r" when keys arrive together, e.g.
 * key repeat, a paste, or a slow terminal). Split it into one key press per character.
 */
export function splitInput(input: string, key: Key): { input: string; key: Key }[] {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || key.meta || input.includes('\x1b')) return [{ input, key }];
  const none = Object.fromEntries(Object.entries(key).map(([k, v]) => [k, typeof v === 'boolean' ? false : v])) as unknown as Key;
  const out: { input: string; key: Key }[] = [];
  for (const ch of chars) {
    if (ch === '\r' || ch === '\n') out.push({ input: '', key: { ...none, return: true } });
    else if (ch === '\t') out.push({ input: '', key: { ...none, tab: true } });
    else if (ch === '\x7f' || ch === '\b') out.push({ input: '', key: { ...none, backspace: true } });
    else if (ch === '\x03') out.push({ input: 'c', key: { ...none, ctrl: true } });
    else if (ch.charCodeAt(0) >= 0x20) out.push({ input: ch, key: { ...none, shift: /[A-Z]/.test(ch) } });
  }
  return out;
}
