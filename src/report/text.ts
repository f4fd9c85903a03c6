/** Plain-text report for terminals and logs: grouped by namespace and workload, most severe first. */
import type { Evidence, Finding, Report, Severity } from '../model/finding.js';
import type { SourceLocation } from '../model/manifest.js';
import { accessProblemsShown, entryText, gapSummary, isRead, notCoveredWhat, otherGaps, podGaps } from './coverage.js';
import { groupFindings } from './group.js';
import { nodeSectionText } from './node-text.js';
import { sanitizeLine } from './sanitize.js';
import { age, plainStyle, type Style } from './style.js';
import { plural } from '../util/text.js';

const MARK: Record<Severity, string> = { error: '✖', warning: '▲', info: '•' };

function sevLabel(s: Severity, st: Style): string {
  const text = `${MARK[s]} ${s}`;
  return s === 'error' ? st.red(st.bold(text)) : s === 'warning' ? st.yellow(text) : st.blue(text);
}

function evidenceLine(e: Evidence, now: Date): string {
  const extra = [e.count && e.count > 1 ? `x${e.count}` : undefined, age(e.lastSeen, now)].filter(Boolean).join(', ');
  return `${e.ref ? `${sanitizeLine(e.ref)}: ` : `${e.source}: `}${sanitizeLine(e.detail)}${extra ? ` (${extra})` : ''}`;
}

/** The one-line summary; an incomplete scan says what it does not cover and never "no problems". */
export function summaryLine(r: Report): string {
  const f = r.summary.findings;
  if (r.node) {
    const checked = plural(r.node.images.length, 'image');
    if (!r.summary.complete) {
      return `INCOMPLETE: ${plural(f.error, 'error')}, ${plural(f.warning, 'warning')}, ${f.info} info on node ${r.node.name} (${checked} checked); could not read ${plural(r.summary.skipped.length, 'file')}`;
    }
    if (r.findings.length === 0) return `no image pull problems in the configuration of node ${r.node.name} (${checked} checked)`;
    return `${plural(f.error, 'error')}, ${plural(f.warning, 'warning')}, ${f.info} info on node ${r.node.name} (${checked} checked)`;
  }
  if (r.source.kind === 'manifest') {
    const templates = plural(r.summary.podsScanned, 'pod template');
    const found = r.findings.length ? `${plural(f.error, 'error')}, ${plural(f.warning, 'warning')}, ${f.info} info in ${plural(r.summary.workloadsAffected, 'workload')} (${templates} checked)` : undefined;
    if (!r.summary.complete) return `INCOMPLETE: ${found ?? `nothing found in the ${templates}`}; not covered: ${gapSummary(r)}`;
    return found ?? `no image pull problems in ${templates}`;
  }
  if (!r.summary.complete) {
    const found = r.findings.length
      ? `${plural(f.error, 'error')}, ${plural(f.warning, 'warning')}, ${f.info} info in ${plural(r.summary.workloadsAffected, 'workload')} (${plural(r.summary.podsScanned, 'pod')} scanned, ${r.summary.podsWithPullProblems} failing to pull)`
      : `nothing found in the ${plural(r.summary.podsScanned, 'pod')} that could be scanned`;
    return `INCOMPLETE: ${found}; not covered: ${gapSummary(r)}`;
  }
  if (r.findings.length === 0) return `no image pull problems in ${plural(r.summary.podsScanned, 'pod')}`;
  return `${plural(f.error, 'error')}, ${plural(f.warning, 'warning')}, ${f.info} info in ${plural(r.summary.workloadsAffected, 'workload')} (${plural(r.summary.podsScanned, 'pod')} scanned, ${r.summary.podsWithPullProblems} failing to pull)`;
}

/** The line for a report without findings: "no image pull problems" only when the scan is complete. */
export function nothingFoundLine(r: Report): { text: string; complete: boolean } {
  return r.summary.complete ? { text: `✔ ${summaryLine(r)}`, complete: true } : { text: `⚠ ${summaryLine(r)}`, complete: false };
}

/** How many entries a text or Markdown section lists before pointing at the JSON report. */
export const SECTION_LIMIT = 20;

function findingBlock(f: Finding, now: Date, st: Style, indent: string, byId: Map<string, Finding>): string[] {
  const lines: string[] = [];
  const where = [f.container ? `container ${sanitizeLine(f.container)}` : undefined, f.secret ? `secret ${sanitizeLine(f.secret)}` : undefined]
    .filter(Boolean)
    .join(', ');
  const conf = f.confidence === 'confirmed' ? '' : st.dim(` [${f.confidence}]`);
  lines.push(`${indent}${sevLabel(f.severity, st)}  ${st.bold(f.rule)}${where ? st.dim(`  (${where})`) : ''}${conf}`);
  lines.push(`${indent}  ${sanitizeLine(f.message)}`);
  if (f.location) lines.push(`${indent}  ${st.dim('at:')} ${locationText(f.location)}`);
  if (f.image) lines.push(`${indent}  ${st.dim('image:')} ${sanitizeLine(f.image)}`);
  if (f.pods.length > 1) lines.push(`${indent}  ${st.dim('pods:')} ${f.pods.slice(0, 5).map(sanitizeLine).join(', ')}${f.pods.length > 5 ? ` and ${f.pods.length - 5} more` : ''}`);
  if (f.evidence.length) {
    lines.push(`${indent}  ${st.dim('evidence:')}`);
    for (const e of f.evidence) lines.push(`${indent}    - ${evidenceLine(e, now)}`);
  }
  for (const u of f.unverified) lines.push(`${indent}  ${st.yellow('not verified:')} ${sanitizeLine(u)}`);
  const linked = f.related.map((id) => byId.get(id)).filter((x): x is Finding => x !== undefined);
  if (linked.length) lines.push(`${indent}  ${st.dim('linked:')} ${linked.map(findingLabel).join('; ')}`);
  if (f.remediation.length) {
    lines.push(`${indent}  ${st.dim('fix:')}`);
    for (const cmd of f.remediation) {
      const clean = sanitizeLine(cmd);
      lines.push(`${indent}    ${clean.startsWith('#') ? st.dim(clean) : `${st.green('$')} ${clean}`}`);
    }
  }
  lines.push(`${indent}  ${st.dim(`runbook: pulldoctor explain ${f.rule}`)}`);
  return lines;
}

