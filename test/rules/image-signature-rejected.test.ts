import { describe, expect, it } from 'vitest';
import { expectOneRuntimeFindingPerContainer } from '../helpers/runtime.js';
import { expectQuietTwin, scanOnly } from '../helpers/scan.js';

const RULE = 'image-signature-rejected';

describe(RULE, () => {
  it("reports CRI-O's signature policy rejection with the policy file to look at", async () => {
    const { report, f } = await scanOnly(RULE);
    expect(f.message).toContain('the policy requires a signature and the image has none');
    expect(f.message).toContain('A signature was required, but no signature exists');
    expect(f.remediation.join('\n')).toContain('/etc/containers/policy.json');
    expect(f.remediation.join('\n')).toContain("cosign verify --key '<public-key>' quay.io/acme/edge-proxy:4.1.0");
    expectOneRuntimeFindingPerContainer(report);
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
