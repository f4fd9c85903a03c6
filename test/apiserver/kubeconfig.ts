/** Write a kubeconfig file pointing at one or more API server doubles. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ApiServer } from './server.js';

export interface KubeconfigContext {
  name: string;
  server: Pick<ApiServer, 'url' | 'token' | 'caFile' | 'caData'>;
  namespace?: string;
  /** Override the token (e.g. a wrong one, to get a 401). */
  token?: string;
  /** Cluster entry name (default `<name>-cluster`). */
  cluster?: string;
  /** How to trust a TLS server: inline `certificate-authority-data` (default) or a file. */
  ca?: 'data' | 'file';
  /** Server URL override (e.g. an unreachable port). */
  url?: string;
}

export interface KubeconfigSpec {
  contexts: KubeconfigContext[];
  /** Default: the first context. Pass null for none. */
  currentContext?: string | null;
  /** Where to write (default: a new temp dir). */
  file?: string;
}

export function kubeconfigObject(spec: KubeconfigSpec): Record<string, unknown> {
  const cc = spec.currentContext === undefined ? spec.contexts[0]?.name : spec.currentContext;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: spec.contexts.map((c) => {
      const url = c.url ?? c.server.url;
      const cluster: Record<string, unknown> = { server: url };
      if (url.startsWith('https:')) {
        if (c.ca === 'file') cluster['certificate-authority'] = c.server.caFile;
        else cluster['certificate-authority-data'] = c.server.caData;
      } else cluster['insecure-skip-tls-verify'] = true;
      return { name: c.cluster ?? `${c.name}-cluster`, cluster };
    }),
    users: spec.contexts.map((c) => ({ name: `${c.name}-user`, user: { token: c.token ?? c.server.token } })),
    contexts: spec.contexts.map((c) => ({
      name: c.name,
      context: { cluster: c.cluster ?? `${c.name}-cluster`, user: `${c.name}-user`, ...(c.namespace ? { namespace: c.namespace } : {}) },
    })),
    ...(cc ? { 'current-context': cc } : {}),
  };
}

/** Returns the path of the written file. */
export function writeKubeconfig(spec: KubeconfigSpec): string {
  const file = spec.file ?? path.join(mkdtempSync(path.join(tmpdir(), 'pulldoctor-kubeconfig-')), 'config');
  writeFileSync(file, stringify(kubeconfigObject(spec)), { mode: 0o600 });
  return file;
}
