/**
 * What `pulldoctor -f dump.json -o json` costs once src/collect/file.ts reads JSON through the
 * streaming reader (src/collect/json-stream.ts): the same builder, engine and renderer as the
 * CLI, fed item by item from a 1 MiB-chunk file stream. Prints the JSON report on stdout,
 * exactly like the CLI. Used for dumps too large for one string (> ~512 MiB).
 *
 *   node dist/bench/offline-stream.js dump.json 2025-05-01T09:30:00Z
 */
import { createReadStream } from 'node:fs';
import { RULES } from '../rules/index.js';
import { SnapshotBuilder } from '../src/collect/builder.js';
import { readJsonItems } from '../src/collect/json-stream.js';
import { isObj } from '../src/collect/reduce.js';
import { buildReport, evaluate, prepare } from '../src/engine/run.js';
import { renderJson } from '../src/report/json.js';

async function main(): Promise<void> {
  const [file, nowArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: offline-stream.js <dump.json> [now]');
  const builder = new SnapshotBuilder({ kind: 'file', description: file });
  // Items without `kind` (an API `PodList` saved with curl) wait for the list's kind, which
  // kubectl prints after `items`.
  const kindless: Record<string, unknown>[] = [];
  const top = await readJsonItems(createReadStream(file, { highWaterMark: 1 << 20 }), (item) => {
    if (!isObj(item)) return;
    if (typeof item.kind === 'string') builder.addObject(item);
    else kindless.push(item);
  });
  if (top.kind === 'object') {
    const listKind = typeof top.fields.kind === 'string' ? top.fields.kind : undefined;
    if (!top.hasItems) builder.add(top.fields);
    else if (kindless.length) builder.add({ kind: listKind, items: kindless });
  }
  const snapshot = builder.finishOffline();
  const now = nowArg ? new Date(nowArg) : new Date();
  const prep = prepare(snapshot, now);
  const report = buildReport(prep, evaluate(prep, RULES), now);
  await new Promise<void>((resolve) => process.stdout.write(renderJson(report), () => resolve()));
}

main().catch((e: unknown) => {
  process.stderr.write(`offline-stream: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
