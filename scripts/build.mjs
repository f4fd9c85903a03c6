// `npm run build`: the published CLI as one minified ESM bundle with code splitting (esbuild).
//
//   dist/cli.js               the entry (`bin`): argument fast paths, then imports the rest
//   dist/chunks/*.js          split on dynamic imports: the CLI core, the UI (ink/react), the
//                             registry probe, the live-cluster client (@kubernetes/client-node),
//                             the YAML parser; each loads only when a run needs it; what every
//                             run after argument parsing shares is one chunk (see oneCore)
//   dist/lazy/*.cjs           packages that bundled packages import for what few runs use (the
//                             SOCKS client, OIDC, --help's layout), `require`d on first use
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
 * the real module on first use: a built-in by `require`, a package from a file of its own under
 * dist/lazy/ (see LAZY_DIR). Keyed by the importing package, then the import:
 * - yargs lays out `--help` with `cliui` and `string-width`, whose module bodies build Unicode
 *   tables and an `Intl.Segmenter` (ICU data): tens of milliseconds on every start, help or
 *   not. Only `--help` and usage messages need them. Its `assert` calls check its own
 *   invariants on every parse; Node's assert module loads only to report one broken.
 * - client-node's KubeConfig imports `socks-proxy-agent` (with `socks`, `ip-address`, `debug`)
 *   for kubeconfigs with a `socks5://` proxy-url: two thirds of the time its module takes to
 *   load. Its one use is `new SocksProxyAgent(url, options)`; a constructor that returns
 *   another object makes `new` give the real agent. `node-fetch` likewise: KubeConfig builds
 *   its `Headers` only in `applyToFetchOptions`, which pulldoctor never calls (its requests go
 *   through node:https, src/collect/api-transport.ts).
 * - client-node's auth plugins import what only their own kubeconfigs use: `node:child_process`
 *   (exec credential plugins, the azure/gcp auth-providers' commands, and WSL lookups on
 *   Windows; with it Node loads dgram and its child-process plumbing), `jsonpath-plus` (the
 *   azure/gcp auth-providers' token paths; its expression parser registers its operators at
 *   load) and `openid-client` (the oidc auth-provider's refresh of an expired token). A token or
 *   client-certificate kubeconfig needs none of them.
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

/**
 * What client-node's OIDC plugin (oidc_auth.js, `import * as oidc`) calls of `openid-client`: the
 * stub forwards exactly these, and the build stops if a new version calls another.
 */
const OIDC_USED = ['discovery', 'refreshTokenGrant'];
{
  const text = readFileSync(path.join(ROOT, 'node_modules', '@kubernetes', 'client-node', 'dist', 'oidc_auth.js'), 'utf8');
  const used = new Set([...text.matchAll(/\boidc\.([A-Za-z]+)/g)].map((m) => m[1]));
  const more = [...used].filter((f) => !OIDC_USED.includes(f));
  if (more.length || !text.includes("import * as oidc from 'openid-client'")) throw new Error(`build: @kubernetes/client-node's OIDC plugin changed (${more.join(', ')}); see OIDC_USED`);
}

const ON_DEMAND = {
  yargs: {
    // yargs asserts on every parse through these two; Node's assert module loads only to report
    // a failed assertion, with its own message (strictEqual and notStrictEqual compare with Object.is).
    assert:
      'export function strictEqual(a, b, m) { if (!Object.is(a, b)) require("node:assert").strictEqual(a, b, m); } export function notStrictEqual(a, b, m) { if (Object.is(a, b)) require("node:assert").notStrictEqual(a, b, m); }',
    cliui: 'export default function cliui(...a) { return LAZY("cliui").default(...a); }',
    'string-width': 'export default function stringWidth(...a) { return LAZY("string-width").default(...a); }',
  },
  '@kubernetes/client-node': {
    'socks-proxy-agent':
      'export class SocksProxyAgent { constructor(...a) { const { SocksProxyAgent } = LAZY("socks-proxy-agent"); return new SocksProxyAgent(...a); } }',
    'node:child_process': `export default { ${CHILD_PROCESS_USED.map((f) => `${f}: (...a) => require("node:child_process").${f}(...a)`).join(', ')} };`,
    'jsonpath-plus': 'export function JSONPath(...a) { return LAZY("jsonpath-plus").JSONPath(...a); }',
    'openid-client': OIDC_USED.map((f) => `export function ${f}(...a) { return LAZY("openid-client").${f}(...a); }`).join(' '),
    'node-fetch':
      'export class Headers { constructor(...a) { const { Headers } = LAZY("node-fetch"); return new Headers(...a); } } export default function fetch(...a) { return LAZY("node-fetch").default(...a); }',
  },
};
/**
 * The packages behind the stubs' `LAZY(name)`, as resolved from the importing package: each is
 * bundled into a CommonJS file of its own, dist/lazy/<importer>.<name>.cjs, that the stub
 * `require`s on first use. Inside a chunk, a stubbed package would still be parsed on every start
 * (V8 pre-parses even what it never runs): ~180 KiB of a live scan's chunks were these.
 */
const LAZY_DIR = 'lazy';
const LAZY_CALL = /LAZY\("([^"]+)"\)/g;
const lazyFileName = (pkg, name) => `${pkg.replace(/[@/]/g, '_')}.${name}`;
/** Every file the stubs name, whether or not the bundle reaches the stub. */
const LAZY_NAMED = new Set(
  Object.entries(ON_DEMAND).flatMap(([pkg, stubs]) => Object.values(stubs).flatMap((c) => [...c.matchAll(LAZY_CALL)].map((m) => lazyFileName(pkg, m[1])))),
);
const lazyFiles = new Map();
const onDemand = {
  name: 'on-demand',
  setup(b) {
    const importers = Object.keys(ON_DEMAND).map((pkg) => [pkg, `${path.sep}node_modules${path.sep}${pkg.replace('/', path.sep)}${path.sep}`, ON_DEMAND[pkg]]);
    const names = [...new Set(Object.values(ON_DEMAND).flatMap(Object.keys))];
    const filter = new RegExp(`^(?:${names.map((n) => n.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, async (args) => {
      const [pkg, , stubs] = importers.find(([, dir]) => args.importer.includes(dir)) ?? [];
      let contents = stubs?.[args.path];
      if (!contents) return undefined;
      for (const [call, name] of [...contents.matchAll(LAZY_CALL)]) {
        const resolved = await b.resolve(name, { kind: 'require-call', resolveDir: args.resolveDir });
        if (resolved.errors.length) return { errors: resolved.errors };
        const file = lazyFileName(pkg, name);
        lazyFiles.set(file, resolved.path);
        contents = contents.replace(call, `require("../${LAZY_DIR}/${file}.cjs")`);
      }
      return { path: args.path, namespace: 'on-demand', pluginData: { contents, resolveDir: args.resolveDir } };
    });
    b.onResolve({ filter: new RegExp(`^\\.\\./${LAZY_DIR}/`) }, (args) => ({ path: args.path, external: true }));
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

/**
 * One chunk for what every run after argument parsing shares. esbuild splits the bundle by the
 * set of entry points (the entry and every `import()` target) that reach each module, so a
 * module that main.ts and, say, check.ts's renderers both reach lands in a chunk apart from one
 * that only main.ts and the UI reach: ~30 chunks on a live scan's path, each a module to
 * resolve, read and link at start-up (~0.5 ms each). Every `import()` target in src/ and rules/
 * is loaded by code that main.ts has loaded first, so to the bundler each such target is given
 * an import of main.ts (the sources are unchanged): everything main.ts reaches is then reached
 * from every entry alike, and is one chunk. What only a lazily loaded module reaches (the UI,
 * the probe, the cluster client, the YAML parser) still loads only with it. cli.ts's own
 * `import()`s are left out: `--version` loads nothing of main.ts.
 */
const MAIN_TS = path.join(ROOT, 'src', 'main.ts');
const CLI_TS = path.join(ROOT, 'src', 'cli.ts');
const OWN_CODE = [path.join(ROOT, 'src') + path.sep, path.join(ROOT, 'rules') + path.sep];
const DYNAMIC_IMPORT = /\bimport\(\s*'(\.{1,2}\/[^']+)\.js'\s*\)/g;
function dynamicImportTargets() {
  const out = new Set();
  for (const dir of OWN_CODE) {
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const f = path.join(e.parentPath, e.name);
      if (!e.isFile() || !f.endsWith('.ts') || f === CLI_TS) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(DYNAMIC_IMPORT)) out.add(path.resolve(path.dirname(f), `${m[1]}.ts`));
    }
  }
  return out;
}
const oneCore = {
  name: 'one-core',
  setup(b) {
    const targets = dynamicImportTargets();
    // Every `import()` of our own code that the bundler meets must be one that was found above.
    b.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.importer === CLI_TS || !OWN_CODE.some((d) => args.importer.startsWith(d))) return undefined;
      const target = path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      if (!targets.has(target)) return { errors: [{ text: `one-core: import('${args.path}') in ${args.importer} is not written as import('./….js'); see oneCore` }] };
      return undefined;
    });
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!targets.has(args.path)) return undefined;
      return { contents: `${readFileSync(args.path, 'utf8')}\nimport ${JSON.stringify(MAIN_TS)};\n`, loader: 'ts' };
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
  plugins: [oneCore, onDemand, pureGeneratedCode, nodeUrlForWhatwgUrl, yargsOwnPackageJson],
  legalComments: 'none', // collected into THIRD-PARTY-LICENSES.txt instead
  banner: { js: REQUIRE_SHIM },
  external: OPTIONAL,
  // React's and others' production builds; pulldoctor itself never reads NODE_ENV.
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
  logLevel: 'warning',
});

// The stubbed packages' own files (see onDemand), CommonJS for a synchronous `require`.
const lazyResult = await build({
  absWorkingDir: ROOT,
  entryPoints: Object.fromEntries(lazyFiles),
  outdir: path.join(DIST, LAZY_DIR),
  outExtension: { '.js': '.cjs' },
  plugins: [nodeUrlForWhatwgUrl],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minify: !process.argv.includes('--dev'),
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
// A stub the bundle never reached means its package no longer imports that module: the stub is dead.
const unreached = [...LAZY_NAMED].filter((f) => !lazyFiles.has(f));
if (unreached.length) throw new Error(`build: no bundled package imports what these on-demand stubs stand for: ${unreached.join(', ')}; see ON_DEMAND`);

// Each chunk's first line is REQUIRE_SHIM; a chunk that never names `require` has no use for it
// (creating it costs a little on every start, per chunk). The line stays, empty, so the source
// map's line numbers still hold.
for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))) {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const at = text.indexOf(REQUIRE_SHIM);
  if (at < 0) throw new Error(`build: ${file} does not carry the require shim`);
  const rest = text.slice(at + REQUIRE_SHIM.length);
  if (!/\brequire\b/.test(rest)) writeFileSync(path.join(ROOT, file), text.slice(0, at) + rest);
}

writeFileSync(path.join(DIST, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(result.metafile, lazyResult.metafile));
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
function thirdPartyLicenses(...metafiles) {
  const dirs = new Set();
  for (const input of metafiles.flatMap((m) => Object.keys(m.inputs))) {
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
