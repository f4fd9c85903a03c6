/**
 * imagePullSecrets where the kubelet does not read it (src/collect/misplaced-pull-secrets.ts): every
 * misplacement of a raw object with its JSON path, segments and shape, for Pods, workloads and
 * bare pod specs — the function `pulldoctor check` reuses with YAML positions.
 */
import { describe, expect, it } from 'vitest';
import { correctedSnippet, findMisplacedPullSecrets, formatPath, isPullSecretsKey, misplacedInLastApplied } from '../src/collect/misplaced-pull-secrets.js';

const container = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'registry.acme.io/team/app:1.0', ...extra });
const deployment = (podSpec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec }, ...extra },
});
const brief = (obj: unknown) => findMisplacedPullSecrets(obj).map((m) => [m.kind, m.path, m.shape, m.names, m.target, m.container ?? '-']);

describe('findMisplacedPullSecrets', () => {
  it('a correct list in the pod spec is not reported, whatever the kind', () => {
    const spec = { containers: [container()], imagePullSecrets: [{ name: 'acme-pull' }] };
    expect(findMisplacedPullSecrets(deployment(spec))).toEqual([]);
    expect(findMisplacedPullSecrets({ kind: 'Pod', metadata: { name: 'p' }, spec })).toEqual([]);
    expect(findMisplacedPullSecrets({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec } } } } })).toEqual([]);
    expect(findMisplacedPullSecrets({ kind: 'Pod', spec: { containers: [container()], imagePullSecrets: [] } })).toEqual([]);
  });

  it('under a container: the path, the container and where it must go', () => {
    const m = findMisplacedPullSecrets(deployment({ containers: [container(), { ...container({ name: 'sidecar' }), imagePullSecrets: [{ name: 'acme-pull' }] }] }));
    expect(m).toEqual([
      {
        kind: 'under-container',
        path: 'spec.template.spec.containers[1].imagePullSecrets',
        segments: ['spec', 'template', 'spec', 'containers', 1, 'imagePullSecrets'],
        key: 'imagePullSecrets',
        shape: 'objects',
        names: ['acme-pull'],
        target: 'spec.template.spec.imagePullSecrets',
        container: 'sidecar',
      },
    ]);
  });

  it('init containers of a Pod, misspelled under a container too', () => {
    expect(brief({ kind: 'Pod', spec: { initContainers: [container({ name: 'init', imagepullsecrets: ['acme-pull'] })], containers: [container()] } })).toEqual([
      ['under-container', 'spec.initContainers[0].imagepullsecrets', 'strings', ['acme-pull'], 'spec.imagePullSecrets', 'init'],
    ]);
  });

  it('in metadata: the workload\'s and the pod template\'s', () => {
    const d = deployment({ containers: [container()] });
    (d.metadata as Record<string, unknown>).imagePullSecrets = [{ name: 'a' }];
    (d.spec.template.metadata as Record<string, unknown>).imagePullSecrets = [{ name: 'b' }];
    expect(brief(d)).toEqual([
      ['in-metadata', 'metadata.imagePullSecrets', 'objects', ['a'], 'spec.template.spec.imagePullSecrets', '-'],
      ['in-metadata', 'spec.template.metadata.imagePullSecrets', 'objects', ['b'], 'spec.template.spec.imagePullSecrets', '-'],
    ]);
  });

  it('at the wrong level: on the workload spec, on the template, on a CronJob\'s job spec', () => {
    expect(brief(deployment({ containers: [container()] }, { imagePullSecrets: [{ name: 'a' }] }))).toEqual([
      ['wrong-level', 'spec.imagePullSecrets', 'objects', ['a'], 'spec.template.spec.imagePullSecrets', '-'],
    ]);
    const cron = { kind: 'CronJob', spec: { jobTemplate: { spec: { imagePullSecrets: [{ name: 'c' }], template: { spec: { containers: [container()] } } } } } };
    expect(brief(cron)).toEqual([
      ['wrong-level', 'spec.jobTemplate.spec.imagePullSecrets', 'objects', ['c'], 'spec.jobTemplate.spec.template.spec.imagePullSecrets', '-'],
    ]);
  });

  it('a misspelled key beside the containers', () => {
    expect(brief({ kind: 'Pod', spec: { containers: [container()], imagePullSecret: [{ name: 'acme-pull' }] } })).toEqual([
      ['misspelled-key', 'spec.imagePullSecret', 'objects', ['acme-pull'], 'spec.imagePullSecrets', '-'],
    ]);
    expect(brief(deployment({ containers: [container()], ImagePullSecrets: [{ name: 'x' }], image_pull_secrets: [{ name: 'y' }] }))).toEqual([
      ['misspelled-key', 'spec.template.spec.ImagePullSecrets', 'objects', ['x'], 'spec.template.spec.imagePullSecrets', '-'],
      ['misspelled-key', 'spec.template.spec.image_pull_secrets', 'objects', ['y'], 'spec.template.spec.imagePullSecrets', '-'],
    ]);
  });

  it('the right key and place with the wrong shape: strings, one string, one object, entries without name', () => {
    const pod = (v: unknown) => ({ kind: 'Pod', spec: { containers: [container()], imagePullSecrets: v } });
    expect(brief(pod(['acme-pull', 'other']))).toEqual([['wrong-shape', 'spec.imagePullSecrets', 'strings', ['acme-pull', 'other'], 'spec.imagePullSecrets', '-']]);
    expect(brief(pod('acme-pull'))).toEqual([['wrong-shape', 'spec.imagePullSecrets', 'string', ['acme-pull'], 'spec.imagePullSecrets', '-']]);
    expect(brief(pod({ name: 'acme-pull' }))).toEqual([['wrong-shape', 'spec.imagePullSecrets', 'object', ['acme-pull'], 'spec.imagePullSecrets', '-']]);
    expect(brief(pod([{ secretName: 'acme-pull' }]))).toEqual([['wrong-shape', 'spec.imagePullSecrets', 'objects', ['acme-pull'], 'spec.imagePullSecrets', '-']]);
  });

  it('a bare pod spec (no kind) is checked at its top level', () => {
    expect(brief({ containers: [container({ imagePullSecrets: [{ name: 'a' }] })] })).toEqual([
      ['under-container', 'containers[0].imagePullSecrets', 'objects', ['a'], 'imagePullSecrets', 'app'],
    ]);
  });

  it('ignores other kinds, non-objects, annotations and status', () => {
    expect(findMisplacedPullSecrets({ kind: 'ConfigMap', data: { imagePullSecrets: 'a' } })).toEqual([]);
    expect(findMisplacedPullSecrets(null)).toEqual([]);
    expect(findMisplacedPullSecrets([1, 2])).toEqual([]);
    const p = { kind: 'Pod', metadata: { annotations: { imagePullSecrets: 'a' } }, spec: { containers: [container()] }, status: { imagePullSecrets: 1 } };
    expect(findMisplacedPullSecrets(p)).toEqual([]);
  });
});

