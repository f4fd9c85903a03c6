/**
 * The report as the UI lists it: findings grouped by namespace and workload, resolved findings
 * folded in, filters applied. Pure data, no text layout: the reducer keeps it in the state
 * and the view draws it.
 */
import { SEVERITY_RANK, type Finding, type Report, type Severity } from '../model/finding.js';
import type { AccessProblem } from '../model/snapshot.js';
import { unreadShown, type SkippedEntry } from '../report/coverage.js';
import { groupFindings } from '../report/group.js';
import { findingWorkloadKey, shortKind, workloadKey } from './format.js';

export interface WorkloadItem {
  kind: 'workload';
  key: string;
  cluster?: string;
  namespace: string;
  workloadKind: string;
  name: string;
  /** Worst live severity, or `resolved` when every finding it had is gone. */
  severity: Severity | 'resolved';
  pods: string[];
  findings: Finding[];
  resolved: Finding[];
}

export interface ClusterErrorItem {
  kind: 'cluster-error';
  key: string;
  cluster: string;
  message: string;
}

export interface AccessItem {
  kind: 'access';
  key: string;
  problems: (AccessProblem & { cluster?: string })[];
  /** What else could not be read (malformed objects, failed reads), beside the refusals. */
  unread: SkippedEntry[];
}

/** The list and detail label: `access problems (2)`, or `could not read (5)` when more than refusals. */
export const accessLabel = (a: AccessItem): string =>
  a.unread.length ? `could not read (${a.problems.length + a.unread.length})` : `access problems (${a.problems.length})`;

export type Item = WorkloadItem | ClusterErrorItem | AccessItem;

export interface NamespaceView {
  cluster?: string;
  namespace: string;
  workloads: WorkloadItem[];
}

export interface Model {
  /** Every selectable item, in list order. */
  items: Item[];
  namespaces: NamespaceView[];
  errors: ClusterErrorItem[];
  access?: AccessItem;
  /** Workloads with live findings in the report, before filters. */
  totalWorkloads: number;
  /** Workloads with live findings shown after the filters. */
  shownWorkloads: number;
}

/** What the model is built from (a subset of the UI state). */
export interface ModelInput {
  report?: Report | undefined;
  /** Findings gone since an earlier scan, still shown for a while. */
  resolved: readonly { finding: Finding }[];
  filter: string;
  minSeverity: Severity;
}

export const EMPTY_MODEL: Model = { items: [], namespaces: [], errors: [], totalWorkloads: 0, shownWorkloads: 0 };

function haystack(w: WorkloadItem): string {
  const parts = [w.cluster ?? '', w.namespace, w.workloadKind, shortKind(w.workloadKind), w.name, `${shortKind(w.workloadKind)}/${w.name}`, ...w.pods];
  for (const f of [...w.findings, ...w.resolved]) {
    parts.push(f.rule, f.title, f.message, f.image ?? '', f.secret ?? '', f.container ?? '');
  }
  return parts.join('\n').toLowerCase();
}

export function buildModel(s: ModelInput): Model {
  const report = s.report;
  if (!report) return EMPTY_MODEL;
  const min = SEVERITY_RANK[s.minSeverity];
  const live = report.findings.filter((f) => SEVERITY_RANK[f.severity] >= min);
  const byKey = new Map<string, WorkloadItem>();
  const nsByKey = new Map<string, NamespaceView>();
  let namespaces: NamespaceView[] = [];
  const nsKey = (cluster: string | undefined, namespace: string) => `${cluster ?? ''}\u0000${namespace}`;
  for (const ng of groupFindings(live)) {
    const nv: NamespaceView = { namespace: ng.namespace, workloads: [] };
    if (ng.cluster) nv.cluster = ng.cluster;
    namespaces.push(nv);
    nsByKey.set(nsKey(ng.cluster, ng.namespace), nv);
    for (const w of ng.workloads) {
      const item: WorkloadItem = {
        kind: 'workload',
        key: workloadKey(w),
        namespace: w.namespace,
        workloadKind: w.kind,
        name: w.name,
        severity: w.severity,
        pods: [...w.pods],
        findings: w.findings,
        resolved: [],
      };
      if (w.cluster) item.cluster = w.cluster;
      nv.workloads.push(item);
      byKey.set(item.key, item);
    }
  }
  for (const r of s.resolved) {
    const f = r.finding;
    if (SEVERITY_RANK[f.severity] < min) continue;
    const key = findingWorkloadKey(f);
    let item = byKey.get(key);
    if (!item) {
      item = {
        kind: 'workload',
        key,
        namespace: f.namespace,
        workloadKind: f.workload.kind,
        name: f.workload.name,
        severity: 'resolved',
        pods: [],
        findings: [],
        resolved: [],
      };
      if (f.cluster) item.cluster = f.cluster;
      byKey.set(key, item);
      let nv = nsByKey.get(nsKey(f.cluster, f.namespace));
      if (!nv) {
        nv = { namespace: f.namespace, workloads: [] };
        if (f.cluster) nv.cluster = f.cluster;
        nsByKey.set(nsKey(f.cluster, f.namespace), nv);
        namespaces.push(nv);
      }
      nv.workloads.push(item);
    }
    item.resolved.push(f);
    if (item.severity === 'resolved') for (const p of f.pods) if (!item.pods.includes(p)) item.pods.push(p);
  }
  const totalWorkloads = new Set(report.findings.map(findingWorkloadKey)).size;
  const q = s.filter.trim().toLowerCase();
  if (q) {
    namespaces = namespaces
      .map((n) => ({ ...n, workloads: n.workloads.filter((w) => haystack(w).includes(q)) }))
      .filter((n) => n.workloads.length > 0);
  }
  const errors: ClusterErrorItem[] = report.errors.map((e) => ({
    kind: 'cluster-error',
    key: `e\u0000${e.cluster}`,
    cluster: e.cluster,
    message: e.message,
  }));
  const unread = unreadShown(report);
  const access: AccessItem | undefined =
    report.accessProblems.length || unread.length ? { kind: 'access', key: 'access', problems: report.accessProblems, unread } : undefined;
  const workloads = namespaces.flatMap((n) => n.workloads);
  const model: Model = {
    items: [...errors, ...workloads, ...(access ? [access] : [])],
    namespaces,
    errors,
    totalWorkloads,
    shownWorkloads: workloads.filter((w) => w.findings.length > 0).length,
  };
  if (access) model.access = access;
  return model;
}

export function selectedItem(model: Model, selected: string | undefined): Item | undefined {
  return selected === undefined ? undefined : model.items.find((i) => i.key === selected);
}
