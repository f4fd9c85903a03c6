/**
 * Placeholders in remediation commands (`<username>`, `<tag>`, …) are always inside a quoted
 * shell word: unquoted, the shell reads `<username>` as a redirect from a file named
 * "username" (and `>` as a redirect to nowhere). Rules write them only through the helper in
 * rules/lib/commands.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { placeholder, placeholderText } from '../../rules/lib/commands.js';
import { ROOT, scan } from '../helpers/scan.js';

const PLACEHOLDER = /<[A-Za-z][\w.-]*>/g;

/**
 * The placeholders of a command line that the shell would read as redirects: those in a
 * whitespace-separated word with no quote before them. (Comment lines are checked too: their
 * commands are copied as well.)
 */
export function unquotedPlaceholders(line: string): string[] {
  const out: string[] = [];
  for (const word of line.split(/\s+/)) {
    for (const m of word.matchAll(PLACEHOLDER)) {
      if (!/['"]/.test(word.slice(0, m.index))) out.push(m[0]);
    }
  }
  return out;
}

const fixtureDirs = [
  ...readdirSync(path.join(ROOT, 'fixtures'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'demo' && d.name !== 'check')
    .map((d) => d.name),
  // pulldoctor check's goldens (test/check-rules-fixtures.test.ts)
  ...readdirSync(path.join(ROOT, 'fixtures', 'check'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'scenarios')
    .map((d) => path.join('check', d.name)),
];

describe('placeholders in remediation commands', () => {
  it('the helper quotes them as one shell word', () => {
    expect(placeholder('username')).toBe("'<username>'");
    expect(placeholderText('existing-tag')).toBe('<existing-tag>');
    expect(unquotedPlaceholders(`crane auth login quay.io -u <username> -p '<password>'`)).toEqual(['<username>']);
    expect(unquotedPlaceholders(`kubectl set image deployment/x api='quay.io/a:<tag>' --creds '<u>:<p>'`)).toEqual([]);
  });

  it.each(fixtureDirs)('%s: every placeholder in fires.golden is quoted', (dir) => {
    const findings = parse(readFileSync(path.join(ROOT, 'fixtures', dir, 'fires.golden'), 'utf8')) as { rule: string; remediation: string[] }[];
    const bad = findings.flatMap((f) => f.remediation.flatMap((line) => unquotedPlaceholders(line).map((p) => `${f.rule}: ${p} in ${line}`)));
    expect(bad).toEqual([]);
  });

  it('the demo cluster: every placeholder is quoted', async () => {
    const dir = path.join(ROOT, 'fixtures', 'demo');
    const { report } = await scan(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(dir, f)));
    const bad = report.findings.flatMap((f) => f.remediation.flatMap((line) => unquotedPlaceholders(line).map((p) => `${f.rule}: ${p} in ${line}`)));
    expect(bad).toEqual([]);
  });

  it('rules write placeholders only through the helper (rules/lib/commands.ts)', () => {
    const files = [
      ...readdirSync(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.ts')).map((f) => path.join('rules', f)),
      ...readdirSync(path.join(ROOT, 'rules', 'lib')).filter((f) => f.endsWith('.ts') && f !== 'commands.ts').map((f) => path.join('rules', 'lib', f)),
    ];
    const raw = files.flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.trim(), at: `${file}:${i + 1}` }))
        // not comments; a TypeScript generic (Set<string>) follows an identifier, a placeholder never does
        .filter(({ line }) => !/^(\*|\/\/|\/\*)/.test(line) && /(?<![\w$])<[a-z][a-z0-9.-]*>/.test(line))
        .map(({ at }) => at),
    );
    expect(raw).toEqual([]);
  });
});
