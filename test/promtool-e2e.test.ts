/**
 * deploy/prometheus/rules.yaml under the real `promtool`: the rules check, the unit tests in
 * rules_test.yaml pass, every alert is tested both firing and not firing, and the tests do pin
 * the rules (a changed `for:` fails them). A missing promtool fails with the way to install it.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRules, promtool, requireTool, RULES_FILE, RULES_TEST_FILE, rulesWithDurations } from './helpers/prometheus.js';

interface RuleTests {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

describe('deploy/prometheus/rules.yaml with promtool', () => {
  it('promtool check rules: valid, four alerts', () => {
    const r = promtool(['check', 'rules', RULES_FILE]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('SUCCESS: 4 rules found');
    expect(r.code).toBe(0);
  });

  it('promtool test rules: the unit tests pass', () => {
    const r = promtool(['test', 'rules', RULES_TEST_FILE]);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('every alert is tested firing and not firing', () => {
    const alerts = loadRules().groups.flatMap((g) => g.rules.map((r) => r.alert));
    const tests = parse(readFileSync(RULES_TEST_FILE, 'utf8')) as RuleTests;
    expect(tests.rule_files).toEqual(['rules.yaml']);
    const cases = tests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const a of alerts) {
      expect(cases.some((c) => c.alertname === a && c.exp_alerts.length > 0), `${a} firing`).toBe(true);
      expect(cases.some((c) => c.alertname === a && c.exp_alerts.length === 0), `${a} not firing`).toBe(true);
    }
  });

  it('the unit tests pin the rules: shorter for: durations make them fail', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pulldoctor-rules-'));
    try {
      copyFileSync(RULES_TEST_FILE, path.join(dir, 'rules_test.yaml'));
      writeFileSync(
        path.join(dir, 'rules.yaml'),
        rulesWithDurations({ PullDoctorImagePullFailing: '3m', PullDoctorLatentPullProblem: '30m', PullDoctorScanIncomplete: '10m', PullDoctorDown: '3m' }),
      );
      const r = promtool(['test', 'rules', 'rules_test.yaml'], { cwd: dir });
      expect(r.code).toBe(1);
      for (const a of ['PullDoctorImagePullFailing', 'PullDoctorLatentPullProblem', 'PullDoctorScanIncomplete', 'PullDoctorDown']) {
        expect(r.stdout + r.stderr, a).toContain(`alertname: ${a}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing promtool is an error that names scripts/setup-test-deps', () => {
    expect(() => requireTool('promtool', '/nonexistent')).toThrow(/promtool is not installed.*scripts\/setup-test-deps/);
  });
});
