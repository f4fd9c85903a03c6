/**
 * What a manifest shows that the API server does not keep: `imagePullSecrets` written where the
 * kubelet does not read it. The API server drops unknown fields, so such a mistake survives in a
 * cluster only in a `kubectl.kubernetes.io/last-applied-configuration` annotation; in a manifest
 * file (`pulldoctor check`) it is right there. Found by src/manifests/pull-secrets.ts.
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
