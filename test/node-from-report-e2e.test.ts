/**
 * `pulldoctor node --from`: the images of a cluster scan's failing pods, checked on the node —
 * the report read from a file or, for `kubectl debug node/… -i … < report.json` with an image
 * that has no shell, from stdin (`--from -`). The report comes from the built CLI's scan of a
 * dump with cloud nodes, so its `credentials[]` hold node-provider entries as well: only the
 * pod's own secrets are passed on (the node's providers are what this command reads itself).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/finding.js';
import { runBin } from './helpers/cli.js';
import { ROOT } from './helpers/root.js';

const NODE_ROOT = path.join(ROOT, 'fixtures', 'node-provider-image-not-matched', 'fires');
let reportText = '';
let reportFile = '';

interface NodeImage {
  image: string;
  from: string;
  credentials: { source: string; name: string }[];
}
const images = (stdout: string) => ((JSON.parse(stdout) as Report & { node: { images: NodeImage[] } }).node.images ?? []);

beforeAll(async () => {
  const scan = await runBin(['-f', path.join(ROOT, 'fixtures', 'node-identity-denied', 'fires.yaml'), '-o', 'json', '--now', '2026-11-28T12:00:00Z']);
  expect(scan.code).toBe(1);
  reportText = scan.stdout;
  const report = JSON.parse(reportText) as Report;
  expect(report.pods.flatMap((p) => p.containers.flatMap((c) => c.credentials)).some((c) => c.source === 'node-provider')).toBe(true);
  reportFile = path.join(mkdtempSync(path.join(tmpdir(), 'pd-from-')), 'report.json');
  writeFileSync(reportFile, reportText);
});

describe('pulldoctor node --from', () => {
  it('- reads the report from stdin: the same images as from the file, each saying where it came from', async () => {
    const stdin = await runBin(['node', '--root', NODE_ROOT, '--node-name', 'ip-10-0-3-41.ec2.internal', '--from', '-', '-o', 'json'], { input: reportText });
    const file = await runBin(['node', '--root', NODE_ROOT, '--node-name', 'ip-10-0-3-41.ec2.internal', '--from', reportFile, '-o', 'json']);
    expect(stdin.stderr).toBe('');
    const a = images(stdin.stdout);
    const b = images(file.stdout);
    // only the pods that ran on this node
    expect(a.map((i) => i.image)).toEqual(['123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.4.2']);
    expect(a.map((i) => i.image)).toEqual(b.map((i) => i.image));
    expect(a[0]?.from).toBe('report (stdin): pod shop/api-7d9c6b5f4-k2xqp on node ip-10-0-3-41.ec2.internal');
    expect(b[0]?.from).toBe(`report ${reportFile}: pod shop/api-7d9c6b5f4-k2xqp on node ip-10-0-3-41.ec2.internal`);
    // no pod-secret entry is made up from the report's node-provider entry
    expect(a[0]?.credentials.filter((c) => c.source === 'pod-secret')).toEqual([]);
  });

  it('- with something else on stdin: one line, exit 2', async () => {
    const r = await runBin(['node', '--root', NODE_ROOT, '--from', '-'], { input: 'not json' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('pulldoctor: --from -: not a JSON report of pulldoctor -o json');
  });
});
