/**
 * What a scan could not read, end to end in process: where a skipped object is reported from
 * (file and line, for every way a dump is read), how an unread Secret, ServiceAccount or Event
 * degrades the findings that needed it, when the scan is incomplete, and how each output says so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RULES } from '../rules/index.js';
import { SnapshotBuilder } from '../src/collect/builder.js';
import { collectFiles } from '../src/collect/file.js';
import { exitCodeFor } from '../src/commands/exit-codes.js';
import { runEngine } from '../src/engine/analyse.js';
import type { Report } from '../src/model/finding.js';
import type { Snapshot } from '../src/model/snapshot.js';
import { stderrLines } from '../src/report/coverage.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderText } from '../src/report/text.js';
import { runMain } from './helpers/cli.js';
import { loadFixture } from './helpers/edit.js';
import { NOW } from './helpers/scan.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const fromStdin = (text: string) => collectFiles(['-'], { readStdin: async () => Buffer.from(text) });
const reportOf = (s: Snapshot): Report => runEngine(s, RULES, NOW);
const itemNamed = (doc: any, kind: string, name?: string) => doc.items.find((o: any) => o.kind === kind && (name === undefined || o.metadata.name === name));
const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('skipped objects say where they are', () => {
  const good = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ok', namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const bad = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad', namespace: 'a' }, spec: { containers: 'oops' } };

  it('a YAML List (read item by item): each item by the line it starts on', async () => {
    const text = stringify({ apiVersion: 'v1', kind: 'List', items: [good, bad, 42] });
    const s = await fromStdin(text);
    const lines = text.split('\n');
    const badLine = lines.findIndex((l) => l.includes('name: bad')) + 1;
    expect(s.pods.map((p) => p.metadata.name)).toEqual(['ok']);
    expect(s.skippedObjects).toEqual([
      { kind: 'Pod', namespace: 'a', name: 'bad', reason: 'spec.containers: must be array', source: expect.stringMatching(/^stdin:\d+$/) },
      { kind: 'unknown', reason: 'not an object (number)', source: `stdin:${lines.indexOf('  - 42') + 1}` },
    ]);
    // The item starts a few lines above its name.
    const at = Number(s.skippedObjects?.[0]?.source.split(':')[1]);
    expect(at).toBeLessThan(badLine);
    expect(lines[at - 1]).toMatch(/^ {2}- /);
  });

  it('multi-document YAML (read whole): each document by its line; a document that is no object at all is listed too', async () => {
    const text = `${stringify(good)}---\n${stringify(bad)}---\njust a string\n`;
    const s = await fromStdin(text);
    const lines = text.split('\n');
    expect(s.skippedObjects?.map((e) => [e.kind, e.reason, e.source])).toEqual([
      ['Pod', 'spec.containers: must be array', `stdin:${lines.indexOf('---') + 2}`],
      ['unknown', 'not a Kubernetes object (no kind, or no metadata)', `stdin:${lines.indexOf('just a string') + 1}`],
    ]);
  });

  it('a JSON List from a file (streamed): each item by its line, counted from the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pd-complete-'));
    const file = path.join(dir, 'dump.json');
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [good, bad, null] }, null, 4);
    writeFileSync(file, text);
    const s = await collectFiles([file]);
    const lines = text.split('\n');
    const itemLine = (name: string) => lines.findIndex((l) => l.includes(`"name": "${name}"`)) - 3; // `{`, apiVersion, kind, metadata
    expect(s.skippedObjects?.map((e) => [e.kind, e.reason, e.source])).toEqual([
      ['Pod', 'spec.containers: must be array', `${file}:${itemLine('bad')}`],
      ['unknown', 'not an object (null)', `${file}:${lines.findIndex((l) => l.trim() === 'null') + 1}`],
    ]);
    expect(lines[itemLine('bad') - 1]?.trim()).toBe('{');
  });

  it('an API list page item: the request path', () => {
    const b = new SnapshotBuilder({ kind: 'cluster', description: 'test' });
    b.addObject({ metadata: { name: 'x', namespace: 'a' }, spec: { containers: [{ name: 7 }] } }, 'Pod', '/api/v1/namespaces/a/pods');
    expect(b.snapshot.skippedObjects).toEqual([
      { kind: 'Pod', namespace: 'a', name: 'x', reason: 'spec.containers[0].name: must be string', source: '/api/v1/namespaces/a/pods' },
    ]);
  });

  it('reasons name the field: missing, wrong type, empty, keys that are no identifiers', async () => {
    const cases: [unknown, string][] = [
      [{ kind: 'Pod', metadata: { namespace: 'a' }, spec: { containers: [{ name: 'c' }] } }, 'metadata.name: is required'],
      [{ kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } }, 'spec.containers: must not be empty'],
      [{ kind: 'Pod', metadata: { name: 'p' }, spec: null }, 'spec: must be object'],
      [{ kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] }, status: { containerStatuses: [{ name: 'c', restartCount: 1.5 }] } }, 'status.containerStatuses[0].restartCount: must be integer'],
      [{ kind: 'Secret', metadata: { name: 's' }, data: { '.dockerconfigjson': 7 } }, 'data[".dockerconfigjson"]: must be string'],
      [{ kind: 'Event', metadata: { name: 'e' }, eventTime: 7 }, 'eventTime: must be string or null'],
      [{ kind: 'ServiceAccount', metadata: { name: 'sa' }, imagePullSecrets: [7] }, 'imagePullSecrets[0]: must be object or string'],
    ];
    for (const [obj, reason] of cases) {
      const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
      b.add(obj);
      expect(b.snapshot.skippedObjects?.[0]?.reason).toBe(reason);
    }
  });

  it('real timestamps written as null are read (the API server writes them so)', async () => {
    const b = new SnapshotBuilder({ kind: 'file', description: 'test' });
    b.add({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'a', creationTimestamp: null }, eventTime: null, firstTimestamp: null, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Failed', message: 'x' });
    expect(b.snapshot.skippedObjects).toEqual([]);
    expect(b.snapshot.events).toHaveLength(1);
  });
});

describe('an unread input degrades the findings that needed it; only pods make the scan incomplete', () => {
  it('a malformed Secret is not taken for a missing one: the finding says it could not be read', async () => {
    const doc = loadFixture('registry-auth-rejected', 'fires.yaml');
    itemNamed(doc, 'Secret', 'ecr-pull').data = { '.dockerconfigjson': 7 };
    const r = reportOf(await fromStdin(stringify(doc)));
    expect(r.findings.map((f) => f.rule)).not.toContain('pull-secret-not-found');
    expect(r.summary.complete).toBe(true);
    expect(r.summary.skipped).toEqual([
      { kind: 'Secret', namespace: 'payments', name: 'ecr-pull', reason: 'data[".dockerconfigjson"]: must be string', source: expect.stringMatching(/^stdin:\d+$/) },
    ]);
    expect(r.pods[0]?.imagePullSecrets).toEqual([{ name: 'ecr-pull', status: 'unknown' }]);
    const lines = r.findings.flatMap((f) => f.unverified);
    expect(lines).toContainEqual(expect.stringMatching(/^Secret payments\/ecr-pull could not be read \(data\[".dockerconfigjson"\]: must be string; stdin:\d+\): what it holds was not checked\.$/));
  });

  it('a malformed Event or ServiceAccount: the findings of its namespace say what was not read', async () => {
    const doc = loadFixture('pull-secret-not-found', 'fires.yaml');
    itemNamed(doc, 'Event').message = 7;
    itemNamed(doc, 'ServiceAccount').imagePullSecrets = 'regcred';
    const r = reportOf(await fromStdin(stringify(doc)));
    expect(r.summary.complete).toBe(true);
    expect(r.summary.skipped.map((e) => `${e.kind}: ${e.reason}`)).toEqual(['Event: message: must be string', 'ServiceAccount: imagePullSecrets: must be array']);
    expect(r.findings.length).toBeGreaterThan(0);
    for (const f of r.findings) {
      expect(f.unverified).toContain('1 event in namespace shop was skipped as malformed: what it says about this pod was not read.');
      expect(f.unverified).toContainEqual(expect.stringMatching(/^ServiceAccount shop\/default could not be read \(imagePullSecrets: must be array; stdin:\d+\): the pull secrets it adds to its pods were not checked\.$/));
    }
  });

  it('events refused in a namespace: every finding there says so, and every output lists the refusal once', async () => {
    const s = await collectFiles([path.join('fixtures', 'pull-secret-not-found', 'fires.yaml')]);
    s.events = [];
    s.accessProblems.push({
      resource: 'events',
      namespace: 'shop',
      verb: 'list',
      status: 403,
      message: 'events is forbidden: User "ci" cannot list resource "events" in API group "" in the namespace "shop"',
      canI: 'kubectl auth can-i list events -n shop',
    });
    const r = reportOf(s);
    expect(r.summary.complete).toBe(true);
    expect(r.summary.skipped).toEqual([expect.objectContaining({ kind: 'Event', namespace: 'shop', status: 403, check: 'kubectl auth can-i list events -n shop', source: '/api/v1/namespaces/shop/events' })]);
    for (const f of r.findings) expect(f.unverified).toContain("Events in namespace shop could not be read (forbidden): the kubelet's own messages about this pod were not checked.");
    expect(count(renderText(r), 'kubectl auth can-i list events -n shop')).toBe(1);
    expect(count(renderMarkdown(r), 'kubectl auth can-i list events -n shop')).toBe(1);
    expect(JSON.stringify(r.accessProblems)).toContain('can-i list events -n shop');
    expect(stderrLines(r)).toEqual([]);
    expect(exitCodeFor(r, 'never')).toBe(0);
  });

  it('nodes that could not be listed: the findings whose message points at the node say so, the others do not', async () => {
    const s = await collectFiles([path.join('fixtures', 'image-pull-node-error', 'fires.yaml')]);
    s.nodes = [];
    s.coverage.nodes = 'none';
    s.skippedObjects = [
      { kind: 'Node', reason: 'list failed: 503 the server is currently unable to handle the request', source: '/api/v1/nodes', status: 503, check: 'kubectl auth can-i list nodes' },
    ];
    const r = reportOf(s);
    const line = "Nodes could not be read (list failed: 503 the server is currently unable to handle the request): the node's architecture, runtime and conditions were not checked.";
    const nodeFindings = r.findings.filter((f) => f.rule === 'image-pull-node-error');
    expect(nodeFindings.length).toBeGreaterThan(0);
    for (const f of nodeFindings) expect(f.unverified).toContain(line);
    expect(renderText(r)).toContain('! nodes: list failed: 503');
    expect(r.summary.complete).toBe(true);

    const auth = reportOf(await collectFiles([path.join('fixtures', 'registry-auth-rejected', 'fires.yaml')]).then((x) => ({ ...x, skippedObjects: s.skippedObjects })));
    for (const f of auth.findings) expect(f.unverified).not.toContain(line);
  });

  it('a skipped pod: incomplete, exit 2 whatever --fail-on, and no output calls the rest clean', async () => {
    const doc = loadFixture('pull-secret-not-found', 'quiet.yaml');
    const copy = structuredClone(itemNamed(doc, 'Pod'));
    copy.metadata.name = 'broken';
    copy.status.containerStatuses = 'oops';
    doc.items.push(copy);
    const r = reportOf(await fromStdin(stringify(doc)));
    expect(r.findings).toEqual([]);
    expect(r.summary).toMatchObject({ complete: false, podsScanned: 1 });
    const text = renderText(r);
    expect(text).not.toContain('no image pull problems');
    expect(text).toContain('INCOMPLETE: nothing found in the 1 pod that could be scanned; not covered: 1 pod skipped as malformed');
    expect(text).toMatch(/not covered .*\n {2}✖ Pod shop\/broken \(stdin:\d+\): status\.containerStatuses: must be array/);
    expect(renderMarkdown(r)).toContain('### Not covered');
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^skipped 1 malformed object \(1 Pod\) at stdin:\d+; skipped pods are not covered; the report lists each with its reason$/)]);
    expect(exitCodeFor(r, 'error')).toBe(2);
    expect(exitCodeFor(r, 'never')).toBe(2);
  });

  it('nothing usable in the input: incomplete even without a pod', async () => {
    const r = reportOf(await fromStdin(JSON.stringify({ kind: 'List', items: [{ kind: 'Event', metadata: { name: 7 } }] })));
    expect(r.summary).toMatchObject({ complete: false, podsScanned: 0 });
    expect(renderText(r)).toContain('not covered: the input: nothing in it could be used (1 object skipped)');
  });
});

describe('the CLI', () => {
  it('-f with a malformed pod: exit 2, one stderr line saying how many and where', async () => {
    const doc = loadFixture('pull-secret-not-found', 'fires.yaml');
    itemNamed(doc, 'Pod').metadata.name = 7;
    const dir = mkdtempSync(path.join(tmpdir(), 'pd-complete-'));
    const file = path.join(dir, 'dump.yaml');
    writeFileSync(file, stringify(doc));
    const r = await runMain(['-f', file, '-o', 'json', '--now', NOW.toISOString()]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^pulldoctor: skipped 1 malformed object \\(1 Pod\\) at ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+; `))]);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ complete: false, podsScanned: 0 });
    expect(json.summary.skipped[0]).toMatchObject({ kind: 'Pod', namespace: 'shop', reason: 'metadata.name: must be string' });
  });
});
