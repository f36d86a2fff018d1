import type { PipelineBindingKey } from '../clusters/types';
import type {
  RunContext,
  TaskContext,
  TaskExecutor,
  TaskLog,
  TaskResult,
} from '../executors/types';
import { isDeployTask } from './deployTasks';
import type { DeployTargets } from './DeployTargets';

/**
 * Checks a deploy task's target again as it starts, in front of the executor: its fields
 * are expanded now (a `${CLUSTER}` is known), and the bindings or the configuration may
 * have changed since the pipeline was saved.
 */
export class DeployTargetGuard implements TaskExecutor {
  constructor(
    private readonly executor: TaskExecutor,
    private readonly targets: DeployTargets,
    /** A pipeline's entity and chosen cluster, which decide where it may deploy. */
    private readonly pipelineBindingKey: (
      pipelineId: string,
    ) => Promise<PipelineBindingKey | undefined>,
  ) {}

  async initialiseRun(run: RunContext, log: TaskLog): Promise<void> {
    await this.executor.initialiseRun?.(run, log);
  }

  prepareRun(run: RunContext, log: TaskLog): Promise<void> {
    return this.executor.prepareRun(run, log);
  }

  async execute(ctx: TaskContext): Promise<TaskResult> {
    if (isDeployTask(ctx.task)) {
      const pipeline = await this.pipelineBindingKey(ctx.run.pipelineId);
      const refusal = pipeline
        ? await this.targets.refusal(pipeline, ctx.task)
        : 'its pipeline was deleted';
      if (refusal)
        return { status: 'failed', message: `Not deployed: ${refusal}` };
    }
    return this.executor.execute(ctx);
  }

  cleanupRun(run: RunContext): Promise<void> {
    return this.executor.cleanupRun(run);
  }

  canReattach(run: RunContext): boolean {
    return this.executor.canReattach?.(run) ?? false;
  }
}
