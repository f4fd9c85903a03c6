/**
 * The view: State → what is on screen, as lines of styled segments already sanitised,
 * truncated or wrapped to the pane width. Pure: the same state gives the same lines.
 */
import type { ContainerReport, CredentialView, Evidence, Finding, PodReport, Severity } from '../model/finding.js';
import { sanitizeTerminal } from '../report/sanitize.js';
import {
  age,
  clean,
  clockTime,
  displayWidth,
  fit,
  formatInterval,
  MARK,
  plural,
  RESOLVED_MARK,
  resourceLabel,
  shortKind,
  SPINNER,
  truncate,
  workloadKey,
  wrapWords,
} from './format.js';
import { listRows, type ListRow } from './list-rows.js';
import { selectedItem, type AccessItem, type Model, type WorkloadItem } from './model.js';
import type { State } from './types.js';

export type Tone = 'error' | 'warning' | 'info' | 'ok' | 'accent' | 'muted' | 'command';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
}

export type Line = Segment[];

const sevTone = (s: Severity | 'resolved'): Tone => (s === 'resolved' ? 'ok' : s);
const sevMark = (s: Severity | 'resolved'): string => (s === 'resolved' ? RESOLVED_MARK : MARK[s]);
const seg = (text: string, tone?: Tone, extra?: Omit<Segment, 'text' | 'tone'>): Segment =>
  tone ? { text, tone, ...extra } : { text, ...extra };

// ---------------------------------------------------------------------------------------
// Helpers for building lines

interface ParaOptions {
  indent?: number;
  /** Segments replacing the indent on the first line (same width as the indent). */
  first?: Segment[];
  tone?: Tone;
  bold?: boolean;
}

function para(text: string, width: number, o: ParaOptions = {}): Line[] {
  const indent = o.indent ?? 0;
  const avail = Math.max(8, width - indent);
  const firstAvail = o.first ? Math.max(4, width - o.first.reduce((n, x) => n + displayWidth(x.text), 0)) : avail;
  const parts = wrapWords(text, avail, firstAvail);
  return parts.map((p, i) => {
    const lead = i === 0 && o.first ? o.first : [seg(' '.repeat(indent))];
    const extra = o.bold ? { bold: true } : undefined;
    return [...lead, seg(p, o.tone, extra)];
  });
}

const blank = (): Line => [];

// ---------------------------------------------------------------------------------------
// List pane

function cause(w: WorkloadItem): string {
  const top = w.findings[0];
  if (!top) {
    const r = w.resolved[0];
    return r ? `resolved: ${clean(r.title)}` : '';
  }
  const more = w.findings.length > 1 ? ` +${w.findings.length - 1}` : '';
  const fixed = w.resolved.length ? ` (${w.resolved.length} resolved)` : '';
  return `${clean(top.title)}${more}${fixed}`;
}

function listRowLine(s: State, row: ListRow, width: number): Line {
  const focused = s.focus === 'list';
  switch (row.kind) {
    case 'error': {
      const sel = row.item.key === s.selected;
      const text = fit(`${sel ? '›' : ' '} ${MARK.error} ${clean(row.item.cluster)}: ${clean(row.item.message)}`, width);
      return [seg(text, 'error', { inverse: sel && focused, bold: sel })];
    }
    case 'message':
      return [seg(' '), seg(row.text, row.tone)];
    case 'namespace': {
      const ns = row.namespace;
      const title = `${ns.cluster ? `${clean(ns.cluster)} / ` : ''}${clean(ns.namespace)}`;
      return [seg(truncate(title, width), 'accent', { bold: true })];
    }
    case 'workload': {
      const w = row.item;
      const sel = w.key === s.selected;
      const inverse = sel && focused;
      const pods = w.pods.length ? plural(w.pods.length, 'pod') : '';
      const left = `${sel ? '›' : ' '} ${sevMark(w.severity)} `;
      const nameWidth = Math.max(4, width - displayWidth(left) - (pods ? displayWidth(pods) + 1 : 0));
      const name = fit(`${shortKind(w.workloadKind)}/${clean(w.name)}`, nameWidth);
      const tail = pods ? fit(` ${pods}`, width - displayWidth(left) - displayWidth(name)) : '';
      return [
        seg(left.slice(0, 2), undefined, { inverse, bold: sel }),
        seg(`${sevMark(w.severity)} `, sevTone(w.severity), { inverse, bold: true }),
        seg(name, undefined, { inverse, bold: sel || w.severity === 'error' }),
        seg(tail, 'muted', { inverse }),
      ];
    }
    case 'cause': {
      const w = row.item;
      const inverse = w.key === s.selected && focused;
      return [seg(fit(`    ${cause(w)}`, width), w.severity === 'resolved' ? 'ok' : 'muted', { inverse })];
    }
    case 'blank':
      return blank();
    case 'access': {
      const a = row.item;
      const sel = a.key === s.selected;
      return [seg(fit(`${sel ? '›' : ' '} ! access problems (${a.problems.length})`, width), 'warning', { inverse: sel && focused, bold: true })];
    }
  }
}

