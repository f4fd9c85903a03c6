/**
 * A live view's heap stays near what it holds (src/collect/heap.ts `holdHeapSteady`): after the
 * call, V8 starts its next full collection when the old generation is 1.3× what the last one
 * left, where its own sizing lets it reach 2–4× (a watch's RSS sawtooth). Each case runs in its
 * own Node process, as the flag is process-wide: the module is bundled from the sources, and
 * the program holds ~60 MB while it churns objects that live long enough to be promoted (like
 * a live view's reports, replaced every second).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/root.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pulldoctor-heap-'));
const MB = 2 ** 20;

const PROGRAM = `
import v8 from 'node:v8';
import { holdHeapSteady } from './heap.mjs';
const used = () => v8.getHeapStatistics().used_heap_size;
const live = [];
for (let i = 0; i < 300000; i++) live.push({ name: 'pod-' + i, images: [i, i + 1], status: { n: i } });
globalThis.gc(); globalThis.gc();
if (process.argv[2] === 'steady') holdHeapSteady();
let peak = 0;
const recent = [];
for (let round = 0; round < 300; round++) {
  const report = [];
  for (let i = 0; i < 20000; i++) report.push({ finding: 'f-' + i + '-' + round, at: [i] });
  recent.push(report);
  if (recent.length > 10) recent.shift();
  // From the second half on: the first full collection after the call still used V8's own limit.
  if (round >= 150) peak = Math.max(peak, used());
}
globalThis.gc(); globalThis.gc();
// What the program holds at the end: the set and the last ten reports (named below, so both stay alive).
process.stdout.write(JSON.stringify({ peak, held: used(), kept: live.length + recent.length }));
`;

function run(mode: 'steady' | 'default'): { peak: number; held: number } {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(tmp, 'program.mjs'), mode], { encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as { peak: number; held: number };
}

beforeAll(async () => {
  await build({ entryPoints: [path.join(ROOT, 'src/collect/heap.ts')], bundle: true, platform: 'node', format: 'esm', outfile: path.join(tmp, 'heap.mjs'), logLevel: 'warning' });
  writeFileSync(path.join(tmp, 'program.mjs'), PROGRAM);
}, 60_000);

describe('holdHeapSteady', () => {
  it('keeps the heap under ~2× what it holds, where V8 alone lets it grow past 4×', () => {
    const steady = run('steady');
    const free = run('default');
    const mb = (n: number) => `${Math.round(n / MB)} MB`;
    const seen = `holds ${mb(steady.held)}: steady peak ${mb(steady.peak)}, V8 alone ${mb(free.peak)} (holding ${mb(free.held)})`;
    // 1.3× what is held, the young generation, and what is allocated while marking runs.
    expect(steady.peak / steady.held, seen).toBeLessThan(2.2);
    expect(steady.peak, seen).toBeLessThan(free.peak);
  });
});
