/**
 * Preloaded (`node --import dist-bench/bench/timeline.js dist/cli.js …`) to see where an
 * empty-cluster scan spends its time: when its first API request goes out and when the last
 * answer is in, in ms since the process started (performance.now()). Prints one JSON line on
 * stderr at exit. Diagnostic only: the timed runs do not carry it.
 */
import dc from 'node:diagnostics_channel';

const marks: { firstRequest?: number; lastResponse?: number; requests: number } = { requests: 0 };
dc.subscribe('http.client.request.start', () => {
  marks.requests++;
  marks.firstRequest ??= performance.now();
});
dc.subscribe('http.client.response.finish', () => {
  marks.lastResponse = performance.now();
});
process.on('exit', () => {
  process.stderr.write(`\nTIMELINE ${JSON.stringify({ ...marks, exit: performance.now() })}\n`);
});
