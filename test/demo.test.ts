/**
 * The bundled demo cluster (fixtures/demo): the first thing a new user runs. It must hold a
 * scenario for every rule, the Kubernetes task "Pull an Image from a Private Registry" and its
 * classic mistakes, replicas that group into one finding, plenty of healthy pods, coherent
 * objects (uids, owner names), and no secret value may ever reach the report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { collectDemo, DEMO_NOW } from '../src/collect/demo.js';
import type { PreparedScan } from '../src/engine/prepared.js';
import type { Finding, Report } from '../src/model/finding.js';
import { DEMO_DIR } from '../src/paths.js';
import { reportOf } from './helpers/scan.js';
import { fixtureSecretValues } from './helpers/secrets.js';

const NAMESPACES = ['ci', 'data', 'default', 'ml', 'payments', 'platform', 'shop', 'staging'];

let prep: PreparedScan;
let report: Report;

beforeAll(async () => {
  ({ prep, report } = reportOf(await collectDemo(), { now: DEMO_NOW }));
});

const findings = (rule: string, pred: (f: Finding) => boolean = () => true) =>
  report.findings.filter((f) => f.rule === rule && pred(f));

describe('demo cluster: coverage', () => {
  it('every rule fires at least once', () => {
    const fired = new Set(report.findings.map((f) => f.rule));
    expect(RULES.length).toBeGreaterThan(20);
    expect(RULES.map((r) => r.meta.id).filter((id) => !fired.has(id))).toEqual([]);
  });

  it('is not all red: many healthy pods, some freshly pulled', () => {
    const { podsScanned, podsWithPullProblems } = report.summary;
    expect(podsWithPullProblems).toBeGreaterThan(10);
    expect(podsScanned).toBeGreaterThanOrEqual(podsWithPullProblems + 15);
    const healthy = prep.contexts.filter((c) => c.containers.every((x) => x.running && !x.failure));
    expect(healthy.length).toBeGreaterThanOrEqual(15);
    const freshlyPulled = healthy.filter((c) => c.containers.some((x) => x.events.some((e) => e.reason === 'Pulled')));
    expect(freshlyPulled.length).toBeGreaterThanOrEqual(3);
  });

  it('groups replicas of one Deployment into one finding', () => {
    const grouped = report.findings.filter((f) => f.workload.kind === 'Deployment' && f.pods.length >= 3);
    expect(grouped.length).toBeGreaterThan(0);
    const cart = findings('pull-secret-wrong-namespace', (f) => f.namespace === 'shop' && f.workload.name === 'cart');
    expect(cart).toHaveLength(1);
    expect(cart[0]?.pods.length).toBeGreaterThanOrEqual(3);
  });

  it('spans several namespaces and workload kinds', () => {
    expect([...new Set(prep.contexts.map((c) => c.namespace))].sort()).toEqual(NAMESPACES);
    expect(new Set(report.findings.map((f) => f.namespace)).size).toBeGreaterThanOrEqual(7);
    const kinds = new Set(report.findings.map((f) => f.workload.kind));
    for (const k of ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Pod']) expect(kinds, k).toContain(k);
  });

  it('only the one scenario meant for it is unexplained', () => {
    const unexplained = findings('image-pull-failed-unexplained');
    expect(unexplained.map((f) => `${f.namespace}/${f.workload.kind}/${f.workload.name}`)).toEqual(['ci/CronJob/cache-cleanup']);
  });

  it('reads nodes: an arm64 node and a node with DiskPressure', () => {
    const nodes = prep.snapshot.nodes;
    expect(nodes.some((n) => n.architecture === 'arm64')).toBe(true);
    expect(nodes.some((n) => n.conditions?.some((c) => c.type === 'DiskPressure' && c.status === 'True'))).toBe(true);
    expect(findings('image-platform-mismatch')[0]?.evidence.some((e) => e.detail.includes('linux/arm64'))).toBe(true);
    expect(findings('image-pull-node-error')[0]?.message).toContain('DiskPressure=True');
  });
});

describe('demo cluster: the Kubernetes task "Pull an Image from a Private Registry"', () => {
  const ctx = (ns: string, pod: string) => prep.contexts.find((c) => c.namespace === ns && c.podName === pod);

  it('has the private-reg pod with imagePullSecrets [regcred]', () => {
    for (const ns of ['default', 'staging']) {
      const c = ctx(ns, 'private-reg');
      expect(c, ns).toBeDefined();
      expect(c?.workload.kind).toBe('Pod');
      expect(c?.pullSecrets.map((s) => s.name)).toEqual(['regcred']);
      expect(c?.containers.map((x) => x.name)).toEqual(['private-reg-container']);
    }
    // created with kubectl create secret docker-registry regcred --docker-server=https://index.docker.io/v1/ …: works
    expect(ctx('staging', 'private-reg')?.containers[0]?.running).toBe(true);
    // created from a Docker Desktop ~/.docker/config.json (credsStore, empty auths): fails
    expect(ctx('default', 'private-reg')?.containers[0]?.failure).toBeDefined();
    const noCreds = findings('pull-secret-no-credentials', (f) => f.namespace === 'default' && f.pod === 'private-reg');
    expect(noCreds).toHaveLength(1);
    expect(noCreds[0]?.message).toContain('credsStore');
  });

  it('holds the classic mistakes around regcred', () => {
    // secret in the wrong namespace
    expect(findings('pull-secret-wrong-namespace', (f) => f.secret === 'regcred' && f.namespace === 'shop')).toHaveLength(1);
    // kubectl create secret generic … --from-file=.dockerconfigjson=… without --type: Opaque
    const opaque = findings('pull-secret-wrong-type');
    expect(opaque.length).toBeGreaterThan(0);
    expect(opaque[0]?.message).toContain('type Opaque');
    // an https://index.docker.io/v1/ key for an image on another registry
    const mismatch = findings('registry-credentials-mismatch', (f) => f.secret === 'regcred');
    expect(mismatch.length).toBeGreaterThan(0);
    expect(mismatch[0]?.message).toContain('https://index.docker.io/v1/');
    // the index.docker.io key of regcred shadowed by a docker.io key
    expect(findings('docker-hub-credentials-shadowed', (f) => f.secret === 'regcred')).toHaveLength(1);
  });
});

describe('demo cluster: coherent objects', () => {
  type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const files = readdirSync(DEMO_DIR).filter((f) => /\.ya?ml$/.test(f));
  const items: Obj[] = files.flatMap((f) =>
    parseAllDocuments(readFileSync(path.join(DEMO_DIR, f), 'utf8')).flatMap((d) => ((d.toJS() as Obj).items as Obj[]) ?? []),
  );
  const pods = items.filter((o) => o.kind === 'Pod');

  it('one file per namespace plus nodes.yaml, each a kubectl List with its command', () => {
    expect(files.sort()).toEqual([...NAMESPACES.map((n) => `${n}.yaml`), 'nodes.yaml'].sort());
    for (const f of files) {
      const text = readFileSync(path.join(DEMO_DIR, f), 'utf8');
      expect(text.startsWith('# kubectl get '), f).toBe(true);
      const ns = f.replace(/\.yaml$/, '');
      if (ns !== 'nodes') {
        expect(text.split('\n', 1)[0], f).toContain(`-n ${ns} `);
        for (const o of (parseAllDocuments(text)[0]?.toJS() as Obj).items as Obj[]) expect(o.metadata.namespace, `${f}: ${o.metadata.name}`).toBe(ns);
      }
    }
    expect(items.filter((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'default').map((o) => o.metadata.namespace).sort()).toEqual(NAMESPACES);
  });

  it('uids are unique and every event points at its pod by name and uid', () => {
    const uids = items.map((o) => o.metadata.uid);
    expect(new Set(uids).size).toBe(uids.length);
    const byName = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
    for (const e of items.filter((o) => o.kind === 'Event')) {
      const io = e.involvedObject;
      const pod = byName.get(`${io.namespace}/${io.name}`);
      expect(pod, e.metadata.name).toBeDefined();
      expect(io.uid, e.metadata.name).toBe(pod?.metadata.uid);
      expect(e.metadata.name.startsWith(`${io.name}.`)).toBe(true);
      if (e.source?.host) expect(e.source.host, e.metadata.name).toBe(pod?.spec.nodeName);
    }
  });

  it('pod names follow their controllers', () => {
    const nodes = new Set(items.filter((o) => o.kind === 'Node').map((o) => o.metadata.name));
    for (const p of pods) {
      const name: string = p.metadata.name;
      const owner = p.metadata.ownerReferences?.[0];
      expect(nodes.has(p.spec.nodeName), name).toBe(true);
      if (!owner) continue;
      if (owner.kind === 'ReplicaSet') {
        const hash = p.metadata.labels['pod-template-hash'];
        expect(owner.name.endsWith(`-${hash}`), name).toBe(true);
        expect(name, name).toMatch(new RegExp(`^${owner.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      } else if (owner.kind === 'StatefulSet') {
        expect(name).toMatch(new RegExp(`^${owner.name}-\\d+$`));
      } else if (owner.kind === 'Job') {
        expect(owner.name).toMatch(/-\d{8}$/);
        expect(name).toMatch(new RegExp(`^${owner.name}-[a-z0-9]{5}$`));
      } else {
        expect(name).toMatch(new RegExp(`^${owner.name}-[a-z0-9]{5}$`));
      }
    }
  });
});

describe('demo cluster: secrets', () => {
  it('passwords are recognisable demo values', () => {
    const passwords = new Set<string>();
    for (const f of readdirSync(DEMO_DIR)) {
      const text = readFileSync(path.join(DEMO_DIR, f), 'utf8');
      for (const m of text.matchAll(/^\s+\.docker(?:configjson|cfg): (\S+)$/gm)) {
        const json = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
        for (const pw of json.matchAll(/"password":"([^"]*)"/g)) passwords.add(pw[1] ?? '');
        for (const a of json.matchAll(/"auth":"([A-Za-z0-9+/]+=*)"/g)) {
          const decoded = Buffer.from(a[1] ?? '', 'base64').toString('utf8');
          if (decoded.includes(':')) passwords.add(decoded.slice(decoded.indexOf(':') + 1));
        }
      }
    }
    expect(passwords.size).toBeGreaterThan(5);
    for (const pw of passwords) expect(pw).toMatch(/^Demo-[A-Za-z0-9-]+-pw$/);
  });

  it('no secret value of any fixture appears in the report', () => {
    const text = JSON.stringify(report);
    const values = fixtureSecretValues();
    expect(values.length).toBeGreaterThan(10);
    expect(values.filter((v) => text.includes(v))).toEqual([]);
  });
});

describe('demo cluster: what an on-call engineer reads', () => {
  const texts = (f: Finding) => [f.message, ...f.evidence.map((e) => e.detail), ...f.unverified, ...f.remediation];

  it('no double spaces, empty quoted values or "1 keys" plurals in messages, evidence and notes', () => {
    for (const f of report.findings) {
      for (const t of [f.message, ...f.evidence.map((e) => e.detail), ...f.unverified]) {
        expect(t, `${f.rule}: ${t}`).not.toMatch(/\S {2,}\S/);
        expect(t, `${f.rule}: ${t}`).not.toMatch(/ "" /);
        expect(t, `${f.rule}: ${t}`).not.toMatch(/registry keys "[^"]*";/);
        expect(t, `${f.rule}: ${t}`).not.toMatch(/registry key "[^"]*", none of which/);
      }
      for (const r of f.remediation) expect(r, `${f.rule}: ${r}`).not.toMatch(/^# .*: "" /);
    }
  });

  it('image-not-found: one space before "Runtime error"', () => {
    const [f] = findings('image-not-found', (x) => x.workload.name === 'storefront');
    expect(f?.message).toContain('is a typo. Runtime error: ');
  });

  it('registry-access-denied with an empty Docker Hub login says so instead of quoting an empty username', () => {
    const [f] = findings('registry-access-denied', (x) => x.namespace === 'default' && x.workload.name === 'private-reg');
    expect(f?.message).toContain('The only credential the kubelet sent is an empty login (no username, no password) from secret "regcred"');
    expect(f?.message).not.toContain('the account has no access');
    expect(texts(f!).join('\n')).not.toContain('""');
    expect(f?.remediation.join('\n')).toContain('into secret "regcred"');
  });

  it('a secret keyed for Docker Hub is not re-keyed for ghcr.io: a new secret is added to the workload', () => {
    for (const rule of ['registry-credentials-mismatch', 'registry-access-denied']) {
      const [f] = findings(rule, (x) => x.namespace === 'staging' && x.workload.name === 'web-frontend');
      const fix = f!.remediation.join('\n');
      expect(fix, rule).not.toMatch(/create secret docker-registry regcred .*--docker-server=ghcr\.io/);
      expect(fix, rule).toContain('kubectl create secret docker-registry ghcr-io-pull -n staging --docker-server=ghcr.io');
      expect(fix, rule).toContain(`kubectl patch deployment web-frontend -n staging --type=strategic -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"ghcr-io-pull"}]}}}}'`);
    }
    const [m] = findings('registry-credentials-mismatch', (x) => x.workload.name === 'web-frontend');
    expect(m?.remediation.join('\n')).toContain('"regcred" holds credentials for another registry ("https://index.docker.io/v1/") that other pods may use: keep it');
  });

  it('pull-secret-wrong-namespace says which copy it copies and why, and copies with create', () => {
    const [f] = findings('pull-secret-wrong-namespace', (x) => x.workload.name === 'cart');
    expect(f?.message).toContain('but does in ci, default and staging');
    // default's copy is a credsStore config.json: its Docker Hub entry is empty.
    expect(f?.message).toContain(
      'The fix below copies the one in ci (the first by name of the copies that match): the kubelet matches its key "https://index.docker.io/v1/" against docker.io/acmecorp/cart',
    );
    expect(f?.message).toContain('default: key "https://index.docker.io/v1/", an empty entry (no username or password) for docker.io/acmecorp/cart');
    const fix = f!.remediation.join('\n');
    expect(fix).toContain('kubectl get secret regcred -n ci -o json');
    expect(fix).toContain("| kubectl create -n shop -f -");
    expect(fix).not.toContain('apply');
  });

  it('short-lived-registry-token names the node of every pod of a multi-pod workload', () => {
    const [f] = findings('short-lived-registry-token', (x) => x.workload.name === 'fraud-scorer');
    expect(f?.pods.length).toBeGreaterThan(1);
    expect(f?.message).toContain('cached on nodes worker-2 (pod fraud-scorer-68c9f7d5b4-vrq9k) and worker-3 (pod fraud-scorer-68c9f7d5b4-zkfsw);');
  });

  it('an ignored secret type is stated once, not twice', () => {
    const [f] = findings('registry-access-denied', (x) => x.workload.name === 'platform-api');
    expect(f?.message).toContain('pull secret "harbor-pull" has type Opaque, which the kubelet does not read');
    const [w] = findings('pull-secret-wrong-type', (x) => x.workload.name === 'platform-api');
    expect(w?.evidence.map((e) => e.detail)).toContain('type Opaque is not read by the kubelet');
  });
});
