import type { Rule } from './types.js';
import type { RuleHit } from '../src/model/finding.js';
import { k, sh } from './lib/commands.js';
import { failureEvidence } from './lib/evidence.js';
import { nodeOf, probeEvidence } from './lib/runtime-helpers.js';

/**
 * Fallback: every failing pull gets at least one finding. Runs after all other rules and
 * reports a failing container no rule explained, quoting the kubelet's raw message. Silent when
 * a pull secret cannot be parsed (ctx.keyringError): pull-secret-malformed explains every
 * container of that pod.
 */
const rule: Rule = {
  meta: {
    id: 'image-pull-failed-unexplained',
    title: 'Image pull failing for an unrecognised reason',
    severity: 'error',
    category: 'fallback',
    summary: 'A container cannot pull its image and no other rule recognised the error; the raw kubelet message is quoted.',
    confidence: 'unverified',
    fallback: true,
  },
  check(ctx, state) {
    if (ctx.keyringError) return [];
    const hits: RuleHit[] = [];
    for (const c of ctx.containers) {
      const f = c.failure;
      if (!f || state.explainedContainers.has(c.name)) continue;
      const node = nodeOf(ctx, c);
      const raw = f.error ?? c.waiting?.message;
      const message = raw
        ? `The pull of "${c.image}" (container ${c.name}${node ? `, node ${node}` : ''}) is failing (${f.reason}) with an error pulldoctor does not recognise: ${raw}`
        : `The pull of "${c.image}" (container ${c.name}${node ? `, node ${node}` : ''}) is failing (${f.reason}), but no error text is available: the Failed events have expired or were not collected.`;
      const evidence = failureEvidence(ctx, c);
      const pe = probeEvidence(c);
      if (pe) evidence.push(pe);
      if (evidence.length === 0) evidence.push({ source: 'pod-status', ref: `Pod ${ctx.namespace}/${ctx.podName} ${c.fieldPath}`, detail: `pull failing: ${f.reason}` });
      const remediation = [
        k(ctx, `describe pod ${sh(ctx.podName)} -n ${sh(ctx.namespace)}`),
        k(ctx, `get events -n ${sh(ctx.namespace)} --field-selector involvedObject.name=${sh(ctx.podName)} --sort-by=.lastTimestamp`),
      ];
      if (node) remediation.push(`# reproduce on the node to see the runtime's full error: ${k(ctx, `debug node/${sh(node)} -it --image=busybox:1.36 -- chroot /host crictl pull ${sh(c.image)}`)}   # anonymous; add --creds <username>:<password> for a private image`);
      hits.push({
        container: c.name,
        image: c.image,
        message,
        evidence,
        remediation,
        unverified: ['The error did not match any known runtime wording; the cause was not determined.'],
      });
    }
    return hits;
  },
};

export default rule;
