/**
 * The one place the registry client handles a revealed credential: its cache key (a salted
 * hash), its Basic header, how details name it, and the scrubbing of every form of it (and of a
 * bearer token) out of a detail before the detail leaves the probe.
 */
import { createHash } from 'node:crypto';

export interface Credential {
  username: string;
  password: string;
}

/** Internal cache key of a credential: a salted hash, never the credential itself. */
export function credentialKey(c: Credential | undefined): string {
  if (!c) return 'anonymous';
  return createHash('sha256').update(`pulldoctor-probe\0${c.username}\0${c.password}`).digest('hex').slice(0, 32);
}

export const basicHeader = (c: Credential): string => 'Basic ' + Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64');

/** How a detail names who asked: `user "alice"` or `anonymous` (never the password). */
export const whoText = (c: Credential | undefined): string => (c ? `user "${c.username}"` : 'anonymous');

/** Every form of a credential a server could echo back: the password, its Basic encoding, `user:password`. */
export function secretFormsOf(c: Credential | undefined): string[] {
  if (!c) return [];
  return [c.password, basicHeader(c).slice(6), `${c.username}:${c.password}`];
}

/** Replace every secret string in `text` with a marker (defence in depth). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
