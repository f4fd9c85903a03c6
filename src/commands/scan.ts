/**
 * The `scan` command, the default: read a cluster, a kubectl dump (-f) or the bundled demo,
 * run the engine (and the registry probe with --probe), and show the report in the terminal
 * UI, as text, JSON or Markdown. Its exit code follows --fail-on.
 */
import type { Argv } from 'yargs';
import { stderrSpinner } from '../cli-progress.js';
import { UserError } from '../model/errors.js';
import type { Report } from '../model/finding.js';
import { readRunbook } from '../paths.js';
import { renderJson } from '../report/json.js';
import { stderrLines } from '../report/coverage.js';
import { renderMarkdown } from '../report/markdown.js';
import { sanitizeLine } from '../report/sanitize.js';
import { colourStyle, plainStyle, useColour } from '../report/style.js';
import { renderText } from '../report/text.js';
import { scan, type ScanOptions, type SourceSpec } from '../scan.js';
import { exitCodeFor, type FailOn } from './exit-codes.js';

type Output = 'tui' | 'text' | 'json' | 'markdown';

export interface ScanArgs {
  filename?: string[];
  demo?: boolean;
  output?: string;
  failOn: string;
  /** `-n`: one namespace, a comma-separated list, or repeated. */
  namespace?: string | string[];
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

/** `-n a,b -n c` → `[a, b, c]` (empty parts dropped, each once). */
export function namespacesOf(n: string | string[] | undefined): string[] {
  const list = (Array.isArray(n) ? n : n === undefined ? [] : [n]).flatMap((x) => String(x).split(','));
  return [...new Set(list.map((x) => x.trim()).filter(Boolean))];
}

function sourceFrom(a: ScanArgs): SourceSpec {
  if (a.demo && a.filename?.length) throw new UserError('--demo and -f cannot be used together');
  if (a.demo) return { kind: 'demo' };
  if (a.filename?.length) return { kind: 'file', paths: a.filename };
  const namespaces = namespacesOf(a.namespace);
  if (namespaces.length && a.allNamespaces) throw new UserError('-n/--namespace and -A/--all-namespaces cannot be used together');
  const spec: SourceSpec = {
    kind: 'cluster',
    requestTimeoutMs: a.requestTimeout * 1000,
    deadlineMs: a.timeout * 1000,
  };
  if (a.kubeconfig) spec.kubeconfig = a.kubeconfig;
  if (a.context?.length) spec.contexts = a.context;
  if (a.allContexts) spec.allContexts = true;
  if (namespaces.length === 1) spec.namespace = namespaces[0];
  else if (namespaces.length > 1) spec.namespaces = namespaces;
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
  const ns = src.allNamespaces
    ? 'all namespaces'
    : src.namespaces?.length
      ? `namespaces ${src.namespaces.join(', ')}`
      : src.namespace
        ? `namespace ${src.namespace}`
        : "context's namespace";
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
    const { runTui } = await import('../tui/run.js');
    const live = source.kind === 'cluster' ? await import('../live-scan.js') : undefined;
    return runTui({
      scan: (onProgress) => scan({ ...opts, onProgress }),
      // A live cluster is listed once and then followed; files and the demo rescan every --interval.
      ...(live && source.kind === 'cluster' ? { live: () => live.liveSession({ ...opts, source }) } : {}),
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
  // What the answer does not cover, on stderr too: a CI log shows it whatever the format.
  for (const line of stderrLines(report)) process.stderr.write(`pulldoctor: ${sanitizeLine(line)}\n`);
  return exitCodeFor(report, a.failOn as FailOn);
}

/** Adds `scan [pods..]` (also the default command) to the parser; `done` receives its exit code. */
export function scanCommand<T>(y: Argv<T>, done: (code: number) => void): Argv<T> {
  return y.command(
    ['scan [pods..]', '$0 [pods..]'],
    'scan a cluster, a kubectl dump (-f) or the bundled demo (--demo)',
    (y) =>
      y
        .positional('pods', { type: 'string', array: true, describe: 'only these pods (live cluster)' })
        .option('filename', { alias: 'f', type: 'string', array: true, describe: 'kubectl get -o yaml|json output: file, directory, or - for stdin (repeatable)' })
        .option('demo', { type: 'boolean', describe: 'scan the bundled demo cluster' })
        .option('output', { alias: 'o', type: 'string', choices: ['tui', 'text', 'json', 'markdown'], describe: 'output format (default: tui on a terminal, text otherwise)' })
        .option('fail-on', { type: 'string', choices: ['error', 'warning', 'info', 'never'], default: 'error', describe: 'exit 1 when a finding is at or above this severity' })
        .option('namespace', { alias: 'n', type: 'string', describe: "namespace (default: the context's namespace); several: -n a,b or -n a -n b" })
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
        .option('watch', { alias: 'w', type: 'boolean', describe: 'UI: follow the cluster (list once, then watch); files and the demo are rescanned every --interval' })
        .option('interval', { type: 'number', default: 5, describe: 'UI watch: seconds between rescans of files and the demo (a live cluster is watched, not rescanned)' })
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
      done(await runScan(args));
    },
  );
}
