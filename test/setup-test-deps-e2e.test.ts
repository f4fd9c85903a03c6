/**
 * scripts/setup-test-deps, run by bash with a PATH made for each test: stand-in commands for
 * the tools that are "installed", and stand-ins for apt-get and sudo that record what they were
 * asked and "install" by adding the package's commands. Nothing is installed on this machine.
 * And the wiring: the README's test line, `npm run setup` and .ci/run all run this one script.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/root.js';

const SCRIPT = path.join(ROOT, 'scripts', 'setup-test-deps');
const BASH = '/bin/bash';
const work = mkdtempSync(path.join(tmpdir(), 'pulldoctor-setup-'));
chmodSync(work, 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every command the test suite needs, with its Debian package (the script's table). */
const TOOLS: Record<string, string> = {
  'docker-registry': 'docker-registry',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
  tmux: 'tmux',
  ps: 'procps',
  kubectl: 'kubernetes-client',
  promtool: 'prometheus',
  prometheus: 'prometheus',
};

function realPath(cmd: string): string {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const file = path.join(dir || '.', cmd);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  throw new Error(`${cmd} not found on PATH`);
}

let n = 0;
/**
 * A bin directory with: the coreutils the script uses, a stand-in for each of `present`, and,
 * when asked, apt-get (records its arguments; `install` adds the commands of the packages it
 * was given, unless `aptFails`) and sudo (records, then runs the rest).
 */
