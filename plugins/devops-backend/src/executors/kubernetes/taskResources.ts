import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  QUANTITY_PATTERN,
  type PipelineSpec,
  type TaskResources,
} from '@devops-pipelines/plugin-devops-common';

const KEY = 'devops.kubernetes.taskResources';
const RESOURCES = ['cpu', 'memory'] as const;
type Resource = (typeof RESOURCES)[number];

/** The portal's task pod resources: what a task gets unless it asks, and at most. */
export type TaskResourceSettings = {
  defaults: TaskResources;
  maximums: Partial<Record<Resource, string>>;
};

const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A quantity's value in base units (CPUs, bytes), to compare with a maximum. */
export function quantityValue(quantity: string): number {
  const match = QUANTITY_PATTERN.exec(quantity.trim());
  if (!match) throw new Error(`"${quantity}" is not a Kubernetes quantity`);
  return Number(match[1]) * SUFFIXES[match[3] ?? ''];
}

function readQuantity(config: Config | undefined, key: string, where: string) {
  const value = config?.getOptionalString(key);
  if (value !== undefined && !QUANTITY_PATTERN.test(value.trim())) {
    throw new InputError(
      `${where}.${key} "${value}" is not a Kubernetes quantity such as 500m or 2 (CPU), 512Mi or 1Gi (memory)`,
    );
  }
  return value?.trim();
}

function readCpuAndMemory(config: Config | undefined, where: string) {
  const read: Partial<Record<Resource, string>> = {};
  for (const resource of RESOURCES) {
    const value = readQuantity(config, resource, where);
    if (value) read[resource] = value;
  }
  return Object.keys(read).length ? read : undefined;
}

/** Reads `devops.kubernetes.taskResources` (documented in config.d.ts). */
export function readTaskResourceSettings(root: Config): TaskResourceSettings {
  const config = root.getOptionalConfig(KEY);
  const defaults = config?.getOptionalConfig('defaults');
  const requests = readCpuAndMemory(
    defaults?.getOptionalConfig('requests'),
    `${KEY}.defaults.requests`,
  );
  const limits = readCpuAndMemory(
    defaults?.getOptionalConfig('limits'),
    `${KEY}.defaults.limits`,
  );
  return {
    defaults: {
      ...(requests ? { requests } : {}),
      ...(limits ? { limits } : {}),
    },
    maximums:
      readCpuAndMemory(
        config?.getOptionalConfig('maximums'),
        `${KEY}.maximums`,
      ) ?? {},
  };
}

/**
 * A task's pod resources: what the task asks, else the portal's defaults. Throws with what
 * to change where a value is above the portal's maximum.
 */
export function taskPodResources(
  asked: TaskResources | undefined,
  settings: TaskResourceSettings,
): TaskResources {
  const resources: TaskResources = {};
  for (const kind of ['requests', 'limits'] as const) {
    const merged = { ...settings.defaults[kind], ...asked?.[kind] };
    for (const resource of RESOURCES) {
      const value = merged[resource];
      const maximum = settings.maximums[resource];
      if (value && maximum && quantityValue(value) > quantityValue(maximum)) {
        throw new InputError(
          `The task's ${resource} ${
            kind === 'requests' ? 'request' : 'limit'
          } ${value} is above the portal's maximum of ${maximum} (${KEY}.maximums.${resource}); ask for at most ${maximum} in the task's resources`,
        );
      }
    }
    if (Object.keys(merged).length) resources[kind] = merged;
  }
  return resources;
}

/**
 * Refuses a pipeline one of whose tasks asks for more than a maximum, as it is saved,
 * naming the task: the run would fail the task the same way.
 */
export function checkTaskResources(
  spec: PipelineSpec,
  settings: TaskResourceSettings,
): void {
  for (const stage of spec.stages) {
    for (const task of stage.tasks) {
      try {
        taskPodResources(task.resources, settings);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        throw new InputError(
          `Task "${task.name}" of stage "${stage.name}": ${error.message}`,
        );
      }
    }
  }
}
