import type { NodeRule, NodeRuleHit } from '../src/engine/node-rule.js';
import { sh } from '../src/util/shell.js';
import { fileEvidence, parsedImages, shellOnNode } from './lib/node-helpers.js';

/**
 * CRI-O refuses the image before asking a registry: its `[[registry]]` table is `blocked`
 * (`registry <prefix> is blocked in /etc/containers/registries.conf or …registries.conf.d`), or
 * /etc/containers/policy.json rejects it (`reject`), or policy.json does not parse.
 */
const rule: NodeRule = {
  meta: {
    id: 'node-registry-blocked',
    title: 'Image blocked by the node\'s registries.conf or policy.json',
    severity: 'error',
    category: 'node',
    summary: 'CRI-O refuses the image: its registries.conf prefix is blocked, or /etc/containers/policy.json rejects it (or does not parse).',
    confidence: 'confirmed',
  },
  check(ctx) {
    const hits: NodeRuleHit[] = [];
    const crio = ctx.snapshot.crio;
    if (!crio) return hits;
    if (crio.policy?.parseError) {
      hits.push({
        subject: crio.policy.file,
        message: `${crio.policy.file} on node ${ctx.node} does not parse (${crio.policy.parseError}): containers/image cannot evaluate the signature policy, so CRI-O fails every pull.`,
        evidence: [fileEvidence(crio.policy.file, crio.policy.parseError)],
        remediation: [shellOnNode(ctx), `cat ${sh(crio.policy.file)}`, '# restore valid JSON, e.g. {"default":[{"type":"insecureAcceptAnything"}]}'],
      });
    }
    for (const img of parsedImages(ctx)) {
      const r = img.crioRegistry;
      if (r?.blocked) {
        hits.push({
          subject: r.prefix,
          image: img.image,
          message: `CRI-O on node ${ctx.node} refuses to pull ${img.image}: the [[registry]] prefix "${r.prefix}" in ${r.file} is blocked. The pull fails with "registry ${r.prefix} is blocked in /etc/containers/registries.conf or /etc/containers/registries.conf.d".`,
          evidence: [fileEvidence(r.file, `prefix "${r.prefix}": blocked = true`)],
          remediation: [shellOnNode(ctx), `grep -rn -A3 ${sh(r.prefix)} /etc/containers/registries.conf /etc/containers/registries.conf.d/`, `# set blocked = false for prefix "${r.prefix}" in ${r.file} (or use an allowed registry); then: systemctl reload crio || systemctl restart crio`],
        });
      }
      if (img.policy?.types.includes('reject')) {
        hits.push({
          subject: `policy ${img.policy.scope}`,
          image: img.image,
          message: `/etc/containers/policy.json on node ${ctx.node} rejects ${img.image} (scope ${img.policy.scope}: "reject"): CRI-O refuses it after resolving it, and the kubelet reports SignatureValidationFailed.`,
          evidence: [fileEvidence(crio.policy!.file, `${img.policy.scope === 'default' ? 'default' : `transports.docker["${img.policy.scope}"]`}: [${img.policy.types.map((t) => `{"type":"${t}"}`).join(', ')}]`)],
          remediation: [shellOnNode(ctx), `cat ${sh(crio.policy!.file)}`, `# allow the image's scope, e.g. "transports": {"docker": {"${img.lookup!.split('/')[0]}": [{"type":"insecureAcceptAnything"}]}} — or a signedBy/sigstoreSigned requirement with the signer's key`],
        });
      }
    }
    return hits;
  },
};

export default rule;
