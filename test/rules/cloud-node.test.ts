/**
 * Cloud-aware diagnosis from what the API shows (issue 12, part 1): the platform read from a
 * Node's providerID and labels, the credential provider step it implies per image (the JSON
 * `credentials[]` entry with source "node-provider"), and what the rules make of it — the node's
 * identity named and fixed, a registry no provider covers, and no static secret for a registry
 * the node's provider covers. Real shapes and messages only (sources in the fixtures).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { collectFiles } from '../../src/collect/file.js';
import { aksClusterOf, clusterIdentity, cloudRegistryOf, nodeProviderCoverage, recognisePlatform } from '../../src/credentials/index.js';
import type { NodeInfo } from '../../src/model/kube.js';
import type { NodeProviderCredentialView, Report } from '../../src/model/finding.js';
import { parseEcrDenial, parseGarDenial } from '../../src/runtime/cloud-identity.js';
import { fixture, findingsOf, only, relatedRules, reportOf, scan, scanDoc } from '../helpers/scan.js';

const node = (name: string, providerID: string | undefined, labels: Record<string, string> = {}, kubeletVersion?: string): NodeInfo => ({
  name,
  ...(providerID ? { providerID } : {}),
  labels,
  ...(kubeletVersion ? { kubeletVersion } : {}),
});

describe('platform from a Node (providerID, labels)', () => {
  it('EKS: managed node group, with zone and instance from the providerID', () => {
    const p = recognisePlatform(node('ip-10-0-3-41.ec2.internal', 'aws:///us-east-1a/i-0c1d2e3f4a5b60718', { 'eks.amazonaws.com/nodegroup': 'shop-ng-2024' }));
    expect(p).toMatchObject({ platform: 'eks', compute: 'ec2', nodePool: 'shop-ng-2024', zone: 'us-east-1a', instance: 'i-0c1d2e3f4a5b60718' });
  });

  it('EKS Fargate: by its compute-type label, or by its providerID and node name alone', () => {
    const id = 'aws:///us-east-1b/b7af340c11-9ec3eeb6643c4ea58b0285cefd83ef94/fargate-ip-10-65-48-87.ec2.internal';
    expect(recognisePlatform(node('fargate-ip-10-65-48-87.ec2.internal', id, { 'eks.amazonaws.com/compute-type': 'fargate' }))).toMatchObject({ platform: 'eks', compute: 'fargate' });
    expect(recognisePlatform(node('fargate-ip-10-65-48-87.ec2.internal', id))).toMatchObject({ platform: 'eks', compute: 'fargate' });
  });

  it('EKS by the kubelet version alone (self-managed node group with the EKS AMI)', () => {
    expect(recognisePlatform(node('ip-10-0-1-2.ec2.internal', 'aws:///us-east-1a/i-0abc', {}, 'v1.30.4-eks-a737599')).platform).toBe('eks');
  });

  it('GKE: node pool, project and zone from gce://project/zone/name', () => {
    const p = recognisePlatform(node('gke-test-default-pool-9f8f65a4-2kld', 'gce://test-stackstate/europe-west4-a/gke-test-default-pool-9f8f65a4-2kld', { 'cloud.google.com/gke-nodepool': 'default-pool' }));
    expect(p).toMatchObject({ platform: 'gke', nodePool: 'default-pool', gcpProject: 'test-stackstate', zone: 'europe-west4-a' });
  });

  it('AKS: the node resource group (label spelling) names the cluster and its resource group', () => {
    const p = recognisePlatform(
      node('aks-nodepool1-31718369-vmss000002', 'azure:///subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourceGroups/mc_rg-logging_aks-prod_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-31718369-vmss/virtualMachines/2', {
        'kubernetes.azure.com/cluster': 'MC_rg-logging_aks-prod_westeurope',
        'kubernetes.azure.com/agentpool': 'nodepool1',
        'kubernetes.azure.com/kubelet-identity-client-id': '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
      }),
    );
    expect(p).toMatchObject({
      platform: 'aks',
      nodePool: 'nodepool1',
      azure: { subscription: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', nodeResourceGroup: 'MC_rg-logging_aks-prod_westeurope', kubeletIdentityClientId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a' },
    });
    expect(aksClusterOf('MC_rg-logging_aks-prod_westeurope')).toEqual({ resourceGroup: 'rg-logging', cluster: 'aks-prod', location: 'westeurope' });
    // underscores make it ambiguous unless the kubeconfig cluster name settles it
    expect(aksClusterOf('MC_my_rg_my_aks_uksouth')).toBeUndefined();
    expect(aksClusterOf('MC_my_rg_my_aks_uksouth', 'my_aks')).toEqual({ resourceGroup: 'my_rg', cluster: 'my_aks', location: 'uksouth' });
    expect(aksClusterOf('custom-node-rg')).toBeUndefined();
  });

  it('a cloud VM without the managed labels, and a node without providerID: platform unknown', () => {
    expect(recognisePlatform(node('ip-10-0-1-2.ec2.internal', 'aws:///us-east-1a/i-0abc')).platform).toBe('aws');
    expect(recognisePlatform(node('worker-1', undefined)).platform).toBe('other');
    expect(recognisePlatform(node('kind-worker', 'kind://docker/kind/kind-worker')).platform).toBe('other');
  });

  it('the cluster from the names aws eks update-kubeconfig, eksctl and gcloud give it', () => {
    expect(clusterIdentity('arn:aws:eks:eu-west-1:444455556666:cluster/prod')).toEqual({ platform: 'eks', name: 'prod', location: 'eu-west-1', account: '444455556666' });
    expect(clusterIdentity('prod.eu-west-1.eksctl.io')).toEqual({ platform: 'eks', name: 'prod', location: 'eu-west-1' });
    expect(clusterIdentity('gke_shop-prod-301122_europe-west1_shop-prod')).toEqual({ platform: 'gke', project: 'shop-prod-301122', location: 'europe-west1', name: 'shop-prod' });
    expect(clusterIdentity('kind-kind')).toBeUndefined();
  });
});

describe('cloud registries and the provider step', () => {
  it('recognises ECR (FIPS, VPC endpoint), ECR Public, Artifact Registry, GCR and ACR by host', () => {
    expect(cloudRegistryOf('123456789012.dkr.ecr.us-east-1.amazonaws.com')).toMatchObject({ kind: 'ecr', account: '123456789012', region: 'us-east-1' });
    expect(cloudRegistryOf('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com')).toMatchObject({ kind: 'ecr', fips: true });
    expect(cloudRegistryOf('vpce-0d1e2f3a4b5c6d7e8-4kq2xz1m.dkr.ecr.us-east-1.vpce.amazonaws.com')).toMatchObject({ kind: 'ecr', nonStandard: true, region: 'us-east-1' });
    expect(cloudRegistryOf('public.ecr.aws')?.kind).toBe('ecr-public');
    expect(cloudRegistryOf('us-docker.pkg.dev')).toMatchObject({ kind: 'artifact-registry', region: 'us' });
    expect(cloudRegistryOf('eu.gcr.io')?.kind).toBe('gcr');
    expect(cloudRegistryOf('myacr.azurecr.io')).toMatchObject({ kind: 'acr', name: 'myacr' });
    expect(cloudRegistryOf('docker.io')).toBeUndefined();
    expect(cloudRegistryOf('registry.example.com:5000')).toBeUndefined();
  });

  it('covered: the platform provider matchImages select the image (the kubelet URLsMatch)', () => {
    const eks = { platform: 'eks' as const, compute: 'ec2' as const };
    expect(nodeProviderCoverage('123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api', eks)).toMatchObject({ status: 'covered', provider: 'ecr-credential-provider', matchImage: '*.dkr.ecr.*.amazonaws.com' });
    expect(nodeProviderCoverage('us-docker.pkg.dev/berglas/berglas/berglas', { platform: 'gke' })).toMatchObject({ status: 'covered', provider: 'auth-provider-gcp', matchImage: '*.pkg.dev' });
    expect(nodeProviderCoverage('myacr.azurecr.io/fluent/fluent-bit', { platform: 'aks' })).toMatchObject({ status: 'covered', provider: 'acr-credential-provider', matchImage: '*.azurecr.io' });
    expect(nodeProviderCoverage('123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api', { platform: 'eks', compute: 'fargate' })).toMatchObject({ status: 'covered', provider: 'fargate' });
  });

  it('not covered: another cloud, or a name the matchImages miss (a VPC-endpoint name has more DNS labels)', () => {
    expect(nodeProviderCoverage('123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api', { platform: 'gke' })).toMatchObject({ status: 'not-covered', provider: 'auth-provider-gcp', registry: { kind: 'ecr' } });
    expect(nodeProviderCoverage('contosoregistry.azurecr.io/billing/invoicer', { platform: 'eks', compute: 'ec2' })).toMatchObject({ status: 'not-covered', registry: { kind: 'acr' } });
    expect(nodeProviderCoverage('vpce-0d1e2f3a4b5c6d7e8-4kq2xz1m.dkr.ecr.us-east-1.vpce.amazonaws.com/shop/worker', { platform: 'eks', compute: 'ec2' }).status).toBe('not-covered');
    expect(nodeProviderCoverage('myacr.azurecr.io/x', { platform: 'eks', compute: 'fargate' }).status).toBe('not-covered');
  });

  it('unknown: a VM without the managed labels, or an unrecognised node, shows its providers only on the node', () => {
    expect(nodeProviderCoverage('123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api', { platform: 'aws' }).status).toBe('unknown');
    expect(nodeProviderCoverage('123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api', { platform: 'other' }).status).toBe('unknown');
  });
});

describe('what the registry answer names', () => {
  it('ECR: the role, its instance session, the action and the repository (AWS re:Post wording)', () => {
    const d = parseEcrDenial(
      'denied: User: arn:aws:sts::444455556666:assumed-role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1ABCDEF/i-0a1b2c3d4e5f60718 is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:eu-west-1:111122223333:repository/platform/base',
    );
    expect(d).toMatchObject({
      account: '444455556666',
      role: 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1ABCDEF',
      session: 'i-0a1b2c3d4e5f60718',
      action: 'ecr:BatchGetImage',
      repositoryAccount: '111122223333',
      region: 'eu-west-1',
      repository: 'platform/base',
    });
  });

  it('Artifact Registry: the permission, project, location and repository (berglas#128 wording)', () => {
    expect(parseGarDenial('denied: Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/berglas/locations/us/repositories/berglas" (or it may not exist)')).toMatchObject({
      permission: 'artifactregistry.repositories.downloadArtifacts',
      project: 'berglas',
      location: 'us',
      repository: 'berglas',
      mayNotExist: true,
    });
  });
});

/** The node-provider entry of container `name` in the report. */
function providerEntry(report: Report, name: string): NodeProviderCredentialView | undefined {
  const c = report.pods.flatMap((p) => p.containers).find((x) => x.name === name);
  return c?.credentials.find((x): x is NodeProviderCredentialView => x.source === 'node-provider');
}

