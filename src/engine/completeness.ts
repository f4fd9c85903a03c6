/**
 * What a scan could not read, decided once from Snapshot facts so that every source (file,
 * demo, a live scan, a list+watch source) gets the same answer:
 * - `skipped`: the snapshot's skipped objects (malformed, or reads that failed) plus its access
 *   problems, one entry each;
 * - `complete`: false when pods were unreadable in some scope, a pod was skipped, or nothing the
 *   source read was usable. An incomplete scan exits 2 and never says "no problems".
 * - the findings that needed what was not read say so in `unverified`.
 */
import type { Finding, PodReport } from '../model/finding.js';
import type { AccessProblem, SkippedObject, Snapshot } from '../model/snapshot.js';
import { pointsAtNode } from '../runtime/wordings.js';

const KIND_OF_RESOURCE: Record<string, string> = {
  pods: 'Pod',
  events: 'Event',
  secrets: 'Secret',
  serviceaccounts: 'ServiceAccount',
  nodes: 'Node',
};

/** The API path an access problem was for (without its query). */
function pathOf(a: AccessProblem): string {
  const base = a.namespace ? `/api/v1/namespaces/${encodeURIComponent(a.namespace)}/${a.resource}` : `/api/v1/${a.resource}`;
  return a.name && a.namespace ? `${base}/${encodeURIComponent(a.name)}` : base;
}

function fromAccessProblem(a: AccessProblem): SkippedObject {
  return {
    kind: KIND_OF_RESOURCE[a.resource] ?? a.resource,
    ...(a.namespace ? { namespace: a.namespace } : {}),
    ...(a.name ? { name: a.name } : {}),
    reason: `${a.verb} forbidden (${a.status}): ${a.message}`,
    source: pathOf(a),
    status: a.status,
    check: a.canI,
  };
}