function makeBin(present: string[], opts: { apt?: boolean; sudo?: boolean; aptFails?: boolean } = {}) {
  const bin = path.join(work, `bin${n++}`);
  mkdirSync(bin);
  chmodSync(bin, 0o777);
  const log = path.join(bin, 'calls.log');
  writeFileSync(log, '');
  chmodSync(log, 0o666);
  for (const cmd of ['mktemp', 'rm', 'tail', 'env', 'id', 'chmod']) symlinkSync(realPath(cmd), path.join(bin, cmd));
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!${BASH}\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  for (const cmd of present) stub(cmd, 'exit 0');
  const packages = [...new Set(Object.values(TOOLS))];
  const provides = packages
    .map((pkg) => {
      const cmds = Object.keys(TOOLS).filter((c) => TOOLS[c] === pkg);
      return `    ${pkg}) ${cmds.map((c) => `printf '#!${BASH}\\nexit 0\\n' > "${bin}/${c}"; chmod 755 "${bin}/${c}";`).join(' ')} ;;`;
    })
    .join('\n');
  if (opts.apt)
    stub(
      'apt-get',
      [
        `echo "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> "${log}"`,
        opts.aptFails ? '[ "$1" = install ] && { echo "E: Unable to locate package prometheus" >&2; exit 100; }' : '',
        '[ "$1" = install ] || exit 0',
        'for arg in "$@"; do',
        '  case "$arg" in',
        provides,
        '  esac',
        'done',
      ].join('\n'),
    );
  if (opts.sudo) stub('sudo', `echo "sudo $*" >> "${log}"\n[ "$1" = -n ] && shift\n[ "$1" = true ] && exit 0\nexec "$@"`);
  return { bin, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

const isRoot = process.getuid?.() === 0;
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

function run(bin: string, args: string[] = [], asUser?: number) {
  const env = { PATH: bin, HOME: work, LANG: 'C' };
  const r =
    asUser === undefined
      ? spawnSync(BASH, [SCRIPT, ...args], { env, encoding: 'utf8' })
      : spawnSync(setpriv!, [`--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', BASH, SCRIPT, ...args], { env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/setup-test-deps', () => {
  it('is silent and succeeds when every tool is there', () => {
    const { bin, calls } = makeBin(Object.keys(TOOLS), { apt: true, sudo: true });
    expect(run(bin)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(calls()).toEqual([]);
  });

  it('--dry-run names the missing packages, each once, and installs nothing', () => {
    const { bin, calls } = makeBin(['docker-registry', 'htpasswd', 'openssl', 'ps', 'kubectl'], { apt: true, sudo: true });
    expect(run(bin, ['--dry-run'])).toEqual({ status: 0, stdout: 'setup-test-deps: would install: tmux prometheus\n', stderr: '' });
    expect(calls()).toEqual([]);
  });

  it('on a fresh machine: installs every package with apt-get (as root, or through sudo -n), then is silent', () => {
    const { bin, calls } = makeBin([], { apt: true, sudo: true });
    const all = 'docker-registry apache2-utils openssl tmux procps kubernetes-client prometheus';
    expect(run(bin)).toEqual({ status: 0, stdout: `setup-test-deps: installing ${all}\n`, stderr: '' });
    const apt = calls().filter((c) => c.startsWith('apt-get'));
    expect(apt).toEqual([
      'apt-get update -qq DEBIAN_FRONTEND=noninteractive',
      `apt-get install -y -qq --no-install-recommends ${all} DEBIAN_FRONTEND=noninteractive`,
    ]);
    // Through sudo -n exactly when not root.
    expect(calls().some((c) => c.startsWith('sudo -n env DEBIAN_FRONTEND=noninteractive apt-get'))).toBe(!isRoot);
    const before = calls().length;
    expect(run(bin)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(calls().length).toBe(before);
  });

  it('when apt-get fails: exits 1, showing apt-get\'s words and the command', () => {
    const { bin } = makeBin(['docker-registry', 'htpasswd', 'openssl', 'tmux', 'ps', 'kubectl'], { apt: true, sudo: true, aptFails: true });
    const r = run(bin);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('setup-test-deps: installing prometheus\n');
    expect(r.stderr).toBe(
      'E: Unable to locate package prometheus\n' +
        'setup-test-deps: apt-get failed (above); the command was: apt-get update && apt-get install -y --no-install-recommends prometheus\n',
    );
  });

  it('without apt-get: one line naming the packages, exit 1', () => {
    const { bin } = makeBin(['docker-registry', 'htpasswd', 'openssl', 'ps', 'kubectl', 'promtool', 'prometheus']);
    expect(run(bin)).toEqual({
      status: 1,
      stdout: '',
      stderr: 'setup-test-deps: missing tmux and no apt-get here: install these Debian packages (or their equivalents) and run again\n',
    });
  });

  it.runIf(isRoot ? setpriv !== undefined : true)('not root and no password-less sudo: one line with the exact command to run, exit 1', () => {
    const { bin, calls } = makeBin(['docker-registry', 'htpasswd', 'openssl', 'ps', 'kubectl'], { apt: true });
    const r = run(bin, [], isRoot ? 65532 : undefined);
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr: "setup-test-deps: missing tmux prometheus; run as root: sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends tmux prometheus'\n",
    });
    expect(calls()).toEqual([]);
  });

  it('rejects an unknown argument', () => {
    const { bin } = makeBin(Object.keys(TOOLS));
    const r = run(bin, ['--yes']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^setup-test-deps: unknown argument --yes/);
  });

  it('installs every tool the tests spawn', () => {
    const table = readFileSync(SCRIPT, 'utf8').match(/^ {2}"([\w-]+) ([\w-]+)"/gm)!.map((l) => l.trim().replaceAll('"', ''));
    expect(table.sort()).toEqual(Object.entries(TOOLS).map(([c, p]) => `${c} ${p}`).sort());
  });
});

describe('one script for the README, npm run setup and .ci/run', () => {
  it("the README's first lines: a demo command and a test command that runs the setup first", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /^```sh\n([\s\S]*?)```/m.exec(readme)![1]!.trim().split('\n');
    expect(block.length).toBe(2);
    expect(block[0]).toMatch(/^npm ci && npm run demo\s+#/);
    expect(block[1]).toMatch(/^npm ci && npm run setup && npm test\s+#/);
  });

  it('npm run setup runs scripts/setup-test-deps', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.setup).toBe('bash scripts/setup-test-deps');
  });

  it('.ci/run runs the same script and installs nothing itself', () => {
    const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^bash scripts\/setup-test-deps$/m);
    expect(ci).not.toMatch(/apt-get/);
  });
});
