/**
 * Kubernetes manifests checked the way `kubeconform -strict` would, without a network:
 * - each object against its kind's OpenAPI schema, through the resource classes of
 *   `kubernetes-models` (Kubernetes 1.27 schemas) and `@kubernetes-models/prometheus-operator`
 *   (the operator's CRD schemas): types, enums, patterns, required fields;
 * - built-in kinds also for unknown fields (a typo such as `readOnlyRootFilesytem` passes a
 *   schema that allows extra properties, and fails `kubectl apply`'s strict field validation),
 *   against the field tables of `@kubernetes/client-node`'s models (Kubernetes 1.34).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** A parsed object and where it came from, for messages. */
export interface Located {
  file: string;
  object: K8sObject;
}

type Validating = new (data: never) => { validate(): void };

const MODELS: Record<string, Validating> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/CronJob': CronJob,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/** Every YAML document of a text as objects (comments and empty documents dropped). */
export function parseManifests(text: string, file: string): Located[] {
  const out: Located[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    const object = doc.toJS() as K8sObject | null;
    if (object !== null) out.push({ file, object });
  }
  return out;
}

/** Every `*.yaml` file under a directory, recursively, sorted. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...yamlFiles(full));
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(full);
  }
  return out;
}

export function readManifests(file: string): Located[] {
  return parseManifests(readFileSync(file, 'utf8'), file);
}

interface Attribute {
  baseName: string;
  type: string;
}

/** client-node's model class for a type name (`V1Deployment`), if it has one. */
function attributes(type: string): Attribute[] | undefined {
  const cls = (k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] } | undefined>)[type];
  return typeof cls?.getAttributeTypeMap === 'function' ? cls.getAttributeTypeMap() : undefined;
}

/** Paths of the fields a built-in kind does not have (`.spec.template.spec.containers[0].porst`). */
export function unknownFields(value: unknown, type: string, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1]!, `${at}[${i}]`)) : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1]!, `${at}.${k}`));
  const fields = attributes(type);
  if (!fields || Array.isArray(value)) return [];
  const known = new Map(fields.map((f) => [f.baseName, f.type]));
  return Object.entries(value).flatMap(([k, v]) => {
    const t = known.get(k);
    return t === undefined ? [`${at}.${k}`] : unknownFields(v, t, `${at}.${k}`);
  });
}

/** client-node's type name for a built-in kind: `apps/v1` + `Deployment` → `V1Deployment`. */
function builtinType(apiVersion: string, kind: string): string | undefined {
  const version = apiVersion.split('/').pop()!;
  const type = version.charAt(0).toUpperCase() + version.slice(1) + kind;
  return attributes(type) ? type : undefined;
}

/** Why an object is not valid, or an empty list. */
export function validateObject(object: K8sObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[key];
  if (!Model) return [`no schema for ${key}: add its model to test/helpers/manifests.ts`];
  const errors: string[] = [];
  try {
    new Model(object as never).validate();
  } catch (e) {
    errors.push(`schema: ${(e as Error).message}`);
  }
  if (!object.metadata?.name) errors.push('metadata.name is missing');
  const type = object.apiVersion.includes('.') && !object.apiVersion.includes('k8s.io') ? undefined : builtinType(object.apiVersion, object.kind);
  if (type) for (const field of unknownFields(object, type)) errors.push(`unknown field ${field}`);
  return errors;
}

/** `file: Kind/name: problem` for every invalid object. */
export function manifestProblems(objects: Located[]): string[] {
  return objects.flatMap(({ file, object }) =>
    validateObject(object).map((p) => `${file}: ${object.kind}/${object.metadata?.name ?? '?'}: ${p}`),
  );
}
