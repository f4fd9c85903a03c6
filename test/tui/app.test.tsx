import { afterEach, describe, expect, test } from 'vitest';
import type { Finding, Report } from '../../src/model/finding.js';
import type { ProgressCallback } from '../../src/model/progress.js';
import { UserError } from '../../src/model/errors.js';
import { KEY, maxLineWidth, mount, tick, type Mounted } from './harness.js';
import { apiFinding, emptyReport, finding, FINGERPRINT, makeReport, OTHER_FINGERPRINT, sampleReport } from './sample-report.js';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('› ')) ?? '';

describe('first screen', () => {
  test('header, summary, workloads grouped by namespace with marker, pod count and cause', async () => {
    m = await mount({ report: sampleReport() });
    const f = m.frame();
    expect(f).toContain('pulldoctor · context kind-dev · all namespaces');
    expect(f).toContain('✖ 3 errors');
    expect(f).toContain('▲ 1 warning');
    expect(f).toContain('• 1 info');
    expect(f).toContain('! 1 access problem');
    const lines = m.lines();
    const idx = (s: string) => lines.findIndex((l) => l.includes(s));
    // namespaces in order: default, payments, shop; workloads under them
    expect(idx('default ')).toBeLessThan(idx('payments '));
    expect(idx('payments ')).toBeLessThan(idx('shop '));
    expect(f).toMatch(/✖ deploy\/payments-api +3 pods/);
    expect(f).toMatch(/▲ sts\/orders-db +2 pods/);
    expect(f).toMatch(/• cronjob\/nightly-report +1 pod/);
    expect(f).toContain('Pull secret does not exist');
    expect(f).toContain('! access problems (1)');
    // first workload selected, its detail shown
    expect(selectedLine(f)).toContain('pod/debug');
    expect(f).toContain('busybox:1.36:latest is not a valid image reference.');
    expect(f).toContain('$ kubectl -n default delete pod debug');
  });

  test('spinner with live counts per resource while scanning', async () => {
    let finish: (r: Report) => void = () => {};
    let progress: ProgressCallback = () => {};
    m = await mount({
      scan: (onProgress) => {
        progress = onProgress;
        return new Promise<Report>((resolve) => (finish = resolve));
      },
    });
    progress({ resource: 'pods', pages: 2, objects: 120, done: true });
    progress({ resource: 'events', pages: 1, objects: 340, done: false });
    progress({ resource: 'serviceaccounts', pages: 1, objects: 12, done: false });
    await tick();
    let f = m.frame();
    expect(f).toContain('Scanning context kind-dev · all namespaces');
    expect(f).toMatch(/pods +120 ✓/);
    expect(f).toMatch(/events +340/);
    expect(f).toMatch(/service accounts +12/);
    expect(f).toMatch(/secrets +0/);
    expect(f).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] scanning/);
    progress({ resource: 'events', pages: 2, objects: 512, done: true });
    await tick();
    expect(m.frame()).toMatch(/events +512 ✓/);
    finish(sampleReport());
    f = await m.waitFor((x) => x.includes('deploy/payments-api'));
    expect(f).not.toContain('Scanning');
  });
});

test('a rescan keeps the list and shows live counts in the header', async () => {
  let n = 0;
  let progress: ProgressCallback = () => {};
  let finish: (r: Report) => void = () => {};
  m = await mount({
    scan: (onProgress) => {
      if (n++ === 0) return Promise.resolve(sampleReport());
      progress = onProgress;
      return new Promise<Report>((resolve) => (finish = resolve));
    },
  });
  await m.press('r');
  progress({ resource: 'pods', pages: 1, objects: 10, done: false });
  await tick();
  const f = m.frame();
  expect(f).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] rescanning +pods 10 · events 0/);
  expect(f).toContain('deploy/payments-api');
  finish(emptyReport(3));
  await m.waitFor((x) => x.includes('no image pull problems in 3 pods'));
});

