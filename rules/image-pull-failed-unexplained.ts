import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import { k, ns, onNodeHost, placeholderText, sh } from './lib/commands.js';
import { containerStatusEvidence, runtimeEvidence } from './lib/evidence.js';
import { nodeOf, withProbeNotes } from './lib/runtime-helpers.js';

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
      const evidence = runtimeEvidence(ctx, c);
      if (evidence.length === 0) evidence.push(containerStatusEvidence(ctx, c, `pull failing: ${f.reason}`));
      const remediation = [
        k(ctx, `describe pod ${sh(ctx.podName)} ${ns(ctx)}`),
        k(ctx, `get events ${ns(ctx)} --field-selector involvedObject.name=${sh(ctx.podName)} --sort-by=.lastTimestamp`),
      ];
      if (node) remediation.push(`# reproduce on the node to see the runtime's full error: ${onNodeHost(ctx, node, `crictl pull ${sh(c.image)}`)}   # anonymous; add --creds ${sh(`${placeholderText('username')}:${placeholderText('password')}`)} for a private image`);
      hits.push(
        withProbeNotes(
          {
            container: c.name,
            image: c.image,
            message,
            evidence,
            remediation,
            unverified: ['The error did not match any known runtime wording; the cause was not determined.'],
          },
          c,
        ),
      );
    }
    return hits;
  },
};

export default rule;