/** The list pane's lines, one per row of `listRows`. */
export function listLines(s: State, model: Model, width: number): Line[] {
  return listRows(s, model, width).rows.map((row) => listRowLine(s, row, width));
}

// ---------------------------------------------------------------------------------------
// Detail pane

const SECRET_STATUS: Record<string, string> = {
  missing: 'not found',
  forbidden: 'not readable (forbidden)',
  unknown: 'not checked',
};

function credentialLines(c: CredentialView, lookup: string | undefined, width: number): Line[] {
  const parts = [`secret ${clean(c.secret)}`, `key ${clean(c.registryKey)}`, `user ${clean(c.username) || '(none)'}`];
  if (!c.hasPassword) parts.push('no password');
  if (c.viaDockerHubFallback) parts.push('via Docker Hub fallback');
  if (lookup) parts.push(`matches ${clean(lookup)}`);
  return para(parts.join(' · '), width, { indent: 8, first: [seg('      '), seg(`${RESOLVED_MARK} `, 'ok')] });
}

function containerLines(c: ContainerReport, pod: PodReport, width: number): Line[] {
  const out: Line[] = [];
  const kind = c.kind === 'container' ? '' : ` (${c.kind})`;
  out.push([seg('  '), seg(truncate(`${clean(c.name)}${kind}`, width - 2), undefined, { bold: true })]);
  out.push(...para(clean(c.image), width, { indent: 6, first: [seg('    '), seg('image ', 'muted')] }));
  if (c.reference) {
    const bits = [`registry ${clean(c.reference.domain)}`];
    if (c.lookup) bits.push(`lookup ${clean(c.lookup)}`);
    bits.push(`pull ${clean(c.pullPolicy)}`);
    out.push(...para(bits.join(' · '), width, { indent: 4, tone: 'muted' }));
  } else if (c.referenceError) {
    out.push(...para(`invalid image reference: ${clean(c.referenceError)}`, width, { indent: 4, tone: 'error' }));
  }
  if (c.waiting?.reason || c.waiting?.message) {
    const w = [clean(c.waiting.reason), clean(c.waiting.message)].filter(Boolean).join(': ');
    out.push(...para(`waiting ${w}`, width, { indent: 4, tone: 'warning' }));
  }
  if (c.credentials.length) {
    out.push([seg('    credentials the kubelet would try:', 'muted')]);
    for (const cred of c.credentials) out.push(...credentialLines(cred, c.lookup, width));
  } else {
    out.push(...para(`no credential matches${c.lookup ? ` ${clean(c.lookup)}` : ''}: the kubelet pulls anonymously`, width, { indent: 4, tone: 'warning' }));
  }
  for (const ps of pod.imagePullSecrets) {
    if (c.credentials.some((x) => x.secret === ps.name)) continue;
    const why = SECRET_STATUS[ps.status] ?? (ps.status === 'found' ? 'no entry for this registry' : clean(ps.status));
    out.push(...para(`secret ${clean(ps.name)} · ${why}`, width, { indent: 8, first: [seg('      '), seg(`${MARK.error} `, 'error')] }));
  }
  if (c.probe) {
    const p = c.probe;
    out.push(
      ...para(`probe from ${clean(p.from)} → ${clean(p.registry)}: ${p.outcome}`, width, {
        indent: 4,
        tone: p.outcome === 'ok' ? 'ok' : 'warning',
      }),
    );
    for (const at of p.attempts) {
      const status = at.httpStatus ? ` ${at.httpStatus}` : '';
      const user = at.username ? ` (${clean(at.username)})` : '';
      out.push(...para(`${clean(at.credential)}${user}: ${at.outcome}${status} ${clean(at.detail)}`.trim(), width, { indent: 8, first: [seg('      - ')] }));
    }
  }
  return out;
}

