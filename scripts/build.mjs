// `npm run build`: the published CLI as one minified ESM bundle with code splitting (esbuild).
//
//   dist/cli.js               the entry (`bin`): argument fast paths, then imports the rest
//   dist/chunks/*.js          split on dynamic imports: the CLI core, the UI (ink/react), the
//                             registry probe, the live-cluster client (@kubernetes/client-node),
//                             the YAML parser; each loads only when a run needs it
//   dist/**/*.js.map          source maps (paths point at src/ and node_modules/); `--debug`
//                             turns them on, so stack traces name src/ files and lines
//   dist/THIRD-PARTY-LICENSES.txt  the licences of the bundled packages (they are not installed
//                             as dependencies: the bundle carries them)
//
//   node scripts/build.mjs --bench   also bundles bench/*.ts (not minified, packages left
//                                    external) into dist-bench/bench/*.js, for `npm run bench`
//   node scripts/build.mjs --dev     not minified (to read a profile); --meta FILE writes
//                                    esbuild's metafile (what went into which chunk)
//
// Type checking is not the bundler's job: `npm run typecheck` (tsc --noEmit) is the gate.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const started = performance.now();

/**
 * Optional modules that bundled packages load only when present or asked for: ink's React
 * DevTools bridge (DEV=true), ws's native add-ons. They are not installed; left as imports they
 * fail only if reached, exactly as in an unbundled install without them.
 */
const OPTIONAL = ['react-devtools-core', 'bufferutil', 'utf-8-validate'];

/**
 * CommonJS packages inside an ESM bundle call `require` for Node's built-ins; ESM has no
 * `require`, so each chunk gets one. (esbuild's `__require` shim finds it.)
 */
const REQUIRE_SHIM = "import{createRequire as __pdRequire}from'node:module';const require=__pdRequire(import.meta.url);";

/**
 * client-node's generated API clients and models (dist/gen/) have no import-time side effects,
 * but the package does not say so (`sideEffects`), so a bundler keeps every model class that
 * the index re-exports. Saying it for that directory lets the unused ones go.
 */
const pureGeneratedCode = {
  name: 'client-node-gen-is-pure',
  setup(b) {
    // gen/'s imports are relative paths to .js files; the filter keeps the calls to their shapes.
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      const file = path.join(args.resolveDir, args.path);
      if (!file.includes(CLIENT_NODE_GEN) || !args.importer.includes(CLIENT_NODE_DIST)) return undefined;
      return { path: file, sideEffects: false };
    });
  },
};
/**
 * node-fetch 2 (client-node's HTTP layer) takes `URL` from Node's `url` module and falls back to
 * the `whatwg-url` package only where Node has none: never on Node 20. The fallback alone is a
 * quarter of the live-cluster chunk (its Unicode mapping table), so it becomes Node's own URL.
 */
const nodeUrlForWhatwgUrl = {
  name: 'whatwg-url-is-node-url',
  setup(b) {
    b.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'node-url' }));
    b.onLoad({ filter: /.*/, namespace: 'node-url' }, () => ({
      contents: "import { URL, URLSearchParams } from 'node:url'; export default { URL, URLSearchParams }; export { URL, URLSearchParams };",
      loader: 'js',
    }));
  },
};

/**
 * Imports that a package makes at load time for something few runs use become stubs that load
 * the real module on first use (esbuild runs a `require`d ESM module's body only when `require`
 * first runs; a CommonJS one likewise). Keyed by the importing package, then the import:
 * - yargs lays out `--help` with `cliui` and `string-width`, whose module bodies build Unicode
 *   tables and an `Intl.Segmenter` (ICU data): tens of milliseconds on every start, help or
 *   not. Only `--help` and usage messages need them.
 * - client-node's KubeConfig imports `socks-proxy-agent` (with `socks`, `ip-address`, `debug`)
 *   for kubeconfigs with a `socks5://` proxy-url: two thirds of the time its module takes to
 *   load. Its one use is `new SocksProxyAgent(url, options)`; a constructor that returns
 *   another object makes `new` give the real agent.
 * - client-node's auth plugins import what only their own kubeconfigs use: `node:child_process`
 *   (exec credential plugins, the azure/gcp auth-providers' commands, and WSL lookups on
 *   Windows; with it Node loads dgram and its child-process plumbing) and `jsonpath-plus` (the
 *   azure/gcp auth-providers' token paths; its expression parser registers its operators at
 *   load). A token or client-certificate kubeconfig needs neither; the stubs load each on its
 *   first use. (`openid-client` is not stubbed: imported as ESM, all but the two functions the
 *   OIDC plugin calls are left out of the bundle; a `require` would bring the whole package.)
 * Everyone else (the UI imports string-width) gets the real modules as usual.
 */
/**
 * What client-node calls of `node:child_process` (its files name the module `child_process` or
 * `proc`): the stub forwards exactly these, and the build stops if a new version calls another.
 */
const CHILD_PROCESS_USED = ['execSync', 'spawn', 'spawnSync'];
{
  const dir = path.join(ROOT, 'node_modules', '@kubernetes', 'client-node', 'dist');
  const used = new Set();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/\b(?:child_process|proc)\.([A-Za-z]+)/g)) used.add(m[1]);
  }
  const more = [...used].filter((f) => !CHILD_PROCESS_USED.includes(f));
  if (more.length) throw new Error(`build: @kubernetes/client-node now calls child_process.${more.join(', ')}; add it to CHILD_PROCESS_USED`);
}

