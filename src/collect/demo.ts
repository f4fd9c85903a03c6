/**
 * The bundled demo cluster: fixtures/demo/*.yaml, a `kubectl get -o yaml` dump of a small
 * cluster with every scenario pulldoctor knows, plus healthy workloads. Its events were
 * recorded against a fixed clock, so the demo is evaluated at that time.
 */
import { DEMO_DIR } from '../paths.js';
import type { ProgressCallback } from '../model/progress.js';
import type { Snapshot } from '../model/snapshot.js';
import { collectFiles } from './file.js';

export const DEMO_NOW = new Date('2026-11-28T12:00:00Z');

export async function collectDemo(onProgress?: ProgressCallback): Promise<Snapshot> {
  const snap = await collectFiles([DEMO_DIR], {
    source: { kind: 'demo', description: 'bundled demo cluster (fixtures/demo)', cluster: 'demo' },
    ...(onProgress ? { onProgress } : {}),
  });
  snap.collectedAt = DEMO_NOW.toISOString();
  return snap;
}