interface KubeObj {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

const STATIC_SECRET = /--docker-password='<password>'/;

describe('the scenarios of issue 12 (dumps with the pods\' Nodes)', () => {
  it('EKS node pulling from ECR with no secret: node-identity-denied with the node group role; credentials[] names ecr-credential-provider; no static secret', async () => {
    const { report } = await scan([fixture('node-identity-denied')]);
    const f = findingsOf(report, 'node-identity-denied').find((x) => x.namespace === 'shop');
    expect(f?.message).toContain("The kubelet's ecr-credential-provider covers Amazon ECR (123456789012.dkr.ecr.us-east-1.amazonaws.com)");
    expect(f?.remediation.join('\n')).toContain('aws eks describe-nodegroup --cluster-name');
    expect(f?.remediation.join('\n')).toContain('--nodegroup-name shop-ng-2024 --region us-east-1');
    expect(f?.remediation.join('\n')).toContain('--policy-arn arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly');
    expect(providerEntry(report, 'api')).toMatchObject({ source: 'node-provider', platform: 'eks', node: 'ip-10-0-3-41.ec2.internal', provider: 'ecr-credential-provider', applies: true, matchImage: '*.dkr.ecr.*.amazonaws.com' });
    // the role named in ECR's answer, the GKE repository, the AKS cluster read from the node
    const byNs = (ns: string) => findingsOf(report, 'node-identity-denied').find((x) => x.namespace === ns);
    expect(byNs('platform')?.remediation[0]).toContain('aws iam attach-role-policy --role-name eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1ABCDEF');
    expect(byNs('tools')?.remediation.join('\n')).toContain('gcloud artifacts repositories add-iam-policy-binding berglas --location=us --project=berglas');
    expect(byNs('logging')?.remediation.join('\n')).toContain('az aks update -n aks-prod -g rg-logging --attach-acr myacr');
    for (const x of report.findings) expect(x.remediation.join('\n'), `${x.rule} ${x.namespace}`).not.toMatch(STATIC_SECRET);
  });

  it('GKE node pulling from ECR: node-provider-not-covering, a renewed secret, credentials[] says the provider does not apply', async () => {
    const { report } = await scan([fixture('node-provider-not-covering')]);
    const f = findingsOf(report, 'node-provider-not-covering').find((x) => x.image?.startsWith('123456789012.dkr.ecr'));
    expect(f?.message).toContain('runs auth-provider-gcp');
    const fix = f?.remediation.join('\n') ?? '';
    expect(fix).toContain('--docker-password="$(aws ecr get-login-password --region us-east-1)"');
    expect(fix).not.toMatch(STATIC_SECRET);
    expect(providerEntry(report, 'api')).toMatchObject({ source: 'node-provider', platform: 'gke', provider: 'auth-provider-gcp', applies: false });
    const denied = findingsOf(report, 'registry-access-denied').find((x) => x.image === f?.image);
    expect(denied && relatedRules(report, denied)).toEqual(['node-provider-not-covering']);
    expect(denied?.remediation.join('\n')).not.toMatch(STATIC_SECRET);
  });

  it('EKS Fargate (the same pod, its node a Fargate one): the pod execution role, not the node role', () => {
    const doc = parse(readFileSync(fixture('node-identity-denied'), 'utf8')) as { items: KubeObj[] };
    const n = doc.items.find((o) => o.kind === 'Node' && o.metadata.name === 'ip-10-0-3-41.ec2.internal');
    if (!n) throw new Error('fixture lost its EKS node');
    n.metadata.labels = { 'eks.amazonaws.com/compute-type': 'fargate' };
    const report = scanDoc(doc);
    const f = findingsOf(report, 'node-identity-denied').find((x) => x.namespace === 'shop');
    expect(f?.message).toContain('Fargate');
    const fix = f?.remediation.join('\n') ?? '';
    expect(fix).toContain('aws eks describe-fargate-profile');
    expect(fix).toContain('arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy');
    expect(providerEntry(report, 'api')).toMatchObject({ provider: 'fargate', applies: true });
  });

  it('the same dump without its Nodes: says how to add them and which command on which node settles it; a renewed secret at most, never a pasted token', () => {
    const doc = parse(readFileSync(fixture('node-identity-denied'), 'utf8')) as { items: KubeObj[] };
    doc.items = doc.items.filter((o) => o.kind !== 'Node' && o.metadata.namespace === 'shop');
    const report = scanDoc(doc);
    expect(findingsOf(report, 'node-identity-denied')).toEqual([]);
    const f = only(report, 'registry-access-denied');
    expect(f.unverified.join('\n')).toContain('The input holds no Nodes (add them to the dump: kubectl get nodes -o yaml)');
    expect(f.unverified.join('\n')).toContain('kubectl debug node/ip-10-0-3-41.ec2.internal -it --profile=sysadmin');
    expect(f.remediation[0]).toMatch(/^# see on node ip-10-0-3-41\.ec2\.internal whether its credential provider covers 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com/);
    const fix = f.remediation.join('\n');
    expect(fix).toContain('--docker-password="$(aws ecr get-login-password --region us-east-1)"');
    expect(fix).not.toMatch(STATIC_SECRET);
    expect(providerEntry(report, 'api')).toBeUndefined();
  });

  it('a pull secret the pod names is missing: dropped where the node covers the registry, created from a renewed token where the input cannot tell', () => {
    const load = (withNode: boolean) => {
      const doc = parse(readFileSync(fixture('node-identity-denied'), 'utf8')) as { items: (KubeObj & { spec?: Record<string, unknown> })[] };
      doc.items = doc.items.filter((o) => (withNode && o.kind === 'Node' && o.metadata.name === 'ip-10-0-3-41.ec2.internal') || o.metadata.namespace === 'shop');
      for (const o of doc.items) if (o.kind === 'Pod' && o.spec) o.spec.imagePullSecrets = [{ name: 'ecr-creds' }];
      // the dump holds the namespace's Secrets (none of them ecr-creds)
      doc.items.push({ kind: 'Secret', metadata: { name: 'api-config', namespace: 'shop' }, type: 'Opaque', data: { LOG_LEVEL: 'aW5mbw==' } } as KubeObj);
      return scanDoc(doc);
    };
    const eks = load(true);
    const missing = only(eks, 'pull-secret-not-found');
    expect(missing.remediation[0]).toContain('# no pull secret is needed for 123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(missing.remediation[1]).toBe(`kubectl patch deployment api -n shop --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"$patch":"delete","name":"ecr-creds"}]}}}}'`);
    for (const x of eks.findings) expect(x.remediation.join('\n'), x.rule).not.toContain('create secret docker-registry');

    const unknown = load(false);
    for (const x of unknown.findings) expect(x.remediation.join('\n'), x.rule).not.toMatch(STATIC_SECRET);
    expect(only(unknown, 'pull-secret-not-found').remediation).toContain(
      'kubectl create secret docker-registry ecr-creds -n shop --docker-server=123456789012.dkr.ecr.us-east-1.amazonaws.com --docker-username=AWS --docker-password="$(aws ecr get-login-password --region us-east-1)"',
    );
  });

  it('nodes that could not be listed (503) or a Node skipped as malformed: the platform is unknown, said with the reason and the command on the node', async () => {
    const listed = await collectFiles([fixture('node-identity-denied')]);
    listed.nodes = [];
    listed.coverage.nodes = 'none';
    listed.skippedObjects = [
      { kind: 'Node', reason: 'list failed: 503 the server is currently unable to handle the request', source: '/api/v1/nodes', status: 503, check: 'kubectl auth can-i list nodes' },
    ];
    const r = reportOf(listed).report;
    expect(findingsOf(r, 'node-identity-denied')).toEqual([]);
    expect(r.summary.complete).toBe(true);
    const f = findingsOf(r, 'registry-access-denied').find((x) => x.namespace === 'shop');
    expect(f?.unverified).toContain(
      'Nodes could not be read (list failed: 503 the server is currently unable to handle the request; check: kubectl auth can-i list nodes), so which platform runs node ip-10-0-3-41.ec2.internal, and whether its credential provider covers Amazon ECR (123456789012.dkr.ecr.us-east-1.amazonaws.com), is unknown. To settle it, on the node: kubectl debug node/ip-10-0-3-41.ec2.internal -it --profile=sysadmin --image=ghcr.io/pulldoctor/pulldoctor:0.1.0 --arguments-only -- node --root /host --probe 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.4.2',
    );

    const doc = parse(readFileSync(fixture('node-identity-denied'), 'utf8')) as { items: KubeObj[] };
    const n = doc.items.find((o) => o.kind === 'Node' && o.metadata.name === 'ip-10-0-3-41.ec2.internal');
    if (!n?.metadata.labels) throw new Error('fixture lost its EKS node');
    (n.metadata.labels as Record<string, unknown>)['eks.amazonaws.com/nodegroup'] = 5;
    const dir = mkdtempSync(path.join(tmpdir(), 'pd-node-'));
    writeFileSync(path.join(dir, 'dump.yaml'), stringify(doc));
    const bad = (await scan([path.join(dir, 'dump.yaml')])).report;
    expect(bad.summary.skipped).toEqual([expect.objectContaining({ kind: 'Node', name: 'ip-10-0-3-41.ec2.internal' })]);
    const g = findingsOf(bad, 'registry-access-denied').find((x) => x.namespace === 'shop');
    expect(g?.unverified.join('\n')).toContain('Node ip-10-0-3-41.ec2.internal was skipped as malformed (metadata.labels["eks.amazonaws.com/nodegroup"]: must be string;');
    // the other nodes were read: their pods keep their diagnosis
    expect(findingsOf(bad, 'node-identity-denied').map((x) => x.namespace).sort()).toEqual(['logging', 'platform', 'tools']);
  });
});