describe('navigation and panes', () => {
  test('↓/↑ and j/k move the selection and the detail follows', async () => {
    m = await mount({ report: sampleReport(), cols: 140 });
    await m.press('j');
    expect(selectedLine(m.frame())).toContain('deploy/ledger-worker');
    expect(m.frame()).toContain('ghcr.io answered 401 for the credentials of secret ghcr-token.');
    await m.press(KEY.down);
    expect(selectedLine(m.frame())).toContain('deploy/payments-api');
    expect(m.frame()).toContain('Secret payments/regcred-payments named in imagePullSecrets does not exist');
    await m.press('k', KEY.up);
    expect(selectedLine(m.frame())).toContain('pod/debug');
    await m.press(KEY.up); // stays at the top
    expect(selectedLine(m.frame())).toContain('pod/debug');
    await m.press('G');
    expect(selectedLine(m.frame())).toContain('access problems');
    await m.press('g');
    expect(selectedLine(m.frame())).toContain('pod/debug');
  });

  test('keys arriving in one chunk are handled one by one', async () => {
    m = await mount({ report: sampleReport() });
    await m.press('jj');
    expect(selectedLine(m.frame())).toContain('deploy/payments-api');
    await m.press('j\r');
    expect(selectedLine(m.frame())).toContain('sts/orders-db');
    expect(m.frame()).toContain('↑↓ scroll · ⏎ list');
    await m.press('\r/web\r');
    expect(m.frame()).toContain('Workloads 0/5 /web');
  });

  test('Enter/Tab switch panes; ↑/↓ scroll the detail pane when it has focus', async () => {
    m = await mount({ report: sampleReport(), rows: 24, cols: 100 });
    await m.press('j', 'j'); // payments-api: long detail
    expect(m.frame()).toContain('↑↓ move · ⏎ detail');
    const before = m.frame();
    expect(before).toMatch(/1-\d+\/\d+/);
    await m.press(KEY.enter);
    expect(m.frame()).toContain('↑↓ scroll · ⏎ list');
    await m.press(KEY.down, KEY.down, 'j');
    const after = m.frame();
    expect(after).toMatch(/4-\d+\/\d+/);
    // selection did not move
    expect(selectedLine(after)).toContain('deploy/payments-api');
    await m.press(KEY.up);
    expect(m.frame()).toMatch(/3-\d+\/\d+/);
    await m.press(KEY.tab);
    expect(m.frame()).toContain('↑↓ move · ⏎ detail');
    await m.press('j');
    expect(selectedLine(m.frame())).toContain('sts/orders-db');
  });

  test('the detail shows containers, registry, credentials, evidence and remediation', async () => {
    m = await mount({ report: sampleReport(), rows: 120, cols: 140 });
    await m.press('j', 'j');
    const f = m.frame();
    expect(f).toContain('Deployment/payments-api');
    expect(f).toContain('image registry.example.com/payments/api:1.42.0');
    expect(f).toContain('registry registry.example.com');
    expect(f).toContain('waiting ImagePullBackOff');
    expect(f).toContain('✖ secret regcred-payments · not found');
    expect(f).toMatch(/✔ secret dockerhub · key https:\/\/index\.docker\.io\/v1\/ ·/);
    expect(f).toContain('user acme-ci');
    expect(f).toContain('via Docker Hub');
    expect(f).toContain('(FailedToRetrieveImagePullSecret x12)');
    expect(f).toMatch(/x12, 6m ago\)/);
    expect(f).toContain('$ kubectl rollout restart deployment/payments-api -n payments');
    expect(f).toContain('$ kubectl create secret docker-registry regcred-payments -n payments');
  });

  test('access problems have their own marker and detail', async () => {
    m = await mount({ report: sampleReport(), rows: 40 });
    expect(m.frame()).toContain('! 1 access problem');
    await m.press('G');
    const f = m.frame();
    expect(f).toContain('get secrets (namespace shop, quay-creds): 403');
    expect(f).toContain('$ kubectl auth can-i get secrets/quay-creds -n shop');
  });
});

