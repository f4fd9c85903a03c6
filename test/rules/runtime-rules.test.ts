import { describe, expect, it } from 'vitest';
import { expectOneRuntimeFindingPerContainer, RUNTIME_RULES } from '../helpers/runtime.js';
import { fixture, scan } from '../helpers/scan.js';

describe('runtime-failure rules together', () => {
  const all = RUNTIME_RULES.flatMap((r) => [fixture(r, 'fires.yaml'), fixture(r, 'quiet.yaml')]);

  it('give every failing container exactly one runtime finding, from the rule whose fixture it is', async () => {
    const { report, prep } = await scan(all);
    expectOneRuntimeFindingPerContainer(report);
    const failing = prep.contexts.flatMap((ctx) => ctx.containers.filter((c) => c.failure).map((c) => `${ctx.namespace}/${ctx.podName}/${c.name}`));
    const covered = new Set(report.findings.filter((f) => RUNTIME_RULES.includes(f.rule) && f.container).map((f) => `${f.namespace}/${f.pod}/${f.container}`));
    expect(failing.length).toBeGreaterThanOrEqual(11);
    for (const key of failing) expect(covered.has(key), key).toBe(true);
  });

  it('never put a fixture password or token into the report', async () => {
    const { report } = await scan(all);
    const json = JSON.stringify(report);
    expect(json).not.toMatch(/Fx-[a-z-]+-(?:pw\d|satoken)/);
    for (const pw of ['Fx-registry-auth-rejected-pw1', 'Fx-registry-access-denied-pw1', 'Fx-registry-tls-error-pw1', 'Fx-image-reference-invalid-pw1']) {
      expect(json).not.toContain(Buffer.from(pw).toString('base64').slice(0, 20));
    }
  });

  it('claim no runtime failure for pods that run (static scan of the healthy twins)', async () => {
    const { report } = await scan(RUNTIME_RULES.map((r) => fixture(r, 'quiet.yaml')));
    expect(report.findings.filter((f) => RUNTIME_RULES.includes(f.rule))).toEqual([]);
  });
});
