/** The node rules (`pulldoctor node`), sorted by id. Ids are public API, in one namespace with rules/index.ts. */
import nodeDockerConfigShadowed from './node-docker-config-shadowed.js';
import nodeMirrorMisconfigured from './node-mirror-misconfigured.js';
import nodeProviderConfigInvalid from './node-provider-config-invalid.js';
import nodeProviderImageNotMatched from './node-provider-image-not-matched.js';
import nodeProviderPluginFailing from './node-provider-plugin-failing.js';
import nodeProviderPluginMissing from './node-provider-plugin-missing.js';
import nodeRegistryBlocked from './node-registry-blocked.js';
import nodeRegistryTlsSettings from './node-registry-tls-settings.js';
import type { NodeRule } from '../src/engine/node-rule.js';

export const NODE_RULES: readonly NodeRule[] = [
  nodeDockerConfigShadowed,
  nodeMirrorMisconfigured,
  nodeProviderConfigInvalid,
  nodeProviderImageNotMatched,
  nodeProviderPluginFailing,
  nodeProviderPluginMissing,
  nodeRegistryBlocked,
  nodeRegistryTlsSettings,
  // Code-unit order, as in rules/index.ts: ids are ASCII kebab-case, and a `localeCompare` here
  // would set up the ICU collator on every start (this module loads with every scan).
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
