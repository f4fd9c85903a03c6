/**
 * Shared by the rules that read the kubelet's credential provider step (the node's cloud
 * identity): whether the node's platform covers an image, the "not verified" line when the input
 * cannot tell, and the command that settles it on the node (`pulldoctor node` in a debug pod).
 */
import { cloudRegistryOf, PLATFORM_NAME, REGISTRY_PRODUCT, type CloudRegistry } from '../../src/credentials/index.js';
import type { ContainerCtx, PullContext } from '../../src/engine/types.js';
import { packageVersion } from '../../src/paths.js';
import { k, removePullSecretFromWorkload, sh } from './commands.js';

/** The image the deploy/ manifests run: distroless, entrypoint `node /app/pulldoctor`. */
export function pulldoctorImage(): string {
  return `ghcr.io/pulldoctor/pulldoctor:${packageVersion()}`;
}

/**
 * Run `pulldoctor node` on a node: a debug pod with the node's filesystem at /host
 * (`--profile=sysadmin`: privileged, host PID), the arguments after `--` passed to the image's
 * entrypoint (`--arguments-only`; the image has no shell), and `--probe`, which runs the node's
 * credential provider plugin exactly as the kubelet does and asks the registry with its answer.
 */
export function nodeCheckCommand(ctx: PullContext, node: string, image: string): string {
  return k(ctx, `debug node/${sh(node)} -it --profile=sysadmin --image=${pulldoctorImage()} --arguments-only -- node --root /host --probe ${sh(image)}`);
}

/** The node's provider covers the image: the kubelet gets a credential for it from the node's identity. */
export const coveredByNode = (c: ContainerCtx): boolean => c.nodeProvider?.status === 'covered';

/** The image's registry is a cloud registry that the node's platform does not cover. */
export const notCoveredCloud = (c: ContainerCtx): boolean => c.nodeProvider?.status === 'not-covered' && c.nodeProvider.registry !== undefined;

/** The pod's node by name (the pod's spec, else where its events came from). */
export const podNode = (ctx: PullContext): string | undefined => ctx.nodePlatform.node ?? ctx.nodeName?.value;

/** Where the kubelet's provider step stands, in one clause, for a message: `node n (Amazon EKS, node group g)`. */
export function nodeDescription(ctx: PullContext): string {
  const v = ctx.nodePlatform;
  const f = v.facts;
  if (!v.node) return 'the node';
  if (!f) return `node ${v.node}`;
  const pool = f.nodePool ? `, ${f.platform === 'eks' ? 'node group' : f.platform === 'aks' ? 'agent pool' : 'node pool'} ${f.nodePool}` : '';
  const fargate = f.compute === 'fargate' ? ' Fargate' : f.compute === 'auto-mode' ? ' Auto Mode' : '';
  return `node ${v.node} (${PLATFORM_NAME[f.platform]}${fargate}${pool})`;
}

/**
 * The "not verified" line about credentials from the node, for a failing pull of `c` that got
 * none from the pod's secrets: what the input could not show about the node's provider step and,
 * for an image on a cloud registry, the command on that node that settles it. Undefined when the
 * node's platform says it (covered or not).
 */
export function nodeCredentialsUnverified(ctx: PullContext, c: ContainerCtx): string | undefined {
  const cov = c.nodeProvider;
  if (cov && cov.status !== 'unknown') return undefined;
  const registry = cloudOf(c);
  if (!registry || !c.parse.ok) return NODE_CREDENTIALS_UNSEEN;
  const node = podNode(ctx);
  const what = `${REGISTRY_PRODUCT[registry.kind]} (${c.parse.ref.domain})`;
  const where = node ? `node ${node}` : 'the node';
  const settle = node ? ` To settle it, on the node: ${nodeCheckCommand(ctx, node, c.image)}` : '';
  const v = ctx.nodePlatform;
  switch (v.status) {
    case 'recognised':
      return `${nodeDescription(ctx)} is not a managed EKS, GKE or AKS node: whether its kubelet runs a credential provider (or has a docker config.json) for ${what} only the node shows.${settle}`;
    case 'forbidden':
      return `Nodes could not be listed (check: ${v.accessProblem?.canI ?? k(ctx, 'auth can-i list nodes')}), so which platform runs ${where}, and whether its credential provider covers ${what}, is unknown.${settle}`;
    case 'unreadable': {
      const e = v.unread;
      const why = !e ? 'unknown' : e.status !== undefined ? `${e.reason}${e.check ? `; check: ${e.check}` : ''}` : `${e.reason}; ${e.source}`;
      const unread = e?.name !== undefined ? `Node ${e.name} ${e.status === undefined ? 'was skipped as malformed' : 'could not be read'}` : 'Nodes could not be read';
      return `${unread} (${why}), so which platform runs ${where}, and whether its credential provider covers ${what}, is unknown.${settle}`;
    }
    case 'not-read':
      return ctx.sourceKind === 'cluster'
        ? `Nodes were not read (--no-nodes), so whether the credential provider of ${where} covers ${what} is unknown; scan with --nodes.${settle}`
        : `The input holds no Nodes (add them to the dump: kubectl get nodes -o yaml), so whether the credential provider of ${where} covers ${what} is unknown.${settle}`;
    case 'absent':
      return `Node ${node} is not in the input, so whether its credential provider covers ${what} is unknown.${settle}`;
    default:
      return NODE_CREDENTIALS_UNSEEN;
  }
}

/** The line every runtime rule said before the node's platform was known, kept where nothing more is known. */
export const NODE_CREDENTIALS_UNSEEN =
  "Credentials from the node (its docker config.json) or a kubelet credential provider plugin (e.g. on EKS, GKE, AKS) are tried after the pod's and are not visible here.";

const cloudOf = (c: ContainerCtx): CloudRegistry | undefined => (c.parse.ok ? cloudRegistryOf(c.parse.ref.domain) : undefined);

/**
 * How to stop pasting short-lived registry tokens into `secret`: where the node's provider
 * covers the registry, drop the secret and let the node's identity pull; where the node's
 * platform cannot cover it, renew the secret automatically; where the platform is unknown, both.
 */
export function stopPastingTokens(ctx: PullContext, c: ContainerCtx | undefined, secret: string, host: string): string[] {
  const cov = c?.nodeProvider;
  if (cov?.status === 'covered') {
    return [
      `# stop pasting tokens: ${cov.provider === 'fargate' ? 'EKS Fargate' : cov.provider} on ${nodeDescription(ctx)} already covers ${host} with ${cov.identity}; once that identity may pull (see node-identity-denied if it may not), drop the secret:`,
      removePullSecretFromWorkload(ctx, secret),
    ];
  }
  if (cov?.status === 'not-covered') {
    return [
      `# stop pasting tokens: the node's ${cov.provider} cannot cover ${host}, so renew the secret automatically: a CronJob that runs the refresh command above with the cloud's credentials, or External Secrets Operator's token generators (ECRAuthorizationToken, GCRAccessToken, ACR)`,
    ];
  }
  return [
    `# stop pasting tokens: on EKS, GKE and AKS nodes the kubelet's credential provider pulls from the cloud's own registry with the node's identity, no secret needed; elsewhere renew the secret automatically (a CronJob that runs the refresh command above, or External Secrets Operator's token generators)`,
  ];
}
