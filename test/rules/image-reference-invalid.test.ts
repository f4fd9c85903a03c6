import { describe, expect, it } from 'vitest';
import { variant } from '../helpers/edit.js';
import { expectOneRuntimeFindingPerContainer } from '../helpers/runtime.js';
import { expectQuietTwin, scanOnly } from '../helpers/scan.js';

const RULE = 'image-reference-invalid';
const PARSE_ERROR =
  'Failed to apply default image tag "registry.example.com/Web/storefront:5.0.2": couldn\'t parse image name "registry.example.com/Web/storefront:5.0.2": invalid reference format: repository name (Web/storefront) must be lowercase';

describe(RULE, () => {
  it("quotes the kubelet's exact parse error and proposes the lower-case reference", async () => {
    const { report, f } = await scanOnly(RULE);
    expect(f.message).toContain(PARSE_ERROR);
    expect(f.message).toContain('(InvalidImageName)');
    expect(f.severity).toBe('error');
    expect(f.remediation).toEqual(['kubectl set image deployment/storefront storefront=registry.example.com/web/storefront:5.0.2 -n web']);
    expect(JSON.stringify(report)).not.toContain('Fx-image-reference-invalid-pw1');
    expectOneRuntimeFindingPerContainer(report);
  });

  it('a dump with the InspectFailed event but no waiting status: still failing, InvalidImageName', async () => {
    const waiting = `      state:\n        waiting:\n          message: '${PARSE_ERROR.replace(/'/g, "''")}'\n          reason: InvalidImageName\n`;
    const file = variant(RULE, 'fires.yaml', [[waiting, '      state: {}\n']]);
    const { report, f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain(PARSE_ERROR);
    expect(f.message).toContain('(InvalidImageName)');
    expect(report.summary.podsWithPullProblems).toBe(1);
  });

  it('is caught statically from the spec, with the same parse error, before any status', async () => {
    const file = variant(RULE, 'quiet.yaml', [['registry.example.com/web/storefront:5.0.2', 'registry.example.com/Web/storefront:5.0.2']]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain(PARSE_ERROR);
    expect(f.message).toContain('pods with this spec fail with InvalidImageName');
    expect(f.severity).toBe('error');
  });

  it('explains a URL scheme in the image', async () => {
    const file = variant(RULE, 'quiet.yaml', [['- image: registry.example.com/web/storefront:5.0.2\n      imagePullPolicy', '- image: https://registry.example.com/web/storefront:5.0.2\n      imagePullPolicy']]);
    const { f } = await scanOnly(RULE, [file]);
    expect(f.message).toContain('URL scheme');
    expect(f.remediation[0]).toContain('storefront=registry.example.com/web/storefront:5.0.2');
  });

  it('does not fire on the healthy twin', () => expectQuietTwin(RULE));
});
