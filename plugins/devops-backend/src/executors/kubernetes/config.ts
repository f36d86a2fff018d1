import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readTaskResourceSettings, type TaskResourceSettings } from './taskResources';

export const EXECUTOR_TYPES = ['auto', 'local', 'kubernetes'] as const;
/** One of EXECUTOR_TYPES, or the name of an executor a module added. */
export type ExecutorType = string;

/** Which task pods stay on the cluster after their run, for debugging. */
export const POD_RETENTIONS = ['none', 'failed', 'all'] as const;
export type PodRetention = (typeof POD_RETENTIONS)[number];

export type KubernetesExecutorSettings = {
  executorType: ExecutorType;
  podRetention: PodRetention;
  /** How long a task pod may fail to pull its image before the task fails. */
  imagePullTimeoutMs: number;
  taskResources: TaskResourceSettings;
};

/** Long enough for a registry hiccup, short enough that a typo in a tag fails soon. */
const DEFAULT_IMAGE_PULL_TIMEOUT_MS = 2 * 60_000;

/**
 * Reads `devops.executor.type` (a built-in executor or one of `moduleExecutors`) and the executor's part of `devops.kubernetes`
 * (`podRetention`, `imagePullTimeout`, `taskResources`), documented in config.d.ts. The images come from
 * the task tools settings (tasks/config.ts).
 */
export function readKubernetesExecutorSettings(
  root: Config,
  moduleExecutors: readonly string[] = [],
): KubernetesExecutorSettings {
  const executorType = root.getOptionalString('devops.executor.type') ?? 'auto';
  const executorTypes = [...EXECUTOR_TYPES, ...moduleExecutors];
  if (!executorTypes.includes(executorType)) {
    throw new InputError(
      `devops.executor.type must be one of ${executorTypes.join(', ')}; got "${executorType}"`,
    );
  }
  const podRetention = root.getOptionalString('devops.kubernetes.podRetention') ?? 'none';
  if (!isOneOf(POD_RETENTIONS, podRetention)) {
    throw new InputError(
      `devops.kubernetes.podRetention must be one of ${POD_RETENTIONS.join(', ')}; got "${podRetention}"`,
    );
  }
  const key = 'devops.kubernetes.imagePullTimeout';
  const imagePullTimeoutMs = root.has(key)
    ? toMilliseconds(readDurationFromConfig(root, { key }))
    : DEFAULT_IMAGE_PULL_TIMEOUT_MS;
  return {
    executorType,
    podRetention,
    imagePullTimeoutMs,
    taskResources: readTaskResourceSettings(root),
  };
}

/** A HumanDuration in milliseconds (@backstage/types has this, but is not our dependency). */
function toMilliseconds(duration: ReturnType<typeof readDurationFromConfig>): number {
  const { weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0, milliseconds = 0 } = duration;
  return ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000 + milliseconds;
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
