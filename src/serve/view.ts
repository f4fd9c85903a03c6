/**
 * What serve shows at one moment: the report of the current Snapshot, the failing pods per
 * namespace, and whether the scan saw everything (with the reasons when it did not). Pure.
 */
import { RULES } from '../../rules/index.js';
import { runEngineDetailed } from '../engine/analyse.js';
import type { Report } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { oneLine } from '../util/text.js';

export interface ServeView {
  report: Report;
  /** Pods with a failing pull, per namespace (namespaces with none are absent). */
  failingByNamespace: Map<string, number>;
  /** The scan read every pod in scope (see `completeness`). */
  complete: boolean;
  /** Why it is not complete, one line each (empty when complete). */
  incomplete: string[];
  /** Seconds the rules took. */
  durationSeconds: number;
}

/** The rules over one Snapshot. */
export function analyse(snapshot: Snapshot, now = new Date()): ServeView {
  const started = performance.now();
  const { report, failingPods } = runEngineDetailed(snapshot, RULES, now);
  const durationSeconds = (performance.now() - started) / 1000;
  const failingByNamespace = new Map<string, number>();
  for (const key of failingPods) {
    const ns = key.slice(0, key.indexOf('/'));
    failingByNamespace.set(ns, (failingByNamespace.get(ns) ?? 0) + 1);
  }
  return { report, failingByNamespace, durationSeconds, ...completeness(report) };
}

/**
 * Did the scan see every pod in scope? `summary.complete` when the report carries it (from the
 * Snapshot's facts: pods unreadable in a scope, malformed pods skipped); otherwise derived: no
 * pod list or read was refused and no cluster failed. The reasons name what was not read.
 */
export function completeness(report: Report): { complete: boolean; incomplete: string[] } {
  const incomplete: string[] = [];
  for (const a of report.accessProblems) {
    if (a.resource !== 'pods') continue;
    const where = a.namespace ? `in namespace ${a.namespace}` : 'cluster-wide';
    incomplete.push(oneLine(`cannot ${a.verb} pods ${where} (${a.status}): ${a.message} — check: ${a.canI}`, 400));
  }
  for (const e of report.errors) incomplete.push(oneLine(`cluster ${e.cluster} not scanned: ${e.message}`, 400));
  const declared = (report.summary as { complete?: unknown }).complete;
  if (typeof declared !== 'boolean') return { complete: incomplete.length === 0, incomplete };
  if (declared && !report.errors.length) return { complete: true, incomplete: [] };
  if (!incomplete.length) incomplete.push('the report says the scan is incomplete (summary.complete: false in /report.json)');
  return { complete: false, incomplete };
}
