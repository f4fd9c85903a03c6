/**
 * Every string that came from the cluster (event messages, image names, object names) is
 * untrusted. Before it reaches a terminal or a Markdown file it goes through here.
 */

// ESC-introduced sequences: CSI (ESC [ … final), OSC (ESC ] … BEL/ST), DCS/SOS/PM/APC
// (ESC P|X|^|_ … ST), and two-character escapes.
const ESCAPE_SEQUENCES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][\s\S]*?(?:\x07|\x1b\\|$)|\x1b[@-Z\\-_]|\x1b/g;
// C1 controls as code points (CSI 0x9b, OSC 0x9d …) and C0 controls except tab/newline.
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// Bidirectional overrides/isolates (Trojan Source) and zero-width joiners that disguise text.
const BIDI = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Strip terminal control sequences; keeps tabs and newlines. */
export function sanitizeTerminal(s: string): string {
  return s.replace(ESCAPE_SEQUENCES, '').replace(CONTROLS, '').replace(BIDI, '');
}

/** One line for a terminal: sanitised, newlines and tabs folded to spaces. */
export function sanitizeLine(s: string): string {
  return sanitizeTerminal(s).replace(/[\t\r\n]+/g, ' ');
}

/** Escape for Markdown inline text (after sanitising): no HTML, no accidental formatting. */
export function escapeMarkdown(s: string): string {
  return sanitizeLine(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1');
}

/** Content for a Markdown code span: sanitised; backticks handled by a longer fence. */
export function markdownCode(s: string): string {
  const clean = sanitizeLine(s);
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}
