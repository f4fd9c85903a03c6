/**
 * Golden files of exact rule output, in the style of ESLint's RuleTester: the findings a fixture
 * gives — rule, severity, confidence, subject, message, remediation and unverified lines — are
 * written beside it as reviewed YAML, so a change to any of them shows up as a diff in review.
 *
 * `UPDATE_GOLDEN=1 npx vitest run test/rules-fixtures.test.ts` rewrites the files; read the diff
 * before committing it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { Document, isScalar, parse, visit } from 'yaml';
import type { Finding, Report } from '../../src/model/finding.js';
import { ROOT } from './root.js';

/** One finding as a reviewer reads it: no ids, no evidence; linked findings by rule and subject. */
export interface ExpectedFinding {
  rule: string;
  severity: string;
  confidence: string;
  cluster?: string;
  namespace: string;
  workload: { kind: string; name: string };
  pod: string;
  pods: string[];
  container?: string;
  image?: string;
  secret?: string;
  message: string;
  remediation: string[];
  unverified: string[];
  related: string[];
}

/** How a linked finding is named: its rule and what sets it apart from this one. */
function relatedName(f: Finding, other: Finding | undefined): string {
  if (!other) return '(unknown finding)';
  const parts = [other.rule];
  if (other.pod !== f.pod) parts.push(`pod ${other.pod}`);
  if (other.container) parts.push(`container ${other.container}`);
  if (other.secret) parts.push(`secret ${other.secret}`);
  return parts.join(' · ');
}

export function expectedFindings(report: Report): ExpectedFinding[] {
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  return report.findings.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    confidence: f.confidence,
    ...(f.cluster !== undefined ? { cluster: f.cluster } : {}),
    namespace: f.namespace,
    workload: { kind: f.workload.kind, name: f.workload.name },
    pod: f.pod,
    pods: [...f.pods],
    ...(f.container !== undefined ? { container: f.container } : {}),
    ...(f.image !== undefined ? { image: f.image } : {}),
    ...(f.secret !== undefined ? { secret: f.secret } : {}),
    message: f.message,
    remediation: [...f.remediation],
    unverified: [...f.unverified],
    related: f.related.map((id) => relatedName(f, byId.get(id))),
  }));
}

/** Keys whose strings are prose or shell: written as literal blocks, verbatim, no quoting or escapes. */
const BLOCK_KEYS = new Set(['message', 'remediation', 'unverified']);

/** The golden text: a comment naming where it comes from, then the findings as YAML. */
export function goldenText(findings: ExpectedFinding[], header: string): string {
  const doc = new Document(findings);
  doc.commentBefore = header;
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!BLOCK_KEYS.has(key)) return;
      visit(pair.value as never, {
        Scalar(_k, s) {
          // The yaml library falls back to a quoted scalar where a block cannot hold the text.
          if (typeof s.value === 'string') s.type = 'BLOCK_LITERAL';
        },
      });
    },
  });
  const text = doc.toString({ lineWidth: 0, indentSeq: true });
  // The format must hold the findings exactly, or a golden file could hide a difference.
  expect(parse(text), 'golden YAML does not round-trip').toStrictEqual(JSON.parse(JSON.stringify(findings)));
  return text;
}

export const UPDATE = process.env.UPDATE_GOLDEN === '1';

/**
 * Compare `findings` with the golden file (semantically: a hand-edited file need not be formatted
 * the way the writer formats it); on a difference, fail with a line diff of the two as YAML.
 * With UPDATE_GOLDEN=1, rewrite the file instead.
 */
export function expectGolden(file: string, findings: ExpectedFinding[], header: string): void {
  const rel = path.relative(ROOT, file);
  const actual = goldenText(findings, header);
  const exists = existsSync(file);
  const stored = exists ? readFileSync(file, 'utf8') : '';
  if (stored === actual) return;
  if (exists && isDeepStrictEqual(parse(stored) ?? [], JSON.parse(JSON.stringify(findings)))) return;
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  const hint = `${rel} ${exists ? 'differs from the findings' : 'is missing'}. If the new output is right, rewrite it with UPDATE_GOLDEN=1 npx vitest run ${path.relative(ROOT, expect.getState().testPath ?? 'test/rules-fixtures.test.ts')} and review the diff`;
  const expected = exists ? goldenText(parse(stored) ?? [], header) : '';
  expect(actual, hint).toBe(expected);
}
