#!/usr/bin/env node
// The krew release step: builds the plugin archive and fills in the manifest template.
//
//   node deploy/krew/release.mjs [--out DIR]                         # after npm ci && npm run build
//   node deploy/krew/release.mjs --archive FILE [--out DIR]          # manifest only, for an existing archive
//
// The archive (kubectl-pulldoctor-v<version>.tar.gz) holds pulldoctor/: exactly what `npm pack`
// publishes, plus the production dependencies from package-lock.json, with package.json's
// `kubectl-pulldoctor` bin made executable. DIR/pulldoctor.yaml is deploy/krew/pulldoctor.yaml
// with {{VERSION}}, {{SHA256}} (of the archive) and {{BIN}} filled in. Upload the archive to the
// release v<version> (the manifest's uri) and submit the manifest to your krew index.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TEMPLATE = path.join(ROOT, 'deploy', 'krew', 'pulldoctor.yaml');

function fail(message) {
  process.stderr.write(`krew-release: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { out: path.join(ROOT, 'out', 'krew'), archive: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? fail(`${arg} needs a value`);
    if (arg === '--out') opts.out = path.resolve(value());
    else if (arg === '--archive') opts.archive = path.resolve(value());
    else fail(`unknown argument ${arg} (usage: release.mjs [--out DIR] [--archive FILE])`);
  }
  return opts;
}

/** The template with every placeholder filled in; fails on one left over. */
function renderManifest(template, { version, sha256, bin }) {
  const text = template.replaceAll('{{VERSION}}', version).replaceAll('{{SHA256}}', sha256).replaceAll('{{BIN}}', bin);
  const left = /\{\{[A-Z0-9_]+\}\}/.exec(text);
  if (left) fail(`the template has a placeholder this step does not fill: ${left[0]}`);
  return text;
}

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function buildArchive(pkg, out) {
  const staging = mkdtempSync(path.join(tmpdir(), 'pulldoctor-krew-'));
  try {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', staging], ROOT));
    const tarball = path.join(staging, packed[0].filename);
    const app = path.join(staging, 'pulldoctor');
    mkdirSync(app);
    run('tar', ['-xzf', tarball, '--strip-components=1', '-C', app]);
    copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(app, 'package-lock.json'));
    run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
    rmSync(path.join(app, 'package-lock.json'));
    chmodSync(path.join(app, pkg.bin['kubectl-pulldoctor']), 0o755);
    const archive = path.join(out, `kubectl-pulldoctor-v${pkg.version}.tar.gz`);
    run('tar', ['-czf', archive, '--owner=0', '--group=0', '--numeric-owner', '-C', staging, 'pulldoctor']);
    return archive;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

const opts = parseArgs(process.argv.slice(2));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const bin = pkg.bin?.['kubectl-pulldoctor'];
if (!bin) fail('package.json has no "kubectl-pulldoctor" bin');
mkdirSync(opts.out, { recursive: true });
const archive = opts.archive ?? buildArchive(pkg, opts.out);
let sha256;
try {
  sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
} catch (e) {
  fail(`cannot read the archive ${archive}: ${e.message}`);
}
const manifest = path.join(opts.out, 'pulldoctor.yaml');
writeFileSync(manifest, renderManifest(readFileSync(TEMPLATE, 'utf8'), { version: pkg.version, sha256, bin }));
process.stdout.write(`archive  ${archive}\nsha256   ${sha256}\nmanifest ${manifest}\n`);
