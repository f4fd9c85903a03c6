/**
 * Cluster strings with characters whose width is not one column: CJK (2 columns), emoji (⚠️ and
 * ☕ are 2, so is a family 👨‍👩‍👧‍👦 when the terminal joins it), zero-width characters (a zero-width
 * space, a word joiner, a combining accent). Whatever they hold, every line fits the terminal,
 * the pane border stays in its column, and nothing is cut by Ink behind our back (a workload's
 * pod count stays at the end of its row).
 *
 * The strings are layout fixtures (names and messages with such characters in them), not
 * runtime wordings; the sanitiser still runs first (it drops the zero-width space and joiner).
 */
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterEach, describe, expect, test } from 'vitest';
import type { Finding, PodReport, Report } from '../../src/model/finding.js';
import { App } from '../../src/tui/App.js';
import { createController, type Controller } from '../../src/tui/controller.js';
import { layout } from '../../src/tui/layout.js';
import { initialState } from '../../src/tui/state.js';
import { createStore } from '../../src/tui/store.js';
import { KEY, mount, plain, tick, type Mounted } from './harness.js';
import { finding, makeReport } from './sample-report.js';

const ZWSP = '\u200b';
const WJ = '\u2060';
const ACUTE = 'e\u0301';
const FAMILY = '👨‍👩‍👧‍👦';

const runbook = (rule: string) =>
  `# ${rule} ⚠️\n\nDer Pod 名前空間 braucht ☕ und ${FAMILY} Geduld${ZWSP}: caf${ACUTE}${WJ} ${'很长的句子'.repeat(12)}\n\n\`\`\`sh\nkubectl get secret ⚠️☕ -n 名前空間\n\`\`\`\n`;

function wideFindings(): Finding[] {
  const api = finding({
    rule: 'pull-secret-not-found',
    severity: 'error',
    namespace: `支払い-⚠️`,
    workload: { kind: 'Deployment', name: `api-⚠️-☕-名前` },
    pod: `api-⚠️☕${FAMILY}-名前空間-x${ZWSP}y`,
    pods: [`api-⚠️☕${FAMILY}-名前空間-x${ZWSP}y`, `api-☕☕-${ACUTE}${WJ}-2`],
    container: `容器-☕`,
    image: `registry.example.com/名前空間/⚠️☕${FAMILY}/image:1.0`,
    secret: `regcred-⚠️`,
    title: `Pull secret ⚠️ does not exist`,
    message: `Secret 支払い/regcred-⚠️ named in imagePullSecrets does not exist ☕ ${FAMILY} ${'名前空間'.repeat(10)} caf${ACUTE}${WJ} x${ZWSP}y`,
    evidence: [
      {
        source: 'event',
        ref: `Event 支払い/api-⚠️.17a3 (FailedToRetrieveImagePullSecret x3)`,
        detail: `Unable to retrieve some image pull secrets (regcred-⚠️☕${FAMILY}); attempting to pull the image may not succeed.`,
        count: 3,
        lastSeen: '2025-03-01T11:54:00.000Z',
      },
    ],
    remediation: [`kubectl create secret docker-registry regcred-⚠️ -n 支払い-⚠️ --docker-server=registry.example.com/名前空間/☕☕☕☕☕☕☕☕`],
    unverified: [`${FAMILY}${FAMILY}${FAMILY}${FAMILY}${FAMILY}${FAMILY}${FAMILY}${FAMILY}${FAMILY}${FAMILY}`],
  });
  const cafe = finding({
    rule: 'image-tag-latest',
    severity: 'warning',
    namespace: 'ns',
    workload: { kind: 'Pod', name: '☕'.repeat(40) },
    pod: '☕'.repeat(40),
    message: `☕${'⚠️'.repeat(50)}`,
    image: `cafe${WJ}/☕:latest`,
  });
  const zero = finding({
    rule: 'image-reference-invalid',
    severity: 'info',
    namespace: `zero${ZWSP}${WJ}width`,
    workload: { kind: 'StatefulSet', name: `d${ACUTE}${ACUTE}${ACUTE}-${WJ.repeat(30)}-db` },
    pod: `db-0${WJ.repeat(10)}`,
    message: `${'a'.repeat(20)}${WJ.repeat(100)}${'b'.repeat(80)}`,
  });
  return [api, cafe, zero];
}

