/**
 * pulldoctor — why can't this Pod pull its image, and what exactly do I type to fix it?
 * Commands: scan (default), rules, explain <rule>, schema.
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { findRule, RULES } from '../rules/index.js';
import { stderrSpinner } from './cli-progress.js';
import { isUserError, UserError } from './model/errors.js';
import { SEVERITY_RANK, type Report, type Severity } from './model/finding.js';
import { packageVersion, runbookFile, SCHEMA_FILE } from './paths.js';
import { renderJson } from './report/json.js';
import { renderMarkdown } from './report/markdown.js';
import { sanitizeLine, sanitizeTerminal } from './report/sanitize.js';
import { colourStyle, plainStyle, useColour } from './report/style.js';
import { renderText } from './report/text.js';
import { scan, type ScanOptions, type SourceSpec } from './scan.js';

export const EXIT = { OK: 0, FINDINGS: 1, USAGE: 2, INTERNAL: 3 } as const;

type Output = 'tui' | 'text' | 'json' | 'markdown';
type FailOn = Severity | 'never';

export function exitCodeFor(report: Report, failOn: FailOn): number {
  if (failOn === 'never') return EXIT.OK;
  if (report.errors.length) return EXIT.USAGE;
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? EXIT.FINDINGS : EXIT.OK;
}

function readRunbook(id: string): string {
  return readFileSync(runbookFile(id), 'utf8');
}

interface ScanArgs {
  filename?: string[];
  demo?: boolean;
  output?: string;
  failOn: string;
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  context?: string[];
  allContexts?: boolean;
  kubeconfig?: string;
  pods?: string[];
  probe?: string;
  insecureRegistry?: string[];
  registryCa?: string[];
  platform?: string[];
  nodes?: boolean;
  watch?: boolean;
  interval: number;
  now?: string;
  requestTimeout: number;
  timeout: number;
  debug?: boolean;
}

function sourceFrom(a: ScanArgs): SourceSpec {
  if (a.demo && a.filename?.length) throw new UserError('--demo and -f cannot be used together');
  if (a.demo) return { kind: 'demo' };
  if (a.filename?.length) return { kind: 'file', paths: a.filename };
  if (a.namespace && a.allNamespaces) throw new UserError('-n/--namespace and -A/--all-namespaces cannot be used together');
  const spec: SourceSpec = {
    kind: 'cluster',
    requestTimeoutMs: a.requestTimeout * 1000,
    deadlineMs: a.timeout * 1000,
  };
  if (a.kubeconfig) spec.kubeconfig = a.kubeconfig;
  if (a.context?.length) spec.contexts = a.context;
  if (a.allContexts) spec.allContexts = true;
  if (a.namespace) spec.namespace = a.namespace;
  if (a.allNamespaces) spec.allNamespaces = true;
  if (a.selector) spec.labelSelector = a.selector;
  if (a.pods?.length) spec.podNames = a.pods;
  if (a.nodes !== undefined) spec.includeNodes = a.nodes;
  return spec;
}

function scopeLabel(src: SourceSpec): string {
  if (src.kind === 'demo') return 'demo cluster · all namespaces';
  if (src.kind === 'file') return `file ${src.paths.join(', ')}`;
  const ctx = src.allContexts ? 'all contexts' : src.contexts?.length ? `context ${src.contexts.join(', ')}` : 'current context';
  const ns = src.allNamespaces ? 'all namespaces' : src.namespace ? `namespace ${src.namespace}` : "context's namespace";
  return `${ctx} · ${ns}${src.labelSelector ? ` · -l ${src.labelSelector}` : ''}`;
}

/** `os/arch[/variant]`, as in `docker --platform` and an image index. */
const PLATFORM_RE = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

async function runScan(a: ScanArgs): Promise<number> {
  const source = sourceFrom(a);
  const interactive = process.stdout.isTTY === true && !process.env.CI;
  const output = (a.output ?? (interactive ? 'tui' : 'text')) as Output;
  if (output === 'tui' && !interactive) {
    // Not a terminal (or CI): the UI cannot run; fall back to text.
  }
  const useTui = output === 'tui' && interactive;
  const opts: ScanOptions = { source };
  if (a.now) {
    const t = new Date(a.now);
    if (Number.isNaN(t.getTime())) throw new UserError(`--now: not a date: ${a.now}`);
    opts.now = t;
  }
  if (a.platform?.length) {
    a.platform = a.platform.flatMap((p) => p.split(',').map((x) => x.trim())).filter(Boolean);
    for (const p of a.platform) {
      if (!PLATFORM_RE.test(p)) throw new UserError(`--platform: expected os/arch[/variant] such as linux/arm64, got "${sanitizeLine(p)}"`);
    }
    opts.platforms = a.platform;
  }
  if (a.probe !== undefined) {
    if (a.probe !== 'failing' && a.probe !== 'all') throw new UserError(`--probe: expected "failing" or "all", got "${a.probe}"`);
    opts.probe = a.probe;
    opts.probeOptions = {
      requestTimeoutMs: a.requestTimeout * 1000,
      deadlineMs: a.timeout * 1000,
      ...(a.insecureRegistry?.length ? { insecureRegistries: a.insecureRegistry } : {}),
      ...(a.registryCa?.length ? { caFiles: a.registryCa } : {}),
    };
  }

  if (useTui) {
    const { runTui } = await import('./tui/run.js');
    return runTui({
      scan: (onProgress) => scan({ ...opts, onProgress }),
      scope: scopeLabel(source),
      intervalMs: a.interval * 1000,
      watch: a.watch === true,
      runbook: readRunbook,
      probe: (w) =>
        scan({
          ...opts,
          probe: 'failing',
          probeOptions: opts.probeOptions ?? {},
          probeFilter: (ctx) =>
            ctx.namespace === w.namespace && ctx.workload.kind === w.kind && ctx.workload.name === w.name && (w.cluster === undefined || ctx.cluster === w.cluster),
        }),
    });
  }

  const spinner = output === 'text' && process.stderr.isTTY ? stderrSpinner() : undefined;
  let report: Report;
  try {
    report = await scan({ ...opts, ...(spinner ? { onProgress: spinner.onProgress } : {}) });
  } finally {
    spinner?.stop();
  }
  if (output === 'json') process.stdout.write(renderJson(report));
  else if (output === 'markdown') process.stdout.write(renderMarkdown(report));
  else process.stdout.write(renderText(report, useColour(process.stdout) ? colourStyle : plainStyle));
  return exitCodeFor(report, a.failOn as FailOn);
}

