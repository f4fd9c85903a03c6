import type { Rule } from './types.js';
import type { RuleHit } from '../src/model/finding.js';
import { k, podTemplatePatch, sh } from './lib/commands.js';
import { nodeEvidence, runtimeEvidence } from './lib/evidence.js';
import { errorQuote, failingWith, fullReference, nodeInfoOf, nodeOf, withProbeNotes, type PullProblem } from './lib/runtime-helpers.js';

/** The platform the runtime asked for, when its message names it. */
function requestedPlatform(p: PullProblem): string | undefined {
  const t = p.failure.error ?? '';
  const docker = /no matching manifest for (\S+) in the manifest list/.exec(t);
  if (docker?.[1]) return docker[1];
  const crio = /no image found in manifest list for architecture "?([\w-]+)"?(?:, variant "?([\w-]*)"?)?, OS "?([\w-]+)"?/.exec(t);
  if (crio?.[1] && crio[3]) return `${crio[3]}/${crio[1]}${crio[2] ? `/${crio[2]}` : ''}`;
  return undefined;
}

/**
 * The image has no variant for the node's OS/architecture: containerd `no match for platform in
 * manifest`, Docker `no matching manifest for linux/arm64/v8 in the manifest list entries`,
 * CRI-O `no image found in manifest list for architecture …`.
 */
const rule: Rule = {
  meta: {
    id: 'image-platform-mismatch',
    title: "Image has no variant for the node's platform",
    severity: 'error',
    category: 'image',
    summary: "The image (or its manifest list) has no variant for the node's OS/architecture, e.g. an amd64-only image on an arm64 node.",
    confidence: 'confirmed',
  },
  check(ctx) {
    return failingWith(ctx, 'platform').map(({ c, p }): RuleHit => {
      const node = nodeOf(ctx, c);
      const info = nodeInfoOf(ctx, c);
      const nodePlatform = info?.architecture ? `${info.operatingSystem ?? 'linux'}/${info.architecture}` : requestedPlatform(p);
      const platforms = c.probe?.attempts.find((a) => a.platforms?.length)?.platforms ?? [];
      const ref = fullReference(c);
      const nodeArch = info?.architecture ?? nodePlatform?.split('/')[1];
      const other = platforms.map((pl) => pl.split('/')[1]).find((a) => a && a !== nodeArch && a !== 'unknown');

      const message =
        `Image "${c.image}" (container ${c.name}) has no variant for ${nodePlatform ? `the node's platform ${nodePlatform}` : "the node's platform"}` +
        `${node ? ` (node ${node})` : ''}` +
        (platforms.length ? `; the image index offers ${platforms.join(', ')}` : '') +
        `. Build and push a multi-architecture image, or schedule the pod onto nodes whose architecture the image supports. Runtime error: ${errorQuote(p)}`;

      const remediation = [
        `docker buildx imagetools inspect ${ref}   # or: crane manifest ${ref} | jq '.manifests[]?.platform'`,
        `docker buildx build --platform linux/amd64,linux/arm64 -t ${ref} --push .`,
      ];
      // Without a probe, a single-architecture image is most likely built for the other common architecture.
      const arch = other ?? (nodeArch === 'arm64' ? 'amd64' : nodeArch === 'amd64' ? 'arm64' : '<supported-arch>');
      const { kind, name } = ctx.workload;
      // A CronJob gets the note, not a patch (its pod template sits under jobTemplate).
      const patch = kind === 'CronJob' ? undefined : podTemplatePatch(ctx, `{"nodeSelector":{"kubernetes.io/arch":"${arch}"}}`);
      if (patch) {
        remediation.push(`# or pin the workload to ${arch} nodes${other ? '' : ` (if the image is built for ${arch}: check with the first command)`}: ${patch}`);
      } else {
        remediation.push(`# or add nodeSelector kubernetes.io/arch: ${arch} to the pod template of ${kind.toLowerCase()}/${name}`);
      }
      if (!info?.architecture && node) remediation.push(k(ctx, `get node ${sh(node)} -o jsonpath='{.status.nodeInfo.operatingSystem}/{.status.nodeInfo.architecture}'`));

      const evidence = runtimeEvidence(ctx, c);
      if (info?.architecture) evidence.push(nodeEvidence(info, `status.nodeInfo: ${info.operatingSystem ?? 'linux'}/${info.architecture}`));
      return withProbeNotes({ container: c.name, image: c.image, message, evidence, remediation }, c);
    });
  },
};

export default rule;
