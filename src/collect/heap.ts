/**
 * Keeps a live scan's heap near what it holds. Pages of a big list are parsed faster than V8's
 * scavenger lets them die young: parts of every page get promoted, and V8 lets the old
 * generation grow to ~3.5× the live size before it collects it (at 50k pods: ~290 MB of heap
 * for ~85 MB of snapshot). After each page, when the heap has grown to 2× what was live
 * after the last collection, one full collection brings it back; that happens a handful of
 * times in a whole scan (the live size grows with the snapshot), not per page. At 1.5× it
 * happened seven times in a 50k-pod scan (~100 ms each, most of them reclaiming only the last
 * pages): 2× saved ~1.3 s of 20 s there for ~25 MB more peak RSS (~330 MB).
 */
import { createRequire } from 'node:module';

/**
 * `node:v8` and `node:vm` load (a few ms of start-up) only when a collection or a flag is due:
 * the check between pages reads the heap through `process.memoryUsage()`.
 */
const builtin = createRequire(import.meta.url) as (id: 'node:v8' | 'node:vm') => unknown;
const v8 = (): typeof import('node:v8') => builtin('node:v8') as typeof import('node:v8');
const vm = (): typeof import('node:vm') => builtin('node:vm') as typeof import('node:vm');

/** Below this the heap is left alone: small scans never pay for a collection. */
const FLOOR_BYTES = 96 * 2 ** 20;
const GROWTH = 2;

let collect: (() => void) | null | undefined;

function gcFunction(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') collect = existing;
    else {
      v8().setFlagsFromString('--expose-gc');
      const fn = vm().runInNewContext('gc') as unknown;
      collect = typeof fn === 'function' ? (fn as () => void) : null;
    }
  } catch {
    collect = null;
  }
  return collect;
}

export class HeapGuard {
  private live = 0;

  /** Call between pages (outside any parsing): collects when the heap outgrew the live size. */
  check(): void {
    const used = process.memoryUsage().heapUsed;
    if (used < FLOOR_BYTES || used < this.live * GROWTH) return;
    const gc = gcFunction();
    if (!gc) return;
    gc();
    this.live = process.memoryUsage().heapUsed;
  }
}

/** One per process: concurrent lists (and clusters) share the heap. */
export const heapGuard = new HeapGuard();

/** How far the old generation may grow past what the last full collection left, once steady. */
const STEADY_GROWTH_PERCENT = 30;
let steady = false;

/**
 * For a process that follows a cluster for hours (the UI's live view, `serve`), once the first
 * list is in: V8 sizes the next full collection at 2–4× what the last one left, so a watch's
 * RSS rises and falls by tens of MB with no growth in what it holds (a sawtooth that makes a
 * container's memory limit guesswork). From then on V8 starts its own (incremental, mostly
 * concurrent) collection when the old generation is 1.3× what was live: RSS stays near the
 * live size, for a few more collections. V8 reads the flag when a full collection sets the next
 * limit, so the first one after the call still ends V8's own cycle. In the benchmark's watch
 * (4 minutes of churn at 10k pods) RSS stayed within 194–217 MB, against 194–325 MB without.
 * Process-wide and idempotent.
 */
export function holdHeapSteady(): void {
  if (steady) return;
  steady = true;
  try {
    v8().setFlagsFromString(`--heap-growing-percent=${STEADY_GROWTH_PERCENT}`);
  } catch {
    // A runtime without the flag keeps V8's own sizing.
  }
}
