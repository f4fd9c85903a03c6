/** BENCHMARKS.md, section 5: watch mode under churn (bench/watch.ts). */
import { int, k, mb, s } from './format.js';
import { median } from './stats.js';
import type { WatchResult, WatchSizeResult } from './watch.js';

/** Watch figures derived from one size's samples. */
export function watchFigures(w: WatchSizeResult) {
  const perMin = w.afterTotal / w.minutes;
  const rss = w.rss.filter(([, mbv]) => Number.isFinite(mbv));
  const total = rss.length ? (rss[rss.length - 1] as [number, number])[0] : 0;
  // First and last two minutes of the churn (the first samples after the initial list vs the end).
  const head = rss.filter(([t]) => t <= 120).map(([, v]) => v);
  const tail = rss.filter(([t]) => t >= total - 120).map(([, v]) => v);
  const rssStart = median(head);
  const rssEnd = median(tail);
  // Least-squares slope over the second half, MB per minute.
  const half = rss.filter(([t]) => t >= total / 2);
  let slope = NaN;
  if (half.length >= 3) {
    const mx = half.reduce((a, [t]) => a + t, 0) / half.length;
    const my = half.reduce((a, [, v]) => a + v, 0) / half.length;
    const num = half.reduce((a, [t, v]) => a + (t - mx) * (v - my), 0);
    const den = half.reduce((a, [t]) => a + (t - mx) ** 2, 0);
    slope = den > 0 ? (num / den) * 60 : NaN;
  }
  const seen = w.changes.filter((c) => c.ms !== undefined).map((c) => c.ms as number).sort((a, b) => a - b);
  const p95 = seen.length ? (seen[Math.min(seen.length - 1, Math.ceil(seen.length * 0.95) - 1)] as number) : NaN;
  return {
    perMin,
    rssStart,
    rssEnd,
    rssMin: Math.min(...rss.map(([, v]) => v)),
    rssMax: Math.max(...rss.map(([, v]) => v)),
    slope,
    seen,
    missed: w.changes.length - seen.length,
    medianMs: median(seen),
    p95,
    maxMs: seen.length ? (seen[seen.length - 1] as number) : NaN,
  };
}

/**
 * Why the RSS target failed, in figures: the lowest and the median sample of each third of the
 * run. A heap that keeps more over time raises the lows; V8 letting the heap grow further between
 * full collections raises the medians and the highs while the lows stay put.
 */
export function watchRssObstacle(ws: WatchSizeResult[]): string {
  const thirds = ws.map((w) => {
    const rss = w.rss.filter(([, v]) => Number.isFinite(v));
    const total = rss.length ? (rss[rss.length - 1] as [number, number])[0] : 0;
    const parts = [0, 1, 2].map((i) => rss.filter(([t]) => t >= (total * i) / 3 && (i === 2 || t < (total * (i + 1)) / 3)).map(([, v]) => v));
    const lows = parts.map((a) => (a.length ? mb(Math.min(...a)) : '–')).join(' → ');
    const medians = parts.map((a) => (a.length ? mb(median(a)) : '–')).join(' → ');
    return `${k(w.pods)}: lowest sample per third of the run ${lows}, median ${medians}`;
  });
  return `RSS by thirds of the run (samples every 5 s): ${thirds.join('; ')}. Section 5 has the samples.`;
}

export function watchObstacle(ws: WatchSizeResult[]): string {
  return ws
    .map((w) => {
      const byStep = new Map<string, number[]>();
      for (const c of w.changes) byStep.set(c.step, [...(byStep.get(c.step) ?? []), c.ms ?? Infinity]);
      return `${k(w.pods)}: ${[...byStep].map(([st, v]) => `${st} max ${s(Math.max(...v))}`).join(', ')}`;
    })
    .join('; ');
}

export function renderWatch(w: WatchResult, p: (line?: string) => void): void {
  p('## 5. Watch mode under churn');
  p();
  p(`\`pulldoctor -A -w\` for ${w.minutes} minute${w.minutes === 1 ? '' : 's'} at ${w.sizes.map((z) => k(z.pods)).join(' and ')} pods at the same time, the same churn on both: a change every ${(w.stepMs / 1000).toFixed(0)} s, noise ${w.noisePerSecond}/s.`);
  p();
  p('| pods | first report on screen | start-up requests (until 5 s without one) | requests after them (renewals / new watches / lists and GETs) | per minute | open watches at start / end | RSS first 2 min → last 2 min | RSS range | slope (2nd half) | changes seen | median | p95 | max |');
  p('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const z of w.sizes) {
    const f = watchFigures(z);
    p(`| ${k(z.pods)} | ${s(z.firstScreenMs)} | ${int(z.initialRequests)} in ${s(z.settledMs)} | ${int(z.afterTotal)} (${z.renewals} / ${z.newWatches} / ${z.otherAfter}) | ${f.perMin.toFixed(1)} | ${z.watchesAtStart} / ${z.openWatchesAtEnd} | ${mb(f.rssStart)} → ${mb(f.rssEnd)} | ${mb(f.rssMin)}–${mb(f.rssMax)} | ${f.slope.toFixed(1)} MB/min | ${f.seen.length}/${z.changes.length} | ${s(f.medianMs)} | ${s(f.p95)} | ${s(f.maxMs)} |`);
  }
  p();
  for (const z of w.sizes) {
    const byStep = new Map<string, number[]>();
    for (const c of z.changes) if (c.ms !== undefined) byStep.set(c.step, [...(byStep.get(c.step) ?? []), c.ms]);
    p(`- ${k(z.pods)}: requests after the initial list by kind: ${Object.entries(z.after).sort((a, b) => b[1] - a[1]).map(([kk, n]) => `${kk} ${n}`).join(', ') || 'none'}; cumulative at the end of each minute: [${z.perMinute.join(', ')}]; per-pod requests ${z.perPod}; noise changes applied ${int(z.noiseChanges)}${z.aliveAtEnd ? '' : `; **the UI was not running at the end**: ${z.exitText ?? ''}`}.`);
    p(`  Time to screen by step: ${[...byStep].map(([st, v]) => `${st} median ${s(median(v))}, max ${s(Math.max(...v))} (${v.length})`).join('; ')}.`);
    const every = z.rss.filter(([t]) => t % 30 < 5).map(([t, v]) => `${Math.round(t / 60 * 10) / 10}′ ${Math.round(v)}`);
    p(`  RSS (MB) every ~30 s: ${every.join(', ')}.`);
  }
  p();
  p('Requests after the initial list are watch renewals (the server ends each stream after 5–10 minutes; pulldoctor resumes it from the last resourceVersion) and what the churn causes: a cluster-wide `metadata.name` lookup (list + watch) for each newly named missing secret, the watches of events and secrets of a namespace that becomes affected (and its one list of secrets), one GET per newly named secret. None is per pod. The number of watches, and so of renewals, follows the namespaces with pull problems (two per affected namespace: events and secrets), not the pods in them.');
  p();
}