function evidenceText(e: Evidence, now: Date): string {
  const extra = [e.count && e.count > 1 ? `x${e.count}` : undefined, age(e.lastSeen, now)].filter(Boolean).join(', ');
  return `${e.ref ? clean(e.ref) : clean(e.source)}: ${clean(e.detail)}${extra ? ` (${extra})` : ''}`;
}

function findingLines(f: Finding, resolved: boolean, now: Date, width: number): Line[] {
  const out: Line[] = [];
  const head: Line = resolved
    ? [seg(`${RESOLVED_MARK} resolved  `, 'ok', { bold: true }), seg(clean(f.rule), 'muted')]
    : [seg(`${MARK[f.severity]} ${f.severity}  `, sevTone(f.severity), { bold: true }), seg(clean(f.rule), undefined, { bold: true })];
  if (!resolved && f.confidence !== 'confirmed') head.push(seg(`  [${f.confidence}]`, 'muted'));
  out.push(head);
  const where = [f.container ? `container ${clean(f.container)}` : '', f.secret ? `secret ${clean(f.secret)}` : ''].filter(Boolean).join(' · ');
  if (where) out.push(...para(where, width, { indent: 2, tone: 'muted' }));
  out.push(...para(clean(f.message), width, { indent: 2, tone: resolved ? 'muted' : undefined }));
  if (resolved) return out;
  if (f.image) out.push(...para(clean(f.image), width, { indent: 4, first: [seg('  '), seg('image ', 'muted')] }));
  if (f.evidence.length) {
    out.push([seg('  evidence', 'muted')]);
    for (const e of f.evidence) out.push(...para(evidenceText(e, now), width, { indent: 6, first: [seg('    • ', 'muted')] }));
  }
  for (const u of f.unverified) out.push(...para(clean(u), width, { indent: 4, first: [seg('  '), seg('? ', 'warning')], tone: 'warning' }));
  if (f.remediation.length) {
    out.push([seg('  fix', 'muted')]);
    for (const cmd of f.remediation) {
      const c = clean(cmd);
      if (c.startsWith('#')) out.push(...para(c, width, { indent: 4, tone: 'muted' }));
      else out.push(...para(c, width, { indent: 6, first: [seg('    '), seg('$ ', 'ok')], tone: 'command' }));
    }
  }
  out.push(...para(`runbook: press e (pulldoctor explain ${clean(f.rule)})`, width, { indent: 2, tone: 'muted' }));
  return out;
}

function accessLines(problems: AccessItem['problems'], width: number): Line[] {
  const out: Line[] = [];
  for (const a of problems) {
    const where = [a.cluster, a.namespace ? `namespace ${a.namespace}` : 'cluster-wide', a.name].filter(Boolean).map((x) => clean(x)).join(', ');
    out.push(
      ...para(`${a.verb} ${clean(a.resource)} (${where}): ${a.status} ${clean(a.message)}`, width, {
        indent: 4,
        first: [seg('  '), seg('! ', 'warning', { bold: true })],
      }),
    );
    out.push(...para(clean(a.canI), width, { indent: 6, first: [seg('    '), seg('$ ', 'ok')], tone: 'command' }));
  }
  return out;
}

