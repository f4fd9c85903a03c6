/**
 * The node docker config search (kubernetes `pkg/credentialprovider/config.go`
 * ReadDockerConfigFile, node-credentials.md §3): `config.json` in --root-dir (no `.docker/`),
 * the working directory, `$HOME/.docker`, `/.docker`; then `.dockercfg` in --root-dir, the
 * working directory, `$HOME`, `/`. A missing, unreadable or unparsable file is skipped; the first
 * valid one wins — also a `config.json` without `auths`, which gives no credentials and ends the
 * search. Files are never merged.
 */
import path from 'node:path';
import { parseDockerConfigBytes } from '../credentials/index.js';
import type { NodeFs } from './fs.js';
import type { DockerConfigCandidate, DockerConfigSearch, KubeletSetup } from './types.js';

export function searchPaths(k: KubeletSetup): Omit<DockerConfigCandidate, 'status' | 'entries'>[] {
  const dirs: [string, string][] = [
    [k.rootDir, '--root-dir'],
    [k.cwd, 'working directory'],
    [k.home, '$HOME'],
    ['/', '/'],
  ];
  const json = dirs.map(([d, via], i) => ({
    path: path.posix.join(i === 2 || i === 3 ? path.posix.join(d, '.docker') : d, 'config.json'),
    format: 'config.json' as const,
    via,
  }));
  const cfg = dirs.map(([d, via]) => ({ path: path.posix.join(d, '.dockercfg'), format: '.dockercfg' as const, via }));
  return [...json, ...cfg];
}

export function readDockerConfigs(fs: NodeFs, k: KubeletSetup): DockerConfigSearch {
  const candidates: DockerConfigCandidate[] = [];
  let used: number | undefined;
  for (const c of searchPaths(k)) {
    if (used !== undefined) {
      // Not read by the kubelet; read here only to show what it shadows.
      const peek = fs.readFile(c.path);
      const parsed = peek.ok ? parseDockerConfigBytes(peek.value, c.format === 'config.json') : undefined;
      if (peek.ok) peek.value.fill(0);
      candidates.push({ ...c, status: 'not-reached', entries: parsed?.ok ? parsed.entries : [], ...(parsed?.ok ? { hasAuths: parsed.hasAuths } : {}) });
      continue;
    }
    const r = fs.readFile(c.path);
    if (!r.ok) {
      candidates.push({ ...c, status: r.code === 'ENOENT' || r.code === 'ENOTDIR' ? 'missing' : 'unreadable', ...(r.code === 'ENOENT' ? {} : { error: r.message }), entries: [] });
      continue;
    }
    const parsed = parseDockerConfigBytes(r.value, c.format === 'config.json');
    r.value.fill(0);
    if (!parsed.ok) {
      candidates.push({ ...c, status: 'invalid', error: parsed.error, entries: [] });
      continue;
    }
    candidates.push({ ...c, status: 'found', hasAuths: parsed.hasAuths, topLevelKeys: parsed.topLevelKeys, entries: parsed.entries });
    used = candidates.length - 1;
  }
  return used === undefined ? { candidates } : { candidates, used };
}
