/**
 * The one way tests run the engine: a snapshot (from files, a fixture or an in-memory document)
 * through prepare → probes attached → every rule → report, at the clock the fixtures are written
 * against. Plus the pickers the rule tests share.
 */
import path from 'node:path';
import { expect } from 'vitest';
import { RULES } from '../../rules/index.js';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { collectFiles } from '../../src/collect/file.js';
import { attachProbes, buildReport, evaluate, prepare, type PreparedScan } from '../../src/engine/prepared.js';
import { probeKey } from '../../src/engine/probe-targets.js';
import type { ContainerProbe, Finding, Report } from '../../src/model/finding.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { loadFixture } from './edit.js';
import { ROOT } from './root.js';

export { ROOT };
/** The clock every fixture is written against. */
export const NOW = new Date('2026-11-28T12:00:00Z');

export const fixturePath = (rule: string, name: string) => path.join(ROOT, 'fixtures', rule, name);
/** A rule's fixture file; its fires fixture by default. */
export const fixture = (rule: string, file = 'fires.yaml') => fixturePath(rule, file);

/**
 * Registry probe results attached the way `--probe` attaches them: by container name (every pod
 * with a container of that name gets it), or a function of the container name.
 */
export type Probes = Record<string, ContainerProbe> | ((container: string) => ContainerProbe | undefined);

export interface ScanOptions {
  probes?: Probes;
  /** As `--platform`: the platforms the pods may run on, instead of the nodes'. */
  platforms?: string[];
  /** The evaluation clock; NOW by default. */
  now?: Date;
}

export interface Scanned {
  report: Report;
  prep: PreparedScan;
}

/** Every rule on a snapshot: the plain pipeline (all PullContexts at once). */
export function reportOf(snapshot: Snapshot, opts: ScanOptions = {}): Scanned {
  const now = opts.now ?? NOW;
  if (opts.platforms) snapshot.platforms = opts.platforms;
  const prep = prepare(snapshot, now);
  const probes = opts.probes;
  if (probes) {
    const pick = typeof probes === 'function' ? probes : (name: string) => probes[name];
    const map = new Map<string, ContainerProbe>();
    for (const ctx of prep.contexts) {
      for (const c of ctx.containers) {
        const p = pick(c.name);
        if (p) map.set(probeKey(ctx, c.name), p);
      }
    }
    attachProbes(prep, map);
  }
  return { report: buildReport(prep, evaluate(prep, RULES), now), prep };
}

/** Scan dump files (as `-f`). */
export async function scan(paths: string[], opts: ScanOptions = {}): Promise<Scanned> {
  return reportOf(await collectFiles(paths), opts);
}

/** Scan one of a rule's fixtures. */
export function scanFixture(rule: string, name = 'fires.yaml', opts: ScanOptions = {}): Promise<Scanned> {
  return scan([fixturePath(rule, name)], opts);
}

/** Run every rule on one in-memory document (a List or a single object). */
export function scanDoc(doc: unknown, opts: ScanOptions = {}): Report {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  return reportOf(b.finishOffline(), opts).report;
}

/** The findings of one rule. */
export const findingsOf = (r: Report, rule: string): Finding[] => r.findings.filter((f) => f.rule === rule);

/** The rule's one finding in a report (fails when it has none or several). */
export function only(report: Report, rule: string): Finding {
  const mine = findingsOf(report, rule);
  expect(mine, `findings: ${report.findings.map((f) => f.rule).join(', ')}`).toHaveLength(1);
  return mine[0] as Finding;
}

/** The rules that fired, sorted. */
export const rulesOf = (report: Report) => report.findings.map((f) => f.rule).sort();

/** The rules of the findings linked to `f`, sorted. */
export function relatedRules(report: Report, f: Finding): string[] {
  return f.related.map((id) => report.findings.find((x) => x.id === id)?.rule ?? '?').sort();
}

/** Scan `paths` (the rule's fires fixture by default) and return the report with the rule's one finding. */
export async function scanOnly(rule: string, paths: string[] = [fixture(rule)], opts: ScanOptions = {}): Promise<{ report: Report; f: Finding }> {
  const { report } = await scan(paths, opts);
  return { report, f: only(report, rule) };
}

/** The rule does not fire on its healthy twin (quiet.yaml). */
export async function expectQuietTwin(rule: string): Promise<void> {
  const { report } = await scanFixture(rule, 'quiet.yaml');
  expect(rulesOf(report)).not.toContain(rule);
}

/** A rule's test kit: its fixtures loaded and scanned, and its findings picked out of a report. */
export function ruleKit(rule: string) {
  const mine = (r: Report) => findingsOf(r, rule);
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    load: (name: string): any => loadFixture(rule, name),
    mine,
    /** The rule's finding on a fixture, asserting it has no other. */
    async sole(name: string): Promise<Finding | undefined> {
      const { report } = await scanFixture(rule, name);
      const [f, ...rest] = mine(report);
      expect(rest).toEqual([]);
      return f;
    },
    /** Asserts the rule says nothing about the fixture. */
    async expectQuiet(name = 'quiet.yaml'): Promise<void> {
      expect(mine((await scanFixture(rule, name)).report)).toEqual([]);
    },
    /** Asserts that no report of these fixtures contains any of the secret values. */
    async expectNeverPrinted(names: string[], secrets: string[]): Promise<void> {
      for (const name of names) {
        const json = JSON.stringify((await scanFixture(rule, name)).report);
        for (const s of secrets) expect(json).not.toContain(s);
      }
    },
  };
}

/** A finding's remediation as one text ('' without a finding). */
export const fixText = (f: Finding | undefined): string => f?.remediation.join('\n') ?? '';
