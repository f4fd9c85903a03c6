/**
 * The `node` command: what only the node knows about image pulls, read from its filesystem —
 * meant for `kubectl debug node/<name> -it --profile=sysadmin --image=<pulldoctor image> --
 * pulldoctor node --root /host [IMAGE…]`. Same findings, formats and exit codes as `scan`.
 */
import type { Argv } from 'yargs';
import { UserError } from '../model/errors.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { colourStyle, plainStyle, useColour } from '../report/style.js';
import { renderText } from '../report/text.js';
import { exitCodeFor, type FailOn } from './exit-codes.js';

interface NodeArgs {
  images?: string[];
  root: string;
  from?: string;
  nodeName?: string;
  probe?: boolean;
  output?: string;
  failOn: string;
  insecureRegistry?: string[];
  registryCa?: string[];
  requestTimeout: number;
  timeout: number;
  now?: string;
}

async function runNode(a: NodeArgs): Promise<number> {
  let now: Date | undefined;
  if (a.now) {
    now = new Date(a.now);
    if (Number.isNaN(now.getTime())) throw new UserError(`--now: not a date: ${a.now}`);
  }
  // The node reader (TOML, YAML, the probe) loads only when `node` runs.
  const { nodeScan } = await import('../node-scan.js');
  const report = await nodeScan({
    root: a.root,
    images: a.images ?? [],
    ...(a.from ? { from: a.from } : {}),
    ...(a.nodeName ? { nodeName: a.nodeName } : {}),
    probe: a.probe === true,
    probeOptions: {
      requestTimeoutMs: a.requestTimeout * 1000,
      deadlineMs: a.timeout * 1000,
      ...(a.insecureRegistry?.length ? { insecureRegistries: a.insecureRegistry } : {}),
      ...(a.registryCa?.length ? { caFiles: a.registryCa } : {}),
    },
    ...(now ? { now } : {}),
  });
  const output = a.output ?? 'text';
  if (output === 'json') process.stdout.write(renderJson(report));
  else if (output === 'markdown') process.stdout.write(renderMarkdown(report));
  else process.stdout.write(renderText(report, useColour(process.stdout) ? colourStyle : plainStyle));
  return exitCodeFor(report, a.failOn as FailOn);
}

/** Adds `node [images..]` to the parser; `done` receives its exit code. */
export function nodeCommand<T>(y: Argv<T>, done: (code: number) => void): Argv<T> {
  return y.command(
    'node [images..]',
    "check a node's own pull configuration (kubelet credential providers, node docker config, containerd/CRI-O registries) from its filesystem",
    (y) =>
      y
        .positional('images', { type: 'string', array: true, describe: 'images to check against the node configuration' })
        .option('root', { type: 'string', default: '/', describe: "where the node's filesystem is mounted (/host in a kubectl debug node pod)" })
        .option('from', { type: 'string', describe: 'a pulldoctor -o json report (- for stdin): also check the images of its failing pods' })
        .option('node-name', { type: 'string', describe: 'the node name (default: --hostname-override, else /etc/hostname under --root)' })
        .option('probe', { type: 'boolean', describe: 'run the credential provider plugins as the kubelet does and ask the registries and mirrors' })
        .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'markdown'], describe: 'output format (default: text)' })
        .option('fail-on', { type: 'string', choices: ['error', 'warning', 'info', 'never'], default: 'error', describe: 'exit 1 when a finding is at or above this severity' })
        .option('insecure-registry', { type: 'string', array: true, describe: 'registry host[:port] the probe may reach over plain HTTP' })
        .option('registry-ca', { type: 'string', array: true, describe: 'PEM CA bundle the probe trusts (besides the CA files the node configures)' })
        .option('request-timeout', { type: 'number', default: 10, describe: 'per-request timeout of the registry probe, in seconds' })
        .option('timeout', { type: 'number', default: 120, describe: 'overall deadline of the registry probe, in seconds' })
        .option('now', { type: 'string', describe: 'evaluate as of this time (ISO 8601)' })
        .check((a) => {
          if (!(a['request-timeout'] > 0)) throw new UserError('--request-timeout must be a positive number of seconds');
          if (!(a.timeout > 0)) throw new UserError('--timeout must be a positive number of seconds');
          return true;
        }),
    async (a) => {
      done(await runNode(a as unknown as NodeArgs));
    },
  );
}
