/**
 * Which events are a pod's (src/engine/pod-events.ts): joined by UID when both sides have one,
 * so the events of an earlier pod of the same name are not this pod's; otherwise by namespace
 * and name. Events with the pod's UID under another name come after those with its name.
 */
import { describe, expect, test } from 'vitest';
import type { KubeEvent, Pod } from '../src/model/kube.js';
import { PodEvents } from '../src/engine/pod-events.js';

const pod = (name: string, uid?: string): Pod => ({ metadata: { name, namespace: 'shop', ...(uid ? { uid } : {}) }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });

let n = 0;
const event = (podName: string, uid: string | undefined, message: string): KubeEvent => ({
  namespace: 'shop',
  name: `${podName}.${++n}`,
  involvedObject: { kind: 'Pod', name: podName, namespace: 'shop', ...(uid ? { uid } : {}) },
  reason: 'Pulling',
  message,
  count: 1,
});

const messages = (events: PodEvents, p: Pod) => events.of(p).map((e) => e.view.message);

describe('a pod’s events', () => {
  test('every event has a UID: an earlier pod of the same name keeps its own events', () => {
    const events = new PodEvents([event('web-0', 'old', 'Pulling image "web:1"'), event('web-0', 'new', 'Pulling image "web:2"'), event('api', 'a1', 'Pulling image "api:1"')]);
    expect(messages(events, pod('web-0', 'new'))).toEqual(['Pulling image "web:2"']);
    expect(messages(events, pod('web-0', 'old'))).toEqual(['Pulling image "web:1"']);
    expect(messages(events, pod('web-0', 'gone'))).toEqual([]);
    // A pod without a UID (a hand-written dump) takes every event of its name.
    expect(messages(events, pod('web-0'))).toEqual(['Pulling image "web:1"', 'Pulling image "web:2"']);
  });

  test('events without a UID join by name; those with the pod’s UID under another name come last', () => {
    const events = new PodEvents([
      event('web-0', 'u1', 'one'),
      event('web-0', undefined, 'two'),
      event('renamed', 'u1', 'three'),
      event('web-0', 'u2', 'not this pod'),
      event('web-0', 'u1', 'four'),
    ]);
    expect(messages(events, pod('web-0', 'u1'))).toEqual(['one', 'two', 'four', 'three']);
  });

  test('every event has a UID, but one UID’s events name two objects: the same order', () => {
    const events = new PodEvents([event('web-0', 'u1', 'one'), event('renamed', 'u1', 'two'), event('web-0', 'u1', 'three')]);
    expect(messages(events, pod('web-0', 'u1'))).toEqual(['one', 'three', 'two']);
    expect(messages(events, pod('renamed', 'u1'))).toEqual(['two', 'one', 'three']);
  });
});
