/**
 * The patch commands pulldoctor prints do what they say, checked with the real kubectl
 * (`kubectl patch --local`, which applies a patch to a file the way the API server does,
 * without a cluster).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixture, podOf } from './helpers/edit.js';
import { fixText, scanDoc } from './helpers/scan.js';

const run = promisify(execFile);

function findKubectl(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin']) {
    try {
      accessSync(path.join(dir, 'kubectl'), constants.X_OK);
      return path.join(dir, 'kubectl');
    } catch {
      // not here
    }
  }
  return undefined;
}

const kubectl = findKubectl();
if (!kubectl) console.warn('SKIPPED test/remediation-patch-e2e.test.ts: kubectl not found on PATH or in /usr/bin');
const dir = mkdtempSync(path.join(tmpdir(), 'pd-patch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The Deployment behind the fixture's pod, its template listing `secrets`. */
function deployment(secrets: string[]): string {
  const file = path.join(dir, `deploy-${secrets.join('-')}.json`);
  const obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'cart', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'cart' } },
      template: {
        metadata: { labels: { app: 'cart' } },
        spec: { imagePullSecrets: secrets.map((name) => ({ name })), containers: [{ name: 'cart', image: 'registry.example.com/shop/cart:1.4.2' }] },
      },
    },
  };
  writeFileSync(file, JSON.stringify(obj));
  return file;
}

/** `kubectl patch --local`: the template's imagePullSecrets names after the patch. */
async function patched(file: string, type: string, patch: string): Promise<string[]> {
  const { stdout } = await run(kubectl!, ['patch', '--local', '-f', file, `--type=${type}`, '-p', patch, '-o', 'json'], { env: { ...process.env, KUBECONFIG: '/dev/null' } });
  return (JSON.parse(stdout).spec.template.spec.imagePullSecrets as { name: string }[]).map((r) => r.name);
}

describe.skipIf(!kubectl)('pull-secret-not-found: "point the workload at the right one"', () => {
  // The pod lists a valid secret first, then the dangling "regcred".
  const doc = loadFixture('pull-secret-not-found', 'fires.yaml');
  podOf(doc).spec.imagePullSecrets = [{ name: 'mirror-pull' }, { name: 'regcred' }];
  const f = scanDoc(doc).findings.find((x: any) => x.rule === 'pull-secret-not-found' && x.secret === 'regcred');
  const patch = /--type=json -p '([^']*)'/.exec(fixText(f))?.[1] ?? '';

  it('replaces the dangling name in place and keeps the others', async () => {
    expect(patch).not.toBe('');
    expect(await patched(deployment(['mirror-pull', 'regcred']), 'json', patch)).toEqual(['mirror-pull', '<secret-name>']);
  });

  it('changes nothing when the template does not list the name there (the test op fails)', async () => {
    await expect(patched(deployment(['regcred', 'mirror-pull']), 'json', patch)).rejects.toThrow(/test failed/);
  });

  it('a strategic merge patch could not have done it: the list merges by name and the dangling name stays', async () => {
    const strategic = '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"fixed"}]}}}}';
    expect(await patched(deployment(['mirror-pull', 'regcred']), 'strategic', strategic)).toContain('regcred');
  });
});
