/** Shared pieces of the node rules (`pulldoctor node`): evidence from node files and where to run a fix. */
import type { NodeContext, NodeImageContext } from '../../src/engine/node-rule.js';
import type { Evidence } from '../../src/model/finding.js';
import { sh } from '../../src/util/shell.js';

/** A fact read from a file on the node. */
export const fileEvidence = (path: string, detail: string): Evidence => ({ source: 'node', ref: path, detail });

/** The first remediation line of a node fix: how to get a root shell on that node. */
export function shellOnNode(ctx: NodeContext): string {
  return `# on the node (a root shell: kubectl debug node/${ctx.node} -it --profile=sysadmin --image=busybox:1.36 -- chroot /host sh)`;
}

/** The kubelet's journal lines about credential providers, on the node. */
export const KUBELET_JOURNAL = "journalctl -u kubelet --since '1 hour ago' | grep -Ei 'credential provider|CRI auth plugins'";

/** `systemctl restart kubelet`, the way every kubelet flag or provider-config change takes effect. */
export const RESTART_KUBELET = 'systemctl restart kubelet && systemctl status kubelet --no-pager';

/** Images with a parsed reference. */
export const parsedImages = (ctx: NodeContext): (NodeImageContext & { lookup: string })[] =>
  ctx.images.filter((i): i is NodeImageContext & { lookup: string } => i.lookup !== undefined);

/** Whether an image has any credential before or besides the providers (pod secrets from --from, the node docker config). */
export function hasOtherCredentials(img: NodeImageContext): boolean {
  return img.input.podCredentials.length > 0 || (img.nodeConfig?.result.credentials.length ?? 0) > 0;
}

/** `crictl pull <image>` on the node: the runtime's own pull, anonymous. */
export const crictlPull = (image: string): string => `crictl pull ${sh(image)}`;
