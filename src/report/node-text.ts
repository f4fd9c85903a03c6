/**
 * The `node` section of a `pulldoctor node` report, as text and Markdown: the kubelet's setup,
 * the providers, the node docker config search and, per image, the credential sources in the
 * kubelet's order and the endpoints the runtime contacts. Every string is sanitised.
 */
import type { ContainerProbe } from '../model/finding.js';
import type { NodeImageView, NodeReport } from '../model/finding.js';
import { escapeMarkdown, markdownCode, sanitizeLine } from './sanitize.js';
import type { Style } from './style.js';

function probeLine(p: ContainerProbe): string {
  const a = p.attempts.map((x) => `${x.credential === 'anonymous' ? 'anonymous' : `${x.credential}${x.username ? ` (user ${x.username})` : ''}`}: ${x.outcome}${x.digest ? ` ${x.digest}` : ''} — ${x.detail}`);
  return `${p.registry}: ${p.outcome}; ${a.join('; ')}`;
}

function imageLines(i: NodeImageView): string[] {
  const out: string[] = [];
  out.push(`image ${i.image}${i.lookup ? ` (looked up as ${i.lookup})` : ''} — from ${i.from}`);
  if (i.referenceError) out.push(`  not a valid reference: ${i.referenceError}`);
  if (i.credentials.length) {
    out.push('  credentials, in the order the kubelet tries them:');
    i.credentials.forEach((c, n) => {
      const what = c.source === 'pod-secret' ? `pod secret ${c.name}` : c.source === 'node-docker-config' ? `node docker config ${c.name}` : `provider ${c.name}`;
      out.push(`    ${n + 1}. ${what}${c.registryKey ? ` key ${c.registryKey}` : ''}${c.username ? ` user ${c.username}` : ''}${c.applies ? '' : ' — does not apply'}${c.detail ? ` (${c.detail})` : ''}`);
    });
  } else out.push('  credentials: none from the node (the pull is anonymous unless a pod secret matches)');
  if (i.endpoints.length) {
    out.push('  endpoints, in the order the runtime contacts them:');
    i.endpoints.forEach((e, n) => out.push(`    ${n + 1}. ${e.url} [${e.role}]${e.capabilities?.length ? ` ${e.capabilities.join(',')}` : ''}${e.tls?.length ? ` (${e.tls.join(', ')})` : ''}${e.from ? ` — ${e.from}` : ''}`));
  }
  for (const p of i.plugins ?? []) out.push(`  plugin ${p.provider}: ${p.outcome} — ${p.detail}${p.cacheKeyType ? ` (cacheKeyType ${p.cacheKeyType}${p.cacheDuration ? `, cacheDuration ${p.cacheDuration}` : ''})` : ''}${p.keys?.length ? `; keys ${p.keys.join(', ')}` : ''}`);
  if (i.probe) out.push(`  probe ${probeLine(i.probe)}`);
  for (const m of i.mirrorProbes ?? []) out.push(`  mirror probe ${probeLine(m)}`);
  return out;
}

function setupLines(n: NodeReport): string[] {
  const out: string[] = [];
  const k = n.kubelet;
  out.push(`node ${n.name} (name from ${n.nameFrom}), filesystem at ${n.root}, runtime ${n.runtime}`);
  out.push(`kubelet: ${k.detail}; --root-dir ${k.rootDir}${k.config ? `; --config ${k.config}` : ''}`);
  if (k.imageCredentialProviderConfig || k.imageCredentialProviderBinDir) {
    out.push(`credential providers: --image-credential-provider-config ${k.imageCredentialProviderConfig ?? '(unset)'} --image-credential-provider-bin-dir ${k.imageCredentialProviderBinDir ?? '(unset)'}`);
    for (const p of n.providers) {
      out.push(`  ${p.name} (${p.apiVersion || 'no apiVersion'}${p.tokenMode ? ', service-account token mode' : ''}): matchImages ${p.matchImages.join(', ') || 'none'}; defaultCacheDuration ${p.defaultCacheDuration ?? 'unset'}; binary ${p.binary ?? '?'} ${p.binaryStatus ?? ''}`.trimEnd());
    }
  } else out.push('credential providers: none configured (no --image-credential-provider-config)');
  const used = n.dockerConfig.find((c) => c.status === 'found');
  out.push(`node docker config: ${used ? `${used.path} (keys: ${used.keys.join(', ') || 'none'})` : 'none found'}; searched ${n.dockerConfig.map((c) => `${c.path} ${c.status}`).join(', ')}`);
  return out;
}

export function nodeSectionText(n: NodeReport, st: Style): string[] {
  const out = ['', st.bold('node configuration')];
  for (const l of setupLines(n)) out.push(`  ${sanitizeLine(l)}`);
  for (const i of n.images) {
    out.push('');
    for (const l of imageLines(i)) out.push(`  ${sanitizeLine(l)}`);
  }
  return out;
}

export function nodeSectionMarkdown(n: NodeReport): string[] {
  const out = ['### Node configuration', ''];
  for (const l of setupLines(n)) out.push(`- ${escapeMarkdown(l)}`);
  for (const i of n.images) {
    const [head, ...rest] = imageLines(i);
    out.push('', `#### Image ${markdownCode(i.image)}`, '', escapeMarkdown(head ?? ''), '', '```text', ...rest.map((l) => sanitizeLine(l).replace(/```/g, "'''")), '```');
  }
  out.push('');
  return out;
}
