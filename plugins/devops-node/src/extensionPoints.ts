import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { TaskExecutor } from './executors';
import type { DevopsTaskType } from './taskTypes';

/** Adds task types to the DevOps backend: they show in the editor and run like the built-in ones. */
export interface DevopsTaskTypesExtensionPoint {
  addTaskType(...taskTypes: DevopsTaskType[]): void;
}

export const devopsTaskTypesExtensionPoint =
  createExtensionPoint<DevopsTaskTypesExtensionPoint>({
    id: 'devops.task-types',
  });

/**
 * An executor a module provides. Runs go to it when `devops.executor.type` is its name,
 * instead of the bound cluster or the local executor.
 */
export type DevopsExecutor = {
  /** Lowercase letters, digits and dashes; not `auto`, `local` or `kubernetes`. */
  name: string;
  executor: TaskExecutor;
};

/** Adds executors to the DevOps backend. */
export interface DevopsExecutorsExtensionPoint {
  addExecutor(executor: DevopsExecutor): void;
}

export const devopsExecutorsExtensionPoint =
  createExtensionPoint<DevopsExecutorsExtensionPoint>({
    id: 'devops.executors',
  });
