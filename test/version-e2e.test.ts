/** The built CLI: `--version` and the JSON report's tool.version are package.json's version. `npm test` builds first. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';

const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000 });

describe('pulldoctor version (built binary)', () => {
  it('--version and the report agree with package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const v = run(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(pkg.version);
    const r = run(['--demo', '-o', 'json', '--fail-on', 'never']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { tool: { version: string } }).tool.version).toBe(pkg.version);
  });
});
