/**
 * `pulldoctor serve`: long-running, for on-call. Watches one cluster (in-cluster ServiceAccount
 * or a kubeconfig context) and serves Prometheus metrics, the JSON report, health checks, an
 * HTML list of findings and the runbooks (src/serve/). Exits 0 on SIGTERM/SIGINT after stopping
 * the source and closing the server; one-line errors (bad flag, unreachable cluster at start,
 * port in use) exit 2.
 */
import type { Argv } from 'yargs';
import { UserError } from '../model/errors.js';
import { sanitizeLine } from '../report/sanitize.js';
import type { RunningServer } from '../serve/server.js';
import { EXIT } from './exit-codes.js';

export interface ServeArgs {
  listen: string;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  allNamespaces?: boolean;
  interval: number;
  requestTimeout: number;
  timeout: number;
}

const log = (line: string) => process.stderr.write(`pulldoctor serve: ${sanitizeLine(line)}\n`);

/** Resolves on the first SIGTERM or SIGINT; the handlers are removed again. */
function untilSignal(): { signalled: Promise<NodeJS.Signals>; dispose: () => void } {
  let dispose = () => {};
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    const on = (sig: NodeJS.Signals) => resolve(sig);
    process.once('SIGTERM', on);
    process.once('SIGINT', on);
    dispose = () => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
    };
  });
  return { signalled, dispose };
}

async function runServe(a: ServeArgs): Promise<number> {
  if (a.namespace && a.allNamespaces) throw new UserError('-n/--namespace and -A/--all-namespaces cannot be used together');
  // Loaded on use: prom-client alone costs ~0.2 s, which no other command should pay.
  const [{ ServeMetrics }, { watchCluster }, { parseListen, startHttpServer }, { ServeService }] = await Promise.all([
    import('../serve/metrics.js'),
    import('../collect/live-source.js'),
    import('../serve/server.js'),
    import('../serve/service.js'),
  ]);
  const addr = parseListen(a.listen);
  const metrics = new ServeMetrics();
  const intervalMs = a.interval * 1000;
  // List once, then watch: the API cost does not grow with time (src/collect/live-source.ts).
  const source = watchCluster({
    requestTimeoutMs: a.requestTimeout * 1000,
    deadlineMs: a.timeout * 1000,
    onRequest: metrics.observeRequest,
    ...(a.kubeconfig ? { kubeconfig: a.kubeconfig } : {}),
    ...(a.context ? { context: a.context } : {}),
    ...(a.namespace ? { namespace: a.namespace } : {}),
    ...(a.allNamespaces ? { allNamespaces: true } : {}),
  });
  const service = new ServeService({ source, metrics, intervalMs, log });
  const { signalled, dispose } = untilSignal();
  let server: RunningServer | undefined;
  try {
    server = await startHttpServer(addr, service, metrics, log);
    log(`listening on ${server.url}${addr.host ? '' : ' (all interfaces)'}`);
    // The initial sync races a signal: SIGTERM during a slow first list still exits 0.
    const sig = (await Promise.race([service.start().then(() => undefined), signalled])) ?? (await signalled);
    log(`${sig}: shutting down`);
    return EXIT.OK;
  } finally {
    dispose();
    await service.stop().catch(() => undefined);
    await server?.close();
  }
}

/** Adds `serve` to the parser; `done` receives its exit code. */
export function serveCommand<T>(y: Argv<T>, done: (code: number) => void): Argv<T> {
  return y.command(
    'serve',
    'watch a cluster and serve Prometheus metrics, the JSON report and runbooks over HTTP',
    (y) =>
      y
        .option('listen', { type: 'string', default: '127.0.0.1:9489', describe: 'HOST:PORT to listen on; :9489 for every interface (in a Pod)' })
        .option('context', { type: 'string', describe: 'kubeconfig context (default: the current one, or in-cluster)' })
        .option('kubeconfig', { type: 'string', describe: 'path to the kubeconfig file' })
        .option('namespace', { alias: 'n', type: 'string', describe: "namespace (default: the context's namespace)" })
        .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'all namespaces' })
        .option('interval', { type: 'number', default: 60, describe: 'seconds between re-evaluations of the rules (token and event ages); cluster changes arrive through watches at once' })
        .option('request-timeout', { type: 'number', default: 10, describe: 'per-request timeout in seconds' })
        .option('timeout', { type: 'number', default: 120, describe: 'deadline in seconds for one scan' })
        .check((a) => {
          if (!(a.interval > 0)) throw new UserError('--interval must be a positive number of seconds');
          if (!(a['request-timeout'] > 0)) throw new UserError('--request-timeout must be a positive number of seconds');
          if (!(a.timeout > 0)) throw new UserError('--timeout must be a positive number of seconds');
          if (Array.isArray(a.context)) throw new UserError('serve watches one cluster: give --context once');
          return true;
        }),
    async (a) => {
      done(await runServe(a as unknown as ServeArgs));
    },
  );
}
