#!/usr/bin/env node
/**
 * The `pulldoctor` executable: runs `main` on the process's arguments and exits with its code.
 * Everything else lives in main.ts, which has no side effects on import (tests run it in-process).
 *
 * This module is the bundle's entry (dist/cli.js) and holds nothing but what must happen before
 * the rest loads, so it imports nothing statically:
 * - `--debug` turns on source maps first, so stack traces from every module loaded after it
 *   name src/ files and lines (Node maps only modules loaded once maps are on);
 * - a lone `--version` prints package.json's version without loading the CLI (yargs alone costs
 *   more than the rest of that answer); anything else goes through yargs as before.
 */
const args = process.argv.slice(2);

/** Exit once stdout has drained, even if a keep-alive socket or timer is still open. */
function exitWith(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

if (args.includes('--debug')) process.setSourceMapsEnabled(true);

try {
  if (args.length === 1 && args[0] === '--version') {
    const { packageVersion } = await import('./paths.js');
    process.stdout.write(`${packageVersion()}\n`);
  } else {
    const { main } = await import('./main.js');
    exitWith(await main(args));
  }
} catch (e) {
  // main() reports every error of a run itself: this is main.js failing to load (an install with
  // files missing), so nothing more is loaded to say so. One printable line; exit code 3 is
  // EXIT.INTERNAL (commands/exit-codes.ts).
  const line = String(e).split('\n', 1)[0]!.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
  process.stderr.write(`pulldoctor: cannot load its own files (reinstall pulldoctor): ${line}\n`);
  exitWith(3);
}
