import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { placeholder } from './lib/commands.js';
import { runtimeEvidence } from './lib/evidence.js';
import { errorQuote, failingWith, fullReference, onNode, registryOf, withProbeNotes } from './lib/runtime-helpers.js';

/**
 * The node's signature policy rejected the image (CRI-O / containers-image `Source image
 * rejected: …`, surfaced by the kubelet as SignatureValidationFailed, semantics §9.2).
 */
const rule: Rule = {
  meta: {
    id: 'image-signature-rejected',
    title: "Image rejected by the node's signature policy",
    severity: 'error',
    category: 'image',
    summary: "The container runtime's signature policy rejected the image (SignatureValidationFailed / Source image rejected).",
    confidence: 'confirmed',
  },
  check(ctx) {
    return failingWith(ctx, 'signature').map(({ c, p }): RuleHit => {
      const text = p.failure.error ?? '';
      const ref = fullReference(c);
      const registry = registryOf(c);
      const why = /A signature was required, but no signature exists|no signature exists/i.test(text)
        ? 'the policy requires a signature and the image has none'
        : /is rejected by policy/i.test(text)
          ? 'the policy rejects images from this location outright (type "reject")'
          : /Signature for identity|not signed by|invalid signature|signature verification failed/i.test(text)
            ? 'the image is signed, but not by a key or identity the policy accepts'
            : 'the signature policy refused the image';
      const message =
        `The runtime${onNode(ctx, c)} refused image "${c.image}" (container ${c.name}) after its signature check: ${why}. ` +
        `This is the node's policy (/etc/containers/policy.json for CRI-O and containers-image), not an admission controller. Runtime error: ${errorQuote(p)}`;
      return withProbeNotes({
        container: c.name,
        image: c.image,
        message,
        evidence: runtimeEvidence(ctx, c),
        remediation: [
          `# see the policy for ${registry} on the node: cat /etc/containers/policy.json; ls /etc/containers/registries.d/`,
          `cosign verify --key ${placeholder('public-key')} ${ref}   # does the image carry a signature the policy's key accepts?`,
          `cosign sign --key ${placeholder('private-key')} ${ref}   # sign it (the policy may also need use-sigstore-attachments: true for ${registry} in /etc/containers/registries.d/)`,
          '# or, if the policy is wrong, update /etc/containers/policy.json on every node; CRI-O reads it per pull, no restart needed',
        ],
      }, c);
    });
  },
};

export default rule;
