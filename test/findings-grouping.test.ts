/**
 * Equal hits across the pods of one workload become one finding; a hit whose message depends on
 * per-pod facts (rule.ts PerPodMessage) gets its message rendered from every grouped pod's facts.
 */
import { describe, expect, it } from 'vitest';
import { FindingCollector } from '../src/engine/findings.js';
import type { PodFacts, Rule } from '../src/engine/rule.js';
import type { PullContext } from '../src/engine/types.js';

/** Just what the collector reads of a context. */
function pod(name: string, node: string, workload = 'web'): PullContext {
  return {
    namespace: 'shop',
    podName: name,
    workload: { kind: 'Deployment', name: workload },
    containers: [],
    pod: { metadata: { name, namespace: 'shop' }, spec: { nodeName: node } },
  } as unknown as PullContext;
}

const render = (pods: readonly PodFacts[]) => `cached on ${pods.map((p) => `${p.facts.node} (${p.pod})`).join(', ')}`;

/** Fires on every pod with the same subject; the message names the pod's node. */
const rule: Rule = {
  meta: { id: 'test-rule', title: 't', severity: 'warning', category: 'credentials', summary: 's', confidence: 'likely' },
  check(ctx) {
    const facts = { node: ctx.pod.spec.nodeName ?? '' };
    return [{ secret: 'ecr-pull', message: render([{ pod: ctx.podName, facts }]), evidence: [], remediation: [], perPod: { facts, render } }];
  },
};

/** The same rule without per-pod facts: the first pod's message stands for all. */
const plain: Rule = { meta: { ...rule.meta, id: 'plain-rule' }, check: (ctx) => rule.check(ctx, { explainedContainers: new Set() }).map(({ perPod: _, ...hit }) => hit) };

function collect(rules: Rule[], ctxs: PullContext[]) {
  const c = new FindingCollector(rules, false);
  ctxs.forEach((x) => c.add(x));
  return c.findings();
}

describe('grouping hits across the pods of a workload', () => {
  it('renders the message from every grouped pod’s facts, in scan order', () => {
    const [f, ...rest] = collect([rule], [pod('web-a', 'worker-2'), pod('web-b', 'worker-4'), pod('web-c', 'worker-2')]);
    expect(rest).toEqual([]);
    expect(f?.pods).toEqual(['web-a', 'web-b', 'web-c']);
    expect(f?.message).toBe('cached on worker-2 (web-a), worker-4 (web-b), worker-2 (web-c)');
  });

  it('keeps workloads apart, and a lone pod gets its own facts', () => {
    const found = collect([rule], [pod('web-a', 'worker-2'), pod('api-a', 'worker-9', 'api')]);
    expect(found.map((f) => f.message).sort()).toEqual(['cached on worker-2 (web-a)', 'cached on worker-9 (api-a)']);
  });

  it('a hit without per-pod facts keeps the first pod’s message', () => {
    const [f] = collect([plain], [pod('web-a', 'worker-2'), pod('web-b', 'worker-4')]);
    expect(f?.pods).toEqual(['web-a', 'web-b']);
    expect(f?.message).toBe('cached on worker-2 (web-a)');
  });
});
