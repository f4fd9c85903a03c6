/**
 * The images to check from a cluster scan's JSON report (`pulldoctor -o json`, `--from`): every
 * image of a container whose pull is failing, with the pod's pull-secret credentials in the
 * order the kubelet tries them (they come before the node's own). When some of those pods ran
 * on this node, only theirs.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../model/errors.js';
import type { Report } from '../model/finding.js';
import { PULL_WAITING_REASONS } from '../runtime/kubelet-reasons.js';
import type { NodeImageInput } from './types.js';

/** `file` is a path, or `-` with the report's `text` read from stdin. */
export function imagesFromReport(file: string, nodeName: string, text?: string): NodeImageInput[] {
  let report: Partial<Report>;
  try {
    report = JSON.parse(text ?? readFileSync(file, 'utf8')) as Partial<Report>;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new UserError(`--from ${file}: ${typeof code === 'string' ? `cannot read it (${code})` : 'not a JSON report of pulldoctor -o json'}`);
  }
  if (report.schemaVersion !== 1 || !Array.isArray(report.pods)) throw new UserError(`--from ${file}: not a JSON report of pulldoctor -o json (schemaVersion 1)`);
  const failingImages = new Set((report.findings ?? []).map((f) => `${f.namespace}/${f.pod}/${f.container ?? ''}`));
  const all: (NodeImageInput & { node?: string })[] = [];
  for (const pod of report.pods) {
    for (const c of pod.containers ?? []) {
      const failing = (c.waiting?.reason !== undefined && PULL_WAITING_REASONS.has(c.waiting.reason)) || failingImages.has(`${pod.namespace}/${pod.name}/${c.name}`);
      if (!failing || !c.image) continue;
      all.push({
        image: c.image,
        from: `report ${file === '-' ? '(stdin)' : file}: pod ${pod.namespace}/${pod.name}${pod.node ? ` on node ${pod.node}` : ''}`,
        // The node's provider step (source node-provider) is what this command reads on the node itself.
        podCredentials: (c.credentials ?? []).flatMap((k) => (k.source === 'node-provider' ? [] : [{ secret: k.secret, registryKey: k.registryKey, username: k.username }])),
        ...(pod.node ? { node: pod.node } : {}),
      });
    }
  }
  const here = all.filter((i) => i.node === nodeName);
  const chosen = here.length ? here : all;
  const seen = new Set<string>();
  return chosen
    .filter((i) => !seen.has(i.image) && (seen.add(i.image), true))
    .map(({ node: _node, ...i }) => i);
}
