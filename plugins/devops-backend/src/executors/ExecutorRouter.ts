import type { ClusterDirectory, PipelineBindingKey } from '../clusters/types';
import type { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { ExecutorHandle } from '../database/types';
import type { ExecutorType } from './kubernetes/config';
import type { KubernetesTarget } from './kubernetes/KubernetesExecutor';
import type {
  RunContext,
  TaskContext,
  TaskExecutor,
  TaskLog,
  TaskResult,
} from './types';
import { UnavailableExecutor } from './UnavailableExecutor';

export type ExecutorRouterOptions = {
  type: ExecutorType;
  /** Undefined when the local executor is not enabled. */
  local?: TaskExecutor;
  /** Executors modules added, by name: `type` may name one. */
  moduleExecutors?: ReadonlyMap<string, TaskExecutor>;
  kubernetes(target: KubernetesTarget): TaskExecutor;
  clusters: ClusterDirectory;
  /** A pipeline's entity and chosen cluster, which decide its cluster binding. */
  pipelineBindingKey(
    pipelineId: string,
  ): Promise<PipelineBindingKey | undefined>;
  runs: Pick<DatabaseRunStore, 'listTaskRuns' | 'setExecutorHandle'>;
};

/** No handle when no executor can take the run: its tasks fail without going anywhere. */
type Choice = { handle?: ExecutorHandle; executor: TaskExecutor };

/**
 * Chooses the executor of each run in `initialiseRun`: its pipeline's bound cluster, else the
 * local executor when enabled (`devops.executor.type: auto`), or the one the type forces.
 * Every task records where it went before it starts, and a run taken over continues where
 * its tasks went, even if the bindings changed meanwhile: decided from data, not memory.
 */
export class ExecutorRouter implements TaskExecutor {
  readonly #choices = new Map<string, Choice>();
  readonly #kubernetes = new Map<string, TaskExecutor>();

  constructor(private readonly options: ExecutorRouterOptions) {}

  async initialiseRun(run: RunContext, log: TaskLog): Promise<void> {
    const choice =
      (await this.#recorded(run, log)) ?? (await this.#choose(run, log));
    this.#choices.set(run.runId, choice);
    await choice.executor.initialiseRun?.(run, log);
  }

  /** A caller that did not initialise the run gets both in one. */
  async prepareRun(run: RunContext, log: TaskLog): Promise<void> {
    if (!this.#choices.has(run.runId)) await this.initialiseRun(run, log);
    await this.#choices.get(run.runId)!.executor.prepareRun(run, log);
  }

  async execute(ctx: TaskContext): Promise<TaskResult> {
    const choice = this.#choices.get(ctx.run.runId);
    if (!choice)
      throw new Error(`prepareRun was not called for run ${ctx.run.runId}`);
    if (choice.handle)
      await this.options.runs.setExecutorHandle(ctx.taskRunId, choice.handle);
    return choice.executor.execute(ctx);
  }

  canReattach(run: RunContext): boolean {
    return this.#choices.get(run.runId)?.executor.canReattach?.(run) ?? false;
  }

  async cleanupRun(run: RunContext): Promise<void> {
    // No choice: the run ended before prepareRun (its source could not be resolved).
    const choice = this.#choices.get(run.runId);
    this.#choices.delete(run.runId);
    await choice?.executor.cleanupRun(run);
  }

  async #recorded(run: RunContext, log: TaskLog): Promise<Choice | undefined> {
    const tasks = await this.options.runs.listTaskRuns(run.runId);
    const handle = tasks.find(t => t.executorHandle)?.executorHandle;
    if (!handle) return undefined;
    log.platform(
      'Normal',
      'Continuing on the executor the run started its tasks on',
    );
    return this.#choiceFor(handle);
  }

  async #choose(run: RunContext, log: TaskLog): Promise<Choice> {
    const { type, local, clusters } = this.options;
    if (this.options.moduleExecutors?.has(type)) {
      log.platform(
        'Normal',
        `Running on the executor ${type} (devops.executor.type)`,
      );
      return this.#choiceFor({ executor: 'module', name: type });
    }
    if (type === 'local') {
      return local
        ? { handle: { executor: 'local' }, executor: local }
        : this.#unavailable(
            'devops.executor.type is local, but the local executor is not enabled (devops.executor.local.enabled)',
          );
    }
    const pipeline = await this.options.pipelineBindingKey(run.pipelineId);
    const choice = pipeline
      ? await clusters.bindingForPipeline(pipeline)
      : undefined;
    if (choice) {
      const { name, namespace } = choice.binding;
      log.platform(
        'Normal',
        `Running on cluster ${name} (namespace ${namespace}): ${choice.reason}`,
      );
      return this.#choiceFor({
        executor: 'kubernetes',
        cluster: name,
        namespace,
      });
    }
    if (type === 'kubernetes') {
      throw new Error(
        `No Kubernetes cluster is bound for the project of pipeline ${run.pipelineName} (devops.executor.type is kubernetes); bind one on the Clusters page, then re-run`,
      );
    }
    if (!local) return this.#unavailable();
    log.platform(
      'Normal',
      'Running on the local executor: no cluster is bound for the project of this pipeline',
    );
    return { handle: { executor: 'local' }, executor: local };
  }

  #choiceFor(handle: ExecutorHandle): Choice {
    if (handle.executor === 'module') {
      const executor = this.options.moduleExecutors?.get(handle.name);
      return executor
        ? { handle, executor }
        : this.#unavailable(
            `The run started on the executor ${handle.name}, which no module of this backend adds any more`,
          );
    }
    if (handle.executor === 'local') {
      return this.options.local
        ? { handle, executor: this.options.local }
        : this.#unavailable(
            'The run started on the local executor, which is no longer enabled here',
          );
    }
    const key = `${handle.cluster}\n${handle.namespace}`;
    let executor = this.#kubernetes.get(key);
    if (!executor) {
      executor = this.options.kubernetes({
        cluster: handle.cluster,
        namespace: handle.namespace,
      });
      this.#kubernetes.set(key, executor);
    }
    return { handle, executor };
  }

  #unavailable(message?: string): Choice {
    return { executor: new UnavailableExecutor(message) };
  }
}