function widePod(): PodReport {
  return {
    namespace: `支払い-⚠️`,
    name: `api-⚠️☕${FAMILY}-名前空間-x${ZWSP}y`,
    workload: { kind: 'Deployment', name: `api-⚠️-☕-名前` },
    node: `ノード-☕-${FAMILY}`,
    serviceAccount: `サービス-⚠️`,
    imagePullSecrets: [
      { name: `regcred-⚠️`, status: 'missing' },
      { name: `hub-☕`, status: 'found' },
    ],
    containers: [
      {
        name: `容器-☕`,
        kind: 'container',
        image: `registry.example.com/名前空間/⚠️☕${FAMILY}/image:1.0`,
        reference: { domain: 'registry.example.com', path: `名前空間/⚠️☕${FAMILY}/image`, tag: '1.0' },
        lookup: `registry.example.com/名前空間/⚠️☕${FAMILY}/image`,
        pullPolicy: 'IfNotPresent',
        waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "registry.example.com/名前空間/⚠️☕${FAMILY}/image:1.0"` },
        credentials: [
          {
            source: 'pod-secret',
            secret: `hub-☕`,
            registryKey: `https://registry.example.com/名前空間/`,
            normalizedKey: 'registry.example.com',
            username: `ユーザー-⚠️`,
            hasPassword: true,
            fingerprint: 'sha256:0000',
            viaDockerHubFallback: false,
          },
        ],
      },
    ],
    accessProblems: [],
  };
}

function wideReport(): Report {
  return makeReport(wideFindings(), {
    pods: [widePod()],
    errors: [{ cluster: `クラスター-⚠️`, message: `dial tcp: lookup ☕.example.com ${FAMILY}: no such host ${'名前'.repeat(30)}` }],
    accessProblems: [
      {
        resource: 'secrets',
        namespace: `支払い-⚠️`,
        name: `regcred-⚠️`,
        verb: 'get',
        status: 403,
        message: `secrets "regcred-⚠️" is forbidden: User "☕" cannot get resource "secrets" in the namespace "支払い-⚠️"`,
        canI: `kubectl auth can-i get secrets/regcred-⚠️ -n 支払い-⚠️`,
      },
    ],
  });
}

/** Display column of the first `│` in a line, or -1. */
function borderColumn(line: string): number {
  const i = line.indexOf('│');
  return i < 0 ? -1 : stringWidth(line.slice(0, i));
}

/** Checks one frame of the main view (list and detail side by side) or an overlay. */
function expectFits(frame: string, cols: number, rows: number): void {
  const l = layout(cols, rows);
  const lines = plain(frame).split('\n');
  expect(lines.length).toBeLessThanOrEqual(l.height);
  for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(cols);
}

