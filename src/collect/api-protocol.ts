/**
 * The Kubernetes REST conventions the live source relies on, as pure functions: what a request
 * path asks for (the API server's RequestInfo: verb, resource, namespace), what a `Status` body
 * says, when to try again and how long to wait.
 */
import http from 'node:http';
import { firstLine } from '../util/text.js';
import { isObj } from './reduce.js';

/** What a request asks for, in the API server's terms (for RBAC hints and request counts). */
export interface RequestInfo {
  /** `get` for one object by name, `list` for a collection, `watch` for a collection with `watch=true`. */
  verb: 'get' | 'list' | 'watch';
  /** Plural resource (`pods`), with its subresource (`pods/log`); the path itself for non-resource URLs (`/version`). */
  resource: string;
  /** API group, `''` for the core group. */
  group: string;
  namespace?: string;
  name?: string;
}

/**
 * Verb and resource of a GET, parsed like the API server's RequestInfoFactory:
 * `/api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUB]]` and `/apis/GROUP/VERSION/…`.
 */
export function requestInfo(path: string, query: Record<string, string | undefined> = {}): RequestInfo {
  const parts = path.split('/').filter(Boolean).map(unescapeSegment);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else return { verb: 'get', resource: path, group: '' };
  let namespace: string | undefined;
  // `/namespaces/NS` alone is the namespace object itself; `/namespaces/NS/RESOURCE…` is scoped.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource = '', name, sub] = rest;
  const info: RequestInfo = {
    verb: name !== undefined ? 'get' : query.watch === 'true' || query.watch === '1' ? 'watch' : 'list',
    resource: sub ? `${resource}/${sub}` : resource,
    group,
  };
  if (namespace !== undefined) info.namespace = namespace;
  if (name !== undefined) info.name = name;
  return info;
}

function unescapeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

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