function workloadDetail(s: State, w: WorkloadItem, width: number): Line[] {
  const report = s.report;
  const now = report ? new Date(report.generatedAt) : new Date();
  const out: Line[] = [];
  out.push([
    seg(`${sevMark(w.severity)} ${w.severity}  `, sevTone(w.severity), { bold: true }),
    seg(truncate(`${clean(w.workloadKind)}/${clean(w.name)}`, Math.max(4, width - 12)), undefined, { bold: true }),
  ]);
  const name = (x: string) => truncate(clean(x), Math.max(8, width - 12));
  const where = [w.cluster ? `cluster ${name(w.cluster)}` : '', `namespace ${name(w.namespace)}`, plural(w.pods.length, 'pod')].filter(Boolean).join(' · ');
  out.push(...para(where, width, { tone: 'muted' }));
  if (w.pods.length > 1 || w.workloadKind !== 'Pod') {
    const shown = w.pods.slice(0, 5).map(name).join(', ');
    const more = w.pods.length > 5 ? ` and ${w.pods.length - 5} more` : '';
    if (shown) out.push(...para(`pods ${shown}${more}`, width, { tone: 'muted' }));
  }
  if (s.probing === w.key) out.push([seg(`${SPINNER[s.frame % SPINNER.length]} probing the registry…`, 'accent')]);
  const total = w.findings.length + w.resolved.length;
  out.push(blank(), [seg(`Findings (${total})`, 'accent', { bold: true })]);
  for (const f of w.findings) out.push(...findingLines(f, false, now, width), blank());
  for (const f of w.resolved) out.push(...findingLines(f, true, now, width), blank());
  const pods = (report?.pods ?? []).filter(
    (p) => workloadKey({ cluster: p.cluster, namespace: p.namespace, kind: p.workload.kind, name: p.workload.name }) === w.key,
  );
  const firstPod = w.findings[0]?.pod;
  const pod = pods.find((p) => p.name === firstPod) ?? pods[0];
  if (pod) {
    out.push([seg('Containers', 'accent', { bold: true }), seg(`  pod ${truncate(clean(pod.name), Math.max(4, width - 16))}`, 'muted')]);
    const sa = `service account ${clean(pod.serviceAccount)}${pod.node ? ` · node ${clean(pod.node)}` : ''}`;
    out.push(...para(sa, width, { indent: 2, tone: 'muted' }));
    for (const c of pod.containers) out.push(...containerLines(c, pod, width));
    const problems = pods.flatMap((p) => p.accessProblems);
    if (problems.length) {
      out.push(blank(), [seg('Access problems', 'warning', { bold: true }), seg('  (conclusions that needed these are unverified)', 'muted')]);
      out.push(...accessLines(problems, width));
    }
  }
  while (out.length && out[out.length - 1]?.length === 0) out.pop();
  return out;
}

export function detailLines(s: State, model: Model, width: number): Line[] {
  const item = selectedItem(model, s.selected);
  if (!item) return [];
  switch (item.kind) {
    case 'workload':
      return workloadDetail(s, item, width);
    case 'cluster-error':
      return [
        [seg(`${MARK.error} cluster ${truncate(clean(item.cluster), width - 10)}`, 'error', { bold: true })],
        ...para(clean(item.message), width, { tone: 'error' }),
        blank(),
        ...para('This cluster could not be scanned; the other clusters are shown.', width, { tone: 'muted' }),
      ];
    case 'access':
      return [
        [seg(`! access problems (${item.problems.length})`, 'warning', { bold: true })],
        ...para('pulldoctor could not read these; conclusions that needed them are marked unverified.', width, { tone: 'muted' }),
        blank(),
        ...accessLines(item.problems, width),
      ];
  }
}

export function detailTitle(s: State, model: Model): string {
  const item = selectedItem(model, s.selected);
  if (!item) return 'Detail';
  if (item.kind === 'workload') return `${shortKind(item.workloadKind)}/${clean(item.name)}`;
  if (item.kind === 'access') return 'access problems';
  return `cluster ${clean(item.cluster)}`;
}

// ---------------------------------------------------------------------------------------
// Header, footer, full-body states

function progressSummary(s: State): string {
  const byResource = new Map<string, { objects: number; done: boolean }>();
  for (const p of s.progress) {
    const cur = byResource.get(p.resource) ?? { objects: 0, done: true };
    byResource.set(p.resource, { objects: cur.objects + p.objects, done: cur.done && p.done });
  }
  const order = ['pods', 'events', 'serviceaccounts', 'secrets'];
  const keys = [...order, ...[...byResource.keys()].filter((k) => !order.includes(k))];
  return keys
    .map((k) => {
      const v = byResource.get(k);
      if (!v && !order.includes(k)) return '';
      return `${resourceLabel(clean(k))} ${v?.objects ?? 0}${v?.done ? ' ✓' : ''}`;
    })
    .filter(Boolean)
    .join(' · ');
}

