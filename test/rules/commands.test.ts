import { describe, expect, it } from 'vitest';
import { addPullSecretsToWorkload, copySecret, dockerRegistrySecret, podTemplatePatch, removePullSecretFromWorkload, replacePullSecretInWorkload } from '../../rules/lib/commands.js';
import { listNames } from '../../rules/lib/evidence.js';
import { refreshTokenSecret, tokenCommand } from '../../rules/lib/secret-helpers.js';
import type { PullContext } from '../../src/engine/types.js';

/** Just the fields the command builders read. */
function ctx(kind: string, name = 'web', extra: Partial<PullContext> = {}): PullContext {
  return {
    namespace: 'shop',
    podName: 'web-7d9f-abcde',
    workload: { kind, name },
    serviceAccount: { name: 'default', status: 'found', pullSecrets: [] },
    sourceKind: 'file',
    ...extra,
  } as unknown as PullContext;
}

describe('dockerRegistrySecret', () => {
  it('creates a secret that does not exist', () => {
    expect(dockerRegistrySecret(ctx('Deployment'), 'regcred', 'registry.example.com', { exists: false })).toBe(
      "kubectl create secret docker-registry regcred -n shop --docker-server=registry.example.com --docker-username='<username>' --docker-password='<password>'",
    );
  });

  it('rewrites an existing secret with replace, never apply', () => {
    const cmd = dockerRegistrySecret(ctx('Deployment', 'web', { cluster: 'prod', sourceKind: 'cluster' } as Partial<PullContext>), 'regcred', 'registry.example.com', {
      exists: true,
      username: 'deployer',
    });
    expect(cmd).toBe(
      "kubectl --context prod create secret docker-registry regcred -n shop --docker-server=registry.example.com --docker-username=deployer --docker-password='<password>' --dry-run=client -o yaml | kubectl --context prod replace -n shop -f -",
    );
    expect(cmd).not.toContain('apply');
  });

  it('replaces with --force for a type change, and takes the password from a command', () => {
    expect(dockerRegistrySecret(ctx('Deployment'), 'regcred', 'r.example', { exists: 'force' })).toContain('| kubectl replace --force -n shop -f -');
    expect(dockerRegistrySecret(ctx('Deployment'), 'regcred', 'r.example', { exists: true, passwordCommand: 'gcloud auth print-access-token' })).toContain(
      '--docker-password="$(gcloud auth print-access-token)" --dry-run=client -o yaml | kubectl replace -n shop -f -',
    );
  });
});

