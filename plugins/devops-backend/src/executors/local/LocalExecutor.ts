import { LoggerService } from '@backstage/backend-plugin-api';
import {
  TaskPlanError,
  type LocalTaskPlan,
} from '@devops-pipelines/plugin-devops-node';
import type { SourceCredentialsLookup } from '../../scm/gitCredentials';
import type { TaskTypeRegistry } from '../../taskTypes/TaskTypeRegistry';
import {
  RunContext,
  TaskContext,
  TaskExecutor,
  TaskLog,
  TaskResult,
} from '../types';
import { ProcessOutcome, runProcessGroup } from './processGroup';
import { RunWorkspace } from './RunWorkspace';
import { scriptEnvironment } from './scriptEnvironment';
import { readTaskOutputs } from './taskOutputs';

/** Long enough for a build tool to clean up after SIGTERM, short enough for a stop button. */
const DEFAULT_KILL_GRACE_PERIOD_MS = 5000;

export type LocalExecutorOptions = {
  /** Where run workspaces are created, one folder per run. */
  workspaceRoot: string;
  /** Whether `file://` and local-path repositories may be checked out. */
  allowFileUrls: boolean;
  /** The task types it runs as scripts: those with a local planner. */
  taskTypes: TaskTypeRegistry;
  /** Credentials for the repository of a run; undefined for public ones. */
  sourceCredentials?: SourceCredentialsLookup;
  logger?: LoggerService;
  /** Time a stopped script gets between SIGTERM and SIGKILL. Default: 5 seconds. */
  killGracePeriodMs?: number;
};

/**
 * Runs tasks whose type has a local planner ("Run script", and modules' types) as shell
 * scripts, child processes of the backend, as the backend's user, in a
 * folder per run. For development and trying DevOps without a cluster: it cannot honour
 * a task's image, and says so in the task's log.
 */
export class LocalExecutor implements TaskExecutor {
  private readonly workspaceRoot: string;
  private readonly allowFileUrls: boolean;
  private readonly taskTypes: TaskTypeRegistry;
  private readonly sourceCredentials?: SourceCredentialsLookup;
  private readonly logger?: LoggerService;
  private readonly killGracePeriodMs: number;
  /** Runs whose workspace this process prepared: no need to look at the disk per task. */
  private readonly prepared = new Set<string>();

  constructor(options: LocalExecutorOptions) {
    this.workspaceRoot = options.workspaceRoot;
    this.allowFileUrls = options.allowFileUrls;
    this.taskTypes = options.taskTypes;
    this.sourceCredentials = options.sourceCredentials;
    this.logger = options.logger;
    this.killGracePeriodMs =
      options.killGracePeriodMs ?? DEFAULT_KILL_GRACE_PERIOD_MS;
  }

  async prepareRun(run: RunContext, log: TaskLog): Promise<void> {
    await this.workspace(run).prepare(
      run.source,
      {
        allowFileUrls: this.allowFileUrls,
        sourceCredentials: this.sourceCredentials,
      },
      log,
    );
    this.prepared.add(run.runId);
  }

  async execute(ctx: TaskContext): Promise<TaskResult> {
    const { task } = ctx;
    const planner = this.taskTypes.localPlanner(task.type);
    if (!planner) {
      return {
        status: 'failed',
        message: this.taskTypes.cannotRun(task.type, 'local'),
      };
    }
    let plan;
    try {
      plan = await planner({ task, env: ctx.env });
    } catch (error) {
      if (error instanceof TaskPlanError) {
        return { status: 'failed', message: error.message };
      }
      throw error;
    }
    return this.runScript(ctx, plan);
  }

  /** Best effort: a folder that cannot be removed must not change how the run ended. */
  async cleanupRun(run: RunContext): Promise<void> {
    this.prepared.delete(run.runId);
    try {
      await this.workspace(run).remove();
    } catch (error) {
      this.logger?.warn(
        `Could not remove the workspace of run ${run.runId}: ${error}`,
      );
    }
  }

  private async runScript(
    ctx: TaskContext,
    plan: LocalTaskPlan,
  ): Promise<TaskResult> {
    const { log, signal } = ctx;
    if (signal.aborted) return notStarted();

    const workspace = this.workspace(ctx.run);
    if (!this.prepared.has(ctx.run.runId) && !(await workspace.isPrepared())) {
      throw new Error(
        `The workspace of run ${ctx.run.runId} is missing; prepareRun must run on this backend before its tasks`,
      );
    }
    const files = await workspace.createTaskFiles(
      ctx.taskRunId,
      ctx.attempt,
      plan.script,
    );
    if (plan.notice) log.platform('Warning', plan.notice);
    // Checked again: writing the files gave a stop request time to arrive.
    if (signal.aborted) return notStarted();

    this.logger?.debug(
      `Running task ${ctx.taskRunId} (attempt ${ctx.attempt}) of run ${ctx.run.runId} in ${workspace.sourceDir}`,
    );
    const outcome = await runProcessGroup({
      // The script file sends stderr to stdout itself (see createTaskFiles), so one
      // pipe keeps lines in the order they were written, as on a terminal.
      command: 'sh',
      args: ['-e', files.scriptFile],
      cwd: workspace.sourceDir,
      env: scriptEnvironment({
        variables: ctx.env,
        taskEnv: plan.env ?? {},
        outputFile: files.outputFile,
      }),
      signal,
      killGracePeriodMs: this.killGracePeriodMs,
      onOutput: chunk => log.output(chunk),
      onNotice: (level, text) => log.platform(level, text),
    });
    if (outcome.error) {
      return {
        status: 'failed',
        message: `The script could not be started: ${outcome.error.message}`,
      };
    }

    const outputs = await readTaskOutputs(files.outputFile, log);
    if ('error' in outputs) {
      return {
        status: 'failed',
        exitCode: outcome.exitCode ?? undefined,
        message: outputs.error,
      };
    }
    return { ...describeExit(outcome), outputs: outputs.values };
  }

  private workspace(run: RunContext): RunWorkspace {
    return new RunWorkspace(this.workspaceRoot, run.runId);
  }
}

function notStarted(): TaskResult {
  return {
    status: 'failed',
    message: 'The task was stopped before it started',
  };
}

function describeExit(outcome: ProcessOutcome): TaskResult {
  if (outcome.exitCode === 0) return { status: 'succeeded', exitCode: 0 };
  if (outcome.exitCode !== null) {
    return {
      status: 'failed',
      exitCode: outcome.exitCode,
      message: `Script exited with code ${outcome.exitCode}`,
    };
  }
  return {
    status: 'failed',
    message: `Script was killed by signal ${outcome.signal}`,
  };
}
