/**
 * The `check` command: workload manifests (files, directories, `-`; `helm template` and
 * `kustomize build` output) checked the way the kubelet would pull their images once applied —
 * against a live context, a dump (`--against`), or the manifests alone. Output as text, JSON,
 * Markdown, SARIF 2.1.0 (code scanning) or GitHub workflow annotations; exit codes as the scan's.
 */
import type { Argv } from 'yargs';
import type { CheckAgainst, CheckOptions } from '../check.js';
import { UserError } from '../model/errors.js';
import type { Report } from '../model/finding.js';
import { sanitizeLine } from '../report/sanitize.js';
import { exitCodeFor, type FailOn } from './exit-codes.js';

type Output = 'text' | 'json' | 'markdown' | 'sarif' | 'github';

export interface CheckArgs {
  filename?: string[];
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  against?: string[];
  output: Output;
  failOn: string;
  probe?: boolean;
  insecureRegistry?: string[];
  registryCa?: string[];
  now?: string;
  requestTimeout: number;
  timeout: number;
}

function againstOf(a: CheckArgs): CheckAgainst {
  const live = a.context !== undefined || a.kubeconfig !== undefined;
  if (a.against?.length && live) throw new UserError('--against and --context/--kubeconfig cannot be used together: check against a dump or a cluster');
  if (a.against?.length) return { kind: 'file', paths: a.against };
  if (!live) return { kind: 'none' };
  return {
    kind: 'cluster',
    ...(a.kubeconfig ? { kubeconfig: a.kubeconfig } : {}),
    ...(a.context ? { context: a.context } : {}),
    requestTimeoutMs: a.requestTimeout * 1000,
    deadlineMs: a.timeout * 1000,
  };
}

async function render(report: Report, output: Output): Promise<string> {
  switch (output) {
    case 'json':
      return (await import('../report/json.js')).renderJson(report);
    case 'markdown':
      return (await import('../report/markdown.js')).renderMarkdown(report);
    case 'sarif': {
      const [{ renderSarif }, { CHECK_RULES }] = await Promise.all([import('../report/sarif.js'), import('../../rules/check-rules.js')]);
      return renderSarif(report, CHECK_RULES.map((r) => r.meta));
    }
    case 'github':
      return (await import('../report/github.js')).renderGithub(report);
    default: {
      const [{ renderText }, style] = await Promise.all([import('../report/text.js'), import('../report/style.js')]);
      return renderText(report, style.useColour(process.stdout) ? style.colourStyle : style.plainStyle);
    }
  }
}

async function runCheck(a: CheckArgs): Promise<number> {
  if (!a.filename?.length) throw new UserError('check needs manifests: -f FILE, -f DIRECTORY or -f - (stdin)');
  const opts: CheckOptions = { paths: a.filename, against: againstOf(a) };
  if (a.namespace) opts.namespace = a.namespace;
  if (a.now) {
    const t = new Date(a.now);
    if (Number.isNaN(t.getTime())) throw new UserError(`--now: not a date: ${sanitizeLine(a.now)}`);
    opts.now = t;
  }
  if (a.probe) {
    opts.probe = {
      requestTimeoutMs: a.requestTimeout * 1000,
      deadlineMs: a.timeout * 1000,
      ...(a.insecureRegistry?.length ? { insecureRegistries: a.insecureRegistry } : {}),
      ...(a.registryCa?.length ? { caFiles: a.registryCa } : {}),
    };
  }
  const { check } = await import('../check.js');
  let report: Report;
  try {
    report = await check(opts);
  } catch (e) {
    // Bad input stays one line on stderr and exit 2; in a workflow it is also an annotation on
    // the file and line it names, so the pull request shows where.
    if (a.output === 'github' && e instanceof UserError) {
      const { badInputAnnotation } = await import('../report/github.js');
      const { statSync } = await import('node:fs');
      const line = badInputAnnotation(e.message, (f) => statSync(f, { throwIfNoEntry: false })?.isFile() === true);
      if (line) process.stdout.write(line);
    }
    throw e;
  }
  process.stdout.write(await render(report, a.output));
  // What the answer does not cover, on stderr too: a CI log shows it whatever the format.
  const { stderrLines } = await import('../report/coverage.js');
  for (const line of stderrLines(report)) process.stderr.write(`pulldoctor: ${sanitizeLine(line)}\n`);
  return exitCodeFor(report, a.failOn as FailOn);
}

/** Adds `check` to the parser; `done` receives its exit code. */
export function checkCommand<T>(y: Argv<T>, done: (code: number) => void): Argv<T> {
  return y.command(
    'check',
    'check workload manifests before they are deployed (-f FILE|DIR|-), against a cluster (--context), a dump (--against) or alone',
    (y) =>
      y
        .option('filename', { alias: 'f', type: 'string', array: true, describe: 'manifests: file, directory, or - for stdin (helm template, kustomize build output); repeatable' })
        .option('namespace', { alias: 'n', type: 'string', describe: "namespace of objects whose manifest names none (default: the context's, else default)" })
        .option('context', { type: 'string', describe: "check against this kubeconfig context's Secrets and ServiceAccounts" })
        .option('kubeconfig', { type: 'string', describe: 'path to the kubeconfig file (checks against its current context)' })
        .option('against', { type: 'string', array: true, describe: 'check against a dump (kubectl get secrets,serviceaccounts -o yaml) instead of a cluster; repeatable' })
        .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'markdown', 'sarif', 'github'], default: 'text', describe: 'output format' })
        .option('fail-on', { type: 'string', choices: ['error', 'warning', 'info', 'never'], default: 'error', describe: 'exit 1 when a finding is at or above this severity' })
        .option('probe', { type: 'boolean', describe: "ask each image's registry with the credentials the kubelet would send (does the tag exist?)" })
        .option('insecure-registry', { type: 'string', array: true, describe: 'registry host[:port] the probe may reach over plain HTTP' })
        .option('registry-ca', { type: 'string', array: true, describe: 'PEM CA bundle the probe trusts (also NODE_EXTRA_CA_CERTS)' })
        .option('now', { type: 'string', describe: 'evaluate as of this time (ISO 8601)' })
        .option('request-timeout', { type: 'number', default: 10, describe: 'per-request timeout in seconds (API server and registry probe)' })
        .option('timeout', { type: 'number', default: 120, describe: 'overall deadline in seconds for the cluster reads, and for the probe' })
        .check((a) => {
          if (!(a['request-timeout'] > 0)) throw new UserError('--request-timeout must be a positive number of seconds');
          if (!(a.timeout > 0)) throw new UserError('--timeout must be a positive number of seconds');
          return true;
        }),
    async (a) => {
      done(await runCheck(a as unknown as CheckArgs));
    },
  );
}