describe('token refresh', () => {
  it('mints the token with the provider CLI', () => {
    expect(tokenCommand('Amazon ECR', 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toBe('aws ecr get-login-password --region eu-west-1');
    expect(tokenCommand('Google Artifact Registry', 'europe-docker.pkg.dev')).toBe('gcloud auth print-access-token');
    expect(tokenCommand('Azure Container Registry', 'https://acme.azurecr.io/v2/')).toBe('az acr login --name acme --expose-token --output tsv --query accessToken');
  });

  it('pipes the token straight into a replace of the existing secret', () => {
    expect(refreshTokenSecret(ctx('Deployment'), 'acr-pull', 'acme.azurecr.io', '00000000-0000-0000-0000-000000000000', 'Azure Container Registry')).toBe(
      'kubectl create secret docker-registry acr-pull -n shop --docker-server=acme.azurecr.io --docker-username=00000000-0000-0000-0000-000000000000 ' +
        '--docker-password="$(az acr login --name acme --expose-token --output tsv --query accessToken)" --dry-run=client -o yaml | kubectl replace -n shop -f -',
    );
  });
});

describe('pod template patches', () => {
  it('adds pull secrets with a strategic merge patch for every templated kind', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'Job']) {
      expect(addPullSecretsToWorkload(ctx(kind), ['a', 'b'], 'manifest')).toBe(
        `kubectl patch ${kind.toLowerCase()} web -n shop --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"a"},{"name":"b"}]}}}}'`,
      );
    }
    expect(addPullSecretsToWorkload(ctx('CronJob'), ['a'], 'service-account')).toBe(
      `kubectl patch cronjob web -n shop --type=strategic -p '{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"a"}]}}}}}}'`,
    );
  });

  it('for a bare pod: the ServiceAccount, or a note to edit the manifest', () => {
    expect(addPullSecretsToWorkload(ctx('Pod'), ['a'], 'service-account')).toBe(`kubectl patch serviceaccount default -n shop -p '{"imagePullSecrets":[{"name":"a"}]}'`);
    expect(addPullSecretsToWorkload(ctx('Pod'), ['a'], 'manifest')).toMatch(/^# pod web-7d9f-abcde has no controller: add \{name: a\} to spec.imagePullSecrets/);
    expect(podTemplatePatch(ctx('ReplicaSet'), '{}')).toBeUndefined();
  });

  it('replaces one pull secret name with a guarded JSON patch at the index the pod lists it', () => {
    const pod = { pod: { spec: { imagePullSecrets: [{ name: 'mirror-pull' }, { name: 'regcred' }] } } } as Partial<PullContext>;
    expect(replacePullSecretInWorkload(ctx('Deployment', 'web', pod), 'regcred', '<secret-name>')).toBe(
      `kubectl patch deployment web -n shop --type=json -p '[{"op":"test","path":"/spec/template/spec/imagePullSecrets/1/name","value":"regcred"},` +
        `{"op":"replace","path":"/spec/template/spec/imagePullSecrets/1/name","value":"<secret-name>"}]'`,
    );
    expect(replacePullSecretInWorkload(ctx('CronJob', 'web', pod), 'regcred', 'fixed')).toContain('"path":"/spec/jobTemplate/spec/template/spec/imagePullSecrets/1/name"');
    expect(replacePullSecretInWorkload(ctx('Pod', 'web', pod), 'regcred', 'fixed')).toMatch(/^# pod web-7d9f-abcde has no controller: replace regcred with fixed in spec.imagePullSecrets/);
  });

  it('removes one pull secret with $patch: delete', () => {
    expect(removePullSecretFromWorkload(ctx('Deployment'), 'old')).toBe(
      `kubectl patch deployment web -n shop --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"$patch":"delete","name":"old"}]}}}}'`,
    );
  });
});

describe('ServiceAccount patch for a bare pod keeps the pull secrets it lists', () => {
  const sa = (names: string[], status = 'found') => ({
    serviceAccount: { name: 'builder', status, pullSecrets: names.map((name) => ({ name, status: 'found', otherNamespaces: [] })) },
  });

  it('the patch carries the full resulting list: the existing ones, then the new ones, once each', () => {
    expect(addPullSecretsToWorkload(ctx('Pod', 'web', sa(['team-pull', 'mirror-pull']) as unknown as Partial<PullContext>), ['ghcr-io-pull', 'team-pull'], 'service-account')).toBe(
      `kubectl patch serviceaccount builder -n shop -p '{"imagePullSecrets":[{"name":"team-pull"},{"name":"mirror-pull"},{"name":"ghcr-io-pull"}]}'`,
    );
  });

  it('an unreadable ServiceAccount is appended to with a JSON patch, not overwritten', () => {
    const cmd = addPullSecretsToWorkload(ctx('Pod', 'web', sa([], 'forbidden') as unknown as Partial<PullContext>), ['ghcr-io-pull'], 'service-account');
    expect(cmd).toContain(`kubectl patch serviceaccount builder -n shop --type=json -p '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"ghcr-io-pull"}}]'`);
    expect(cmd).toMatch(/^# ServiceAccount builder could not be read/);
  });
});

describe('copySecret', () => {
  it('pipes get | jq | kubectl create into the pod namespace: never apply, nothing printed', () => {
    const cmd = copySecret(ctx('Deployment'), 'regcred', 'ci');
    expect(cmd).toBe(
      `kubectl get secret regcred -n ci -o json | jq 'del(.metadata.namespace,.metadata.uid,.metadata.resourceVersion,.metadata.creationTimestamp,.metadata.managedFields,.metadata.ownerReferences,` +
        `.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"])' | kubectl create -n shop -f -`,
    );
    expect(cmd).not.toContain('apply');
  });

  it('names the context on both ends for a live cluster', () => {
    const cmd = copySecret(ctx('Deployment', 'web', { cluster: 'prod', sourceKind: 'cluster' } as Partial<PullContext>), 'regcred', 'ci');
    expect(cmd).toMatch(/^kubectl --context prod get secret regcred -n ci -o json \| jq .* \| kubectl --context prod create -n shop -f -$/);
  });
});

describe('listNames', () => {
  it('joins with commas and "and", bounded', () => {
    expect(listNames([])).toBe('');
    expect(listNames(['a'])).toBe('a');
    expect(listNames(['a', 'b'])).toBe('a and b');
    expect(listNames(['a', 'b', 'c'], 'or')).toBe('a, b or c');
    expect(listNames(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});
