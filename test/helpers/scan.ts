/**
 * Helpers for the static rule tests: load a fixture as plain objects, edit it, scan the edited
 * document, and the assertions those tests share.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../rules/index.js';
import { SnapshotBuilder } from '../../src/collect/builder.js';
import { buildReport, evaluate, prepare } from '../../src/engine/prepared.js';
import type { Finding, Report } from '../../src/model/finding.js';
import { NOW, fixturePath, scanFixture } from './fixtures.js';

/** A fixture YAML file of `rule`, parsed into plain objects (a List, edited in place by tests). */
export const loadFixture = (rule: string, name: string): any => parse(readFileSync(fixturePath(rule, name), 'utf8'));

/** The Secret called `name` in a loaded fixture, or its first Secret when no name is given. */
export const secretOf = (doc: any, name?: string): any => doc.items.find((o: any) => o.kind === 'Secret' && (name === undefined || o.metadata.name === name));

/** The (first) Pod of a loaded fixture. */
export const podOf = (doc: any): any => doc.items.find((o: any) => o.kind === 'Pod');

/** Base64 of a JSON value, as a Secret's `.dockerconfigjson` holds it. */
export const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

/** Point the pod's first container, spec and status, at `image`. */
export function setImage(pod: any, image: string): void {
  pod.spec.containers[0].image = image;
  pod.status.containerStatuses[0].image = image;
}

/** Make the pod's first container wait in ImagePullBackOff for its own image. */
export function failPull(pod: any): void {
  pod.status.containerStatuses[0].state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${pod.spec.containers[0].image}"` } };
}

/** Drop every Secret from a loaded fixture, as if the namespace's secrets were not collected. */
export function dropSecrets(doc: any): void {
  doc.items = doc.items.filter((o: any) => o.kind !== 'Secret');
}

/** Run every rule on one in-memory document (a List or a single object) at the fixture clock. */
export function scanDoc(doc: unknown): Report {
  const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
  b.add(doc);
  const prep = prepare(b.finishOffline(), NOW);
  return buildReport(prep, evaluate(prep, RULES), NOW);
}

/** The findings of one rule. */
export const findingsOf = (r: Report, rule: string): Finding[] => r.findings.filter((f) => f.rule === rule);

/** A rule's test kit: its fixtures loaded and scanned, and its findings picked out of a report. */
export function ruleKit(rule: string) {
  const mine = (r: Report) => findingsOf(r, rule);
  return {
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
