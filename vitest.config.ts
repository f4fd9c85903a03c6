import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Projects: `unit` (in process, no network beyond loopback stubs, no child processes), `e2e`
 * (anything that spawns the built binary, a registry, tmux or kubectl, or talks to the API
 * double over HTTP) and `e2e-isolated` (an e2e-project file that needs a process of its own).
 * `npm test` builds and runs them all; `npm run test:unit` runs the fast part.
 */
const E2E = [
  'test/*-e2e.test.ts', // the built CLI: cli-e2e, cli-cluster-e2e (API double), probe-e2e (registries), tui-e2e (tmux)
  'test/probe.test.ts', // real CNCF Distribution registries (docker-registry)
  'test/node-rules-fixtures.test.ts', // runs the fixtures' credential provider plugins (shell scripts)
  'test/cluster-source.test.ts', // the API double over HTTPS
  'test/kubectl-double.test.ts', // kubectl against the API double
  'test/version.test.ts', // mocks a module: needs a module cache of its own (ISOLATED)
];
/** Files that need a fresh process: they mock a module, which files sharing a worker would see. */
const ISOLATED = ['test/version.test.ts'];

export default defineConfig({
  // React and Ink run as they ship: the bundle is built with NODE_ENV=production (scripts/build.mjs),
  // so the UI tests render with React's production build and the production JSX runtime too.
  // React's development build checks every element and hook call, which made the UI files
  // two to three times slower, and its warnings are not behaviour a user sees.
  oxc: { jsx: { runtime: 'automatic', development: false } },
  test: {
    // NODE_EXTRA_CA_CERTS empty: no test trusts the machine's extra CAs (every server a test
    // starts has its own CA, handed over by kubeconfig or --registry-ca), and every Node process a
    // test starts (the CLI, serve, the UI in tmux) would parse that bundle first: tens of ms each.
    env: { NODE_ENV: 'production', NODE_EXTRA_CA_CERTS: '' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker less than the cores: 1 on a 2-core machine. The e2e files
    // mostly wait (for child processes, terminals, registries, Prometheus' rule evaluation), so
    // three workers keep two cores busy. Measured on 2 cores, quiet: 2 workers 110-118 s,
    // 3 workers 97 s, 4 workers 91 s (more contention for the tests that wait on a clock).
    maxWorkers: Math.max(3, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: [...configDefaults.exclude, ...E2E],
          // Files share a worker's module cache instead of a fresh process each: the per-file
          // start-up was most of the unit run. The setup file fails any file that leaves the
          // process changed (environment, cwd, streams), so sharing stays safe.
          isolate: false,
          setupFiles: ['test/helpers/no-leaks.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          exclude: [...configDefaults.exclude, ...ISOLATED],
          // Shared workers too: most of an e2e file's own start-up was importing the same helpers
          // and sources again. The same setup file keeps each file from changing the process.
          isolate: false,
          setupFiles: ['test/helpers/no-leaks.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-isolated',
          include: ISOLATED,
        },
      },
    ],
  },
});
