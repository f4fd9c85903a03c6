/**
 * pulldoctor — why can't this Pod pull its image, and what exactly do I type to fix it?
 * Composes the commands (src/commands/: scan, the default; serve; rules, explain <rule>, schema),
 * the global options, error handling and exit codes. No side effects on import: src/cli.ts
 * is the executable that runs `main`.
 */
import yargs from 'yargs';
import { checkCommand } from './commands/check.js';
import { EXIT } from './commands/exit-codes.js';
import { nodeCommand } from './commands/node.js';
import { rulesCommands } from './commands/rules.js';
import { scanCommand } from './commands/scan.js';
import { serveCommand } from './commands/serve.js';
import { isUserError, UserError } from './model/errors.js';
import { packageVersion } from './paths.js';
import { sanitizeLine, sanitizeTerminal } from './report/sanitize.js';

export { EXIT } from './commands/exit-codes.js';

/**
 * yargs reads a lone `-` as a positional, so `-f -` (stdin, as in kubectl) would lose its value.
 * Rewrite it to `--filename=-` (and `node --from -` to `--from=-`) before parsing; everything
 * after `--` is left alone.
 */
export function stdinDashes(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if ((a === '-f' || a === '--filename') && argv[i + 1] === '-') {
      out.push('--filename=-');
      i++;
    } else if (a === '--from' && argv[i + 1] === '-') {
      // `pulldoctor node --from -`: the report on stdin
      out.push('--from=-');
      i++;
    } else out.push(a);
  }
  return out;
}

/**
 * yargs reports an unknown `--no-such-flag` as "Unknown arguments: such-flag, suchFlag".
 * Name the options as the user typed them instead: "unknown option --no-such-flag".
 */
export function unknownOptions(msg: string | undefined, argv: string[]): string | undefined {
  const m = /^Unknown arguments?: (.*)$/.exec(msg ?? '');
  if (!m) return undefined;
  const names = m[1]!.split(', ');
  const kebab = (n: string) => n.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  const typed = new Set<string>();
  for (const name of names) {
    if (name !== kebab(name) && names.includes(kebab(name))) continue; // yargs' camelCase twin
    const token = argv.find((t) => {
      const flag = t.replace(/=.*$/s, '');
      return flag === `--${name}` || flag === `--no-${name}` || flag === `-${name}`;
    });
    typed.add(token ? token.replace(/=.*$/s, '') : name);
  }
  return `unknown ${typed.size === 1 ? 'option' : 'options'} ${[...typed].join(', ')}`;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  let debug = argv.includes('--debug');
  const setExitCode = (c: number) => {
    code = c;
  };
  const base = yargs(stdinDashes(argv))
    .scriptName('pulldoctor')
    .usage('$0 [pods..] [options]\n\nWhy can\'t this Pod pull its image, and what exactly do I type to fix it?');
  // Commands in the order `--help` lists them: scan (the default), then check, node, serve, rules, explain, schema.
  const parser = rulesCommands(serveCommand(nodeCommand(checkCommand(scanCommand(base, setExitCode), setExitCode), setExitCode), setExitCode))
    .option('debug', { type: 'boolean', describe: 'show stack traces for errors' })
    .strict()
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(`${unknownOptions(msg, argv) ?? msg ?? 'invalid arguments'} (see: pulldoctor --help)`);
    });
  try {
    const parsed = await parser.parseAsync();
    debug = parsed.debug === true;
    return code;
  } catch (e) {
    if (debug && e instanceof Error) process.stderr.write(sanitizeTerminal(e.stack ?? String(e)) + '\n');
    if (isUserError(e)) {
      process.stderr.write(`pulldoctor: ${sanitizeLine(e.message)}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`pulldoctor: unexpected error: ${sanitizeLine(msg)}${debug ? '' : ' (run with --debug for details)'}\n`);
    return EXIT.INTERNAL;
  }
}