describe('helpers', () => {
  it('keys: any case, separators, singular — nothing else', () => {
    for (const k of ['imagePullSecrets', 'imagePullSecret', 'imagepullsecrets', 'ImagePullSecrets', 'image_pull_secrets', 'image-pull-secret']) expect(isPullSecretsKey(k), k).toBe(true);
    for (const k of ['pullSecrets', 'imagePullPolicy', 'secrets', 'imagePullSecretsList']) expect(isPullSecretsKey(k), k).toBe(false);
  });

  it('paths quote keys that are not identifiers', () => {
    expect(formatPath(['spec', 'containers', 0, 'imagePullSecrets'])).toBe('spec.containers[0].imagePullSecrets');
    expect(formatPath(['metadata', 'a.b'])).toBe('metadata["a.b"]');
  });

  it('the corrected snippet is one line of YAML flow style', () => {
    expect(correctedSnippet(['acme-pull', 'ghcr'])).toBe('imagePullSecrets: [{name: acme-pull}, {name: ghcr}]');
    expect(correctedSnippet(['Weird Name'])).toBe('imagePullSecrets: [{name: "Weird Name"}]');
    expect(correctedSnippet([])).toBe('imagePullSecrets: [{name: <secret-name>}]');
  });

  it('last-applied-configuration: parsed only when it mentions the key; never throws', () => {
    const text = `${JSON.stringify(deployment({ containers: [container({ imagePullSecrets: [{ name: 'a' }] })] }))}\n`;
    expect(misplacedInLastApplied(text).map((m) => m.path)).toEqual(['spec.template.spec.containers[0].imagePullSecrets']);
    expect(misplacedInLastApplied('{"kind":"Pod","spec":{"imagePullSecret')).toEqual([]);
    expect(misplacedInLastApplied(JSON.stringify(deployment({ containers: [container()] })))).toEqual([]);
    expect(misplacedInLastApplied(undefined)).toEqual([]);
    expect(misplacedInLastApplied(42)).toEqual([]);
  });
});
