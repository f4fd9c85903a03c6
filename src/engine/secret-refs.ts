/**
 * Pull secret references resolved against a Snapshot, with the provenance of each answer, and
 * the namespace's pull secrets that a pod does not name but that would serve its image.
 * Everything is computed once per `namespace/name` (or per secret and image) and shared by every
 * pod, so the cost grows with the objects, not with pods × secrets.
 */
import { PULL_SECRET_TYPES } from '../collect/pull-secret-scope.js';
import { Keyring, parsePullSecret, type ParsedPullSecret } from '../credentials/index.js';
import type { SecretObject } from '../model/kube.js';
import type { AccessProblem, Snapshot } from '../model/snapshot.js';
import {
  inManifest,
  kubeletCouldNotRetrieve,
  objectOrigin,
  secretForbidden,
  secretFound,
  secretMissing,
  secretNotCollected,
  secretUnread,
} from './provenance.js';
import { NsMap } from './ns-map.js';
import type { UnreadObjects } from './unread.js';
import type { EventView, NamespaceSecretsView, SecretRefState, UnreferencedSecret } from './types.js';

const PULL_TYPES: ReadonlySet<string> = new Set(PULL_SECRET_TYPES);

export class SecretResolver {
  private readonly secrets = new NsMap<SecretObject>();
  private readonly secretNamespaces = new Map<string, string[]>();
  /** Secrets of a kubelet pull-secret type, per namespace, sorted by name. */
  private readonly pullSecretsByNs = new Map<string, SecretObject[]>();
  private readonly parsed = new Map<SecretObject, ParsedPullSecret>();
  /** Resolved references per namespace and name: the same for every pod of a namespace. */
  private readonly resolved = new NsMap<SecretRefState>();
  /** Per pod-owned answer: a reference the kubelet's event says it could not retrieve. */
  private readonly confirmed = new Map<string, SecretRefState>();
  /** One keyring per single secret, and its lookups per image name. */
  private readonly single = new Map<SecretObject, { keyring: Keyring; lookups: Map<string, UnreferencedSecret['credentials']> }>();
  private readonly listedNamespaces: ReadonlySet<string>;
  private readonly origin: 'api' | 'dump';

  constructor(
    private readonly snapshot: Snapshot,
    private readonly unread: UnreadObjects,
  ) {
    this.origin = objectOrigin(snapshot);
    for (const s of snapshot.secrets) {
      const { namespace, name } = s.metadata;
      if (this.secrets.has(namespace, name)) continue;
      this.secrets.set(namespace, name, s);
      const list = this.secretNamespaces.get(name) ?? [];
      list.push(namespace);
      this.secretNamespaces.set(name, list);
      if (s.type !== undefined && PULL_TYPES.has(s.type)) {
        const inNs = this.pullSecretsByNs.get(namespace) ?? [];
        inNs.push(s);
        this.pullSecretsByNs.set(namespace, inNs);
      }
    }
    for (const list of this.pullSecretsByNs.values()) list.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    this.listedNamespaces = new Set(snapshot.pullSecretNamespaces ?? []);
  }

  /**
   * A pull secret reference resolved in a namespace. Depends only on the namespace and the name
   * (the access problems are the namespace's), so it is computed once per `namespace/name`.
   */
  resolve(ns: string, name: string, problems: AccessProblem[]): SecretRefState {
    let state = this.resolved.get(ns, name);
    if (!state) {
      state = this.resolveOnce(ns, name, problems);
      this.resolved.set(ns, name, state);
    }
    return state;
  }

  /**
   * The reference as this pod's kubelet reported it: when the input cannot show the secret
   * (no Secrets in it, or reading it was forbidden) and one of the pod's own
   * FailedToRetrieveImagePullSecret events names it, it is missing — the kubelet said so.
   */
  withKubeletWord(state: SecretRefState, ns: string, podEvents: EventView[]): SecretRefState {
    if (state.status !== 'unknown' && state.status !== 'forbidden') return state;
    const e = podEvents.find((v) => v.parsed.kind === 'secrets-missing' && (v.parsed.missingSecrets ?? []).includes(state.name));
    if (!e) return state;
    const key = `${ns}/${state.name}\0${e.ref}`;
    let out = this.confirmed.get(key);
    if (!out) {
      out = { ...state, status: 'missing', from: kubeletCouldNotRetrieve(state.name, state.from, e), otherCopies: this.copiesOf(state.name, state.otherNamespaces) };
      this.confirmed.set(key, out);
    }
    return out;
  }

