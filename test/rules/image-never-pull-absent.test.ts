import { describe, expect, it } from 'vitest';
import { expectOneRuntimeFindingPerContainer } from '../helpers/runtime.js';
import { expectQuietTwin, rulesOf, scanOnly } from '../helpers/scan.js';

const RULE = 'image-never-pull-absent';

describe(RULE, () => {
  it("quotes the kubelet's ErrImageNeverPull text and offers both fixes", async () => {
    const { report, f } = await scanOnly(RULE);
    // The kubelet's wording stays exact; the node is named outside it.
    expect(f.message).toContain(
      'The kubelet on node kind-worker2 reports for container checkout (ErrImageNeverPull): Container image "localdev/checkout:dev" is not present with pull policy of Never.',
    );
    const rem = f.remediation.join('\n');
    expect(rem).toContain(`kubectl patch deployment checkout -n dev --type=strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"checkout","imagePullPolicy":"IfNotPresent"}]}}}}'`);
    expect(rem).toContain('kind load docker-image localdev/checkout:dev --nodes kind-worker2');
    expect(rulesOf(report)).not.toContain('image-pull-failed-unexplained');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('does not fire on the healthy twin (image already present)', () => expectQuietTwin(RULE));
});
