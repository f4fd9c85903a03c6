/**
 * The `node` section of a `pulldoctor node` report (JSON schemaVersion 1, additive; absent from
 * cluster scans): what the node's files say about image pulls, and per image where credentials
 * come from and which endpoints the runtime contacts. Never a password, token or env value.
 */
import type { ContainerProbe } from './finding.js';

export interface NodeCredentialSourceView {
  /** `pod-secret` (from --from), `node-docker-config`, `provider`. */
  source: 'pod-secret' | 'node-docker-config' | 'provider';
  /** Secret name, config file path or provider name. */
  name: string;
  registryKey?: string;
  username?: string;
  /** provider: whether its matchImages select the image (it runs); node-docker-config: whether a key matches. */
  applies: boolean;
  detail?: string;
}

export interface NodeEndpointView {
  /** As the runtime would contact it, e.g. `https://mirror.local/v2`. */
  url: string;
  role: 'mirror' | 'server' | 'default' | 'location';
  capabilities?: string[];
  /** TLS notes: `skip_verify`, `ca <file>`, `insecure`. */
  tls?: string[];
  from?: string;
}

export interface NodePluginView {
  provider: string;
  outcome: 'ok' | 'failed' | 'no-credentials';
  detail: string;
  cacheKeyType?: string;
  cacheDuration?: string;
  /** Keys returned (never values). */
  keys?: string[];
}

export interface NodeImageView {
  image: string;
  from: string;
  lookup?: string;
  referenceError?: string;
  /** In the kubelet's order: pod secrets, then the node docker config, then the providers. */
  credentials: NodeCredentialSourceView[];
  endpoints: NodeEndpointView[];
  plugins?: NodePluginView[];
  probe?: ContainerProbe;
  mirrorProbes?: ContainerProbe[];
}

export interface NodeReport {
  name: string;
  nameFrom: string;
  root: string;
  kubelet: {
    source: 'process' | 'systemd' | 'none';
    detail: string;
    rootDir: string;
    config?: string;
    imageCredentialProviderConfig?: string;
    imageCredentialProviderBinDir?: string;
  };
  runtime: 'containerd' | 'cri-o' | 'unknown';
  providers: { name: string; apiVersion: string; matchImages: string[]; defaultCacheDuration?: string; binary?: string; binaryStatus?: string; tokenMode: boolean; file: string }[];
  dockerConfig: { path: string; status: string; keys: string[] }[];
  images: NodeImageView[];
}
