import type { Rule } from '../src/engine/rule.js';
import type { RuleHit } from '../src/model/finding.js';
import type { ContainerCtx, PullContext } from '../src/engine/types.js';
import { k, placeholderText, podTemplatePatch, sh } from './lib/commands.js';
import { listNames, nodeEvidence, probeEvidence, runtimeEvidence, specEvidence } from './lib/evidence.js';
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

/** `os/arch[/variant]` → parts; arm64's default variant is v8, as in containerd's platforms package. */
function parts(platform: string): { os: string; arch: string; variant?: string } {
  const [os = '', arch = '', variant] = platform.split('/');
  const v = variant ?? (arch === 'arm64' ? 'v8' : undefined);
  return v ? { os, arch, variant: v } : { os, arch };
}

/** Whether an index entry can serve a target platform (a target without a variant takes any). */
export function platformServes(offered: string, target: string): boolean {
  const o = parts(offered);
  const t = parts(target);
  if (o.os !== t.os || o.arch !== t.arch) return false;
  return !target.split('/')[2] || !o.variant || o.variant === t.variant;
}

/** The architecture the pod is pinned to by nodeSelector, if any. */
function pinnedArch(ctx: PullContext): string | undefined {
  const sel = ctx.pod.spec.nodeSelector ?? {};
  return sel['kubernetes.io/arch'] ?? sel['beta.kubernetes.io/arch'];
}

/**
 * Latent: the probe read the image's index, and some platform the pod may run on (a node's,
 * or `--platform`) is not in it. Works on this node, fails on the next.
 */
function latent(ctx: PullContext, c: ContainerCtx): RuleHit | undefined {
  if (!ctx.targetPlatforms.length || c.failure) return undefined;
  const offered = (c.probe?.attempts.find((a) => a.outcome === 'ok' && a.platforms?.length)?.platforms ?? []).filter((p) => !p.startsWith('unknown/'));
  if (!offered.length) return undefined;
  const pinned = pinnedArch(ctx);
  const missing = ctx.targetPlatforms.filter(
    (t) => !offered.some((o) => platformServes(o, t.platform)) && (!pinned || parts(t.platform).arch === pinned),
  );
  if (!missing.length) return undefined;
  const fromFlag = missing.every((t) => t.nodes.length === 0);
  const where = fromFlag
    ? `${listNames(missing.map((t) => t.platform))} (--platform)`
    : missing.map((t) => `${t.platform} (node${t.nodes.length > 1 ? 's' : ''} ${listNames(t.nodes)})`).join('; ');
  const ref = fullReference(c);
  const supported = [...new Set(offered.map((o) => parts(o).arch))];
  const message =
    `Image "${c.image}" (container ${c.name}) has no variant for ${where}: its index offers only ${offered.join(', ')}. ` +
    `${c.running ? 'The pod runs today, but a' : 'A'} pod of ${ctx.workload.kind.toLowerCase()}/${ctx.workload.name} scheduled on such a node fails with "no match for platform in manifest". ` +
    `Push a multi-architecture image, or keep the pods on ${listNames(supported, 'or')} nodes.`;
  const remediation = [
    `docker buildx build --platform ${[...new Set([...offered, ...missing.map((t) => t.platform)])].join(',')} -t ${ref} --push .`,
  ];
  const patch =
    supported.length === 1 && ctx.workload.kind !== 'CronJob' && ctx.workload.kind !== 'Pod'
      ? podTemplatePatch(ctx, `{"nodeSelector":{"kubernetes.io/arch":"${supported[0]}"}}`)
      : undefined;
  if (patch) remediation.push(`# or pin the workload to ${supported[0]} nodes: ${patch}`);
  const evidence = [specEvidence(ctx, `${c.fieldPath}.image`, `image "${c.image}"`)];
  const pe = probeEvidence(c);
  if (pe) evidence.push(pe);
  for (const t of missing) {
    const n = t.nodes[0] ? ctx.nodes.find((x) => x.name === t.nodes[0]) : undefined;
    if (n) evidence.push(nodeEvidence(n, `status.nodeInfo: ${t.platform}${t.nodes.length > 1 ? ` (and ${t.nodes.length - 1} more node${t.nodes.length > 2 ? 's' : ''})` : ''}`));
  }
  return { container: c.name, image: c.image, message, evidence, remediation, severity: 'warning', confidence: 'confirmed' };
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
    const hits = failingWith(ctx, 'platform').map(({ c, p }): RuleHit => {
      const node = nodeOf(ctx, c);
      const info = nodeInfoOf(ctx, c);
      const flagged = ctx.targetPlatforms.length === 1 && !ctx.targetPlatforms[0]!.nodes.length ? ctx.targetPlatforms[0]!.platform : undefined;
      const nodePlatform = info?.architecture ? `${info.operatingSystem ?? 'linux'}/${info.architecture}` : (requestedPlatform(p) ?? flagged);
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
      const arch = other ?? (nodeArch === 'arm64' ? 'amd64' : nodeArch === 'amd64' ? 'arm64' : placeholderText('supported-arch'));
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
    for (const c of ctx.containers) {
      const hit = latent(ctx, c);
      if (hit) hits.push(hit);
    }
    return hits;
  },
};

export default rule;
