/**
 * Writes a generated cluster as `kubectl get pods,events,secrets,serviceaccounts,nodes -A -o json|yaml`
 * prints it: one `List`, items with their `kind`, 4-space JSON indentation, managedFields
 * hidden (kubectl's default). Written in batches so no string holds the whole dump.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { stringify } from 'yaml';
import type { Cluster, Obj } from './generate.js';

function withoutManagedFields(o: Obj): Obj {
  const meta = o.metadata as Obj | undefined;
  if (!meta || !('managedFields' in meta)) return o;
  const { managedFields: _mf, ...rest } = meta;
  return { ...o, metadata: rest };
}

export function* dumpItems(c: Cluster): Generator<Obj> {
  for (const list of [c.pods, c.events, c.secrets, c.serviceAccounts, c.nodes]) for (const o of list) yield withoutManagedFields(o);
}

/** Returns the file size in bytes. */
export function writeDump(c: Cluster, file: string, format: 'json' | 'yaml'): number {
  const fd = openSync(file, 'w');
  let buf = '';
  const flush = (force = false) => {
    if (buf.length > (force ? 0 : 4_000_000)) {
      writeSync(fd, buf);
      buf = '';
    }
  };
  try {
    if (format === 'json') {
      buf += '{\n    "apiVersion": "v1",\n    "items": [\n';
      let first = true;
      for (const item of dumpItems(c)) {
        if (!first) buf += ',\n';
        first = false;
        buf += '        ' + JSON.stringify(item, null, 4).replace(/\n/g, '\n        ');
        flush();
      }
      buf += '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n';
    } else {
      buf += 'apiVersion: v1\nitems:\n';
      for (const item of dumpItems(c)) {
        const y = stringify(item, { aliasDuplicateObjects: false, lineWidth: 0 }).replace(/\n$/, '');
        buf += '- ' + y.replace(/\n/g, '\n  ') + '\n';
        flush();
      }
      buf += 'kind: List\nmetadata:\n  resourceVersion: ""\n';
    }
    flush(true);
  } finally {
    closeSync(fd);
  }
  return statSync(file).size;
}
