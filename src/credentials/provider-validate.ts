/**
 * The kubelet's `validateCredentialProviderConfig` (kubernetes `pkg/credentialprovider/plugin/config.go`)
 * with apimachinery's field-error texts (`providers.name: Invalid value: "a/b": provider name
 * cannot contain '/'`) and aggregate formatting (one error bare, several as `[e1, e2]`,
 * duplicates dropped). Field paths are not indexed, exactly as the kubelet prints them.
 *
 * The kubelet runs this at start-up; any error ends in `Failed to register CRI auth plugins`
 * and exit 1 (node-credentials.md §1.1, §1.3).
 */
import { goFormatDuration } from '../go/duration.js';
import { goQuote } from '../go/quote.js';
import { goParseURL } from '../go/url.js';
import { EXEC_API_VERSIONS, type CredentialProvider } from './provider-config.js';

const CACHE_TYPES = ['ServiceAccount', 'Token'];
const supported = (values: readonly string[]) => `supported values: ${values.map(goQuote).join(', ')}`;

/** field.Error texts. */
const required = (field: string, detail = '') => `${field}: Required value${detail ? `: ${detail}` : ''}`;
const invalid = (field: string, value: string, detail: string) => `${field}: Invalid value: ${value}: ${detail}`;
const forbidden = (field: string, detail: string) => `${field}: Forbidden: ${detail}`;

const NAME_FMT = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const DNS1123 = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** apimachinery validation.IsQualifiedName messages. */
function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const errs: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix)) errs.push(`prefix part ${DNS1123}`);
    }
  } else if (parts.length > 2) {
    return [`a qualified name ${NAME_FMT} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)) errs.push(`name part ${NAME_FMT}`);
  return errs;
}

function annotationKeyErrors(field: string, keys: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const k of keys) {
    for (const msg of qualifiedNameErrors(k.toLowerCase())) out.push(invalid(field, goQuote(k), msg));
    if (seen.has(k)) out.push(`${field}: Duplicate value: ${goQuote(k)}`);
    seen.add(k);
  }
  return out;
}

/** Why a matchImages entry is invalid (`match image is invalid: <url error>`), or undefined. */
export function matchImageError(matchImage: string): string | undefined {
  // ParseSchemelessURL: url.Parse("https://" + s); host and port are not validated further.
  const parsed = goParseURL('https://' + matchImage);
  return parsed.ok ? undefined : parsed.error;
}

export interface ValidateOptions {
  /** KubeletServiceAccountTokenForCredentialProviders: true/false when known (flag or config), undefined when the kubelet's default applies. */
  serviceAccountTokenGate?: boolean;
}

/** Every field error, in the kubelet's order. */
export function validateProviders(providers: CredentialProvider[], opts: ValidateOptions = {}): string[] {
  const errs: string[] = [];
  if (providers.length === 0) errs.push(required('providers', 'at least 1 item in plugins is required'));
  const seen = new Set<string>();
  for (const p of providers) {
    const name = goQuote(p.name);
    if (p.name.includes('/')) errs.push(invalid('providers.name', name, "provider name cannot contain '/'"));
    if (p.name.includes(' ')) errs.push(invalid('providers.name', name, 'provider name cannot contain spaces'));
    if (p.name === '.') errs.push(invalid('providers.name', name, "provider name cannot be '.'"));
    if (p.name === '..') errs.push(invalid('providers.name', name, "provider name cannot be '..'"));
    if (seen.has(p.name)) errs.push(`providers.name: Duplicate value: ${name}`);
    seen.add(p.name);

    if (p.apiVersion === '') errs.push(required('providers.apiVersion'));
    else if (!(EXEC_API_VERSIONS as readonly string[]).includes(p.apiVersion)) {
      errs.push(`providers.apiVersion: Unsupported value: ${goQuote(p.apiVersion)}: ${supported(EXEC_API_VERSIONS)}`);
    }
    if (p.matchImages.length === 0) errs.push(required('providers.matchImages', 'at least 1 item in matchImages is required'));
    for (const m of p.matchImages) {
      const e = matchImageError(m);
      if (e !== undefined) errs.push(invalid('providers.matchImages', goQuote(m), `match image is invalid: ${e}`));
    }
    if (p.defaultCacheDuration === undefined) errs.push(required('providers.defaultCacheDuration'));
    else if ((p.defaultCacheDurationNs ?? 0) < 0) {
      errs.push(invalid('providers.defaultCacheDuration', goFormatDuration(p.defaultCacheDurationNs ?? 0), 'defaultCacheDuration must be greater than or equal to 0'));
    }

    const t = p.tokenAttributes;
    if (t) {
      const f = 'providers.tokenAttributes';
      if (opts.serviceAccountTokenGate === false) {
        errs.push(forbidden(f, 'tokenAttributes is not supported when KubeletServiceAccountTokenForCredentialProviders feature gate is disabled'));
      }
      if (t.serviceAccountTokenAudience === '') errs.push(required(`${f}.serviceAccountTokenAudience`));
      if (t.requireServiceAccount === undefined) errs.push(required(`${f}.requireServiceAccount`));
      if (p.apiVersion !== 'credentialprovider.kubelet.k8s.io/v1') {
        errs.push(forbidden(f, 'tokenAttributes is only supported for credentialprovider.kubelet.k8s.io/v1 API version'));
      }
      if (t.requireServiceAccount === false && t.requiredServiceAccountAnnotationKeys.length > 0) {
        errs.push(forbidden(`${f}.requiredServiceAccountAnnotationKeys`, 'requireServiceAccount cannot be false when requiredServiceAccountAnnotationKeys is set'));
      }
      errs.push(...annotationKeyErrors(`${f}.requiredServiceAccountAnnotationKeys`, t.requiredServiceAccountAnnotationKeys));
      errs.push(...annotationKeyErrors(`${f}.optionalServiceAccountAnnotationKeys`, t.optionalServiceAccountAnnotationKeys));
      const both = [...new Set(t.requiredServiceAccountAnnotationKeys.filter((k) => t.optionalServiceAccountAnnotationKeys.includes(k)))].sort();
      if (both.length) errs.push(invalid(f, `[]string{${both.map(goQuote).join(', ')}}`, 'annotation keys cannot be both required and optional'));
      if (t.cacheType === undefined) {
        errs.push(required(`${f}.cacheType`, `cacheType is required to be set when tokenAttributes is specified. Supported values are: ${CACHE_TYPES.join(', ')}`));
      } else if (!CACHE_TYPES.includes(t.cacheType)) {
        errs.push(`${f}.cacheType: Unsupported value: ${goQuote(t.cacheType)}: ${supported(CACHE_TYPES)}`);
      }
    }
  }
  return errs;
}

/** apimachinery's aggregate text: one error bare, several de-duplicated in `[…]`. */
export function aggregateText(errors: string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/** The error RegisterCredentialProviderPlugins returns for a config that fails validation. */
export function validationErrorText(errors: string[]): string {
  return `failed to validate credential provider config: ${aggregateText(errors)}`;
}