  /**
   * The copies of a secret in other namespaces, read as the kubelet would read them, so a rule
   * can tell which copy holds credentials for the pod's images.
   */
  private copiesOf(name: string, namespaces: string[]): ParsedPullSecret[] {
    return namespaces.flatMap((n) => {
      const copy = this.secrets.get(n, name);
      return copy ? [this.parsedOf(copy)] : [];
    });
  }

  /** The secret as the kubelet reads it, parsed once (the secret read first for its namespace and name). */
  private parsedOf(obj: SecretObject): ParsedPullSecret {
    let parsed = this.parsed.get(obj);
    if (!parsed) {
      parsed = parsePullSecret(obj);
      this.parsed.set(obj, parsed);
    }
    return parsed;
  }

  private resolveOnce(ns: string, name: string, problems: AccessProblem[]): SecretRefState {
    const otherNamespaces = (this.secretNamespaces.get(name) ?? []).filter((n) => n !== ns).sort();
    const obj = this.secrets.get(ns, name);
    if (obj) {
      const from = obj.manifest ? inManifest('Secret', ns, name, obj.manifest, `type ${obj.type || '(none)'}`) : secretFound(this.origin, ns, name, obj.type);
      return { name, status: 'found', from, parsed: this.parsedOf(obj), otherNamespaces };
    }
    const problem = problems.find((p) => p.resource === 'secrets' && p.verb === 'get' && (p.name === undefined || p.name === name) && p.namespace === ns);
    if (problem) return { name, status: 'forbidden', from: secretForbidden(ns, name, problem), otherNamespaces, accessProblem: problem };
    if (this.snapshot.coverage.secrets === 'none') return { name, status: 'unknown', from: secretNotCollected(ns, name, this.snapshot), otherNamespaces };
    const unread = this.unread.find('Secret', ns, name);
    if (unread) return { name, status: 'unknown', from: secretUnread(this.origin, ns, name, unread), otherNamespaces };
    return { name, status: 'missing', from: secretMissing(this.origin, ns, name, this.snapshot), otherNamespaces, otherCopies: this.copiesOf(name, otherNamespaces) };
  }

  /** Could the scan see the namespace's pull secrets that pods do not name? */
  namespaceView(ns: string, problems: AccessProblem[]): NamespaceSecretsView {
    const cov = this.snapshot.coverage.secrets;
    if (cov === 'all' || this.listedNamespaces.has(ns)) return { status: 'all' };
    const problem = problems.find((p) => p.resource === 'secrets' && p.verb === 'list' && p.namespace === ns);
    if (problem) return { status: 'forbidden', accessProblem: problem };
    return { status: 'unknown' };
  }

  /**
   * The namespace's pull secrets, other than `named`, whose credentials the kubelet would use for
   * `image` (a normalised repository name) were the pod to list them: each matched on its own
   * with the kubelet's keyring (§4–§8, the Docker Hub fallback included). Secrets the kubelet
   * cannot parse, or of a type it ignores, serve nothing and are left out. Sorted by name.
   */
  unreferenced(ns: string, named: ReadonlySet<string>, image: string, problems: AccessProblem[]): UnreferencedSecret[] {
    const out: UnreferencedSecret[] = [];
    for (const obj of this.pullSecretsByNs.get(ns) ?? []) {
      const name = obj.metadata.name;
      if (named.has(name)) continue;
      let one = this.single.get(obj);
      if (!one) {
        const parsed = this.parsedOf(obj);
        one = { keyring: Keyring.fromSecrets(parsed.format !== null && parsed.error === undefined ? [parsed] : []), lookups: new Map() };
        this.single.set(obj, one);
      }
      let credentials = one.lookups.get(image);
      if (!credentials) {
        credentials = one.keyring.lookup(image).credentials;
        one.lookups.set(image, credentials);
      }
      if (!credentials.length) continue;
      const state = this.resolve(ns, name, problems);
      if (state.status !== 'found' || !state.parsed) continue;
      out.push({ secret: state as UnreferencedSecret['secret'], credentials });
    }
    return out;
  }
}