const ON_DEMAND = {
  yargs: {
    cliui: 'export default function cliui(...a) { return require("cliui").default(...a); }',
    'string-width': 'export default function stringWidth(...a) { return require("string-width").default(...a); }',
  },
  '@kubernetes/client-node': {
    'socks-proxy-agent':
      'export class SocksProxyAgent { constructor(...a) { const { SocksProxyAgent } = require("socks-proxy-agent"); return new SocksProxyAgent(...a); } }',
    'node:child_process': `export default { ${CHILD_PROCESS_USED.map((f) => `${f}: (...a) => require("node:child_process").${f}(...a)`).join(', ')} };`,
    'jsonpath-plus': 'export function JSONPath(...a) { return require("jsonpath-plus").JSONPath(...a); }',
  },
};
const onDemand = {
  name: 'on-demand',
  setup(b) {
    const importers = Object.keys(ON_DEMAND).map((pkg) => [`${path.sep}node_modules${path.sep}${pkg.replace('/', path.sep)}${path.sep}`, ON_DEMAND[pkg]]);
    const names = [...new Set(Object.values(ON_DEMAND).flatMap(Object.keys))];
    const filter = new RegExp(`^(?:${names.map((n) => n.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => {
      const stubs = importers.find(([dir]) => args.importer.includes(dir))?.[1];
      const contents = stubs?.[args.path];
      return contents ? { path: args.path, namespace: 'on-demand', pluginData: { contents, resolveDir: args.resolveDir } } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'on-demand' }, (args) => ({ contents: args.pluginData.contents, resolveDir: args.pluginData.resolveDir, loader: 'js' }));
  },
};

/**
 * yargs reads parser settings from the `yargs` key of the package.json nearest its own files,
 * found by walking up from `node_modules/yargs`; bundled there is no such directory and it
 * walks up from the user's working directory instead: a stranger's package.json could change
 * how pulldoctor parses its arguments, and a directory with no package.json above it costs a
 * listing of every directory up to / and a failed assertion per start. The walk starts from the
 * bundle's own directory, as it started from pulldoctor's install before.
 */
const yargsOwnPackageJson = {
  name: 'yargs-own-package-json',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const from = 'mainFilename: mainFilename || process.cwd(),';
      if (!text.includes(from)) throw new Error(`build: ${args.path} changed: no "${from}"; see yargsOwnPackageJson`);
      return { contents: text.replace(from, "mainFilename: fileURLToPath(new URL('.', import.meta.url)),"), loader: 'js' };
    });
  },
};

const CLIENT_NODE_DIST = path.join('node_modules', '@kubernetes', 'client-node', 'dist') + path.sep;
const CLIENT_NODE_GEN = CLIENT_NODE_DIST + 'gen' + path.sep;

rmSync(DIST, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: DIST,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: !process.argv.includes('--dev'),
  sourcemap: 'linked',
  sourcesContent: false,
  plugins: [pureGeneratedCode, nodeUrlForWhatwgUrl, onDemand, yargsOwnPackageJson],
  legalComments: 'none', // collected into THIRD-PARTY-LICENSES.txt instead
  banner: { js: REQUIRE_SHIM },
  external: OPTIONAL,
  // React's and others' production builds; pulldoctor itself never reads NODE_ENV.
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
  logLevel: 'warning',
});

writeFileSync(path.join(DIST, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(result.metafile));
const metaAt = process.argv.indexOf('--meta');
if (metaAt > 0) writeFileSync(process.argv[metaAt + 1], JSON.stringify(result.metafile));

if (process.argv.includes('--bench')) {
  // Every bench/*.ts may be run as a program (run.ts starts the others as child processes).
  const BENCH = path.join(ROOT, 'dist-bench');
  rmSync(BENCH, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: readdirSync(path.join(ROOT, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => `bench/${f}`),
    outdir: BENCH,
    outbase: ROOT,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external', // from node_modules at run time, as in development
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
const entry = outputs.find(([f]) => f.endsWith('dist/cli.js'));
const total = outputs.reduce((s, [, o]) => s + o.bytes, 0);
console.log(
  `build: dist/cli.js ${kb(entry?.[1].bytes ?? 0)} + ${outputs.length - 1} chunks, ${kb(total)} in all, in ${Math.round(performance.now() - started)} ms`,
);

/** One section per bundled package (name, version, licence text), sorted by name. */
function thirdPartyLicenses(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  const sections = [];
  for (const dir of [...dirs].sort()) {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));
    const files = readdirSync(path.join(ROOT, dir)).filter((f) => /^(licen[cs]e|copying|notice)/i.test(f));
    const texts = files.map((f) => readFileSync(path.join(ROOT, dir, f), 'utf8').trim());
    const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'see package');
    sections.push(`${pkg.name}@${pkg.version} (${license})\n\n${texts.join('\n\n') || `License: ${license}`}`);
  }
  const header = 'pulldoctor bundles the following packages (see dist/cli.js and dist/chunks/).\n';
  return [header, ...sections].join(`\n\n${'-'.repeat(78)}\n\n`) + '\n';
}

if (!existsSync(path.join(DIST, 'cli.js'))) throw new Error('build: dist/cli.js was not written');
