/**
 * The Kubernetes REST conventions the live source relies on, as pure functions: what a `Status`
 * body says, when to try again and how long to wait.
 */
import http from 'node:http';
import { firstLine } from '../util/text.js';
import { isObj } from './reduce.js';

/** The one-line message of an error answer: the `Status` message, else the body's first line, else the reason phrase. */
export function statusMessage(body: unknown, status: number): string {
  if (isObj(body) && typeof body.message === 'string' && body.message) return body.message;
  if (typeof body === 'string' && body.trim()) return firstLine(body.trim()).slice(0, 200);
  return http.STATUS_CODES[status] ?? `HTTP ${status}`;
}

/** How long the server asked us to wait: `Retry-After` (seconds or a date), else `Status.details.retryAfterSeconds`. */
export function retryAfterMs(header: string | string[] | undefined, body: unknown, now = Date.now()): number | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (h) {
    const secs = Number(h);
    if (Number.isFinite(secs)) return secs * 1000;
    const at = Date.parse(h);
    if (Number.isFinite(at)) return at - now;
  }
  if (isObj(body) && isObj(body.details) && typeof body.details.retryAfterSeconds === 'number')
    return body.details.retryAfterSeconds * 1000;
  return undefined;
}

/** Answers worth another try: throttling (429) and server errors, except 501 Not Implemented. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/** Network errors worth another try (a keep-alive socket the server closed, a slow answer). */
const RETRY_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'REQUEST_TIMEOUT']);

export function isRetryableNetworkError(code: string): boolean {
  return RETRY_CODES.has(code);
}
