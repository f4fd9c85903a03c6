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
  /** Refreshes left before it disappears (interval rescans). */
  ttl: number;
  /** Epoch ms when it disappears (live watch, where changes come at any pace). */
  until?: number;
}

/** The live watch's connection, for the header. */
export interface LiveInfo {
  connected: boolean;
  lastError?: string;
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
  /** The report shown: the last scan's (or live update's), with the probe results in `probes` merged in. */
  report?: Report;
  /** The last scan's report as it came, before probe results were merged in. */
  scanned?: Report;
  /**
   * Probe results shown in `report`. One outlives a rescan or live update only while the probed
   * workload's findings in the scanned report are those it was probed against (`basis`): a probe
   * answers for the images and pods of that moment.
   */
  probes: ProbeResult[];
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
  /** Watching follows a live cluster (list + watch) instead of rescanning on the interval. */
  live?: LiveInfo;
  resolved: ResolvedFinding[];
  /** The command selected with `c` in a pane (its index among the pane's commands). */
  command?: { pane: ScrollPane; index: number };
  /** The command taken with `y`: printed to stdout when the UI ends. */
  picked?: string;
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

export interface ProbeResult {
  /** The probed workload. */
  key: string;
  /** Its findings (ids and images) in the scanned report when it was probed. */
  basis: string;
  report: Report;
}

/** A scrollable text pane: the detail pane, or the overlay (help, runbook) when one is open. */
export type ScrollPane = 'detail' | 'overlay';

/** How a scroll key moves the content. */
export type ScrollMove = { by: number } | { page: 1 | -1 } | { to: 'first' | 'last' };

export type Action =
  | { type: 'scanStart' }
  | { type: 'progress'; update: ProgressUpdate }
  /** `live`: an update of a live watch (fixed findings then stay for a time, not for refreshes). */
  | { type: 'scanDone'; report: Report; at?: string; live?: boolean }
  /** Drop fixed findings whose time is up. */
  | { type: 'expireFixed'; at: number }
  | { type: 'live'; live: LiveInfo | undefined }
  /** Select a command of a pane; `line` is where it starts, to scroll it into view. */
  | { type: 'selectCommand'; pane: ScrollPane; index: number; line: number; lines: number }
  | { type: 'pickCommand'; text: string }
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
  /** `live`: watching follows a live cluster (list + watch) rather than rescanning. */
  | { type: 'setWatch'; on: boolean; live?: boolean }
  | { type: 'probeStart'; key: string }
  | { type: 'probeDone'; key: string; report: Report }
  | { type: 'probeFailed'; key: string; message: string }
  | { type: 'notice'; notice?: Notice };
