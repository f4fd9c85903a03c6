/**
 * Markdown (a rule's runbook) as styled lines for the terminal: headings, emphasis, code spans,
 * code blocks, lists (nested, ordered), quotes and rules. Parsing is marked's lexer — a
 * CommonMark/GFM tokenizer with a typed token tree and no dependencies — so only the mapping of
 * tokens to styles lives here. Text is measured and wrapped with the same helpers as every other
 * pane (string-width, wrap-ansi via format.ts), so what is laid out is what Ink draws.
 *
 * Every line of a code block is a command the user can select and take (`c`, `y`): its segments
 * carry the whole logical command (continuation lines joined), comment-only lines excepted.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { sanitizeTerminal } from '../report/sanitize.js';
import { displayWidth, wrapWords } from './format.js';
import { blank, seg, type CommandRef, type Line, type Segment } from './lines.js';

type Style = Omit<Segment, 'text'>;

interface Run {
  text: string;
  style: Style;
}

/** Inline tokens → styled runs (soft line breaks become spaces). */
function inline(tokens: Token[] | undefined, style: Style = {}): Run[] {
  const out: Run[] = [];
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        out.push(...inline((t as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        out.push(...inline((t as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case 'del':
        out.push(...inline((t as Tokens.Del).tokens, { ...style, tone: 'muted' }));
        break;
      case 'codespan':
        out.push({ text: (t as Tokens.Codespan).text, style: { ...style, tone: 'accent' } });
        break;
      case 'link': {
        const l = t as Tokens.Link;
        out.push(...inline(l.tokens, { ...style, tone: 'accent' }));
        if (l.href && l.href !== l.text) out.push({ text: ` (${l.href})`, style: { ...style, tone: 'muted' } });
        break;
      }
      case 'br':
        out.push({ text: ' ', style });
        break;
      case 'text': {
        const x = t as Tokens.Text;
        if (x.tokens?.length) out.push(...inline(x.tokens, style));
        else out.push({ text: x.text, style });
        break;
      }
      default:
        out.push({ text: 'text' in t && typeof t.text === 'string' ? t.text : t.raw, style });
    }
  }
  return out.map((r) => ({ ...r, text: r.text.replace(/\s*\n\s*/g, ' ') }));
}

const sameStyle = (a: Style, b: Style) => a.tone === b.tone && !!a.bold === !!b.bold && !!a.italic === !!b.italic;

/**
 * Styled runs wrapped to `width`: every line after the first indented by `indent` columns, the
 * first led by `lead` (or the indent). The plain text is wrapped as any pane wraps; the styles
 * are laid back over the pieces.
 */
function wrapRuns(runs: Run[], width: number, indent: number, lead?: Segment[]): Line[] {
  const text = runs.map((r) => r.text).join('');
  const leadWidth = lead ? lead.reduce((n, s) => n + displayWidth(s.text), 0) : indent;
  const pieces = wrapWords(text, Math.max(8, width - indent), Math.max(4, width - leadWidth));
  const starts: number[] = [];
  let at = 0;
  for (const p of pieces) {
    const i = text.indexOf(p, at);
    const start = i >= 0 ? i : at;
    starts.push(start);
    at = start + p.length;
  }
  // Style boundaries: run i covers [bounds[i], bounds[i+1]).
  const bounds: number[] = [];
  let pos = 0;
  for (const r of runs) {
    bounds.push(pos);
    pos += r.text.length;
  }
  return pieces.map((p, li) => {
    const from = starts[li] ?? 0;
    const to = from + p.length;
    const line: Line = li === 0 && lead ? [...lead] : indent ? [seg(' '.repeat(indent))] : [];
    runs.forEach((r, ri) => {
      const a = Math.max(from, bounds[ri] ?? 0);
      const b = Math.min(to, (bounds[ri] ?? 0) + r.text.length);
      if (b <= a) return;
      const piece = text.slice(a, b);
      const last = line[line.length - 1];
      if (last && last !== line[0] && sameStyle(last, r.style)) last.text += piece;
      else line.push({ text: piece, ...r.style });
    });
    return line;
  });
}

/** The logical commands of a shell code block: continuation lines joined; blank and comment-only lines are none. */
export function codeCommands(code: string): { lines: string[]; command?: string }[] {
  const out: { lines: string[]; command?: string }[] = [];
  let cur: { lines: string[]; parts: string[] } | undefined;
  for (const line of code.replace(/\s+$/, '').split('\n')) {
    const t = line.trimEnd();
    if (cur) {
      cur.lines.push(t);
      cur.parts.push(t.trim().replace(/\\$/, '').trim());
      if (!t.endsWith('\\')) {
        out.push({ lines: cur.lines, command: cur.parts.join(' ') });
        cur = undefined;
      }
      continue;
    }
    if (t.trim() === '' || t.trim().startsWith('#')) {
      out.push({ lines: [t] });
      continue;
    }
    if (t.endsWith('\\')) cur = { lines: [t], parts: [t.trim().replace(/\\$/, '').trim()] };
    else out.push({ lines: [t], command: t.trim() });
  }
  if (cur) out.push({ lines: cur.lines, command: cur.parts.join(' ') });
  return out;
}

/** Languages whose code blocks are commands to run; any other block (YAML, TOML, JSON) is text to read or paste into a file. */
const SHELL_LANGS = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh']);

function codeLines(code: string, width: number, indent: number, commands: CommandRef[], lang = ''): Line[] {
  const out: Line[] = [];
  const shell = SHELL_LANGS.has(lang.trim().toLowerCase());
  const groups = shell ? codeCommands(code) : code.replace(/\s+$/, '').split('\n').map((l) => ({ lines: [l.trimEnd()] }) as { lines: string[]; command?: string });
  for (const group of groups) {
    const ref: CommandRef | undefined = group.command ? { index: commands.length, text: group.command } : undefined;
    if (ref) commands.push(ref);
    for (const l of group.lines) {
      const comment = shell && (!ref || l.trim().startsWith('#'));
      // A line too long for the pane goes on indented by two more columns.
      wrapWords(l, Math.max(8, width - indent - 2), Math.max(8, width - indent)).forEach((piece, i) => {
        const s: Segment = { text: piece, tone: comment ? 'muted' : 'command' };
        if (ref) s.cmd = ref;
        out.push([seg(' '.repeat(indent + (i ? 2 : 0))), s]);
      });
    }
  }
  return out;
}

function blocks(tokens: Token[], width: number, indent: number, commands: CommandRef[]): Line[] {
  const out: Line[] = [];
  const gap = () => {
    if (out.length && out[out.length - 1]?.length !== 0) out.push(blank());
  };
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
        break;
      case 'heading': {
        const h = t as Tokens.Heading;
        gap();
        const style: Style = h.depth === 1 ? { tone: 'accent', bold: true } : { bold: true };
        out.push(...wrapRuns(inline(h.tokens, style), width, indent));
        break;
      }
      case 'paragraph':
        gap();
        out.push(...wrapRuns(inline((t as Tokens.Paragraph).tokens), width, indent));
        break;
      case 'text': {
        // The body of a tight list item.
        const x = t as Tokens.Text;
        out.push(...wrapRuns(x.tokens?.length ? inline(x.tokens) : [{ text: x.text, style: {} }], width, indent));
        break;
      }
      case 'code':
        gap();
        out.push(...codeLines((t as Tokens.Code).text, width, indent + 4, commands, (t as Tokens.Code).lang ?? ''));
        break;
      case 'list': {
        const l = t as Tokens.List;
        if (indent === 0) gap();
        const start = typeof l.start === 'number' ? l.start : 1;
        l.items.forEach((item, i) => {
          const mark = l.ordered ? `${start + i}.` : '•';
          const inner = blocks(item.tokens, width, indent + displayWidth(mark) + 1, commands);
          const first = inner[0];
          if (first) {
            // The item's first line gets the marker in its indent.
            const rest = first[0]?.text.trim() === '' ? first.slice(1) : first;
            inner[0] = [seg(`${' '.repeat(indent)}${mark} `, 'muted'), ...rest];
          } else inner.push([seg(`${' '.repeat(indent)}${mark}`, 'muted')]);
          if (l.loose && i > 0) out.push(blank());
          out.push(...inner);
        });
        break;
      }
      case 'blockquote': {
        gap();
        for (const line of blocks((t as Tokens.Blockquote).tokens, width - 2, 0, commands)) {
          out.push([seg(`${' '.repeat(indent)}│ `, 'muted'), ...line.map((s) => ({ ...s, tone: s.tone ?? 'muted' }))]);
        }
        break;
      }
      case 'hr':
        gap();
        out.push([seg(' '.repeat(indent) + '─'.repeat(Math.max(1, width - indent)), 'muted')]);
        break;
      case 'table': {
        const tb = t as Tokens.Table;
        gap();
        const row = (cells: Tokens.TableCell[], style: Style) =>
          cells.flatMap((c, i) => [...(i ? [{ text: ' │ ', style: { tone: 'muted' as const } }] : []), ...inline(c.tokens, style)]);
        out.push(...wrapRuns(row(tb.header, { bold: true }), width, indent));
        for (const r of tb.rows) out.push(...wrapRuns(row(r, {}), width, indent));
        break;
      }
      default: {
        const text = 'text' in t && typeof t.text === 'string' ? t.text : t.raw;
        if (text.trim()) {
          gap();
          out.push(...wrapRuns([{ text, style: {} }], width, indent));
        }
      }
    }
  }
  return out;
}

/** A runbook's Markdown as lines of at most `width` columns. */
export function markdownLines(markdown: string, width: number): Line[] {
  const tokens = Lexer.lex(sanitizeTerminal(markdown).replace(/\t/g, '  '));
  const lines = blocks(tokens, Math.max(20, width), 0, []);
  while (lines.length && lines[lines.length - 1]?.length === 0) lines.pop();
  return lines;
}
