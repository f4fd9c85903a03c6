/** The Kubernetes API double and its helpers (tests and benchmarks import from here). */
export { startApiServer, CORE_RESOURCES } from './server.js';
export type { ApiServer, ApiServerOptions, FaultRule, RequestRecord, ResourceInfo } from './server.js';
export { writeKubeconfig, kubeconfigObject } from './kubeconfig.js';
export type { KubeconfigContext, KubeconfigSpec } from './kubeconfig.js';
export { makeTestPki } from './tls.js';
export type { TestPki } from './tls.js';
export * from './fixtures.js';
