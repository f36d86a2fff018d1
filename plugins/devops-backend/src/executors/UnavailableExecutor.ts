import { TaskExecutor, TaskResult } from './types';

/**
 * Used when no executor is configured: every run fails at its first task with what to
 * do, instead of waiting for ever.
 */
export class UnavailableExecutor implements TaskExecutor {
  async prepareRun() {}

  async execute(): Promise<TaskResult> {
    return {
      status: 'failed',
      message:
        'No executor can run this task: bind a Kubernetes cluster to DevOps, or enable the local executor (devops.executor.local.enabled) for development',
    };
  }

  async cleanupRun() {}
}