describe('filter and severity', () => {
  test('/ filters by text; Backspace edits; Esc clears', async () => {
    m = await mount({ report: sampleReport() });
    await m.press('/');
    expect(m.frame()).toContain('Enter keep · Esc clear');
    await m.type('ledgerx');
    await m.press(KEY.backspace);
    let f = m.frame();
    expect(f).toContain('/ledger▏');
    expect(f).toContain('deploy/ledger-worker');
    expect(f).not.toContain('deploy/payments-api');
    expect(f).not.toContain('sts/orders-db');
    expect(f).toContain('Workloads 1/5 /ledger');
    expect(selectedLine(f)).toContain('deploy/ledger-worker');
    await m.press(KEY.enter);
    f = m.frame();
    expect(f).not.toContain('Enter keep');
    expect(f).toContain('Workloads 1/5 /ledger');
    // keys work normally again (q would quit: just move)
    await m.press('/');
    await m.press(KEY.escape);
    f = m.frame();
    expect(f).toContain('deploy/payments-api');
    expect(f).toContain('Workloads 5');
  });

  test('filter matches rule ids, images and secrets; no match shows a line', async () => {
    m = await mount({ report: sampleReport() });
    await m.press('/');
    await m.type('quay.io');
    expect(m.frame()).toContain('sts/orders-db');
    expect(m.frame()).not.toContain('deploy/ledger-worker');
    await m.press(KEY.escape, '/');
    await m.type('nothing-like-this');
    expect(m.frame()).toContain('no workload matches');
    expect(m.frame()).not.toContain('deploy/');
  });

  test('s cycles the minimum severity: info → warning → error → info', async () => {
    m = await mount({ report: sampleReport() });
    expect(m.frame()).toContain('cronjob/nightly-report');
    await m.press('s');
    let f = m.frame();
    expect(f).toContain('≥warning');
    expect(f).not.toContain('cronjob/nightly-report');
    expect(f).toContain('sts/orders-db');
    await m.press('s');
    f = m.frame();
    expect(f).toContain('≥error');
    expect(f).not.toContain('sts/orders-db');
    expect(f).toContain('deploy/payments-api');
    await m.press('s');
    f = m.frame();
    expect(f).not.toContain('≥');
    expect(f).toContain('cronjob/nightly-report');
  });
});

describe('overlays', () => {
  test('e shows the runbook of the selected workload, ←/→ switch rules, Esc closes', async () => {
    const extra = finding({
      id: 'api-auth',
      rule: 'registry-auth-rejected',
      severity: 'warning',
      namespace: 'payments',
      workload: { kind: 'Deployment', name: 'payments-api' },
      pod: 'payments-api-7d9f8b6c4-x2x9q',
    });
    const asked: string[] = [];
    m = await mount({
      report: makeReport([apiFinding(), extra]),
      runbook: (rule) => {
        asked.push(rule);
        return `# ${rule}\n\nRunbook body for **${rule}**.\n\n## Mitigation\n\n\`\`\`sh\nkubectl get secret regcred -n payments\n\`\`\`\n`;
      },
    });
    await m.press('e');
    let f = m.frame();
    expect(f).toContain('Runbook · pull-secret-not-found (1/2)');
    expect(f).toContain('Runbook body for pull-secret-not-found.');
    expect(f).toContain('Mitigation');
    expect(f).toContain('kubectl get secret regcred -n payments');
    expect(f).not.toContain('```');
    expect(f).not.toContain('**');
    await m.press(KEY.right);
    f = m.frame();
    expect(f).toContain('Runbook · registry-auth-rejected (2/2)');
    expect(asked).toEqual(['pull-secret-not-found', 'registry-auth-rejected']);
    await m.press(KEY.escape);
    f = m.frame();
    expect(f).not.toContain('Runbook ·');
    expect(f).toContain('deploy/payments-api');
  });

  test('a missing runbook is shown as such, not a crash', async () => {
    m = await mount({
      report: sampleReport(),
      runbook: () => {
        throw new Error('ENOENT: rules/x.md');
      },
    });
    await m.press('e');
    expect(m.frame()).toContain('No runbook available: ENOENT: rules/x.md');
    await m.press('q');
    expect(m.frame()).toContain('pod/debug');
  });

  test('? shows the help; ? / q close it', async () => {
    m = await mount({ report: sampleReport() });
    await m.press('?');
    let f = m.frame();
    expect(f).toContain('Help');
    expect(f).toContain('Keys');
    expect(f).toContain('cycle the minimum severity');
    expect(f).toContain('toggle watch');
    await m.press('?');
    expect(m.frame()).not.toContain('Keys');
    await m.press('?', 'q');
    f = m.frame();
    expect(f).not.toContain('Keys');
    expect(f).toContain('deploy/payments-api');
  });
});