export function headerLines(s: State, cols: number): [Line, Line] {
  const right: Segment[] = [];
  if (s.watch) right.push(seg(`◉ watch ${formatInterval(s.intervalMs)}`, 'ok', { bold: true }));
  if (s.lastScanAt) right.push(seg(`${right.length ? '  ' : ''}updated ${clockTime(s.lastScanAt)}`, 'muted'));
  const rightWidth = right.reduce((n, x) => n + displayWidth(x.text), 0);
  const leftWidth = Math.max(10, cols - rightWidth - 1);
  const left = truncate(`pulldoctor · ${clean(s.scope)}`, leftWidth);
  const first: Line = [
    seg('pulldoctor', 'accent', { bold: true }),
    seg(left.slice('pulldoctor'.length)),
    seg(' '.repeat(Math.max(1, cols - displayWidth(left) - rightWidth))),
    ...right,
  ];
  let second: Line;
  const spin = SPINNER[s.frame % SPINNER.length] ?? '';
  if (s.scanning) {
    // Before the first report the body shows the counts; afterwards they go here.
    second = s.report ? [seg(`${spin} rescanning  `, 'accent'), seg(progressSummary(s), 'muted')] : [seg(`${spin} scanning…`, 'accent')];
  } else if (s.error) {
    // Without a report the body shows the whole message; here one line is enough.
    second = [seg(`${MARK.error} ${s.report ? clean(s.error) : 'scan failed'}`, 'error', { bold: true })];
  } else if (s.report) {
    const r = s.report;
    const f = r.summary.findings;
    if (r.findings.length === 0) {
      second = [seg(`${RESOLVED_MARK} no image pull problems in ${plural(r.summary.podsScanned, 'pod')}`, 'ok', { bold: true })];
    } else {
      second = [
        seg(`${MARK.error} ${plural(f.error, 'error')}`, f.error ? 'error' : 'muted', { bold: f.error > 0 }),
        seg(' '),
        seg(`${MARK.warning} ${plural(f.warning, 'warning')}`, f.warning ? 'warning' : 'muted'),
        seg(' '),
        seg(`${MARK.info} ${f.info} info`, f.info ? 'info' : 'muted'),
        seg(` · ${plural(r.summary.workloadsAffected, 'workload')} · ${plural(r.summary.podsScanned, 'pod')}`, 'muted'),
      ];
    }
    if (r.accessProblems.length) second.push(seg(`  ! ${plural(r.accessProblems.length, 'access problem')}`, 'warning', { bold: true }));
    if (r.errors.length) second.push(seg(`  ${MARK.error} ${plural(r.errors.length, 'cluster')} failed`, 'error', { bold: true }));
  } else {
    second = [seg('starting…', 'muted')];
  }
  return [first, second];
}

