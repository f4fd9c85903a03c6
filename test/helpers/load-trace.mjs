// Records every file a Node process loads as an ES module, one file: URL a line, in the file
// that LOAD_TRACE_FILE names, and at exit the files it loaded as CommonJS (`require`), as
// file: URLs too, and the public Node built-ins it loaded, one `builtin:NAME` a line (imported
// or required). For tests of what a run of the bundle loads:
//   NODE_OPTIONS=--import=<this file> LOAD_TRACE_FILE=/tmp/x.txt node dist/cli.js --version
// Plain JavaScript: Node loads it before anything else, with no TypeScript in between.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

// Module hooks run on a thread of their own, which loads this file again: register only once.
if (isMainThread) {
  register(import.meta.url);
  process.on('exit', () => {
    const file = process.env.LOAD_TRACE_FILE;
    if (!file) return;
    const required = Object.keys(createRequire(import.meta.url).cache).map((f) => `${pathToFileURL(f).href}\n`);
    appendFileSync(file, required.join(''));
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/'));
    appendFileSync(file, builtins.map((m) => `builtin:${m.slice('NativeModule '.length)}\n`).join(''));
  });
}

export async function load(url, context, next) {
  if (url.startsWith('file:') && process.env.LOAD_TRACE_FILE) appendFileSync(process.env.LOAD_TRACE_FILE, `${url}\n`);
  return next(url, context);
}
