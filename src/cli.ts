#!/usr/bin/env node
/**
 * The `pulldoctor` executable: runs `main` on the process's arguments and exits with its code.
 * Everything else lives in main.ts, which has no side effects on import (tests run it in-process).
 */
import { hideBin } from 'yargs/helpers';
import { EXIT, main } from './main.js';
import { sanitizeLine } from './report/sanitize.js';

/** Exit once stdout has drained, even if a keep-alive socket or timer is still open. */
function exitWith(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

main(hideBin(process.argv)).then(exitWith, (e: unknown) => {
  process.stderr.write(`pulldoctor: unexpected error: ${sanitizeLine(String(e))}\n`);
  exitWith(EXIT.INTERNAL);
});
