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
 * Did the scan see every pod in scope? The report's `summary.complete` (decided from the
 * Snapshot's facts, as for every scan: pods unreadable in a scope, malformed pods skipped,
 * nothing usable read), and no cluster failed. The reasons name what was not read.
 */
export function completeness(report: Report): { complete: boolean; incomplete: string[] } {
  if (report.summary.complete && !report.errors.length) return { complete: true, incomplete: [] };
  const incomplete: string[] = [];
  for (const e of report.summary.skipped) {
    if (e.kind !== 'Pod') continue;
    const where = e.name ? `pod ${e.namespace ?? 'default'}/${e.name}` : e.namespace ? `pods in namespace ${e.namespace}` : 'pods cluster-wide';
    incomplete.push(oneLine(`${where} not read: ${e.reason}${e.check ? ` — check: ${e.check}` : ''}`, 400));
  }
  for (const e of report.errors) incomplete.push(oneLine(`cluster ${e.cluster} not scanned: ${e.message}`, 400));
  if (!incomplete.length) incomplete.push('nothing the scan read was usable (summary.skipped in /report.json lists what was skipped)');
  return { complete: false, incomplete };
}
