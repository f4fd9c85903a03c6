import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../src/collect/builder.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { colourStyle } from '../src/report/style.js';
import { renderText } from '../src/report/text.js';
import { reportOf, ROOT } from './helpers/scan.js';

const HOSTILE = '\x1b]0;pwned\x07\x1b[2J<script>alert(1)</script> | *x* \u202eevil';

function hostileReport() {
  const list = parse(readFileSync(path.join(ROOT, 'fixtures/pull-secret-not-found/fires.yaml'), 'utf8')) as {
    items: { kind: string; reason?: string; message?: string; metadata: { name: string } }[];
  };
  for (const item of list.items) {
    if (item.kind === 'Event' && item.reason === 'Failed') item.message = `${item.message} ${HOSTILE}`;
  }
  const b = new SnapshotBuilder({ kind: 'file', description: `dump ${HOSTILE}` });
  b.add(list);
  return reportOf(b.finishOffline()).report;
}

describe('renderers', () => {
  it('text strips terminal control sequences from cluster text, keeps its own colours', () => {
    const r = hostileReport();
    expect(JSON.stringify(r)).toContain('\\u001b]0;pwned'); // JSON keeps data verbatim (escaped by JSON)
    const text = renderText(r);
    expect(text).not.toMatch(/[\x1b\x07\u202e]/);
    expect(text).toContain('<script>alert(1)</script>');
    const coloured = renderText(r, colourStyle);
    expect(coloured).toContain('\x1b[31m');
    expect(coloured).not.toContain('\x1b]0;');
    expect(coloured).not.toContain('\x1b[2J');
  });

  it('text sanitises a workload kind from the cluster too (an owner reference of any kind)', () => {
    const list = parse(readFileSync(path.join(ROOT, 'fixtures/pull-secret-not-found/fires.yaml'), 'utf8')) as {
      items: { kind: string; metadata: { ownerReferences?: { kind: string }[] } }[];
    };
    const pod = list.items.find((i) => i.kind === 'Pod');
    const owner = pod?.metadata.ownerReferences?.[0];
    if (!owner) throw new Error('fixture changed');
    owner.kind = `Widget${HOSTILE}`;
    const b = new SnapshotBuilder({ kind: 'file', description: 'dump' });
    b.add(list);
    const text = renderText(reportOf(b.finishOffline()).report);
    expect(text).toContain('Widget');
    expect(text).not.toMatch(/[\x1b\x07\u202e]/);
  });

  it('markdown escapes HTML and formatting in cluster text', () => {
    const md = renderMarkdown(hostileReport());
    expect(md).not.toMatch(/[\x1b\x07\u202e]/);
    // Outside code spans and fences (where CommonMark shows text literally) no raw HTML survives.
    const prose = md.replace(/```[\s\S]*?```/g, '').replace(/(`+)[\s\S]*?\1/g, '');
    expect(prose).not.toContain('<script>');
    expect(prose).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| \\*x\\*');
  });

  it('text groups by namespace, then workload, and names linked findings', () => {
    const text = renderText(hostileReport());
    expect(text).toMatch(/\nnamespace shop\n {2}✖ error {2}Deployment\/cart \(1 pod\)\n/);
    expect(text).toContain('linked: registry-access-denied (container cart)');
    expect(text).toContain('linked: pull-secret-not-found (secret regcred)');
    expect(text).toMatch(/\$ kubectl create secret docker-registry regcred -n shop --docker-server=registry\.example\.com/);
  });

  it('json is the report, newline-terminated', () => {
    const r = hostileReport();
    const out = renderJson(r);
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(r)));
  });
});
