// Records every file a Node process loads as an ES module, one file: URL a line, in the file
// that LOAD_TRACE_FILE names. For tests of what a run of the bundle loads:
//   NODE_OPTIONS=--import=<this file> LOAD_TRACE_FILE=/tmp/x.txt node dist/cli.js --version
// Plain JavaScript: Node loads it before anything else, with no TypeScript in between.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// Module hooks run on a thread of their own, which loads this file again: register only once.
if (isMainThread) register(import.meta.url);

export async function load(url, context, next) {
  if (url.startsWith('file:') && process.env.LOAD_TRACE_FILE) appendFileSync(process.env.LOAD_TRACE_FILE, `${url}\n`);
  return next(url, context);
}
