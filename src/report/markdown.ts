/** Markdown report, ready to paste into an incident ticket. All cluster text is escaped. */
import type { Finding, Report } from '../model/finding.js';
import { accessProblemsShown, entryText, isRead, notCoveredWhat, otherGaps, podGaps, type SkippedEntry } from './coverage.js';
import { groupFindings } from './group.js';
import { nodeSectionMarkdown } from './node-text.js';
import { escapeMarkdown, markdownCode, sanitizeLine } from './sanitize.js';
import { age } from './style.js';
import { findingLabel, locationText, SECTION_LIMIT, summaryLine } from './text.js';

const ICON = { error: '🔴', warning: '🟠', info: '🔵' } as const;

function codeBlock(lines: string[]): string[] {
  const body = lines.map(sanitizeLine);
  const longest = Math.max(2, ...body.flatMap((l) => (l.match(/`+/g) ?? []).map((m) => m.length)));
  const fence = '`'.repeat(longest + 1);
  return [fence + 'sh', ...body, fence];
}

/** `podsLabel`: what `f.pods` names — pods, or in a check the pod templates (workloads) affected. */
function finding(f: Finding, now: Date, byId: Map<string, Finding>, podsLabel: string): string[] {
  const out: string[] = [];
  const where = [f.container ? `container ${markdownCode(f.container)}` : '', f.secret ? `secret ${markdownCode(f.secret)}` : '']
    .filter(Boolean)
    .join(', ');
  out.push(`#### ${ICON[f.severity]} ${f.severity}: \`${f.rule}\`${where ? ` — ${where}` : ''}`);
  out.push('');
  out.push(escapeMarkdown(f.message));
  out.push('');
  if (f.location) out.push(`- **At:** ${markdownCode(locationText(f.location))}`);
  if (f.image) out.push(`- **Image:** ${markdownCode(f.image)}`);
  if (f.pods.length) out.push(`- **${podsLabel}:** ${f.pods.slice(0, 10).map(markdownCode).join(', ')}${f.pods.length > 10 ? ` and ${f.pods.length - 10} more` : ''}`);
  out.push(`- **Confidence:** ${f.confidence}`);
  for (const u of f.unverified) out.push(`- **Not verified:** ${escapeMarkdown(u)}`);
  const linked = f.related.map((id) => byId.get(id)).filter((x): x is Finding => x !== undefined);
  if (linked.length) out.push(`- **Linked:** ${linked.map((l) => escapeMarkdown(findingLabel(l))).join('; ')}`);
  if (f.evidence.length) {
    out.push('- **Evidence:**');
    for (const e of f.evidence) {
      const extra = [e.count && e.count > 1 ? `x${e.count}` : '', age(e.lastSeen, now) ?? ''].filter(Boolean).join(', ');
      out.push(`  - ${e.ref ? `${escapeMarkdown(e.ref)}: ` : ''}${markdownCode(e.detail)}${extra ? ` (${extra})` : ''}`);
    }
  }
  if (f.remediation.length) {
    out.push('', '**Fix:**', '', ...codeBlock(f.remediation));
  }
  out.push('', `Runbook: \`pulldoctor explain ${f.rule}\``, '');
  return out;
}

export function renderMarkdown(r: Report): string {
  const now = new Date(r.generatedAt);
  const byId = new Map(r.findings.map((f) => [f.id, f]));
  const podsLabel = r.source.kind === 'manifest' ? 'Pod templates' : 'Pods';
  const out: string[] = [];
  out.push('## pulldoctor report', '');
  out.push(`- **Source:** ${escapeMarkdown(r.source.description)}`);
  out.push(`- **Generated:** ${r.generatedAt}`);
  out.push(`- **Summary:** ${r.summary.complete ? '' : '⚠️ '}${escapeMarkdown(summaryLine(r))}`);
  out.push('');
  for (const e of r.errors) out.push(`> **Could not scan ${escapeMarkdown(e.cluster)}:** ${escapeMarkdown(e.message)}`, '');
  if (r.findings.length) {
    out.push('| Severity | Namespace | Workload | Rule | Container |', '|---|---|---|---|---|');
    for (const f of r.findings) {
      out.push(
        `| ${ICON[f.severity]} ${f.severity} | ${escapeMarkdown(f.namespace)} | ${escapeMarkdown(`${f.workload.kind}/${f.workload.name}`)} | \`${f.rule}\` | ${f.container ? escapeMarkdown(f.container) : ''} |`,
      );
    }
    out.push('');
  }
  for (const ns of groupFindings(r.findings)) {
    const nodeOnly = ns.namespace === '' && ns.workloads.every((w) => w.kind === 'Node');
    out.push(nodeOnly ? `### Node ${markdownCode(ns.workloads[0]?.name ?? '')}` : `### Namespace ${markdownCode(ns.namespace)}${ns.cluster ? ` (cluster ${markdownCode(ns.cluster)})` : ''}`, '');
    for (const w of ns.workloads) {
      for (const f of w.findings) out.push(...finding(f, now, byId, podsLabel));
    }
  }
  if (r.node) out.push(...nodeSectionMarkdown(r.node));
  const entries = (list: SkippedEntry[]) => {
    for (const e of list.slice(0, SECTION_LIMIT)) out.push(`- ${escapeMarkdown(entryText(r, e))}${isRead(e) && e.check ? ` — check with ${markdownCode(e.check)}` : ''}`);
    if (list.length > SECTION_LIMIT) out.push(`- … and ${list.length - SECTION_LIMIT} more (\`-o json\` lists every one under \`summary.skipped\`)`);
    out.push('');
  };
  const pods = podGaps(r);
  if (pods.length) {
    out.push('### Not covered', '', `The result says nothing about ${notCoveredWhat(r)}.`, '');
    entries(pods);
  }
  const access = accessProblemsShown(r);
  if (access.length) {
    out.push('### Access problems', '', 'Conclusions that needed these could not be verified.', '');
    for (const a of access) {
      out.push(`- ${a.verb} ${a.resource}${a.namespace ? ` in ${markdownCode(a.namespace)}` : ''}: ${a.status} ${escapeMarkdown(a.message)} — check with ${markdownCode(a.canI)}`);
    }
    out.push('');
  }
  const other = otherGaps(r);
  if (other.length) {
    out.push('### Not read', '', 'Findings that needed these say so.', '');
    entries(other);
  }
  return out.join('\n');
}
