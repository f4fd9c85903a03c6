/**
 * Fixture editing for the rule tests: load a fixture as plain objects and change it in place,
 * or write a copy of the fixture file with exact-text replacements.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './root.js';

const fixtureFile = (rule: string, name: string) => path.join(ROOT, 'fixtures', rule, name);

/** A fixture YAML file of `rule`, parsed into plain objects (a List, edited in place by tests). */
export const loadFixture = (rule: string, name: string): any => parse(readFileSync(fixtureFile(rule, name), 'utf8'));

/** Write a copy of a fixture with exact-text replacements (each must occur); returns its path. */
export function variant(rule: string, file: string, edits: [string, string][]): string {
  let text = readFileSync(fixtureFile(rule, file), 'utf8');
  for (const [from, to] of edits) {
    expect(text.includes(from), `fixture ${rule}/${file} lacks ${JSON.stringify(from)}`).toBe(true);
    text = text.split(from).join(to);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'pd-rule-'));
  const out = path.join(dir, `${rule}-${file}`);
  writeFileSync(out, text);
  return out;
}

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
