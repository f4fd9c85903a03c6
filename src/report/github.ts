/**
 * GitHub Actions workflow commands: one annotation per finding, at the manifest field it is
 * about — `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message` (warning →
 * `::warning`, info → `::notice`) — then the summary as a plain line.
 *
 * Escaping is GitHub's (the `@actions/core` toolkit's `escapeData`/`escapeProperty`): in the
 * message `%`, `\r` and `\n` become `%25`, `%0D`, `%0A`; in properties also `:` → `%3A` and
 * `,` → `%2C`. So no text from a manifest or a cluster can end the annotation or start another
 * workflow command (a newline is never written raw); control sequences are stripped first.
 */
import path from 'node:path';
import type { Finding, Report, Severity } from '../model/finding.js';
import { sanitizeTerminal } from './sanitize.js';
import { summaryLine } from './text.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** A workflow command's message. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The file as GitHub resolves it: relative to the working directory (the checkout), `/` separated. */
function fileOf(file: string, cwd: string): string | undefined {
  if (file === 'stdin') return undefined;
  const rel = path.relative(cwd, path.resolve(cwd, file));
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  return (inside ? rel : path.resolve(cwd, file)).split(path.sep).join('/');
}

export function annotation(f: Finding, cwd = process.cwd()): string {
  const props: [string, string | number][] = [];
  const loc = f.location;
  const file = loc ? fileOf(loc.file, cwd) : undefined;
  if (loc && file !== undefined) {
    props.push(['file', file], ['line', loc.line], ['col', loc.column], ['endLine', loc.endLine], ['endColumn', loc.endColumn]);
  }
  props.push(['title', `pulldoctor ${f.rule}: ${f.title}`]);
  const where = `${f.workload.kind} ${f.namespace}/${f.workload.name}${f.container ? `, container ${f.container}` : ''}`;
  const lines = [`${f.message} (${where})`];
  for (const u of f.unverified) lines.push(`Not verified: ${u}`);
  if (f.remediation.length) lines.push('Fix:', ...f.remediation.map((r) => `  ${r}`));
  lines.push(`Runbook: pulldoctor explain ${f.rule}`);
  const text = sanitizeTerminal(lines.join('\n'));
  const properties = props.map(([k, v]) => `${k}=${escapeProperty(sanitizeTerminal(String(v)))}`).join(',');
  return `::${COMMAND[f.severity]} ${properties}::${escapeData(text)}`;
}

export function renderGithub(report: Report, cwd = process.cwd()): string {
  const out = report.findings.map((f) => annotation(f, cwd));
  for (const e of report.errors) out.push(`::error title=${escapeProperty('pulldoctor')}::${escapeData(sanitizeTerminal(`${e.cluster}: ${e.message}`))}`);
  for (const a of report.accessProblems) {
    out.push(`::warning title=${escapeProperty('pulldoctor: access problem')}::${escapeData(sanitizeTerminal(`${a.verb} ${a.resource}${a.namespace ? ` in ${a.namespace}` : ''}: ${a.status} ${a.message} (check: ${a.canI})`))}`);
  }
  out.push(`pulldoctor: ${sanitizeTerminal(summaryLine(report)).replace(/[\r\n]+/g, ' ')}`);
  return out.join('\n') + '\n';
}

/**
 * A bad-input message that starts with its place (`deploy/web.yaml:12: invalid YAML: …`) as an
 * error annotation on that file and line; undefined when the message names no line, or names
 * something that is not a file (`isFile`).
 */
export function badInputAnnotation(message: string, isFile: (path: string) => boolean, cwd = process.cwd()): string | undefined {
  const m = /^(\S+?):(\d+): (.+)$/s.exec(message);
  const file = m && isFile(m[1] as string) ? fileOf(m[1] as string, cwd) : undefined;
  if (!m || file === undefined) return undefined;
  const text = sanitizeTerminal(m[3] as string);
  return `::error file=${escapeProperty(sanitizeTerminal(file))},line=${m[2]},title=${escapeProperty('pulldoctor: bad input')}::${escapeData(text)}\n`;
}
