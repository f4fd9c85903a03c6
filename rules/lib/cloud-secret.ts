/**
 * A pull secret for a cloud registry that no node credential serves: made from the registry's own
 * short-lived token by something that renews it, or from a long-lived registry-scoped credential
 * where the cloud offers one (ACR tokens). Never a token pasted once, never a `<password>` to fill in.
 */
import type { CloudRegistry } from '../../src/credentials/index.js';
import type { PullContext } from '../../src/engine/types.js';
import { addPullSecretsToWorkload, dockerRegistrySecret, placeholderText, sh } from './commands.js';
import { suggestedSecretName } from './runtime-helpers.js';

/**
 * How to give the pod a credential for a registry its node cannot pull from: a pull secret,
 * made from the registry's own short-lived token by something that renews it, or from a
 * long-lived registry-scoped credential where the cloud offers one. Never a token pasted once.
 */
export function renewedCloudSecret(ctx: PullContext, registry: CloudRegistry, opts: { name?: string; referenced?: boolean } = {}): string[] {
  const name = opts.name ?? suggestedSecretName(registry.host);
  // The workload already names the secret (it is only missing): no patch to add it.
  const addToWorkload = (names: string[]): string[] => (opts.referenced ? [] : [addPullSecretsToWorkload(ctx, names, 'service-account')]);
  const server = registry.host;
  const out: string[] = [];
  if (registry.kind === 'ecr') {
    const region = registry.region ?? placeholderText('region');
    const mint = `aws ecr get-login-password --region ${sh(region)}`;
    out.push(`# ECR tokens last 12 h: mint the token where AWS credentials with ecr:GetAuthorizationToken and pull access are (it is piped into the secret, never printed), and renew it, never paste one`);
    out.push(dockerRegistrySecret(ctx, name, server, { exists: false, username: 'AWS', passwordCommand: mint }));
    out.push(...addToWorkload([name]));
    out.push(`# renew it well inside the 12 h (e.g. every 6 h) with the same token from a CronJob that has AWS credentials: ${dockerRegistrySecret(ctx, name, server, { exists: true, username: 'AWS', passwordCommand: mint })}`);
    out.push("# or let an operator keep it current: External Secrets Operator's ECRAuthorizationToken generator writes and renews such a secret");
  } else if (registry.kind === 'artifact-registry' || registry.kind === 'gcr') {
    const mint = 'gcloud auth print-access-token';
    out.push('# Google access tokens last 1 h: mint one where a Google identity with roles/artifactregistry.reader is (it is piped into the secret, never printed), and renew it, never paste one');
    out.push(dockerRegistrySecret(ctx, name, server, { exists: false, username: 'oauth2accesstoken', passwordCommand: mint }));
    out.push(...addToWorkload([name]));
    out.push(`# renew it every 30 minutes from a CronJob with that identity: ${dockerRegistrySecret(ctx, name, server, { exists: true, username: 'oauth2accesstoken', passwordCommand: mint })}`);
    out.push("# or let an operator keep it current (External Secrets Operator's GCRAccessToken generator); a service account key (username _json_key) does not expire, but Google advises against keys");
  } else if (registry.kind === 'acr') {
    const acr = registry.name ?? placeholderText('registry');
    const token = `${acr}-pull`.slice(0, 50);
    out.push(`# ACR repository-scoped tokens do not expire unless you set an expiry, so no renewal is needed: create one that may only pull`);
    out.push(`az acr token create --name ${sh(token)} --registry ${sh(acr)} --scope-map _repositories_pull --no-passwords`);
    out.push(
      dockerRegistrySecret(ctx, name, server, {
        exists: false,
        username: token,
        passwordCommand: `az acr token credential generate --name ${sh(token)} --registry ${sh(acr)} --password1 --query 'passwords[0].value' --output tsv`,
      }),
    );
    out.push(...addToWorkload([name]));
  }
  return out;
}