function printRules(): void {
  const w = Math.max(...RULES.map((r) => r.meta.id.length));
  for (const r of RULES) {
    process.stdout.write(`${r.meta.id.padEnd(w)}  ${r.meta.severity.padEnd(7)}  ${r.meta.summary}\n`);
  }
}

/**
 * yargs reads a lone `-` as a positional, so `-f -` (stdin, as in kubectl) would lose its value.
 * Rewrite it to `--filename=-` before parsing; everything after `--` is left alone.
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
  const parser = yargs(stdinDashes(argv))
    .scriptName('pulldoctor')
    .usage('$0 [pods..] [options]\n\nWhy can\'t this Pod pull its image, and what exactly do I type to fix it?')
    .command(
      ['scan [pods..]', '$0 [pods..]'],
      'scan a cluster, a kubectl dump (-f) or the bundled demo (--demo)',
      (y) =>
        y
          .positional('pods', { type: 'string', array: true, describe: 'only these pods (live cluster)' })
          .option('filename', { alias: 'f', type: 'string', array: true, describe: 'kubectl get -o yaml|json output: file, directory, or - for stdin (repeatable)' })
          .option('demo', { type: 'boolean', describe: 'scan the bundled demo cluster' })
          .option('output', { alias: 'o', type: 'string', choices: ['tui', 'text', 'json', 'markdown'], describe: 'output format (default: tui on a terminal, text otherwise)' })
          .option('fail-on', { type: 'string', choices: ['error', 'warning', 'info', 'never'], default: 'error', describe: 'exit 1 when a finding is at or above this severity' })
          .option('namespace', { alias: 'n', type: 'string', describe: "namespace (default: the context's namespace)" })
          .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'all namespaces' })
          .option('selector', { alias: 'l', type: 'string', describe: 'label selector for pods' })
          .option('context', { type: 'string', array: true, describe: 'kubeconfig context (repeatable: scans each)' })
          .option('all-contexts', { type: 'boolean', describe: 'scan every context of the kubeconfig' })
          .option('kubeconfig', { type: 'string', describe: 'path to the kubeconfig file' })
          .option('nodes', { type: 'boolean', describe: 'read nodes (architecture, disk pressure): default only when a pull message points at the node; --no-nodes never' })
          .option('probe', { type: 'string', describe: 'ask the registries with the kubelet\'s credentials: failing (default) or all images' })
          .option('insecure-registry', { type: 'string', array: true, describe: 'registry host[:port] the probe may reach over plain HTTP' })
          .option('platform', { type: 'string', array: true, describe: "os/arch[/variant] the pods may run on (instead of the nodes'), e.g. linux/arm64; repeatable" })
          .option('registry-ca', { type: 'string', array: true, describe: 'PEM CA bundle the probe trusts (also NODE_EXTRA_CA_CERTS)' })
          .option('watch', { alias: 'w', type: 'boolean', describe: 'UI: rescan on an interval' })
          .option('interval', { type: 'number', default: 5, describe: 'UI watch interval in seconds' })
          .option('now', { type: 'string', describe: 'evaluate as of this time (ISO 8601), e.g. to replay an old dump' })
          .option('request-timeout', { type: 'number', default: 10, describe: 'per-request timeout in seconds (API server and registry probe)' })
          .option('timeout', { type: 'number', default: 120, describe: 'overall deadline in seconds for the scan, and for the probe' })
          .check((a) => {
            if (!(a.interval > 0)) throw new UserError('--interval must be a positive number of seconds');
            if (!(a['request-timeout'] > 0)) throw new UserError('--request-timeout must be a positive number of seconds');
            if (!(a.timeout > 0)) throw new UserError('--timeout must be a positive number of seconds');
            return true;
          }),
      async (a) => {
        const args = a as unknown as ScanArgs;
        if (args.probe === '') args.probe = 'failing';
        code = await runScan(args);
      },
    )
    .command('rules', 'list the rules', {}, () => {
      printRules();
    })
    .command(
      'explain <rule>',
      "print a rule's runbook (Meaning, Impact, Diagnosis, Mitigation)",
      (y) => y.positional('rule', { type: 'string', demandOption: true }),
      (a) => {
        const id = String(a.rule);
        if (!findRule(id)) throw new UserError(`unknown rule "${sanitizeLine(id)}"; see: pulldoctor rules`);
        process.stdout.write(readRunbook(id));
      },
    )
    .command('schema', 'print the JSON Schema of the -o json report', {}, () => {
      process.stdout.write(readFileSync(SCHEMA_FILE, 'utf8'));
    })
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