describe('watch mode', () => {
  test('a finding that disappears is shown as fixed for two refreshes', async () => {
    const full = sampleReport();
    const fixed = sampleReport();
    fixed.findings = fixed.findings.filter((f) => f.workload.name !== 'ledger-worker');
    const reports = [full, fixed];
    let scans = 0;
    m = await mount({
      watch: true,
      intervalMs: 60,
      scan: async () => reports[Math.min(scans++, reports.length - 1)] as Report,
    });
    expect(m.frame()).toContain('◉ watch');
    await m.press('j'); // ledger-worker
    expect(selectedLine(m.frame())).toContain('deploy/ledger-worker');
    let f = await m.waitFor(() => m!.store.getState().scans >= 2);
    f = m.frame();
    expect(f).toMatch(/› ✔ deploy\/ledger-worker/);
    expect(f).toContain('fixed: Registry rejected');
    expect(f).toContain('✔ fixed  registry-auth-rejected');
    await m.waitFor(() => m!.store.getState().scans >= 3);
    expect(m.frame()).toContain('deploy/ledger-worker'); // second refresh: still shown
    await m.waitFor(() => m!.store.getState().scans >= 4);
    f = m.frame();
    expect(f).not.toContain('ledger-worker');
    // the selection moved to the item that took its place instead of vanishing
    expect(selectedLine(f)).toContain('sts/orders-db');
  });

  test('w toggles watch; r rescans', async () => {
    let scans = 0;
    m = await mount({ intervalMs: 40, scan: async () => (scans++, sampleReport()) });
    expect(scans).toBe(1);
    await m.press('r');
    await tick(30);
    expect(scans).toBe(2);
    await m.press('w');
    expect(m.frame()).toContain('◉ watch');
    expect(m.frame()).toContain('watch on: rescanning every 40ms');
    await m.waitFor(() => scans >= 4);
    await m.press('w');
    expect(m.frame()).not.toContain('◉ watch');
    const n = scans;
    await tick(150);
    expect(scans).toBeLessThanOrEqual(n + 1);
  });
});

describe('empty and error states', () => {
  test('empty state: one clear line', async () => {
    m = await mount({ report: emptyReport(17) });
    const f = m.frame();
    expect(f).toContain('✔ no image pull problems in 17 pods');
    expect(f).not.toContain('Workloads');
  });

  test('scan error shows the error message on one line; r retries', async () => {
    let fail = true;
    m = await mount({
      scan: async () => {
        if (fail) throw new UserError('cannot reach the cluster at https://127.0.0.1:6443: connect ECONNREFUSED\n(is the cluster running?)');
        return sampleReport();
      },
    });
    let f = m.frame();
    expect(f).toContain('✖ cannot reach the cluster at https://127.0.0.1:6443: connect ECONNREFUSED (is the cluster running?)');
    expect(f).toContain('press r to retry, q to quit');
    fail = false;
    await m.press('r');
    f = await m.waitFor((x) => x.includes('deploy/payments-api'));
    expect(f).not.toContain('ECONNREFUSED');
  });

  test('a failed rescan keeps the last report and shows the error', async () => {
    let n = 0;
    m = await mount({
      scan: async () => {
        if (n++ > 0) throw new Error('secrets is forbidden: User "alice" cannot list resource "secrets"');
        return sampleReport();
      },
    });
    await m.press('r');
    const f = await m.waitFor((x) => x.includes('forbidden'));
    expect(f).toContain('✖ secrets is forbidden: User "alice" cannot list resource "secrets"');
    expect(f).toContain('deploy/payments-api');
  });

  test('fleet scan errors are listed', async () => {
    const r = sampleReport();
    r.errors = [{ cluster: 'prod-eu', message: 'Unauthorized' }];
    m = await mount({ report: r, cols: 120 });
    const f = m.frame();
    expect(f).toContain('› ✖ prod-eu: Unauthorized');
    expect(f).toContain('✖ 1 cluster failed');
  });
});

