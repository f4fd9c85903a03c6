import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFiles } from '../src/collect/file.js';
import { UserError } from '../src/model/errors.js';
import { ROOT } from './helpers/root.js';

const bad = (f: string) => path.join(ROOT, 'test', 'data', 'bad', f);

async function userError(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('file source', () => {
  it('reads a kubectl List: pods, events, secrets (sealed), service accounts', async () => {
    const s = await collectFiles([path.join(ROOT, 'fixtures/pull-secret-not-found/quiet.yaml')]);
    expect(s.pods.map((p) => p.metadata.name)).toEqual(['cart-7c9d6b5f4d-x2k8q']);
    expect(s.events.map((e) => e.reason)).toEqual(['Pulling', 'Pulled']);
    expect(s.secrets.map((x) => `${x.metadata.namespace}/${x.metadata.name}:${x.type}`)).toEqual([
      'shop/cart-tls:Opaque',
      'shop/regcred:kubernetes.io/dockerconfigjson',
    ]);
    expect(s.serviceAccounts).toHaveLength(1);
    expect(s.coverage).toEqual({ secrets: 'all', serviceAccounts: 'all', events: 'all', nodes: 'none' });
    // secret data is sealed: not visible in a serialisation of the snapshot
    expect(JSON.stringify(s)).not.toContain('Sh0pPuller');
    expect(JSON.stringify(s)).not.toContain('eyJhdXRocyI6');
  });

  it('reads multi-document YAML, single objects and events.k8s.io/v1 events, and counts other kinds', async () => {
    const text = [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\n  namespace: a\n  uid: u1\nspec:\n  containers:\n  - name: c\n    image: nginx',
      'apiVersion: events.k8s.io/v1\nkind: Event\nmetadata:\n  name: p1.1\n  namespace: a\nregarding:\n  kind: Pod\n  name: p1\n  namespace: a\n  uid: u1\n  fieldPath: spec.containers{c}\nreason: BackOff\nnote: Back-off pulling image "nginx"\ntype: Normal\nseries:\n  count: 7\n  lastObservedTime: "2026-11-28T11:59:00.000000Z"\neventTime: "2026-11-28T11:00:00.000000Z"\nreportingController: kubelet\nreportingInstance: node-1\naction: Pulling',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: a',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: a',
    ].join('\n---\n');
    const s = await collectFiles(['-'], { readStdin: async () => Buffer.from(text) });
    expect(s.pods).toHaveLength(1);
    expect(s.events[0]).toMatchObject({
      reason: 'BackOff',
      message: 'Back-off pulling image "nginx"',
      count: 7,
      lastTimestamp: '2026-11-28T11:59:00.000000Z',
      involvedObject: { fieldPath: 'spec.containers{c}', uid: 'u1' },
      host: 'node-1',
    });
    // Workloads are read as owners (and for their manifests' misplaced imagePullSecrets).
    expect(s.owners.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/d']);
    expect(s.skipped).toEqual({ ConfigMap: 1 });
    expect(s.source.description).toBe('stdin');
    expect(s.coverage.secrets).toBe('none');
  });

  it('reads a directory of dumps', async () => {
    const s = await collectFiles([path.join(ROOT, 'fixtures/pull-secret-not-found')]);
    expect(s.pods).toHaveLength(3); // fires.yaml, no-secrets.yaml, quiet.yaml
  });

  it.each([
    ['binary.yaml', /binary\.yaml: not a text file/],
    ['empty.yaml', /empty\.yaml: file is empty/],
    ['broken.yaml', /broken\.yaml:\d+: invalid YAML/],
    ['broken.json', /broken\.json:3: invalid JSON/],
    ['not-k8s.yaml', /not-k8s\.yaml: no Kubernetes objects found/],
    ['missing.yaml', /missing\.yaml: no such file or directory/],
  ])('bad input %s gives one clear line naming the file', async (f, re) => {
    const e = await userError(collectFiles([bad(f)]));
    expect(e.message).toMatch(re);
    expect(e.message).not.toContain('\n');
    expect(e.exitCode).toBe(2);
  });

  it('a kubectl -o json dump: every pod read; bad input inside an item names its line', async () => {
    const pods = ['a', 'b', 'c'].map((name) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'n', uid: `u-${name}`, annotations: { note: 'a closing line, escaped:\n        }' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
      status: { phase: 'Pending' },
    }));
    const text = JSON.stringify({ apiVersion: 'v1', items: pods, kind: 'List', metadata: { resourceVersion: '' } }, null, 4);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pulldoctor-dump-'));
    const good = path.join(dir, 'dump.json');
    writeFileSync(good, text);
    expect((await collectFiles([good])).pods.map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    const bad = path.join(dir, 'bad.json');
    const at = text.lastIndexOf('"Pending"');
    writeFileSync(bad, `${text.slice(0, at)}"Pending" "x"${text.slice(at + '"Pending"'.length)}`);
    const line = text.slice(0, at).split('\n').length;
    const e = await userError(collectFiles([bad]));
    expect(e.message).toBe(`${bad}:${line}: invalid JSON: Expected ',' or '}' after property value`);
  });
});
