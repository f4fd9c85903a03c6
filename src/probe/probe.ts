/**
 * The opt-in registry probe (`--probe`): for each target image, ask its registry the question
 * the kubelet asked, with the credentials the kubelet would send, in the kubelet's order,
 * stopping at the first success (anonymously when there are none). Every attempt is recorded;
 * `ContainerProbe.outcome` is the one the kubelet's order decides on.
 *
 * This module and src/credentials are the only places that `reveal` credentials; revealed
 * values live in local variables for the duration of one request and are never stored, logged
 * or put into a result (see registry.ts and transport.ts for the rules).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';

import { reveal } from '../credentials/vault.js';
import { UserError } from '../model/errors.js';
import type { Sealed } from '../model/sealed.js';
import type { ContainerProbe, ProbeAttempt } from '../model/finding.js';
import type { ProbeTarget } from '../model/probe.js';
import { semaphore } from '../util/concurrency.js';
import { credentialKey, type Credential } from './credential.js';
import type { AttemptResult } from './outcome.js';
import { RegistryClient } from './registry.js';
import { registryHost } from './target.js';
import { normalizeInsecure, Transport } from './transport.js';

export interface ProbeOptions {
  /** Hosts (`host[:port]`) allowed over plain HTTP. */
  insecureRegistries?: string[];
  /**
   * PEM CA bundles to trust in addition to Node's roots (`--registry-ca`). NODE_EXTRA_CA_CERTS
   * is honoured too (Node applies it to its defaults; with extra files we add it explicitly).
   */
  caFiles?: string[];
  /** Per request (connect to last body byte). Default 10 000. */
  requestTimeoutMs?: number;
  /** For the whole probe run. Default 60 000. */
  deadlineMs?: number;
  /** Probes in flight at once. Default 4. */
  concurrency?: number;
  /** Where the probes run from; default `this machine (<hostname>)`. */
  from?: string;
}

/**
 * Thrown before any network traffic when the options are unusable (e.g. an unreadable CA file).
 * A UserError: the CLI prints it as one line and exits 2, like any other bad flag.
 */
export class ProbeConfigError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeConfigError';
  }
}

function readCaBundle(file: string, what: string): string {
  try {
    const pem = readFileSync(file, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ProbeConfigError(`${what} ${file}: no PEM certificate in it`);
    return pem;
  } catch (err) {
    if (err instanceof ProbeConfigError) throw err;
    const code = (err as { code?: unknown }).code;
    throw new ProbeConfigError(`${what} ${file}: cannot read it${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}

/** The CA list for the HTTPS agent: undefined (Node's defaults) unless extra files are given. */
export function buildCaList(caFiles: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (!caFiles?.length) return undefined;
  const list = [...rootCertificates];
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      list.push(readFileSync(extra, 'utf8'));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    }
  }
  for (const f of caFiles) list.push(readCaBundle(f, '--registry-ca'));
  return list;
}

/** Results are shared through the cache: give each container its own copy. */
const copy = (r: AttemptResult): AttemptResult => ({
  ...r,
  ...(r.platforms ? { platforms: [...r.platforms] } : {}),
  ...(r.rateLimit ? { rateLimit: { ...r.rateLimit } } : {}),
});

/**
 * Probe every target. Never rejects for network or registry problems (they become outcomes);
 * rejects with ProbeConfigError only for unusable options.
 */
export async function probeTargets(targets: ProbeTarget[], opts: ProbeOptions = {}): Promise<Map<string, ContainerProbe>> {
  const from = opts.from ?? `this machine (${hostname()})`;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  const deadlineMs = opts.deadlineMs ?? 60_000;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 4));
  const ca = buildCaList(opts.caFiles);
  const results = new Map<string, ContainerProbe>();
  if (targets.length === 0) return results;

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  const transport = new Transport({
    ...(ca ? { ca } : {}),
    requestTimeoutMs,
    signal: deadline.signal,
    insecure: normalizeInsecure(opts.insecureRegistries),
    maxSockets: concurrency * 2,
  });
  const client = new RegistryClient(transport);
  const limit = semaphore(concurrency);
  /** One probe per (registry, repository, reference, credential) per run. */
  const cache = new Map<string, Promise<AttemptResult>>();

  const deadlineNote = (r: AttemptResult): AttemptResult =>
    deadline.signal.aborted && r.outcome !== 'ok' && /deadline/.test(r.detail)
      ? { ...r, detail: `${r.detail} (${deadlineMs} ms for the whole probe)` }
      : r;

  const probeOne = (host: string, path: string, reference: string, sealed: Sealed<Credential> | undefined): Promise<AttemptResult> => {
    // Revealed only to compute the cache key and inside the request; never stored.
    const key = [host, path, reference, credentialKey(sealed ? reveal(sealed) : undefined)].join('\0');
    let p = cache.get(key);
    if (!p) {
      p = limit(() => client.probe({ host, path, reference }, sealed ? reveal(sealed) : undefined)).then(deadlineNote);
      cache.set(key, p);
    }
    return p;
  };

  try {
    await Promise.all(
      targets.map(async (t) => {
        const host = registryHost(t.domain);
        const reference = t.digest ?? t.tag ?? 'latest';
        const attempts: ProbeAttempt[] = [];
        if (t.credentials.length === 0) {
          attempts.push({ credential: 'anonymous', ...copy(await probeOne(host, t.path, reference, undefined)) });
        } else {
          for (const c of t.credentials) {
            const r = await probeOne(host, t.path, reference, c.credential);
            attempts.push({ credential: c.secret, registryKey: c.registryKey, username: c.username, ...copy(r) });
            if (r.outcome === 'ok') break; // the kubelet stops at the first success
          }
        }
        results.set(t.key, { from, registry: host, attempts, outcome: attempts[attempts.length - 1]!.outcome });
      }),
    );
  } finally {
    clearTimeout(timer);
    transport.close();
  }
  // Keep the callers' order.
  return new Map(targets.filter((t) => results.has(t.key)).map((t) => [t.key, results.get(t.key)!]));
}