describe('safety', () => {
  test('hostile cluster strings cannot inject terminal escapes', async () => {
    const evil = finding({
      rule: 'pull-secret-not-found',
      namespace: 'evil\x1b[2Jns',
      workload: { kind: 'Deployment', name: 'web\x1b]0;pwned\x07' },
      pod: 'web-1',
      image: 'nginx\x1b[2J:1\u202e',
      message: 'Failed to pull \x1b]0;pwned\x07image\x1b[2J now',
      evidence: [{ source: 'event', ref: 'Event x (Failed)', detail: 'boom \x1b]0;pwned\x07\x1b[2J\x9b31m done', count: 3 }],
      remediation: ['kubectl get pods \x1b[2J-n evil'],
    });
    m = await mount({ report: makeReport([evil]), rows: 60, cols: 140 });
    const all = m.stdout.frames.join('');
    expect(all).not.toContain('\x1b]');
    expect(all).not.toContain('\x07');
    expect(all).not.toContain('\x1b[2J');
    expect(all).not.toContain('\x9b');
    expect(all).not.toContain('\u202e');
    expect(all).not.toContain('pwned');
    const f = m.frame();
    expect(f).toContain('Failed to pull image now');
    expect(f).toMatch(/boom +(31m )?done/);
    expect(f).toContain('deploy/web');
  });

  test('no secret part is ever rendered: no password, auth or fingerprint', async () => {
    const r = sampleReport();
    for (const p of r.pods) {
      for (const c of p.containers) {
        for (const cred of c.credentials) Object.assign(cred, { password: 'hunter2', auth: 'YWNtZTpodW50ZXIy', identitytoken: 'tok-123' });
      }
    }
    m = await mount({ report: r, rows: 150 });
    for (let i = 0; i < 6; i++) await m.press('j');
    await m.press('g', 'j', 'j');
    const all = m.stdout.frames.join('\n');
    expect(all).toContain('user acme-ci');
    expect(all).toContain('user acme-bot');
    for (const s of ['hunter2', 'YWNtZTpodW50ZXIy', 'tok-123', FINGERPRINT, OTHER_FINGERPRINT, 'fingerprint', 'hasPassword']) {
      expect(all).not.toContain(s);
    }
  });
});

describe('terminal size', () => {
  const longName = 'a-very-long-deployment-name-that-goes-on-and-on-and-on-well-past-any-reasonable-width-of-a-terminal';
  const longReport = () => {
    const f = finding({
      rule: 'pull-secret-not-found',
      namespace: 'namespace-with-a-rather-long-name-for-testing',
      workload: { kind: 'Deployment', name: longName },
      pod: `${longName}-7d9f8b6c4-x2x9q`,
      image: `registry.example.com/${'deep/'.repeat(12)}image:1.0`,
      message: 'word '.repeat(60).trim(),
      remediation: [`kubectl create secret docker-registry regcred -n namespace-with-a-rather-long-name-for-testing --docker-server=registry.example.com`],
    });
    return makeReport([f, apiFinding()]);
  };

  test('80×24: nothing wider than 80 columns, long names end with an ellipsis', async () => {
    m = await mount({ report: longReport(), cols: 80, rows: 24 });
    const f = m.frame();
    expect(maxLineWidth(f)).toBeLessThanOrEqual(80);
    expect(f.split('\n').length).toBeLessThanOrEqual(23);
    expect(f).toMatch(/deploy\/a-very-long-deploym[a-z-]*…/);
    expect(f).toMatch(/namespace-with-a-rather-l[a-z-]*…/);
    // the name is cut, not wrapped onto the next line
    expect(f).not.toContain('reasonable-width');
    await m.press(KEY.enter, 'G');
    expect(maxLineWidth(m.frame())).toBeLessThanOrEqual(80);
  });

  test('resizing re-lays out; narrow terminals show one pane', async () => {
    m = await mount({ report: longReport(), cols: 120, rows: 30 });
    expect(m.frame().split('\n').length).toBe(29);
    m.stdout.resize(80, 24);
    await tick();
    let f = m.frame();
    expect(maxLineWidth(f)).toBeLessThanOrEqual(80);
    expect(f.split('\n').length).toBe(23);
    m.stdout.resize(50, 20);
    await tick();
    f = m.frame();
    expect(maxLineWidth(f)).toBeLessThanOrEqual(50);
    expect(f).toContain('Workloads');
    expect(f).not.toContain('│');
    await m.press(KEY.enter);
    f = m.frame();
    expect(f).not.toContain('Workloads');
    expect(f).toContain('Findings (1)');
    m.stdout.resize(100, 30);
    await tick();
    expect(m.frame()).toContain('│');
  });
});

