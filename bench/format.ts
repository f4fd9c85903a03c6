/** Number formatting for BENCHMARKS.md. */

export const s = (ms: number) => (Number.isFinite(ms) ? (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`) : '–');
export const mb = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} MB` : '–');
export const bytes = (b: number) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
export const x = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '–');
export const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
export const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** Median and range of a run set: `1.23 s (1.10–1.40 s, 5 runs)`. */
export const med = (l: { ms: number; msAll: number[] } | undefined) =>
  l ? `${s(l.ms)} (${s(Math.min(...l.msAll))}–${s(Math.max(...l.msAll))}, ${l.msAll.length} run${l.msAll.length === 1 ? '' : 's'})` : '–';
