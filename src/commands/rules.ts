/** The commands about the rules and the report format: `rules`, `explain <rule>`, `schema`. */
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { findRule, MANIFEST_RULES, NODE_RULES, RULES } from '../../rules/index.js';
import { UserError } from '../model/errors.js';
import { readRunbook, SCHEMA_FILE } from '../paths.js';
import { sanitizeLine } from '../report/sanitize.js';

function printRules(): void {
  const all = [...RULES, ...MANIFEST_RULES, ...NODE_RULES];
  const w = Math.max(...all.map((r) => r.meta.id.length));
  for (const r of all) {
    process.stdout.write(`${r.meta.id.padEnd(w)}  ${r.meta.severity.padEnd(7)}  ${r.meta.summary}\n`);
  }
}

/** Adds `rules`, `explain <rule>` and `schema` to the parser. */
export function rulesCommands<T>(y: Argv<T>): Argv<T> {
  return y
    .command('rules', 'list the rules', {}, () => {
      printRules();
    })
    .command(
      'explain <rule>',
      "print a rule's runbook (Meaning, Impact, Diagnosis, Mitigation)",
      (y) => y.positional('rule', { type: 'string', demandOption: true }),
      (a) => {
        const id = String(a.rule);
        if (!findRule(id)) throw new UserError(`unknown rule "${sanitizeLine(id)}"; see: pulldoctor rules`);
        process.stdout.write(readRunbook(id));
      },
    )
    .command('schema', 'print the JSON Schema of the -o json report', {}, () => {
      process.stdout.write(readFileSync(SCHEMA_FILE, 'utf8'));
    });
}
