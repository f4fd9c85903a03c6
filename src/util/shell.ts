/** POSIX shell quoting for untrusted values that end up in a copy-paste command. */

const SAFE = /^[A-Za-z0-9_./:@%+=,-]+$/;

/** `value` as one shell word: unchanged when it needs no quoting, else single-quoted. */
export function sh(s: string): string {
  if (s !== '' && SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
