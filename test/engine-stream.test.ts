/**
 * The scan's fast paths give exactly what the plain pipeline gives: the engine one pod at a
 * time (runEngine/analyseSnapshot) vs every PullContext at once (prepare/evaluate/buildReport),
 * events dropped as they arrive vs all events kept, a YAML List read item by item and JSON
 * streamed vs the whole text parsed at once.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { SnapshotBuilder } from '../src/collect/builder.js';
import { collectFiles, parseDocuments, splitYamlList } from '../src/collect/file.js';
import { analyseSnapshot, runEngine } from '../src/engine/analyse.js';
import type { Snapshot } from '../src/model/snapshot.js';
import { NOW, reportOf, ROOT } from './helpers/scan.js';

const FIXTURES = path.join(ROOT, 'fixtures');
const files = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(path.join(FIXTURES, d.name))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => path.join(d.name, f)),
  );

/** The plain way: whole text parsed, every event kept. */
async function plainSnapshot(paths: string[]): Promise<Snapshot> {
  const b = new SnapshotBuilder({ kind: 'file', description: paths.join(', ') }, undefined, { keepAllEvents: true });
  for (const p of paths) for (const doc of await parseDocuments(readFileSync(p, 'utf8'), p)) b.add(doc);
  return b.finishOffline();
}

const plainReport = (s: Snapshot) => reportOf(s).report;

describe('fast paths change nothing', () => {
  it('has fixtures to compare', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => splitYamlList(readFileSync(path.join(FIXTURES, f), 'utf8')))).toBe(true);
  });

  it.each(files)('%s: same report through the scan path (YAML and JSON)', async (f) => {
    const file = path.join(FIXTURES, f);
    const expected = plainReport(await plainSnapshot([file]));
    const snap = await collectFiles([file]);
    expect(snap.events.length).toBeLessThanOrEqual((await plainSnapshot([file])).events.length);
    expect(runEngine(snap, RULES, NOW)).toEqual(expected);
    expect(await analyseSnapshot(snap, RULES, { now: NOW })).toEqual(expected);

    const docs = await parseDocuments(readFileSync(file, 'utf8'), file);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pulldoctor-stream-'));
    const json = path.join(dir, 'dump.json');
    writeFileSync(json, JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 4));
    const fromJson = runEngine(await collectFiles([json]), RULES, NOW);
    expect({ ...fromJson, source: expected.source }).toEqual(expected);
  });

  it('the demo: same report one pod at a time, with a probe pass keeping only probed pods', async () => {
    const demo = path.join(FIXTURES, 'demo');
    const paths = readdirSync(demo).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(demo, f));
    const expected = plainReport(await plainSnapshot(paths));
    const snap = await collectFiles(paths);
    expect(runEngine(snap, RULES, NOW)).toEqual(expected);
    let probed = 0;
    const r = await analyseSnapshot(snap, RULES, {
      now: NOW,
      probe: {
        mode: 'failing',
        run: async (reqs) => {
          probed = reqs.length;
          return new Map();
        },
      },
    });
    expect(probed).toBeGreaterThan(0);
    expect(r).toEqual(expected);
  });

  it('a YAML List is split at its items; anything else is not', () => {
    const text = 'apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\n# c\n- kind: Pod\n  metadata: {name: b}\nkind: List\nmetadata:\n  resourceVersion: ""\n';
    const s = splitYamlList(text);
    expect(s?.items.map(([a, b]) => text.slice(a, b))).toEqual(['- kind: Pod\n  metadata:\n    name: a\n# c\n', '- kind: Pod\n  metadata: {name: b}\n']);
    expect(s?.head).toBe('apiVersion: v1\nitems:\nkind: List\nmetadata:\n  resourceVersion: ""\n');
    expect(splitYamlList('items:\n  - a: 1\n  - a: 2\nkind: List\n')?.items).toHaveLength(2);
    expect(splitYamlList('kind: Pod\nmetadata:\n  name: a\n')).toBeUndefined();
    expect(splitYamlList('kind: List\nitems:\n- a: 1\n---\nkind: Pod\n')).toBeUndefined();
    expect(splitYamlList('- a: 1\n')).toBeUndefined();
    expect(splitYamlList('items:\n  a: 1\n')).toBeUndefined();
  });
});
