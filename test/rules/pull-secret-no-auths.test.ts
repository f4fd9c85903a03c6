import { describe, expect, it } from 'vitest';
import { ruleKit, scanFixture } from '../helpers/scan.js';

const ID = 'pull-secret-no-auths';
const { mine, expectQuiet, expectNeverPrinted } = ruleKit(ID);

describe(ID, () => {
  it('names the secret and the top-level registry key, and wraps it in place', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    const found = mine(report);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    expect(f.severity).toBe('error');
    expect(f.secret).toBe('quay-pull');
    expect(f.message).toContain('"quay.io"');
    expect(f.message).toContain('no "auths" wrapper');
    expect(f.message).toContain('failing now: etl-runner');
    const fix = f.remediation.join('\n');
    expect(fix).toContain('get secret quay-pull -n analytics -o json');
    expect(fix).toContain('{auths: with_entries(select(.value | type == "object"))}');
    expect(fix).toContain('replace -n analytics -f -');
    expect(f.evidence.some((e) => e.detail.includes('authorization failed'))).toBe(true);
  });

  it('does not also report the secret as a credential mismatch or an empty secret', async () => {
    const { report } = await scanFixture(ID, 'fires.yaml');
    expect(report.findings.filter((f) => f.rule === 'registry-credentials-mismatch' || f.rule === 'pull-secret-no-credentials')).toEqual([]);
  });

  it('stays quiet with the wrapper and never prints the password', async () => {
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml', 'quiet.yaml'], ['Fx-no-auths-pw1']);
  });
});
