/** The detail pane: everything known about the selected workload, cluster error or access problems. */
import type { ContainerReport, CredentialView, Evidence, Finding, PodReport, Report } from '../model/finding.js';
import { age, clean, MARK, plural, RESOLVED_MARK, shortKind, truncate, workloadKey } from './format.js';
import { blank, commandRef, numberCommands, para, seg, sevMark, sevTone, type Line } from './lines.js';
import { accessLabel, type AccessItem, type Item, type WorkloadItem } from './model.js';
import { entryText } from '../report/coverage.js';

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
    ? [seg(`${RESOLVED_MARK} fixed  `, 'ok', { bold: true }), seg(clean(f.rule), 'muted')]
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
      else out.push(...para(c, width, { indent: 6, first: [seg('    '), seg('$ ', 'ok')], tone: 'command', cmd: commandRef(c) }));
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
    out.push(...para(clean(a.canI), width, { indent: 6, first: [seg('    '), seg('$ ', 'ok')], tone: 'command', cmd: commandRef(clean(a.canI)) }));
  }
  return out;
}

function workloadDetail(w: WorkloadItem, report: Report | undefined, spinner: string | undefined, width: number): Line[] {
  const now = report ? new Date(report.generatedAt) : new Date();
  const out: Line[] = [];
  out.push([
    seg(`${sevMark(w.severity)} ${w.severity === 'resolved' ? 'fixed' : w.severity}  `, sevTone(w.severity), { bold: true }),
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
  if (spinner !== undefined) out.push([seg(`${spinner} probing the registry…`, 'accent')]);
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
    // Each once, though every pod of the workload carries them.
    const problems = [...new Map(pods.flatMap((p) => p.accessProblems).map((a) => [`${a.verb} ${a.resource} ${a.namespace ?? ''} ${a.name ?? ''}`, a])).values()];
    if (problems.length) {
      out.push(blank(), [seg('Access problems', 'warning', { bold: true }), seg('  (conclusions that needed these are unverified)', 'muted')]);
      out.push(...accessLines(problems, width));
    }
  }
  while (out.length && out[out.length - 1]?.length === 0) out.pop();
  return out;
}

/**
 * The detail pane's lines for the selected `item`, with the pods and time of the `report` it
 * came from; `spinner` (a frame) while the item's registry is being probed.
 */
export function detailLines(item: Item | undefined, report: Report | undefined, spinner: string | undefined, width: number): Line[] {
  return numberCommands(itemLines(item, report, spinner, width));
}

function itemLines(item: Item | undefined, report: Report | undefined, spinner: string | undefined, width: number): Line[] {
  if (!item) return [];
  switch (item.kind) {
    case 'workload':
      return workloadDetail(item, report, spinner, width);
    case 'cluster-error':
      return [
        [seg(`${MARK.error} cluster ${truncate(clean(item.cluster), width - 10)}`, 'error', { bold: true })],
        ...para(clean(item.message), width, { tone: 'error' }),
        blank(),
        ...para('This cluster could not be scanned; the other clusters are shown.', width, { tone: 'muted' }),
      ];
    case 'access':
      return [
        [seg(`! ${accessLabel(item)}`, 'warning', { bold: true })],
        ...para('pulldoctor could not read these; conclusions that needed them are marked unverified.', width, { tone: 'muted' }),
        blank(),
        ...accessLines(item.problems, width),
        ...item.unread.flatMap((e) => [
          ...para(clean(report ? entryText(report, e) : e.reason), width, { indent: 4, first: [seg('  '), seg('! ', e.kind === 'Pod' ? 'error' : 'warning', { bold: true })] }),
          ...(e.check ? para(clean(e.check), width, { indent: 6, first: [seg('    '), seg('$ ', 'ok')], tone: 'command' as const }) : []),
        ]),
      ];
  }
}

export function detailTitle(item: Item | undefined): string {
  if (!item) return 'Detail';
  if (item.kind === 'workload') return `${shortKind(item.workloadKind)}/${clean(item.name)}`;
  if (item.kind === 'access') return item.unread.length ? 'could not read' : 'access problems';
  return `cluster ${clean(item.cluster)}`;
}
