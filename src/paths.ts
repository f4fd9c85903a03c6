/**
 * Where the package's own files (runbooks, demo, schema) are, and its version, from source or
 * from the bundle: the package root is found by walking up from this module to pulldoctor's
 * package.json, so it works from src/ (tests) and from whichever bundle chunk holds this code
 * (dist/chunks/, `npm run build`) alike. The only place that reads package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pulldoctor') return dir;
      } catch {
        // keep looking
      }
    }
    dir = path.dirname(dir);
  }
  throw new Error('pulldoctor: cannot find the package root (package.json)');
}

export const PACKAGE_ROOT = findRoot();
export const DEMO_DIR = path.join(PACKAGE_ROOT, 'fixtures', 'demo');
export const SCHEMA_FILE = path.join(PACKAGE_ROOT, 'schema', 'report.schema.json');
export const runbookFile = (ruleId: string) => path.join(PACKAGE_ROOT, 'rules', `${ruleId}.md`);

/** A rule's runbook (rules/<id>.md), as Markdown. */
export function readRunbook(ruleId: string): string {
  return readFileSync(runbookFile(ruleId), 'utf8');
}

let version: string | undefined;

/** The version in package.json: the one source for `--version` and the report's `tool.version`. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
