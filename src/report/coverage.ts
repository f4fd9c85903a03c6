/**
 * What a report does not cover, worded once for every output: the summary line of an incomplete
 * scan, the "not covered" and "not read" sections of text and Markdown, the UI's status line and
 * the CLI's stderr lines. Strings here are raw (cluster text included): each output sanitises or
 * escapes them.
 */
import { isCoreGap } from '../engine/completeness.js';
import type { Report } from '../model/finding.js';
import { plural } from '../util/text.js';

export type SkippedEntry = Report['summary']['skipped'][number];

const FORBIDDEN = 403;

/**
 * What the answer is about and could not read: unread pods (pod lists that failed, pod objects
 * skipped as malformed); for a check, the Secrets and ServiceAccounts its templates name.
 */
export const podGaps = (r: Report): SkippedEntry[] => r.summary.skipped.filter((e) => isCoreGap(r.source.kind, e));

/** A failed read (list or GET), as opposed to a malformed object. */
export const isRead = (e: SkippedEntry): boolean => e.status !== undefined;

/** Everything else not read, except refusals: those are listed once, as access problems. */
export const otherGaps = (r: Report): SkippedEntry[] => r.summary.skipped.filter((e) => !isCoreGap(r.source.kind, e) && e.status !== FORBIDDEN);

/** Access problems not already listed as a pod scope (for a check: a named read) that is not covered. */
export const accessProblemsShown = (r: Report): Report['accessProblems'] =>
  r.source.kind === 'manifest'
    ? r.accessProblems.filter((a) => !(a.verb === 'get' && a.name !== undefined))
    : r.accessProblems.filter((a) => a.resource !== 'pods');

/** What the "not covered" section says its entries leave out. */
export const notCoveredWhat = (r: Report): string => (r.source.kind === 'manifest' ? 'the pulls that need these' : 'these pods');

/** Whether the report names more than one cluster (then entries say which). */
const fleet = (r: Report): boolean => (r.source.clusters?.length ?? 0) > 1 || r.errors.length > 0;

const clusterPrefix = (r: Report, e: { cluster?: string }) => (fleet(r) && e.cluster ? `cluster ${e.cluster}: ` : '');

/** `pods in namespace shop`, `pods in all namespaces`, `Pod shop/web-1`, `Event shop/x.17a`. */
export function subject(e: SkippedEntry): string {
  if (isRead(e) && e.name === undefined) {
    const what = e.kind === 'Pod' ? 'pods' : e.kind === 'Event' ? 'events' : e.kind === 'ServiceAccount' ? 'ServiceAccounts' : e.kind === 'Node' ? 'nodes' : `${e.kind}s`;
    return e.kind === 'Node' ? what : `${what} in ${e.namespace ? `namespace ${e.namespace}` : 'all namespaces'}`;
  }
  const where = [e.namespace, e.name].filter((x) => x !== undefined).join('/');
  return `${e.kind === 'unknown' ? 'object' : e.kind}${where ? ` ${where}` : ''}`;
}

/** One entry as a line: `Pod shop/web-1 (cluster.yaml:12): spec.containers: must be array`. */
export function entryText(r: Report, e: SkippedEntry): string {
  return isRead(e) ? `${clusterPrefix(r, e)}${subject(e)}: ${e.reason}` : `${clusterPrefix(r, e)}${subject(e)} (${e.source}): ${e.reason}`;
}

/** The short list of what is not covered, for summary lines: `pods in namespace shop (forbidden); 2 pods skipped as malformed`. */
export function gapSummary(r: Report): string {
  const parts: string[] = [];
  const pods = podGaps(r);
  for (const e of pods.filter(isRead)) parts.push(`${clusterPrefix(r, e)}${subject(e)} (${e.status === FORBIDDEN ? 'forbidden' : e.status ? `HTTP ${e.status}` : 'no answer'})`);
  const malformed = pods.filter((e) => !isRead(e));
  if (malformed.length && r.source.kind === 'manifest') parts.push(...malformed.map((e) => `${subject(e)} (malformed)`));
  else if (malformed.length) parts.push(`${plural(malformed.length, 'pod')} skipped as malformed`);
  for (const e of r.errors) parts.push(`cluster ${e.cluster} (could not be scanned)`);
  if (!parts.length && !r.summary.complete) parts.push(`the input: nothing in it could be used (${plural(r.summary.skipped.length, 'object')} skipped)`);
  return parts.join('; ');
}

/**
 * The CLI's stderr lines for an incomplete or partly unreadable scan: one per pod scope that
 * could not be read, with the check to run, one per cluster that could not be scanned, and one
 * for every object skipped as malformed.
 */
export function stderrLines(r: Report): string[] {
  const out: string[] = [];
  for (const e of podGaps(r).filter(isRead)) {
    // Refused cluster-wide: a user who may read some namespaces can name them.
    const hint = e.namespace === undefined && e.status === FORBIDDEN ? '; to scan the namespaces you may read, name them: -n a,b' : '';
    out.push(`${clusterPrefix(r, e)}${subject(e)} could not be read (${e.reason}); the result does not cover them${e.check ? `; check: ${e.check}` : ''}${hint}`);
  }
  for (const e of r.errors) out.push(`cluster ${e.cluster} could not be scanned (${e.message}); the result does not cover it`);
  const malformed = r.summary.skipped.filter((e) => !isRead(e));
  if (malformed.length) {
    const kinds = new Map<string, number>();
    for (const e of malformed) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    const byKind = [...kinds].map(([k, n]) => plural(n, k === 'unknown' ? 'unknown object' : k)).join(', ');
    const sources = [...new Set(malformed.map((e) => `${clusterPrefix(r, e)}${e.source}`))];
    const where = sources.slice(0, 3).join(', ') + (sources.length > 3 ? ` and ${sources.length - 3} more` : '');
    const pods = malformed.some((e) => e.kind === 'Pod');
    out.push(
      `skipped ${plural(malformed.length, 'malformed object')} (${byKind}) at ${where}${pods ? '; skipped pods are not covered' : ''}; the report lists each with its reason`,
    );
  }
  return out;
}

/** Not read, for the UI's list of what could not be read: everything but the refused reads (listed as access problems). */
export const unreadShown = (r: Report): SkippedEntry[] => r.summary.skipped.filter((e) => e.status !== FORBIDDEN);
