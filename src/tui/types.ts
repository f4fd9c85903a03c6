/**
 * UI state types: what the reducer holds and the actions it takes. Types only, so the reducer,
 * the view and the controller can all depend on them without depending on each other.
 */
import type { Finding, Report, Severity } from '../model/finding.js';
import type { ProgressUpdate } from '../model/progress.js';
import type { Model } from './model.js';

export type Focus = 'list' | 'detail';

export type Overlay =
  | { kind: 'none' }
  | { kind: 'help'; scroll: number }
  | { kind: 'runbook'; pages: RunbookPage[]; index: number; scroll: number };

export interface RunbookPage {
  rule: string;
  /** The rule's runbook as Markdown. */
  text: string;
}

export interface ResolvedFinding {
  finding: Finding;
  /** Refreshes left before it disappears. */
  ttl: number;
}

export interface Notice {
  text: string;
  tone: 'info' | 'error' | 'ok';
}

export interface ProgressEntry {
  cluster?: string;
  resource: string;
  objects: number;
  done: boolean;
}

export interface State {
  scope: string;
  color: boolean;
  cols: number;
  rows: number;
  report?: Report;
  /**
   * The report as the list shows it (grouped, filtered). Derived from `report`, `resolved`,
   * `filter` and `minSeverity`; the reducer rebuilds it whenever one of them changes.
   */
  model: Model;
  scanning: boolean;
  /** Completed scans (successful or not). */
  scans: number;
  progress: ProgressEntry[];
  /** Message of the last failed scan; cleared by a successful one. */
  error?: string;
  lastScanAt?: string;
  watch: boolean;
  intervalMs: number;
  resolved: ResolvedFinding[];
  focus: Focus;
  selected?: string;
  listOffset: number;
  /**
   * First detail line shown. May point past the end after the content shrank (a rescan, a
   * resize); the view clamps what it draws and the next `scroll` clamps the value.
   */
  detailScroll: number;
  filter: string;
  editingFilter: boolean;
  minSeverity: Severity;
  overlay: Overlay;
  canProbe: boolean;
  /** Workload key being probed. */
  probing?: string;
  notice?: Notice;
  frame: number;
}

/** A scrollable text pane: the detail pane, or the overlay (help, runbook) when one is open. */
export type ScrollPane = 'detail' | 'overlay';

/** How a scroll key moves the content. */
export type ScrollMove = { by: number } | { page: 1 | -1 } | { to: 'first' | 'last' };

export type Action =
  | { type: 'scanStart' }
  | { type: 'progress'; update: ProgressUpdate }
  | { type: 'scanDone'; report: Report; at?: string }
  | { type: 'scanFailed'; message: string; at?: string }
  | { type: 'tick' }
  | { type: 'resize'; cols: number; rows: number }
  /** Move the list selection. */
  | { type: 'move'; delta: number }
  | { type: 'moveTo'; where: 'first' | 'last' }
  /** Move the list selection by half a pane. */
  | { type: 'page'; dir: 1 | -1 }
  /**
   * Scroll a text pane. `lines` is how many lines the pane holds right now: the view knows
   * (it lays the text out), so it comes with the action and the reducer never renders.
   */
  | { type: 'scroll'; pane: ScrollPane; move: ScrollMove; lines: number }
  | { type: 'toggleFocus' }
  | { type: 'focus'; focus: Focus }
  | { type: 'filterStart' }
  | { type: 'filterInput'; text: string }
  | { type: 'filterBackspace' }
  | { type: 'filterCommit' }
  | { type: 'filterCancel' }
  | { type: 'cycleSeverity' }
  | { type: 'openRunbook'; pages: RunbookPage[] }
  | { type: 'openHelp' }
  | { type: 'closeOverlay' }
  | { type: 'runbookSwitch'; delta: number }
  | { type: 'setWatch'; on: boolean }
  | { type: 'probeStart'; key: string }
  | { type: 'probeDone'; key: string; report: Report }
  | { type: 'probeFailed'; key: string; message: string }
  | { type: 'notice'; notice?: Notice };
