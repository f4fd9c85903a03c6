/**
 * What a manifest shows that the API server does not keep: `imagePullSecrets` written where the
 * kubelet does not read it. The API server drops unknown fields, so such a mistake survives in a
 * cluster only in a `kubectl.kubernetes.io/last-applied-configuration` annotation; in a manifest
 * file (`pulldoctor check`) it is right there. Found by src/collect/misplaced-pull-secrets.ts.
 */

/**
 * - `under-container`: under `containers[i]` (or init/ephemeral containers);
 * - `in-metadata`: in an object's `metadata` (the workload's or the pod template's);
 * - `wrong-level`: elsewhere in the object, e.g. a Deployment's `spec.imagePullSecrets`;
 * - `misspelled-key`: beside `containers` but spelled differently (`imagePullSecret`, `imagepullsecrets`);
 * - `wrong-shape`: the right key and place, but not a list of `{name: …}` objects (a list of
 *   strings, a single string or object, entries without `name` such as `{secretName: …}`).
 */
export type MisplacementKind = 'under-container' | 'in-metadata' | 'wrong-level' | 'misspelled-key' | 'wrong-shape';

export interface PullSecretMisplacement {
  kind: MisplacementKind;
  /** JSON path of the field as written, e.g. `spec.template.spec.containers[0].imagePullSecrets`. */
  path: string;
  /** The same path as keys and list indexes, to find the field's position in a YAML document. */
  segments: (string | number)[];
  /** The key exactly as written. */
  key: string;
  /** The value as written: a list of `{name}` objects, a list of strings, one string, one object, or anything else. */
  shape: 'objects' | 'strings' | 'string' | 'object' | 'other';
  /** The secret names it gives, as far as they can be read. */
  names: string[];
  /** Where the kubelet reads pull secrets in this object: its pod spec's `imagePullSecrets`. */
  target: string;
  /** The container it sits under, for `under-container`. */
  container?: string;
}

// ───────────── `pulldoctor check`: manifests with source positions ─────────────

/** A key or a list index of a JSON path, e.g. `['spec', 'template', 'spec', 'containers', 0, 'image']`. */
export type PathSegment = string | number;

/** An object of the manifest set, by kind, namespace (as resolved for the check) and name. */
export interface ManifestObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * A field of a manifest object that a finding is about: `path` from the object's root (a
 * workload's, a Secret's, a ServiceAccount's). The check resolves it to file, line and column.
 */
export interface ManifestField {
  object: ManifestObjectRef;
  path: readonly PathSegment[];
}

/** Where a field is written: 1-based line and column of its start (the key), and of its end. */
export interface SourceLocation {
  /** The file as given on the command line (`stdin` for `-`). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The JSON path of the field found there, e.g. `spec.template.spec.imagePullSecrets[0].name`. */
  path: string;
  /** The object the field belongs to (a workload, or the Secret/ServiceAccount the finding is about). */
  object: ManifestObjectRef;
  /** The Helm template the document was rendered from (its `# Source:` comment), when there is one. */
  template?: string;
}

/**
 * The manifest set of one check: which objects it holds and where their fields are written.
 * Implemented in src/manifests (which keeps the parsed YAML documents); plain callers see this.
 */
export interface ManifestIndex {
  /** The deepest part of `field.path` that the object's document holds, with its position; undefined when the object is not in the set. */
  locate(field: ManifestField): SourceLocation | undefined;
  /** Whether the set holds this object (it will be applied with the workloads). */
  has(object: ManifestObjectRef): boolean;
}

/** The pod a workload's template would create, as a check reads it (src/manifests/templates.ts). */
export interface PodTemplateOrigin {
  /** The workload (or `Pod`) whose manifest holds the template. */
  object: ManifestObjectRef;
  /** Path of the pod spec inside the object, e.g. `['spec', 'template', 'spec']` (`['spec']` for a Pod). */
  podSpecPath: readonly PathSegment[];
  /** The file and line of the object, for evidence. */
  file: string;
  line: number;
  /**
   * The template lists no imagePullSecrets, so admission gives its pods the ServiceAccount's
   * (kubelet-semantics §2.5): the names in the pod spec come from the ServiceAccount.
   */
  pullSecretsFromServiceAccount?: boolean;
}
