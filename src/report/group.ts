/** Grouping shared by the text and Markdown renderers (and the UI): cluster → namespace → workload. */
import { SEVERITY_RANK, type Finding, type Severity } from '../model/finding.js';
import { compareText } from '../util/text.js';

export interface WorkloadGroup {
  cluster?: string;
  namespace: string;
  kind: string;
  name: string;
  severity: Severity;
  pods: string[];
  findings: Finding[];
}

export interface NamespaceGroup {
  cluster?: string;
  namespace: string;
  severity: Severity;
  workloads: WorkloadGroup[];
}

const worst = (list: { severity: Severity }[]): Severity =>
  list.reduce<Severity>((w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), 'info');

export function groupFindings(findings: Finding[]): NamespaceGroup[] {
  const workloads = new Map<string, WorkloadGroup>();
  for (const f of findings) {
    const key = [f.cluster ?? '', f.namespace, f.workload.kind, f.workload.name].join('\0');
    let g = workloads.get(key);
    if (!g) {
      g = { namespace: f.namespace, kind: f.workload.kind, name: f.workload.name, severity: f.severity, pods: [], findings: [] };
      if (f.cluster) g.cluster = f.cluster;
      workloads.set(key, g);
    }
    g.findings.push(f);
    for (const p of f.pods) if (!g.pods.includes(p)) g.pods.push(p);
  }
  const namespaces = new Map<string, NamespaceGroup>();
  for (const w of workloads.values()) {
    w.severity = worst(w.findings);
    w.findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compareText(a.rule, b.rule));
    const key = `${w.cluster ?? ''}\0${w.namespace}`;
    let n = namespaces.get(key);
    if (!n) {
      n = { namespace: w.namespace, severity: w.severity, workloads: [] };
      if (w.cluster) n.cluster = w.cluster;
      namespaces.set(key, n);
    }
    n.workloads.push(w);
  }
  const out = [...namespaces.values()];
  for (const n of out) {
    n.severity = worst(n.workloads);
    n.workloads.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compareText(a.name, b.name));
  }
  return out.sort(
    (a, b) =>
      compareText(a.cluster ?? '', b.cluster ?? '') ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      compareText(a.namespace, b.namespace),
  );
}