export function footerLine(s: State, cols: number): Line {
  if (s.editingFilter) {
    return [seg('/', 'accent', { bold: true }), seg(clean(s.filter)), seg('▏', 'accent'), seg('   Enter keep · Esc clear', 'muted')];
  }
  const out: Line = [];
  if (s.notice) out.push(seg(`${clean(s.notice.text)}  `, s.notice.tone === 'error' ? 'error' : s.notice.tone === 'ok' ? 'ok' : 'accent'));
  // [hint, priority]: when the line is too narrow the highest numbers go first, so `? help`
  // and `q quit` (0) stay visible at any width.
  let hints: [string, number][];
  if (s.overlay.kind === 'help') hints = [['↑↓ scroll', 1], ['Esc/q/? close', 0]];
  else if (s.overlay.kind === 'runbook') {
    hints = [['↑↓ scroll', 1]];
    if (s.overlay.pages.length > 1) hints.push([`←→ rule ${s.overlay.index + 1}/${s.overlay.pages.length}`, 2]);
    hints.push(['Esc/q/e close', 0]);
  } else if (!s.report) {
    // Scanning or a failed first scan: only what does something.
    hints = [];
    if (s.error && !s.scanning) hints.push(['r retry', 0]);
    hints.push(['? help', 0], ['q quit', 0]);
  } else {
    hints = [
      [s.focus === 'detail' ? '↑↓ scroll' : '↑↓ move', 2],
      [s.focus === 'detail' ? '⏎ list' : '⏎ detail', 3],
      ['/ filter', 4],
      ['s severity', 6],
      ['e runbook', 5],
      ['r rescan', 7],
      ['w watch', 8],
    ];
    if (s.canProbe) hints.push(['p probe', 9]);
    hints.push(['? help', 0], ['q quit', 0]);
  }
  const room = cols - out.reduce((n, x) => n + displayWidth(x.text), 0);
  const join = (h: [string, number][]) => h.map(([t]) => t).join(' · ');
  while (displayWidth(join(hints)) > room) {
    const worst = Math.max(...hints.map(([, p]) => p));
    if (worst === 0) break;
    const i = hints.findIndex(([, p]) => p === worst);
    hints.splice(i, 1);
  }
  out.push(seg(join(hints), 'muted'));
  const used = out.reduce((n, x) => n + displayWidth(x.text), 0);
  if (used > cols) {
    const last = out[out.length - 1];
    if (last) last.text = truncate(last.text, Math.max(1, cols - (used - displayWidth(last.text))));
  }
  return out;
}

/** Body when there is no report yet: scanning progress or the scan error. */
export function statusLines(s: State, width: number): Line[] {
  const spin = SPINNER[s.frame % SPINNER.length] ?? '';
  if (s.scanning) {
    const out: Line[] = [[seg(`${spin} `, 'accent'), seg(`Scanning ${truncate(clean(s.scope), Math.max(4, width - 12))}…`, undefined, { bold: true })], blank()];
    const seen = new Set<string>();
    const rows = ['pods', 'events', 'serviceaccounts', 'secrets'];
    for (const p of s.progress) if (!rows.includes(p.resource)) rows.push(p.resource);
    for (const r of rows) {
      if (seen.has(r)) continue;
      seen.add(r);
      const entries = s.progress.filter((p) => p.resource === r);
      const objects = entries.reduce((n, p) => n + p.objects, 0);
      const done = entries.length > 0 && entries.every((p) => p.done);
      out.push([
        seg(`  ${fit(resourceLabel(clean(r)), 18)}`),
        seg(String(objects).padStart(7), done ? 'ok' : undefined),
        seg(done ? ' ✓' : entries.length ? ` ${spin}` : '', done ? 'ok' : 'accent'),
      ]);
    }
    return out;
  }
  if (s.error) {
    return [
      ...para(clean(s.error), width, { first: [seg(`${MARK.error} `, 'error', { bold: true })], indent: 2, tone: 'error', bold: true }),
      blank(),
      [seg('press r to retry, q to quit', 'muted')],
    ];
  }
  return [[seg('starting…', 'muted')]];
}

// ---------------------------------------------------------------------------------------
// Overlays: help and runbook

export const KEYMAP: [string, string][] = [
  ['↑/↓  j/k', 'move the selection (scroll the detail pane when it has focus)'],
  ['PgUp/PgDn', 'page; g/G first/last'],
  ['Enter  Tab', 'switch between the workload list and the detail pane'],
  ['←/→  h/l', 'focus the list / the detail pane'],
  ['/', 'filter by text (namespace, workload, rule, image, secret, message)'],
  ['s', 'cycle the minimum severity: info → warning → error'],
  ['e', 'runbook of the selected workload’s findings (←/→ switches rule)'],
  ['r', 'rescan now'],
  ['w', 'toggle watch: rescan on an interval; fixed findings show as resolved for two refreshes'],
  ['p', 'probe the selected workload’s registry (when probing is available)'],
  ['?', 'this help'],
  ['q  Esc  Ctrl-C', 'quit (q/Esc close this help or the runbook first)'],
];

