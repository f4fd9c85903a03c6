/**
 * The vault: the only place secret material lives. A `Sealed<T>` (the opaque type is in
 * src/model/sealed.ts) cannot be printed, logged, serialised or inspected: `toString`,
 * `toJSON` and Node's `util.inspect` all give a redaction marker. Code outside
 * src/credentials (and the opt-in registry probe, which must send credentials) never calls
 * `reveal`.
 */
import { createHash } from 'node:crypto';
import type { DockerConfigData, Sealed, SealedSecretData } from '../model/sealed.js';

export const REDACTED = '[redacted]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

const store = new WeakMap<object, unknown>();

/** The run-time object behind a `Sealed<T>`: holds nothing itself, the value is in `store`. */
class SealedBox<T> {
  constructor(value: T) {
    store.set(this, value);
    Object.freeze(this);
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspectSymbol](): string {
    return REDACTED;
  }
}

/** Read the sealed value. Only src/credentials and src/probe may call this. */
export function reveal<T>(sealed: Sealed<T>): T {
  if (!store.has(sealed)) throw new Error('not a sealed value');
  return store.get(sealed) as T;
}

export function seal<T>(value: T): Sealed<T> {
  // The brand of Sealed<T> is type-level only: the vault is the one place that makes one.
  return new SealedBox(value) as unknown as Sealed<T>;
}

/**
 * Keep only the two data keys the kubelet reads from a Secret's `data` (base64 values as
 * stored by the API) — or `stringData` already decoded, which a hand-written manifest may
 * use — and seal them. Every other value is dropped.
 */
export function sealSecretData(
  data: Record<string, unknown> | undefined,
  stringData?: Record<string, unknown>,
): { sealed: SealedSecretData; dataKeys: string[] } {
  const keep: DockerConfigData = {};
  const keys = new Set<string>();
  for (const [k, v] of Object.entries(data ?? {})) {
    keys.add(k);
    if ((k === '.dockerconfigjson' || k === '.dockercfg') && typeof v === 'string') keep[k] = v;
  }
  for (const [k, v] of Object.entries(stringData ?? {})) {
    keys.add(k);
    if ((k === '.dockerconfigjson' || k === '.dockercfg') && typeof v === 'string' && keep[k] === undefined) {
      keep[k] = Buffer.from(v, 'utf8').toString('base64');
    }
  }
  return { sealed: seal(keep), dataKeys: [...keys].sort() };
}

/**
 * A short, stable, non-reversible fingerprint of a secret part, so two secrets can be
 * compared without showing either. Salted with a fixed domain string so it cannot be
 * looked up in generic SHA-256 tables.
 */
export function fingerprint(secretPart: string): string {
  if (secretPart === '') return 'empty';
  return 'sha256:' + createHash('sha256').update('pulldoctor-fingerprint\0' + secretPart).digest('hex').slice(0, 12);
}
