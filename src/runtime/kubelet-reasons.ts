/**
 * The kubelet's own words around a runtime's pull error (kubelet-semantics.md §9–10): the error
 * sentinels it puts in `waiting.reason` and in front of status messages, and the other waiting
 * reasons a container can show.
 */

/**
 * Sentinel errors of a failed image pull: `images/types.go` (ImagePullBackOff, ImageInspectError,
 * ErrImagePull, ErrImageNeverPull, InvalidImageName) and `cri-api/pkg/errors` (RegistryUnavailable,
 * SignatureValidationFailed). The kubelet prefixes status texts with them (`…: ErrImagePull: <error>`).
 */
export const PULL_ERROR_SENTINELS = [
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'ImageInspectError',
  'RegistryUnavailable',
  'SignatureValidationFailed',
] as const;

export type PullErrorSentinel = (typeof PULL_ERROR_SENTINELS)[number];

/**
 * Waiting reasons that mean "this container's image cannot be pulled": the sentinels, plus
 * `ErrImageNotEnsured` of the KEP-2535 pre-merge code.
 */
export const PULL_WAITING_REASONS: ReadonlySet<string> = new Set<string>([...PULL_ERROR_SENTINELS, 'ErrImageNotEnsured']);

/** Well-known waiting reasons that are not about pulling. */
export const OTHER_WAITING_REASONS: ReadonlySet<string> = new Set([
  'ContainerCreating',
  'PodInitializing',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreCreateHookError',
  'PreStartHookError',
  'PostStartHookError',
]);