describe('probe', () => {
  test('p probes the selected workload and shows the result', async () => {
    const targets: unknown[] = [];
    const probed = sampleReport();
    const pod = probed.pods.find((p) => p.workload.name === 'ledger-worker');
    const c = pod?.containers[0];
    if (c)
      c.probe = {
        from: 'this machine',
        registry: 'ghcr.io',
        outcome: 'credentials-rejected',
        attempts: [{ credential: 'ghcr-token', username: 'acme-bot', outcome: 'credentials-rejected', detail: 'denied: bad token', httpStatus: 401 }],
      };
    (probed.findings.find((f) => f.workload.name === 'ledger-worker') as Finding).confidence = 'confirmed';
    m = await mount({
      report: sampleReport(),
      rows: 60,
      cols: 140,
      probe: async (w) => {
        targets.push(w);
        return probed;
      },
    });
    expect(m.frame()).toContain('p probe');
    await m.press('j', 'p');
    await m.waitFor((x) => x.includes('probe finished'));
    expect(targets).toEqual([{ namespace: 'payments', kind: 'Deployment', name: 'ledger-worker' }]);
    const f = m.frame();
    expect(f).toContain('probe from this machine → ghcr.io: credentials-rejected');
    expect(f).toContain('ghcr-token (acme-bot): credentials-rejected 401 denied: bad token');
    expect(f).not.toContain('[likely]');
  });

  test('without a probe function p says so', async () => {
    m = await mount({ report: sampleReport() });
    expect(m.frame()).not.toContain('p probe');
    await m.press('p');
    expect(m.frame()).toContain('registry probing is not available here');
  });
});

describe('quit', () => {
  for (const [name, key] of [
    ['q', 'q'],
    ['Esc', KEY.escape],
    ['Ctrl-C', KEY.ctrlC],
  ] as const) {
    test(`${name} quits`, async () => {
      m = await mount({ report: sampleReport() });
      let done = false;
      void m.exited.then(() => (done = true));
      await m.press(key);
      await tick();
      expect(done).toBe(true);
    });
  }

  test('q types into the filter instead of quitting while editing it', async () => {
    m = await mount({ report: sampleReport() });
    let done = false;
    void m.exited.then(() => (done = true));
    await m.press('/', 'q');
    await tick();
    expect(done).toBe(false);
    expect(m.frame()).toContain('/q▏');
  });
});

describe('colour', () => {
  test('colours only when enabled (NO_COLOR turns them off)', async () => {
    const { default: chalk } = await import('chalk');
    const level = chalk.level;
    chalk.level = 1;
    try {
      m = await mount({ report: sampleReport(), color: true });
      expect(m.stdout.lastFrame()).toMatch(/\x1b\[3[1-6]m/);
      m.unmount();
      m = await mount({ report: sampleReport(), color: false });
      expect(m.stdout.lastFrame()).not.toMatch(/\x1b\[3[0-7]m/);
      expect(m.stdout.lastFrame()).toContain('deploy/payments-api');
    } finally {
      chalk.level = level;
    }
  });
});
