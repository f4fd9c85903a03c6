/** The Kubernetes REST conventions of the live source: request paths, Status bodies, Retry-After. */
import { describe, expect, test } from 'vitest';
import { isRetryableStatus, requestInfo, retryAfterMs, statusMessage } from '../src/collect/api-protocol.js';

describe('requestInfo: verb and resource like the API server reads them', () => {
  test.each([
    ['/api/v1/pods', {}, { verb: 'list', resource: 'pods', group: '' }],
    ['/api/v1/namespaces/shop/pods', { limit: '500' }, { verb: 'list', resource: 'pods', group: '', namespace: 'shop' }],
    ['/api/v1/namespaces/shop/pods', { watch: 'true' }, { verb: 'watch', resource: 'pods', group: '', namespace: 'shop' }],
    ['/api/v1/namespaces/shop/secrets/a%2Fb', {}, { verb: 'get', resource: 'secrets', group: '', namespace: 'shop', name: 'a/b' }],
    ['/api/v1/namespaces/shop/pods/web-0/log', {}, { verb: 'get', resource: 'pods/log', group: '', namespace: 'shop', name: 'web-0' }],
    // The namespace object itself, not a namespaced resource.
    ['/api/v1/namespaces/shop', {}, { verb: 'get', resource: 'namespaces', group: '', name: 'shop' }],
    ['/apis/events.k8s.io/v1/namespaces/shop/events', {}, { verb: 'list', resource: 'events', group: 'events.k8s.io', namespace: 'shop' }],
    ['/version', {}, { verb: 'get', resource: '/version', group: '' }],
  ])('%s %o', (path, query, info) => {
    expect(requestInfo(path, query)).toEqual(info);
  });
});

describe('Status bodies and retries', () => {
  test('the message of a Status, else the first line of a text body, else the reason phrase', () => {
    expect(statusMessage({ kind: 'Status', message: 'pods is forbidden: User "x" cannot list resource "pods"' }, 403)).toBe(
      'pods is forbidden: User "x" cannot list resource "pods"',
    );
    expect(statusMessage('  <html>\n<body>Bad Gateway</body></html>', 502)).toBe('<html>');
    expect(statusMessage('', 503)).toBe('Service Unavailable');
  });

  test('Retry-After in seconds or as a date, else Status.details.retryAfterSeconds', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(retryAfterMs('3', undefined, now)).toBe(3000);
    expect(retryAfterMs('Sat, 28 Nov 2026 12:00:05 GMT', undefined, now)).toBe(5000);
    expect(retryAfterMs(undefined, { details: { retryAfterSeconds: 2 } }, now)).toBe(2000);
    expect(retryAfterMs(undefined, {}, now)).toBeUndefined();
  });

  test('429 and 5xx are retried, 501 and client errors are not', () => {
    expect([429, 500, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 501].some(isRetryableStatus)).toBe(false);
  });
});