/** Everything the snapshot says was not read: skipped objects, then access problems not already among them. */
export function skippedOf(s: Snapshot): SkippedObject[] {
  const out = [...(s.skippedObjects ?? [])];
  const seen = new Set(out.map((e) => `${e.kind}\0${e.namespace ?? ''}\0${e.name ?? ''}\0${e.status ?? ''}`));
  for (const a of s.accessProblems) {
    const e = fromAccessProblem(a);
    const key = `${e.kind}\0${e.namespace ?? ''}\0${e.name ?? ''}\0${e.status ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}

/**
 * What the answer is about and could not read: pods for a scan; for `pulldoctor check`, whose
 * pods are the manifests' templates, the Secrets and ServiceAccounts they name, read by name
 * (refused, failed or malformed). The lookups around those (another namespace's copy, a
 * namespace's pull secrets) only make findings unverified, as unread secrets do in a scan.
 */
export function isCoreGap(sourceKind: string, e: Pick<SkippedObject, 'kind' | 'namespace' | 'name'>): boolean {
  if (sourceKind === 'manifest') return (e.kind === 'Secret' || e.kind === 'ServiceAccount') && e.namespace !== undefined && e.name !== undefined;
  return e.kind === 'Pod';
}

/** Whether the answer covers everything asked for (see the module comment). */
export function isComplete(s: Snapshot, skipped: SkippedObject[] = skippedOf(s)): boolean {
  if (skipped.some((e) => isCoreGap(s.source.kind, e))) return false;
  return !(skipped.length > 0 && s.objectsRead === 0);
}

/** `namespace shop`, `all namespaces`. */
const scopeOf = (e: { namespace?: string }) => (e.namespace ? `namespace ${e.namespace}` : 'all namespaces');

/** `403 forbidden`, `503`, `no answer`, or the malformed object's reason. */
function shortReason(e: SkippedObject): string {
  if (e.status === 403) return 'forbidden';
  if (e.status !== undefined) return e.reason;
  return `${e.reason}; ${e.source}`;
}

interface Gap {
  /** Does this gap touch the finding (with its pod's report entry, when known)? */
  touches(f: Finding, pod: PodReport | undefined): boolean;
  line: string;
}

/** What each kind of unread input means for the findings that needed it. */
function gapsOf(skipped: SkippedObject[]): Gap[] {
  const gaps: Gap[] = [];
  const inScope = (e: SkippedObject, f: Finding) => e.namespace === undefined || e.namespace === f.namespace;
  const malformedEvents = new Map<string, number>();
  for (const e of skipped) {
    if (e.kind === 'Event') {
      if (e.status === undefined) {
        malformedEvents.set(e.namespace ?? '', (malformedEvents.get(e.namespace ?? '') ?? 0) + 1);
        continue;
      }
      gaps.push({
        touches: (f) => inScope(e, f),
        line: `Events in ${scopeOf(e)} could not be read (${shortReason(e)}): the kubelet's own messages about this pod were not checked.`,
      });
    } else if (e.kind === 'ServiceAccount') {
      gaps.push({
        touches: (f, pod) => inScope(e, f) && (e.name === undefined || pod?.serviceAccount === e.name),
        line:
          e.name !== undefined
            ? `ServiceAccount ${e.namespace}/${e.name} could not be read (${shortReason(e)}): the pull secrets it adds to its pods were not checked.`
            : e.status === undefined
              ? `A ServiceAccount in ${scopeOf(e)} was skipped as malformed (${shortReason(e)}): the pull secrets it adds to its pods were not checked.`
              : `ServiceAccounts in ${scopeOf(e)} could not be read (${shortReason(e)}): the pull secrets a ServiceAccount adds to its pods were not checked.`,
      });
    } else if (e.kind === 'Secret' && e.name !== undefined && e.status !== 403) {
      // Forbidden secrets are the rules' own business (a reference to one is `forbidden`).
      const name = e.name;
      if (e.namespace === undefined) {
        gaps.push({
          touches: (f) => f.secret === name,
          line: `Whether a secret named "${name}" exists in another namespace could not be checked (${shortReason(e)}).`,
        });
      } else {
        gaps.push({
          touches: (f, pod) => f.namespace === e.namespace && (f.secret === name || (pod?.imagePullSecrets.some((r) => r.name === name) ?? false)),
          line: `Secret ${e.namespace}/${name} could not be read (${shortReason(e)}): what it holds was not checked.`,
        });
      }
    } else if (e.kind === 'Node') {
      const needsNode = (f: Finding) => pointsAtNode(f.message) || f.evidence.some((x) => pointsAtNode(x.detail));
      gaps.push({
        touches: (f, pod) => needsNode(f) && (e.name === undefined || pod?.node === e.name),
        line:
          e.name === undefined
            ? `Nodes could not be read (${shortReason(e)}): the node's architecture, runtime and conditions were not checked.`
            : `Node ${e.name} could not be read (${shortReason(e)}): its architecture, runtime and conditions were not checked.`,
      });
    }
  }
  for (const [ns, n] of malformedEvents) {
    gaps.push({
      touches: (f) => f.namespace === ns,
      line: `${n === 1 ? '1 event' : `${n} events`} in namespace ${ns} ${n === 1 ? 'was' : 'were'} skipped as malformed: what ${n === 1 ? 'it says' : 'they say'} about this pod was not read.`,
    });
  }
  return gaps;
}

/** Add to each finding's `unverified` what it could not check because an input was not read. */
export function annotateFindings(findings: Finding[], pods: PodReport[], skipped: SkippedObject[]): void {
  const gaps = gapsOf(skipped);
  if (!gaps.length) return;
  const podByKey = new Map(pods.map((p) => [`${p.cluster ?? ''}/${p.namespace}/${p.name}`, p]));
  for (const f of findings) {
    const pod = podByKey.get(`${f.cluster ?? ''}/${f.namespace}/${f.pod}`);
    for (const g of gaps) if (g.touches(f, pod) && !f.unverified.includes(g.line)) f.unverified.push(g.line);
  }
}
