import { describe, expect, it } from 'vitest';
import { b64json, secretOf } from '../helpers/edit.js';
import { fixText, ruleKit, scanDoc, scanFixture } from '../helpers/scan.js';

const ID = 'pull-secret-malformed';
const { load, mine, sole, expectQuiet, expectNeverPrinted } = ruleKit(ID);

describe(ID, () => {
  it('explains that one bad auth fails every image, the public sidecar included (v1.33-era events)', async () => {
    const f = await sole('fires.yaml');
    expect(f?.severity).toBe('error');
    expect(f?.container).toBeUndefined();
    expect(f?.secret).toBe('payments-registry');
    expect(f?.message).toContain('illegal base64 data at input byte 4');
    expect(f?.message).toContain('registry.payments.example:5000');
    expect(f?.message).toContain('EVERY image');
    expect(f?.message).toContain('public ones included');
    expect(f?.message).toContain('ledger, envoy');
    expect(f?.evidence.some((e) => e.detail.includes('Failed to pull image "envoyproxy/envoy:v1.31.2": illegal base64'))).toBe(true);
    const fix = fixText(f);
    expect(fix).toContain('create secret docker-registry payments-registry -n payments --docker-server=registry.payments.example:5000');
    expect(fix).toContain('replace -n payments -f -');
  });

  it('recognises the current kubelet layout (Error: <decode error>, raw waiting.reason)', async () => {
    const { report } = await scanFixture(ID, 'current-layout.yaml');
    const [f] = mine(report);
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('ledger, envoy');
    expect(f?.evidence.some((e) => e.detail.includes('Error: illegal base64 data at input byte 4'))).toBe(true);
  });

  it('leaves the failing containers to this finding, not to the unexplained fallback', async () => {
    for (const name of ['fires.yaml', 'current-layout.yaml']) {
      const { report } = await scanFixture(ID, name);
      expect(report.findings.filter((f) => f.rule === 'image-pull-failed-unexplained')).toEqual([]);
    }
  });

  it('reports an auth without a colon with the kubelet text', () => {
    const doc = load('fires.yaml');
    secretOf(doc, 'payments-registry').data['.dockerconfigjson'] = b64json({
      auths: { 'registry.payments.example:5000': { auth: Buffer.from('ci01Fx-malformed-pw1').toString('base64') } },
    });
    const [f] = mine(scanDoc(doc));
    expect(f?.message).toContain('unable to parse auth field, must be formatted as base64(username:password)');
  });

  it('is a warning while every image is still cached and running', () => {
    const doc = load('quiet.yaml');
    secretOf(doc, 'payments-registry').data['.dockerconfigjson'] = b64json({ auths: { 'registry.payments.example:5000': { auth: 12 } } });
    const [f] = mine(scanDoc(doc));
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('cannot unmarshal number');
  });

  it('stays quiet on the repaired secret and never prints a password', async () => {
    await expectQuiet();
    await expectNeverPrinted(['fires.yaml', 'current-layout.yaml', 'quiet.yaml'], ['Fx-malformed-pw1']);
  });
});
