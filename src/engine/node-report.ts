/**
 * NodeContext → node rules → Findings → Report: the cluster scan's Report shape, with findings
 * about the node (workload `{ kind: 'Node', name }`, `node` set, namespace and pod empty) and the
 * `node` section describing what the node's files say per image.
 */
import { createHash } from 'node:crypto';
import { SEVERITY_RANK, type Finding, type Report, type Severity } from '../model/finding.js';
import type { NodeCredentialSourceView, NodeImageView, NodeReport } from '../model/finding.js';
import { packageVersion } from '../paths.js';
import type { NodeContext, NodeImageContext, NodeRule } from './node-rule.js';

function findingId(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 12);
}

function credentialsView(img: NodeImageContext, ctx: NodeContext): NodeCredentialSourceView[] {
  const out: NodeCredentialSourceView[] = img.input.podCredentials.map((c) => ({ source: 'pod-secret', name: c.secret, registryKey: c.registryKey, username: c.username, applies: true }));
  const dc = ctx.snapshot.dockerConfig;
  const used = dc.used !== undefined ? dc.candidates[dc.used] : undefined;
  if (used) {
    const creds = img.nodeConfig?.result.credentials ?? [];
    if (creds.length === 0) out.push({ source: 'node-docker-config', name: used.path, applies: false, detail: used.hasAuths === false ? 'no auths: no credentials' : 'no key matches the image' });
    for (const c of creds) out.push({ source: 'node-docker-config', name: used.path, registryKey: c.registryKey, username: c.username, applies: true, ...(c.viaDockerHubFallback ? { detail: 'Docker Hub fallback' } : {}) });
  }
  for (const p of img.providers) {
    const returned = img.pluginLookup?.credentials.filter((c) => c.secret === p.name) ?? [];
    if (returned.length) for (const c of returned) out.push({ source: 'provider', name: p.name, registryKey: c.registryKey, username: c.username, applies: true, detail: `plugin matched by ${p.matchedBy}` });
    else out.push({ source: 'provider', name: p.name, applies: p.matchedBy !== undefined, detail: p.matchedBy !== undefined ? `matchImages entry ${p.matchedBy}${p.tokenMode ? ' (service-account token mode)' : ''}` : 'matchImages do not match' });
  }
  return out;
}

function imageView(img: NodeImageContext, ctx: NodeContext): NodeImageView {
  const v: NodeImageView = {
    image: img.image,
    from: img.input.from,
    credentials: credentialsView(img, ctx),
    endpoints: img.endpoints.map((e) => {
      const tls = [...(e.skipVerify ? ['skip_verify'] : []), ...(e.insecure ? ['insecure'] : []), ...e.ca.map((c) => `ca ${c}`)];
      return { url: e.url, role: e.role, capabilities: e.capabilities, ...(tls.length ? { tls } : {}), ...(e.from ? { from: e.from } : {}) };
    }),
  };
  if (img.lookup !== undefined) v.lookup = img.lookup;
  if (!img.parse.ok) v.referenceError = img.parse.error;
  if (img.pluginRuns.length) {
    v.plugins = img.pluginRuns.map((r) => {
      if (r.decoded?.ok) {
        const keys = r.decoded.response.auth.map((a) => a.key);
        return {
          provider: r.provider,
          outcome: keys.length ? 'ok' : 'no-credentials',
          detail: keys.length ? `returned ${keys.length} key${keys.length === 1 ? '' : 's'}` : 'returned no credentials',
          cacheKeyType: r.decoded.response.cacheKeyType,
          ...(r.decoded.response.cacheDuration !== undefined ? { cacheDuration: r.decoded.response.cacheDuration } : {}),
          keys,
        };
      }
      return { provider: r.provider, outcome: 'failed', detail: r.kubeletError ?? (r.decoded && !r.decoded.ok ? r.decoded.kubeletError : 'failed') };
    });
  }
  if (img.probe) v.probe = img.probe;
  if (img.mirrorProbes.length) v.mirrorProbes = img.mirrorProbes;
  return v;
}

export function nodeSection(ctx: NodeContext): NodeReport {
  const s = ctx.snapshot;
  const k = s.kubelet;
  return {
    name: ctx.node,
    nameFrom: s.nodeNameFrom,
    root: s.root,
    kubelet: {
      source: k.source,
      detail: k.detail,
      rootDir: k.rootDir,
      ...(k.config ? { config: k.config } : {}),
      ...(k.imageCredentialProviderConfig ? { imageCredentialProviderConfig: k.imageCredentialProviderConfig } : {}),
      ...(k.imageCredentialProviderBinDir ? { imageCredentialProviderBinDir: k.imageCredentialProviderBinDir } : {}),
    },
    runtime: s.runtime,
    providers: (s.providers?.providers ?? []).map((p) => {
      const b = s.providers?.binaries.find((x) => x.provider === p.name);
      return {
        name: p.name,
        apiVersion: p.apiVersion,
        matchImages: p.matchImages,
        ...(p.defaultCacheDuration !== undefined ? { defaultCacheDuration: p.defaultCacheDuration } : {}),
        ...(b ? { binary: b.path, binaryStatus: b.status } : {}),
        tokenMode: p.tokenAttributes !== undefined,
        file: p.file,
      };
    }),
    dockerConfig: s.dockerConfig.candidates.map((c) => ({ path: c.path, status: c.status, keys: c.entries.map((e) => e.registryKey) })),
    images: ctx.images.map((i) => imageView(i, ctx)),
  };
}

export function runNodeRules(ctx: NodeContext, rules: readonly NodeRule[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    for (const hit of rule.check(ctx)) {
      const parts = [ctx.node, rule.meta.id, hit.image ?? '', hit.subject ?? ''];
      const key = parts.join('\0');
      if (seen.has(key)) continue;
      seen.add(key);
      const f: Finding = {
        id: findingId(parts),
        rule: rule.meta.id,
        title: rule.meta.title,
        severity: hit.severity ?? rule.meta.severity,
        confidence: hit.confidence ?? rule.meta.confidence,
        namespace: '',
        pod: '',
        pods: [],
        workload: { kind: 'Node', name: ctx.node },
        node: ctx.node,
        message: hit.message,
        evidence: hit.evidence,
        remediation: hit.remediation,
        unverified: hit.unverified ?? [],
        related: [],
        runbook: `rules/${rule.meta.id}.md`,
      };
      if (hit.image !== undefined) f.image = hit.image;
      findings.push(f);
    }
  }
  return findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.rule.localeCompare(b.rule) || (a.image ?? '').localeCompare(b.image ?? ''));
}

export function nodeReport(ctx: NodeContext, rules: readonly NodeRule[]): Report {
  const findings = runNodeRules(ctx, rules);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    schemaVersion: 1,
    tool: { name: 'pulldoctor', version: packageVersion() },
    source: { kind: 'node', description: `node ${ctx.node} (filesystem at ${ctx.snapshot.root})` },
    generatedAt: ctx.now.toISOString(),
    // A node file that exists but could not be read or parsed leaves the answer incomplete (exit 2).
    summary: {
      podsScanned: 0,
      podsWithPullProblems: 0,
      workloadsAffected: findings.length ? 1 : 0,
      findings: counts,
      complete: ctx.snapshot.problems.length === 0,
      skipped: ctx.snapshot.problems.map((p) => ({ kind: 'NodeFile', name: p.path, reason: p.message, source: 'node filesystem' })),
    },
    findings,
    pods: [],
    accessProblems: [],
    skipped: {},
    errors: [],
    node: nodeSection(ctx),
  };
}