function helpLines(width: number): Line[] {
  const out: Line[] = [[seg('Keys', 'accent', { bold: true })], blank()];
  const keyWidth = Math.max(...KEYMAP.map(([k]) => displayWidth(k))) + 2;
  for (const [k, v] of KEYMAP) {
    const lines = wrapWords(v, Math.max(8, width - keyWidth - 2));
    lines.forEach((l, i) => out.push([seg('  '), seg(fit(i === 0 ? k : '', keyWidth), 'accent', { bold: true }), seg(l)]));
  }
  out.push(
    blank(),
    [seg('Markers', 'accent', { bold: true })],
    blank(),
    [seg('  '), seg(`${MARK.error} error`, 'error'), seg('  blocks a pull now')],
    [seg('  '), seg(`${MARK.warning} warning`, 'warning'), seg('  latent or likely problem')],
    [seg('  '), seg(`${MARK.info} info`, 'info'), seg('  worth knowing')],
    [seg('  '), seg(`${RESOLVED_MARK} resolved`, 'ok'), seg('  gone since the previous scan')],
    [seg('  '), seg('! access', 'warning'), seg('  something pulldoctor was not allowed to read')],
  );
  return out;
}

/** Light Markdown: headings bold, code blocks as commands, paragraphs reflowed, emphasis markers dropped. */
export function runbookLines(markdown: string, width: number): Line[] {
  const out: Line[] = [];
  let inCode = false;
  // The paragraph or list item being collected: reflowed to the width when it ends.
  let pending: { text: string; indent: number; first: string } | undefined;
  const flush = () => {
    if (!pending) return;
    const p = pending;
    pending = undefined;
    out.push(...para(p.text, width, { indent: p.indent, first: p.first ? [seg(p.first)] : undefined }));
  };
  for (const raw of sanitizeTerminal(markdown).replace(/\t/g, '  ').split(/\r?\n/)) {
    if (/^\s*```/.test(raw)) {
      flush();
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(...para(raw.replace(/\s+$/, ''), width, { indent: 4, tone: 'command' }));
      continue;
    }
    const line = raw.replace(/\*\*(.+?)\*\*/g, '$1');
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      out.push([seg(truncate(heading[2] ?? '', width), heading[1] === '#' ? 'accent' : undefined, { bold: true })]);
    } else if (line.trim() === '') {
      flush();
      out.push(blank());
    } else if (bullet) {
      flush();
      const ind = (bullet[1] ?? '').length;
      const mark = bullet[2] === '-' || bullet[2] === '*' ? '•' : (bullet[2] ?? '');
      pending = { text: bullet[3] ?? '', indent: ind + mark.length + 1, first: `${' '.repeat(ind)}${mark} ` };
    } else if (pending) {
      pending.text += ` ${line.trim()}`;
    } else {
      pending = { text: line.trim(), indent: 0, first: '' };
    }
  }
  flush();
  return out;
}

export function overlayLines(s: State, width: number): Line[] {
  const o = s.overlay;
  if (o.kind === 'help') return helpLines(width);
  if (o.kind === 'runbook') {
    const page = o.pages[o.index];
    return page ? runbookLines(page.text, width) : [];
  }
  return [];
}

export function overlayTitle(s: State): string {
  const o = s.overlay;
  if (o.kind === 'help') return 'Help';
  if (o.kind === 'runbook') {
    const page = o.pages[o.index];
    const n = o.pages.length > 1 ? ` (${o.index + 1}/${o.pages.length})` : '';
    return `Runbook · ${clean(page?.rule ?? '')}${n}`;
  }
  return '';
}

/** True when the scan found nothing at all to list: the body shows one clear line instead of panes. */
export function isEmptyReport(s: State, model: Model): boolean {
  return s.report !== undefined && model.items.length === 0 && s.report.findings.length === 0 && s.resolved.length === 0;
}

export function emptyLines(s: State, width: number): Line[] {
  const r = s.report;
  if (!r) return [];
  return [
    blank(),
    ...para(`${RESOLVED_MARK} no image pull problems in ${plural(r.summary.podsScanned, 'pod')}`, width, { indent: 2, tone: 'ok', bold: true }),
    blank(),
    ...para(`${s.watch ? 'watching: the list fills in when a pull starts failing' : 'press w to watch, r to rescan, q to quit'}`, width, {
      indent: 2,
      tone: 'muted',
    }),
  ];
}
