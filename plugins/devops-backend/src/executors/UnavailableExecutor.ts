import { TaskExecutor, TaskResult } from './types';

const DEFAULT_MESSAGE =
  'No executor can run this task: bind a Kubernetes cluster to DevOps, or enable the local executor (devops.executor.local.enabled) for development';

/**
 * Used when no executor can run a run's tasks: every run fails at its first task with
 * what to do, instead of waiting for ever.
 */
export class UnavailableExecutor implements TaskExecutor {
  constructor(private readonly message = DEFAULT_MESSAGE) {}

  async prepareRun() {}

  async execute(): Promise<TaskResult> {
    return { status: 'failed', message: this.message };
  }

  async cleanupRun() {}
}
