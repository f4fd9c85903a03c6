/**
 * A rule's runbook (Markdown) as lines for the runbook overlay: rendered by markdown-lines.ts,
 * kept behind this name so the overlay does not care how.
 */
import type { Line } from './lines.js';
import { markdownLines } from './markdown-lines.js';

/** Headings, emphasis, code spans and blocks, lists; code block lines are selectable commands. */
export function runbookLines(markdown: string, width: number): Line[] {
  return markdownLines(markdown, width);
}
