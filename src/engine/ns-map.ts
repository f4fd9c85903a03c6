/**
 * A map keyed by namespace and name. The engine looks things up per pod (its events, its
 * ServiceAccount, its secrets, its owner); a `namespace/name` key would be a new string to build
 * and hash at every lookup, where two lookups by the strings the objects already hold are not.
 */
export class NsMap<V> {
  private readonly byNs = new Map<string, Map<string, V>>();

  get(ns: string, name: string): V | undefined {
    return this.byNs.get(ns)?.get(name);
  }

  has(ns: string, name: string): boolean {
    return this.byNs.get(ns)?.has(name) ?? false;
  }

  set(ns: string, name: string, value: V): void {
    let inNs = this.byNs.get(ns);
    if (!inNs) {
      inNs = new Map();
      this.byNs.set(ns, inNs);
    }
    inNs.set(name, value);
  }
}
