/**
 * serve's HTML: the index page (current findings, grouped by namespace and workload, each rule
 * linking to its runbook) and the runbook pages, rendered from the same Markdown `explain`
 * prints by markdown-it with raw HTML off. Every string from the cluster is sanitised (control
 * and bidi characters) and escaped; no script, and a CSP header that forbids one.
 */
import MarkdownIt from 'markdown-it';
import type { Finding } from '../model/finding.js';
import { groupFindings } from '../report/group.js';
import { sanitizeLine } from '../report/sanitize.js';
import { plural } from '../util/text.js';
import type { Readiness } from './service.js';
import type { ServeView } from './view.js';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** Untrusted text → HTML text: one line, controls and bidi overrides stripped, escaped. */
export function esc(s: string): string {
  return md.utils.escapeHtml(sanitizeLine(s));
}

/** The Content-Security-Policy of every page: inline styles only. */
export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1b1f24}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:1.6em}h3{font-size:1.05em;margin:1.2em 0 .3em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}
code,pre{font-family:ui-monospace,monospace;font-size:.92em}pre{background:#f6f8fa;padding:.7em;overflow-x:auto}
.error{color:#b3261e;font-weight:600}.warning{color:#9a6700;font-weight:600}.info{color:#555}
.banner{border-left:4px solid #9a6700;background:#fff8e1;padding:.5em 1em}.banner.down{border-color:#b3261e;background:#fdecea}
.muted{color:#57606a}nav a{margin-right:1em}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><nav><a href="/">findings</a><a href="/report.json">report.json</a><a href="/metrics">metrics</a><a href="/readyz">readyz</a></nav>
${body}
</body></html>
`;
}

/** `/runbooks/<id>` for a rule id or alert name (URL-safe as they are; encoded anyway). */
export const runbookHref = (id: string) => `/runbooks/${encodeURIComponent(id)}`;

function findingRow(f: Finding): string {
  const pods = f.pods.length > 1 ? `${f.pods.length} pods` : esc(f.pod);
  const where = [f.container ? `container ${esc(f.container)}` : '', f.secret ? `secret ${esc(f.secret)}` : ''].filter(Boolean).join(' · ');
  return `<tr><td class="${f.severity}">${f.severity}</td><td><a href="${runbookHref(f.rule)}">${esc(f.rule)}</a></td>` +
    `<td>${esc(f.message)}${where ? `<br><span class="muted">${where}</span>` : ''}</td><td>${pods}</td></tr>`;
}

function findingsSection(v: ServeView): string {
  const r = v.report;
  if (!r.findings.length) {
    // Never "no problems" about pods that could not be read.
    return v.complete
      ? `<p>No image pull problems in ${plural(r.summary.podsScanned, 'pod')}.</p>`
      : `<p>No findings among the ${plural(r.summary.podsScanned, 'pod')} that could be read — the scan is incomplete, so this says nothing about the rest.</p>`;
  }
  const out: string[] = [];
  for (const ns of groupFindings(r.findings)) {
    out.push(`<h3>namespace ${esc(ns.namespace)}</h3>`);
    for (const w of ns.workloads) {
      out.push(`<p><strong>${esc(w.kind)} ${esc(w.name)}</strong> <span class="muted">(${plural(w.pods.length, 'pod')})</span></p>`);
      out.push('<table><thead><tr><th>severity</th><th>rule</th><th>finding</th><th>pods</th></tr></thead><tbody>');
      out.push(...w.findings.map(findingRow));
      out.push('</tbody></table>');
    }
  }
  return out.join('\n');
}

export interface IndexState {
  current?: { view: ServeView; at: Date };
  readiness: Readiness;
}

/** `/`: the current findings, with the scan's state above them. */
export function indexPage(s: IndexState): string {
  const parts = ['<h1>pulldoctor</h1>'];
  const cur = s.current;
  if (cur) {
    const r = cur.view.report;
    const scope = r.source.namespaces?.length ? `namespace ${r.source.namespaces.join(', ')}` : 'all namespaces';
    parts.push(
      `<p class="muted">${esc(r.source.description)} · ${esc(scope)} · report of ${esc(cur.at.toISOString())} · ` +
        `${plural(r.summary.podsScanned, 'pod')} scanned, ${plural(r.summary.podsWithPullProblems, 'pod')} failing to pull</p>`,
    );
  }
  const notes = s.readiness.lines.filter((l) => l !== 'ok' && !l.startsWith('ok '));
  if (notes.length) {
    parts.push(`<div class="banner${s.readiness.ready ? '' : ' down'}">${notes.map((l) => `<p>${esc(l)}</p>`).join('')}</div>`);
  }
  if (!cur) parts.push('<p>The initial scan of the cluster is in progress.</p>');
  else {
    const c = cur.view.report.summary.findings;
    parts.push(`<h2>Findings: ${c.error} error, ${c.warning} warning, ${c.info} info</h2>`);
    parts.push(findingsSection(cur.view));
  }
  return page('pulldoctor', parts.join('\n'));
}

/** A runbook page from its Markdown (rules/<id>.md, or an alert's runbook). */
export function runbookPage(id: string, markdown: string): string {
  return page(`${id} — pulldoctor runbook`, md.render(markdown));
}

/** A small HTML page for a 404 on an unknown runbook. */
export function notFoundPage(what: string): string {
  return page('not found', `<h1>Not found</h1><p>${esc(what)}</p><p><a href="/">back to the findings</a></p>`);
}