/** `deploy.yaml:23:11 spec.template.spec.imagePullSecrets[0].name (rendered from chart/templates/x.yaml)`. */
export function locationText(l: SourceLocation): string {
  const what = `${l.file}:${l.line}:${l.column}${l.path ? ` ${l.path}` : ''}`;
  return sanitizeLine(`${what}${l.object.kind === 'Secret' || l.object.kind === 'ServiceAccount' ? ` of ${l.object.kind} ${l.object.namespace}/${l.object.name}` : ''}${l.template ? ` (rendered from ${l.template})` : ''}`);
}

/** `rule (container x, secret y)`: how a finding is named when another one points at it. */
export function findingLabel(f: Finding): string {
  const where = [f.container ? `container ${f.container}` : '', f.secret ? `secret ${f.secret}` : ''].filter(Boolean).join(', ');
  return sanitizeLine(`${f.rule}${where ? ` (${where})` : ''}`);
}

export function renderText(r: Report, st: Style = plainStyle): string {
  const now = new Date(r.generatedAt);
  const byId = new Map(r.findings.map((f) => [f.id, f]));
  const out: string[] = [];
  out.push(`${st.bold('pulldoctor')} ${st.dim('·')} ${sanitizeLine(r.source.description)}`);
  out.push(!r.summary.complete ? st.red(st.bold(sanitizeLine(summaryLine(r)))) : r.findings.length ? summaryLine(r) : st.green(summaryLine(r)));
  for (const e of r.errors) out.push(st.red(`✖ ${sanitizeLine(e.cluster)}: ${sanitizeLine(e.message)}`));
  let cluster: string | undefined;
  for (const ns of groupFindings(r.findings)) {
    if (ns.cluster && ns.cluster !== cluster) {
      cluster = ns.cluster;
      out.push('', st.bold(`cluster ${sanitizeLine(cluster)}`));
    }
    if (ns.namespace !== '' || !ns.workloads.every((w) => w.kind === 'Node')) out.push('', st.bold(`namespace ${sanitizeLine(ns.namespace)}`));
    else out.push('');
    for (const w of ns.workloads) {
      // A check's workloads are pod templates: no pods to count.
      const pods = w.kind === 'Pod' || w.kind === 'Node' || r.source.kind === 'manifest' ? '' : st.dim(` (${plural(w.pods.length, 'pod')})`);
      out.push(`  ${sevLabel(w.severity, st)}  ${st.bold(sanitizeLine(`${w.kind}/${w.name}`))}${pods}`);
      for (const f of w.findings) out.push(...findingBlock(f, now, st, '    ', byId), '');
      if (out[out.length - 1] === '') out.pop();
    }
  }
  const pods = podGaps(r);
  if (pods.length) {
    out.push('', st.red(st.bold('not covered')) + st.dim(` (the result says nothing about ${notCoveredWhat(r)})`));
    for (const e of pods.slice(0, SECTION_LIMIT)) {
      out.push(`  ${st.red('✖')} ${sanitizeLine(entryText(r, e))}`);
      if (e.check) out.push(`    ${st.green('$')} ${sanitizeLine(e.check)}`);
    }
    if (pods.length > SECTION_LIMIT) out.push(st.dim(`  … and ${pods.length - SECTION_LIMIT} more (-o json lists every one under summary.skipped)`));
  }
  const access = accessProblemsShown(r);
  if (access.length) {
    out.push('', st.yellow(st.bold('access problems')) + st.dim(' (conclusions that needed these could not be verified)'));
    for (const a of access) {
      const where = [a.cluster, a.namespace ? `namespace ${a.namespace}` : 'cluster-wide', a.name].filter(Boolean).join(', ');
      out.push(`  ${st.yellow('!')} ${a.verb} ${a.resource} (${sanitizeLine(where)}): ${a.status} ${sanitizeLine(a.message)}`);
      out.push(`    ${st.green('$')} ${sanitizeLine(a.canI)}`);
    }
  }
  if (r.node) out.push(...nodeSectionText(r.node, st));
  const other = otherGaps(r);
  if (other.length) {
    out.push('', st.yellow(st.bold('not read')) + st.dim(' (findings that needed these say so)'));
    for (const e of other.slice(0, SECTION_LIMIT)) {
      out.push(`  ${st.yellow('!')} ${sanitizeLine(entryText(r, e))}`);
      if (isRead(e) && e.check) out.push(`    ${st.green('$')} ${sanitizeLine(e.check)}`);
    }
    if (other.length > SECTION_LIMIT) out.push(st.dim(`  … and ${other.length - SECTION_LIMIT} more (-o json lists every one under summary.skipped)`));
  }
  const skipped = Object.entries(r.skipped);
  if (skipped.length) {
    out.push('', st.dim(`skipped objects of other kinds: ${skipped.map(([k, n]) => `${k} ${n}`).join(', ')}`));
  }
  return out.join('\n') + '\n';
}
