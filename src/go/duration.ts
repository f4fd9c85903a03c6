/**
 * Go `time.ParseDuration` and `time.Duration.String`, for the durations the kubelet reads
 * (`defaultCacheDuration`, a plugin's `cacheDuration`) and containerd's `dial_timeout`.
 * Error texts are Go's: `time: invalid duration "x"`, `time: missing unit in duration "1"`,
 * `time: unknown unit "d" in duration "1d"`.
 */
import { goQuote } from './quote.js';

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5
  'μs': 1e3, // U+03BC
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Nanoseconds, or Go's error text. Precision: a JS number (exact to 2^53 ns, about 104 days). */
export function goParseDuration(s: string): { ok: true; ns: number } | { ok: false; error: string } {
  const orig = s;
  const invalid = { ok: false as const, error: `time: invalid duration ${goQuote(orig)}` };
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, ns: 0 };
  if (s === '') return invalid;
  let total = 0;
  while (s !== '') {
    const num = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const whole = num[1] ?? '';
    const frac = num[2];
    if (whole === '' && (frac === undefined || frac === '')) return invalid;
    s = s.slice(num[0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') return { ok: false, error: `time: missing unit in duration ${goQuote(orig)}` };
    const scale = UNITS[unit];
    if (scale === undefined) return { ok: false, error: `time: unknown unit ${goQuote(unit)} in duration ${goQuote(orig)}` };
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${frac ?? '0'}`) * scale;
  }
  return { ok: true, ns: Math.round(neg ? -total : total) };
}

/** `time.Duration.String()`: `12h0m0s`, `1m0s`, `1.5s`, `300ms`, `0s`. */
export function goFormatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let u = Math.abs(ns);
  if (u < 1e9) {
    const [scale, unit] = u < 1e3 ? [1, 'ns'] : u < 1e6 ? [1e3, 'µs'] : [1e6, 'ms'];
    return sign + trimFloat(u / scale) + unit;
  }
  const h = Math.floor(u / 3600e9);
  u -= h * 3600e9;
  const m = Math.floor(u / 60e9);
  u -= m * 60e9;
  const secs = trimFloat(u / 1e9) + 's';
  if (h > 0) return `${sign}${h}h${m}m${secs}`;
  if (m > 0) return `${sign}${m}m${secs}`;
  return sign + secs;
}

function trimFloat(x: number): string {
  return Number(x.toFixed(9)).toString();
}