function expectPanesLineUp(frame: string, cols: number, rows: number): void {
  const l = layout(cols, rows);
  const body = plain(frame).split('\n').slice(2, 2 + l.bodyHeight);
  expect(body).toHaveLength(l.bodyHeight);
  for (const line of body) expect(borderColumn(line), line).toBe(l.listWidth);
  // Workload rows keep their pod count at the end: Ink did not have to cut the row.
  const rowsWithPods = body.map((line) => line.slice(0, line.indexOf('│')).trimEnd()).filter((left) => /^[› ] [✖▲•✔] [a-z]+\//.test(left));
  expect(rowsWithPods.length).toBeGreaterThan(0);
  for (const left of rowsWithPods) expect(left).toMatch(/ \d+ pods?$/);
}

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

describe.each([
  [80, 24],
  [100, 30],
])('wide, emoji and zero-width cluster strings at %i×%i', (cols, rows) => {
  test('every item: lines fit, the border stays in its column, pod counts stay visible', async () => {
    m = await mount({ report: wideReport(), cols, rows, scope: `context クラスター-⚠️☕${FAMILY} · all namespaces`, runbook });
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const f = m.frame();
      expectFits(f, cols, rows);
      expectPanesLineUp(f, cols, rows);
      seen.add(m.store.getState().selected ?? '');
      await m.press('j');
    }
    expect(seen.size).toBe(m.store.getState().model.items.length);
    expect(seen.size).toBe(5); // cluster error, three workloads, access problems
  });

  test('the detail pane, scrolled to its end, and the overlays fit too', async () => {
    m = await mount({ report: wideReport(), cols, rows, runbook });
    await m.press('j'); // the workload with every kind of string
    const f = m.frame();
    expect(f).toContain('Findings (1)');
    expect(f).toContain('Deployment/api-⚠️-☕-名前');
    await m.press(KEY.enter);
    let seen = '';
    for (let i = 0; i < 40; i++) {
      expectFits(m.frame(), cols, rows);
      expectPanesLineUp(m.frame(), cols, rows);
      // the detail side of each row
      seen += plain(m.frame())
        .split('\n')
        .map((line) => line.slice(line.indexOf('│') + 1))
        .join('\n');
      await m.press('j');
    }
    // scrolled through to the last line; the fix command was on the way, every piece of it
    expect(m.frame()).toMatch(/ (\d+)-(\d+)\/\2 *\n/);
    expect(m.frame()).toContain('✖ secret regcred-⚠️ · not found');
    expect(seen).toContain('$ kubectl create secret docker-registry');
    expect(seen.replace(/\s/g, '')).toContain('regcred-⚠️-n支払い-⚠️--docker-server=registry.example.com/名前空間/☕☕☕☕☕☕☕☕');
    await m.press('e');
    let o = m.frame();
    expect(o).toContain('Runbook · pull-secret-not-found');
    expect(o).toContain('kubectl get secret ⚠️☕ -n 名前空間');
    expectFits(o, cols, rows);
    await m.press('G');
    expectFits(m.frame(), cols, rows);
    await m.press(KEY.escape, '?');
    o = m.frame();
    expect(o).toContain('Keys');
    expectFits(o, cols, rows);
  });

  test('filtering by a wide string keeps the layout', async () => {
    m = await mount({ report: wideReport(), cols, rows, runbook });
    await m.press('/');
    await m.type('☕☕☕');
    const f = m.frame();
    expect(f).toContain(`pod/${'☕'.repeat(4)}`);
    expect(f).not.toContain('api-⚠️-☕-名前');
    expectFits(f, cols, rows);
    expectPanesLineUp(f, cols, rows);
    // a filter longer than the footer: its end stays visible, the line still fits
    await m.type(`${'名'.repeat(60)}末`);
    const footer = plain(m.frame()).split('\n').pop() ?? '';
    expect(footer).toMatch(/^\/…名+末▏ +Enter keep · Esc clear$/);
    expectFits(m.frame(), cols, rows);
  });
});

describe('ink-testing-library (100 columns)', () => {
  let controller: Controller | undefined;
  let unmount: (() => void) | undefined;
  afterEach(() => {
    controller?.dispose();
    unmount?.();
  });

  test('the same report: every line fits and the panes line up', async () => {
    const store = createStore(initialState({ scope: `クラスター-⚠️`, cols: 100, rows: 24 }));
    controller = createController(store, { scan: async () => wideReport(), intervalMs: 5000 });
    const r = render(<App store={store} controller={controller} runbook={runbook} />);
    unmount = r.unmount;
    controller.start();
    await tick();
    for (let i = 0; i < 5; i++) {
      const f = r.lastFrame() ?? '';
      // ink-testing-library's terminal is 100 columns; rows are not set, so the UI assumes 24.
      expectFits(f, 100, 24);
      expectPanesLineUp(f, 100, 24);
      r.stdin.write('j');
      await tick();
    }
  });
});
