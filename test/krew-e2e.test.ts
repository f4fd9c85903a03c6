/**
 * The krew release step (deploy/krew/release.mjs) on the built tree: the archive it makes
 * installs as krew would (files copied, bin linked) and runs as `kubectl pulldoctor`; the
 * manifest it fills in is valid for krew (test/data/krew-plugin.schema.json: krew's index.Plugin
 * fields and ValidatePlugin's checks) and describes that archive.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/root.js';

const RELEASE = path.join(ROOT, 'deploy', 'krew', 'release.mjs');
const TEMPLATE = path.join(ROOT, 'deploy', 'krew', 'pulldoctor.yaml');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateKrew = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'test', 'data', 'krew-plugin.schema.json'), 'utf8')) as object);
const problems = (manifest: unknown) => (validateKrew(manifest) ? [] : validateKrew.errors!.map((e) => `${e.instancePath} ${e.message}`));

const work = mkdtempSync(path.join(tmpdir(), 'pulldoctor-krew-'));
afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

function release(args: string[]) {
  const r = spawnSync(process.execPath, [RELEASE, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Manifest {
  spec: { version: string; platforms: { uri: string; sha256: string; bin: string; files: { from: string; to: string }[] }[] };
}

describe('the krew manifest template', () => {
  const template = readFileSync(TEMPLATE, 'utf8');

  it('leaves exactly version, sha256 and bin to the release step', () => {
    expect([...new Set(template.match(/\{\{[A-Z0-9_]+\}\}/g))].sort()).toEqual(['{{BIN}}', '{{SHA256}}', '{{VERSION}}']);
  });

  it('is not a valid manifest until they are filled in (the schema checks them)', () => {
    expect(problems(parse(template))).toEqual(
      expect.arrayContaining(['/spec/version must match pattern "^v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$"', '/spec/platforms/0/sha256 must match pattern "^[a-f0-9]{64}$"']),
    );
  });
});

describe('node deploy/krew/release.mjs', () => {
  const out = path.join(work, 'out');
  let result: ReturnType<typeof release>;
  let manifest: Manifest;
  const archive = path.join(out, `kubectl-pulldoctor-v${pkg.version}.tar.gz`);

  beforeAll(() => {
    if (!existsSync(path.join(ROOT, pkg.bin['kubectl-pulldoctor']!))) throw new Error('the CLI is not built: run `npm run build` (npm test does)');
    result = release(['--out', out]);
    manifest = parse(readFileSync(path.join(out, 'pulldoctor.yaml'), 'utf8')) as Manifest;
  }, 300_000);

  it('writes the archive and a manifest that krew accepts, describing that archive', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
    expect(result.stdout).toBe(`archive  ${archive}\nsha256   ${sha256}\nmanifest ${path.join(out, 'pulldoctor.yaml')}\n`);
    expect(problems(manifest)).toEqual([]);
    expect(manifest.spec.version).toBe(`v${pkg.version}`);
    const [platform] = manifest.spec.platforms;
    expect(platform!.sha256).toBe(sha256);
    expect(platform!.bin).toBe(pkg.bin['kubectl-pulldoctor']);
    expect(path.posix.basename(new URL(platform!.uri).pathname)).toBe(path.basename(archive));
  });

  it('installs as krew does and runs as `kubectl pulldoctor`, with production dependencies only', () => {
    const unpacked = path.join(work, 'unpacked');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', archive, '-C', unpacked], { encoding: 'utf8' });
    expect(tar.status, tar.stderr).toBe(0);
    // krew: each file operation moves what `from` matches into the install directory; then it
    // links `bin` from its bin directory (the name kubectl looks for on PATH).
    const install = path.join(work, 'store', 'pulldoctor', manifest.spec.version);
    mkdirSync(path.dirname(install), { recursive: true });
    const [platform] = manifest.spec.platforms;
    // The one operation: everything under pulldoctor/ into the install directory.
    expect(platform!.files).toEqual([{ from: 'pulldoctor/*', to: '.' }]);
    renameSync(path.join(unpacked, 'pulldoctor'), install);
    const bin = path.join(install, platform!.bin);
    accessSync(bin, constants.X_OK);
    const krewBin = path.join(work, 'krew-bin');
    mkdirSync(krewBin);
    symlinkSync(bin, path.join(krewBin, 'kubectl-pulldoctor'));

    // The bundle carries every package it uses: nothing is installed beside it.
    expect(existsSync(path.join(install, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(path.join(install, 'node_modules', 'yaml'))).toBe(false);
    expect(existsSync(path.join(install, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(path.join(install, 'test'))).toBe(false);

    // Through the link, with node on PATH, as kubectl's plugin lookup runs it.
    const PATH = [krewBin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);
    const direct = spawnSync(path.join(krewBin, 'kubectl-pulldoctor'), ['--version'], { cwd: work, encoding: 'utf8', env: { PATH, HOME: work } });
    expect(direct.stdout.trim()).toBe(pkg.version);
    const kubectl = spawnSync('kubectl', ['pulldoctor', '--version'], { cwd: work, encoding: 'utf8', env: { PATH, HOME: work } });
    if (kubectl.error) throw new Error('kubectl is not installed: `npm run setup` installs it');
    expect(kubectl.stdout.trim()).toBe(pkg.version);
  }, 120_000);

  it('--archive FILE: fills in the manifest for an archive made elsewhere', () => {
    const other = path.join(work, 'other.tar.gz');
    writeFileSync(other, 'not really an archive');
    const dir = path.join(work, 'manifest-only');
    const r = release(['--archive', other, '--out', dir]);
    expect(r.status).toBe(0);
    const m = parse(readFileSync(path.join(dir, 'pulldoctor.yaml'), 'utf8')) as Manifest;
    expect(problems(m)).toEqual([]);
    expect(m.spec.platforms[0]!.sha256).toBe(createHash('sha256').update('not really an archive').digest('hex'));
    expect(release(['--archive', path.join(work, 'missing.tar.gz'), '--out', dir])).toMatchObject({ status: 1, stderr: expect.stringMatching(/^krew-release: cannot read the archive /) });
  });
});
