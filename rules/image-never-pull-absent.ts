import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { goQuote } from '../src/go/quote.js';
import { onNodeHost, placeholder, podTemplatePatch, sh } from './lib/commands.js';
import { runtimeEvidence } from './lib/evidence.js';
import { failingWith, nodeOf, withProbeNotes } from './lib/runtime-helpers.js';

/**
 * imagePullPolicy: Never and the image is not on the node: ErrImageNeverPull,
 * `Container image "x" is not present with pull policy of Never` (semantics §1.4, §10).
 */
const rule: Rule = {
  meta: {
    id: 'image-never-pull-absent',
    title: 'Image absent with imagePullPolicy Never',
    severity: 'error',
    category: 'image',
    summary: 'The container uses imagePullPolicy: Never and the image is not present on the node (ErrImageNeverPull).',
    confidence: 'confirmed',
  },
  check(ctx) {
    return failingWith(ctx, 'never-pull').map(({ c }): RuleHit => {
      const node = nodeOf(ctx, c);
      // The kubelet's own words, exactly as it reported them (or as it formats them, §10).
      const kubeletSays =
        c.events.find((e) => e.parsed.kind === 'never-pull')?.message?.trim() ??
        (c.waiting?.reason === 'ErrImageNeverPull' ? c.waiting.message?.trim() : undefined) ??
        `Container image ${goQuote(c.image)} is not present with pull policy of Never`;
      const message =
        `The kubelet${node ? ` on node ${node}` : ''} reports for container ${c.name} (ErrImageNeverPull): ${kubeletSays.replace(/\.?$/, '.')} ` +
        `With imagePullPolicy: Never the kubelet never pulls, so the image must be preloaded on every node the pod can land on. ` +
        `(With the KubeletEnsureSecretPulledImages feature gate, an image present but pulled with other credentials is reported the same way.)`;
      const field = c.kind === 'init' ? 'initContainers' : 'containers';
      const patchBody = `{"${field}":[{"name":"${c.name.replace(/["'\\]/g, '')}","imagePullPolicy":"IfNotPresent"}]}`;
      const remediation: string[] = [
        podTemplatePatch(ctx, patchBody) ??
          `# imagePullPolicy cannot be changed on a running pod: set imagePullPolicy: IfNotPresent on container ${c.name} in the manifest and recreate pod ${ctx.podName}`,
      ];
      remediation.push(
        `# or keep Never and preload the image on ${node ?? 'each node'}: kind load docker-image ${sh(c.image)}${node ? ` --nodes ${sh(node)}` : ''} | minikube image load ${sh(c.image)} | on the node: ctr -n k8s.io images import ${placeholder('image.tar')}`,
      );
      if (node) remediation.push(`# see which images the node has: ${onNodeHost(ctx, node, 'crictl images')}`);
      return withProbeNotes({ container: c.name, image: c.image, message, evidence: runtimeEvidence(ctx, c), remediation }, c);
    });
  },
};

export default rule;
