import { LoggerService } from '@backstage/backend-plugin-api';
import {
  RunStatus,
  UnknownVariableError,
  describeRunTrigger,
  expandTaskFields,
  isFinalStatus,
} from '@devops-pipelines/plugin-devops-common';
import type {
  PipelineSource,
  SetupStep,
  Stage,
} from '@devops-pipelines/plugin-devops-common';
import { DatabaseLogStore } from '../database/DatabaseLogStore';
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { RunRecord, TaskRunRecord } from '../database/types';
import type { RunContext, TaskExecutor, TaskLog } from '../executors/types';
import { RunAbandoned, SourceError } from '../executors/types';
import {
  CHECKOUT_LOG,
  RunLogWriter,
  type LostLines,
} from '../logs/RunLogWriter';
import { secretValues, variablesForTask } from './runVariables';
import { TimeoutBudget } from './TimeoutBudget';
import type { TaskTypeRegistry } from '../taskTypes/TaskTypeRegistry';

/** Runs with timeout 0 still end after 14 days (SPEC §3). */
export const HARD_CAP_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Told when runs start and end, e.g. to report commit statuses. Its calls must return at
 * once and never throw: a run does not wait for what it does.
 */
export interface RunObserver {
  runStarted(run: RunRecord): void;
  /** The run ended as recorded: its status and, for one that did not succeed, why. */
  runFinished(run: RunRecord, status: RunStatus, message?: string): void;
}

/** One observer that tells each of `observers` in turn. */
export function allObservers(...observers: RunObserver[]): RunObserver {
  return {
    runStarted: run => observers.forEach(o => o.runStarted(run)),
    runFinished: (run, status, message) =>
      observers.forEach(o => o.runFinished(run, status, message)),
  };
}

export type RunDriverDeps = {
  runs: DatabaseRunStore;
  logs: DatabaseLogStore;
  executor: TaskExecutor;
  /** Names each task's type in its first log line. */
  taskTypes: Pick<TaskTypeRegistry, 'title'>;
  /** Resolves a branch to the commit the whole run uses. */
  resolveCommit(source: PipelineSource): Promise<string>;
  engineId: string;
  maxLogBytesPerTask: number;
  logger: LoggerService;
  /** How long a minute of `timeoutMinutes` lasts; tests shorten it. Default: 60 000 ms. */
  minuteMs?: number;
  /** Waits before retrying a failed log write; tests shorten them (see RunLogWriter). */
  logRetryDelaysMs?: readonly number[];
  observer?: RunObserver;
};

/** The engine let go of the run while the driver waited: stop without writing. */
class AbandonedError extends Error {}

/**
 * A run whose log lost lines (their writes failed, even after retries) does not end as
 * succeeded: what it did is not all on record, and nothing else would say so.
 */
function withLostLines(
  lost: LostLines | undefined,
  status: RunStatus,
  message?: string,
): { status: RunStatus; message?: string } {
  if (!lost || status !== 'succeeded') return { status, message };
  return {
    status: 'failed',
    message: `${lost.lines} lines of its log could not be stored (${lost.error.message}); the run counts as failed because what it did is not all on record`,
  };
}

/** Why a run failed outside its tasks, in the words its page and log show. */
const runFailure = (error: unknown) =>
  error instanceof SourceError
    ? error.message
    : `The run failed: ${(error as Error).message}`;

type EndReason = { status: 'stopped' | 'timedOut'; message: string };

const formatDuration = (ms: number) =>
  ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;

/**
 * Drives one claimed run to its end: resolves the source, runs stages in order and their
 * tasks sequentially or in parallel, stops at the first failure, and honours stop
 * requests and the timeout. Every state change is written through the run store.
 */
export class RunDriver {
  /** Aborted on stop, timeout, or when the engine lets go of the run. */
  readonly #abort = new AbortController();
  #endReason?: EndReason;
  #abandoned = false;
  #log?: RunLogWriter;
  /** Tasks executing now, by task run id, with their names for the timeout message. */
  readonly #running = new Map<string, string>();
  /** Executing tasks that wait for cluster resources. */
  readonly #waiting = new Set<string>();
  #runWaiting = false;
  /** Waiting-state writes, in the order they happened. */
  #waitingWrites: Promise<void> = Promise.resolve();
  #budget?: TimeoutBudget;
  #tasks: TaskRunRecord[] = [];

  constructor(
    private readonly run: RunRecord,
    private readonly deps: RunDriverDeps,
    private readonly takeover?: { previousEngine?: string },
  ) {}

  /** A user asked the run to stop. */
  stop(message = 'Stopped on request') {
    this.#end({ status: 'stopped', message });
  }

  /**
   * The engine no longer owns the run (taken over, or shutting down): stop the work and
   * write nothing more, the new owner continues.
   */
  abandon() {
    this.#abandoned = true;
    this.#abort.abort(new RunAbandoned());
  }

  async drive(): Promise<void> {
    const { run, deps } = this;
    const log = await RunLogWriter.open(deps.logs, run.id, {
      secrets: secretValues(run),
      maxBytesPerTask: deps.maxLogBytesPerTask,
      retryDelaysMs: deps.logRetryDelaysMs,
      onWriteError: error =>
        deps.logger.warn(`Writing the log of run ${run.id} failed: ${error}`),
    });
    this.#log = log;
    const timers = await this.#armTimeouts();
    let status: RunStatus = 'succeeded';
    let message: string | undefined;
    const runContext: RunContext = {
      runId: run.id,
      pipelineId: run.pipelineId,
      pipelineName: run.pipelineName,
      buildId: run.buildId,
    };
    try {
      await this.#setupStep('initialisation', async () => {
        if (this.takeover) {
          log.run.platform(
            'Warning',
            `Engine ${
              this.takeover.previousEngine ?? 'unknown'
            } stopped responding; engine ${deps.engineId} took the run over`,
          );
        } else {
          log.run.platform('Normal', describeRunTrigger(run.trigger));
          deps.observer?.runStarted(run);
        }
        await deps.executor.initialiseRun?.(runContext, log.run);
      });
      const checkoutLog = log.forTask(CHECKOUT_LOG);
      // Without a source the step only prepares the tasks' workspace: it shows as skipped.
      await this.#setupStep(
        'checkout',
        async () => {
          runContext.source = await this.#resolveSource(checkoutLog);
          await deps.executor.prepareRun(runContext, checkoutLog);
        },
        {
          outcome: run.spec.source ? 'succeeded' : 'skipped',
          log: checkoutLog,
        },
      );
      // Read once; the driver is the only writer of its tasks while it owns the run.
      const tasks = await deps.runs.listTaskRuns(run.id);
      this.#tasks = tasks;
      for (const [stageIndex, stage] of run.spec.stages.entries()) {
        if (this.#endReason) break;
        const stageTasks = tasks.filter(t => t.stageIndex === stageIndex);
        const failed = await this.#runStage(stage, stageTasks, runContext);
        if (failed) {
          status = 'failed';
          message = failed;
          break;
        }
      }
    } catch (error) {
      if (error instanceof AbandonedError) return;
      status = 'failed';
      message = runFailure(error);
      if (!(error instanceof SourceError)) {
        deps.logger.error(`Run ${run.id} failed unexpectedly`, error as Error);
      }
      log.run.platform('Warning', message);
    } finally {
      timers.budget.stop();
      clearTimeout(timers.hardCap);
      await this.#waitingWrites;
    }
    if (this.#endReason) {
      status = this.#endReason.status;
      message = this.#endReason.message;
    }
    if (this.#abandoned) return;
    await this.#finish(runContext, status, message);
  }

  async #finish(
    runContext: RunContext,
    outcome: RunStatus,
    outcomeMessage?: string,
  ) {
    let status = outcome;
    let message = outcomeMessage;
    const log = this.#log!;
    try {
      await this.deps.executor.cleanupRun(runContext);
    } catch (error) {
      log.run.platform(
        'Warning',
        `Cleaning up after the run failed: ${(error as Error).message}`,
      );
    }
    // Every task line written (or given up on) first, so the last line says the outcome.
    await log.flush().catch(() => {});
    ({ status, message } = withLostLines(log.lost, status, message));
    log.run.platform(
      status === 'succeeded' ? 'Normal' : 'Warning',
      `Run #${this.run.buildId} ${status}${message ? `: ${message}` : ''}`,
    );
    try {
      await log.close();
    } catch (error) {
      // The run's outcome matters more than its last lines: record it regardless.
      this.deps.logger.warn(
        `Writing the end of run ${this.run.id}'s log failed: ${error}`,
      );
    }
    ({ status, message } = withLostLines(log.lost, status, message));
    const finished = await this.deps.runs.finishRun(
      this.run.id,
      this.deps.engineId,
      status,
      message,
    );
    // An engine that lost the run meanwhile leaves its end to the one that took it over.
    if (finished) this.deps.observer?.runFinished(this.run, status, message);
  }

  /**
   * Does a set-up step's work and records it as a task is recorded: running, then
   * `outcome` or failed. After a takeover a step that had ended is done again (the new
   * engine needs its choices in memory) but keeps the outcome recorded the first time.
   */
  async #setupStep(
    step: SetupStep,
    work: () => Promise<void>,
    options: {
      outcome?: RunStatus;
      /** The step's own log, which says why it failed; initialisation's is the run's. */
      log?: TaskLog;
    } = {},
  ): Promise<void> {
    const { runs } = this.deps;
    const { outcome = 'succeeded' } = options;
    await runs.startSetupStep(this.run.id, step);
    try {
      await work();
    } catch (error) {
      if (!(error instanceof AbandonedError) && !this.#abandoned) {
        const message = runFailure(error);
        options.log?.platform('Warning', message);
        await runs.finishSetupStep(this.run.id, step, {
          status: 'failed',
          message,
        });
      }
      throw error;
    }
    if (this.#abandoned) throw new AbandonedError();
    await runs.finishSetupStep(this.run.id, step, { status: outcome });
  }

  async #resolveSource(log: TaskLog) {
    const { source } = this.run.spec;
    if (!source) return undefined;
    let commit = this.run.commit;
    if (!commit) {
      commit = await this.deps.resolveCommit(source);
      if (this.#abandoned) throw new AbandonedError();
      await this.deps.runs.setRunSource(this.run.id, commit, source.branch);
      this.run.commit = commit;
      this.run.branch = source.branch;
      log.platform(
        'Normal',
        `Branch ${source.branch} of ${source.repository} is at ${commit.slice(
          0,
          8,
        )}; every task uses this commit`,
      );
    }
    return { ...source, branch: this.run.branch ?? source.branch, commit };
  }

  /** Runs a stage; returns why it failed, or undefined when every task succeeded. */
  async #runStage(
    stage: Stage,
    tasks: TaskRunRecord[],
    runContext: RunContext,
  ): Promise<string | undefined> {
    // Aborted by the run (stop, timeout, abandon) or by a failed sibling in this stage.
    const stageAbort = new AbortController();
    const signal = AbortSignal.any([this.#abort.signal, stageAbort.signal]);
    if (stage.order === 'parallel') {
      const failures = await Promise.all(
        tasks.map(async task => {
          const failure = await this.#runTask(stage, task, runContext, signal);
          // The first failure stops the running siblings.
          if (failure) stageAbort.abort();
          return failure;
        }),
      );
      return failures.find(Boolean);
    }
    for (const task of tasks) {
      const failure = await this.#runTask(stage, task, runContext, signal);
      if (failure) return failure;
      if (this.#endReason) return undefined;
    }
    return undefined;
  }

  /** Runs one task; returns why it failed, or undefined on success. */
  async #runTask(
    stage: Stage,
    taskRun: TaskRunRecord,
    runContext: RunContext,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const { runs, executor } = this.deps;
    const task = stage.tasks[taskRun.taskIndex];
    const label = `task "${task.name}" of stage "${stage.name}"`;
    if (taskRun.status === 'succeeded') return undefined;
    if (isFinalStatus(taskRun.status)) {
      return taskRun.message ?? `The ${label} ${taskRun.status}`;
    }
    // Started by an engine that stopped (this run was taken over).
    const interrupted =
      taskRun.status === 'running' || taskRun.status === 'waiting';
    if (interrupted && !executor.canReattach?.(runContext)) {
      // Starting it again could repeat side effects (a push, a deployment), so it is
      // reported instead.
      const message = `The ${label} was interrupted: the backend running it stopped, and the task's processes ended with it. It is failed rather than started again, which could repeat what it did (a push, a deployment); re-run the pipeline`;
      await runs.finishTask(taskRun, { status: 'failed', message });
      this.#log!.forTask(taskRun.id).platform('Warning', message);
      return message;
    }
    if (signal.aborted || this.#endReason) {
      // Whatever it left behind on the cluster goes with cleanupRun.
      if (interrupted && !this.#abandoned) {
        const end = this.#currentEnd();
        await runs.finishTask(taskRun, {
          status: end?.status ?? 'stopped',
          message:
            end?.message ?? 'Stopped because another task of the stage failed',
        });
      }
      return undefined;
    }

    const taskLog = this.#log!.forTask(taskRun.id);
    const earlier = this.#tasks.filter(
      t =>
        t.stageIndex < taskRun.stageIndex ||
        (t.stageIndex === taskRun.stageIndex &&
          t.taskIndex < taskRun.taskIndex),
    );
    const env = variablesForTask(this.run, earlier);
    let resumeMark: string | undefined;
    if (interrupted) {
      if (!(await runs.resumeTask(taskRun))) {
        return `The ${label} ended while the run was taken over`;
      }
      resumeMark = await this.deps.logs.lastResumeMark(this.run.id, taskRun.id);
      taskLog.platform(
        'Normal',
        `Continuing ${label}, started before the takeover (attempt ${taskRun.attempt})`,
      );
      // What the executor reports again on re-attaching (a pod's events) is logged once.
      taskLog.skipLoggedPlatformLines(
        await this.deps.logs.platformLines(this.run.id, taskRun.id),
      );
    } else {
      if (!(await runs.startTask(taskRun))) {
        return `The ${label} was already started by another engine`;
      }
      taskRun.attempt = 1;
      taskLog.platform(
        'Normal',
        `Started ${label} (${this.deps.taskTypes.title(task.type)})`,
      );
    }
    const started = Date.now();

    let expanded;
    try {
      expanded = expandTaskFields(task, env);
    } catch (error) {
      if (!(error instanceof UnknownVariableError)) throw error;
      const message = `The ${label} did not start: ${error.message}`;
      taskLog.platform('Warning', message);
      await runs.finishTask(taskRun, { status: 'failed', message });
      return message;
    }

    this.#running.set(taskRun.id, task.name);
    // A task starting beside waiting ones means the run executes again.
    this.#updateRunWaiting();
    const result = await executor
      .execute({
        run: runContext,
        taskRunId: taskRun.id,
        attempt: taskRun.attempt,
        task: expanded,
        // The task's own env entries are in `task`; the executor applies them on top.
        env,
        log: taskLog,
        signal,
        waiting: reason => this.#taskWaiting(taskRun.id, label, reason),
        resumed: () => this.#taskResumed(taskRun.id, label),
        resumeMark,
      })
      .catch(error => ({
        status: 'failed' as const,
        exitCode: undefined,
        outputs: undefined,
        message: `The executor failed: ${(error as Error).message}`,
      }))
      .finally(() => {
        this.#running.delete(taskRun.id);
        this.#waiting.delete(taskRun.id);
        this.#updateRunWaiting();
      });
    taskLog.end();
    if (this.#abandoned) return undefined;
    // A waiting-state write still queued must not land after the final status.
    await this.#waitingWrites;

    let status: RunStatus = result.status;
    let message = result.message;
    // A plain non-zero exit says why in its last lines; OOMKilled and others say it already.
    if (
      status === 'failed' &&
      result.exitCode &&
      message &&
      /exited with code \d+$/.test(message) &&
      taskLog.lastOutputLines.length
    ) {
      message = `${message}; its last output: ${taskLog.lastOutputLines
        .map(line => `"${line}"`)
        .join(' ')}`;
    }
    if (signal.aborted) {
      // Read again: the run may have been stopped or timed out while the task ran.
      const end = this.#currentEnd();
      status = end?.status ?? 'stopped';
      message =
        end?.message ?? 'Stopped because another task of the stage failed';
    }
    await runs.finishTask(taskRun, {
      status,
      exitCode: result.exitCode,
      message,
      outputs: result.outputs,
    });
    Object.assign(taskRun, { status, outputs: result.outputs });
    taskLog.platform(
      status === 'succeeded' ? 'Normal' : 'Warning',
      `The ${label} ${status} after ${formatDuration(Date.now() - started)}${
        message ? `: ${message}` : ''
      }`,
    );
    return status === 'failed' ? message ?? `The ${label} failed` : undefined;
  }

  /**
   * The timeout is a budget of execution time, paused while the run waits for cluster
   * resources; the 14-day hard cap counts every moment since the start (SPEC §3).
   */
  async #armTimeouts(): Promise<{
    budget: TimeoutBudget;
    hardCap: NodeJS.Timeout;
  }> {
    const { run } = this;
    const now = Date.now();
    const minutes = run.spec.timeoutMinutes ?? 0;
    const elapsed = now - new Date(run.startedAt ?? now).getTime();
    // A run taken over while waiting: that wait ends here, and counts as waited.
    const currentWait = run.waitingSince
      ? now - new Date(run.waitingSince).getTime()
      : 0;
    if (run.status === 'waiting') {
      await this.deps.runs.setRunWaiting(run.id, this.deps.engineId, false);
    }
    const expired = (limit: string) => () => {
      const running = [...this.#running.values()].map(n => `"${n}"`).join(', ');
      this.#end({
        status: 'timedOut',
        message: `The run exceeded its timeout of ${limit}${
          running ? ` while task ${running} was running` : ''
        }`,
      });
    };
    const hardCap = setTimeout(
      expired('14 days'),
      Math.max(0, HARD_CAP_MS - elapsed),
    );
    const budget = new TimeoutBudget(
      minutes > 0 ? minutes * (this.deps.minuteMs ?? 60_000) : HARD_CAP_MS,
      elapsed - run.waitedMs - currentWait,
      minutes > 0 ? expired(`${minutes} minutes`) : () => {},
    );
    budget.resume();
    this.#budget = budget;
    return { budget, hardCap };
  }

  #taskWaiting(taskRunId: string, label: string, reason: string) {
    if (!this.#running.has(taskRunId) || this.#waiting.has(taskRunId)) return;
    this.#waiting.add(taskRunId);
    this.#log!.forTask(taskRunId).platform(
      'Warning',
      `The ${label} is waiting: ${reason}`,
    );
    this.#queueWaitingWrite(() =>
      this.deps.runs.setTaskWaiting(
        { id: taskRunId, runId: this.run.id },
        true,
      ),
    );
    this.#updateRunWaiting();
  }

  #taskResumed(taskRunId: string, label: string) {
    if (!this.#waiting.delete(taskRunId)) return;
    this.#log!.forTask(taskRunId).platform(
      'Normal',
      `The ${label} got its resources and runs`,
    );
    this.#queueWaitingWrite(() =>
      this.deps.runs.setTaskWaiting(
        { id: taskRunId, runId: this.run.id },
        false,
      ),
    );
    this.#updateRunWaiting();
  }

  /** The run waits when every task it executes waits; only then is the timeout paused. */
  #updateRunWaiting() {
    const waiting =
      this.#waiting.size > 0 &&
      [...this.#running.keys()].every(id => this.#waiting.has(id));
    if (waiting === this.#runWaiting || this.#abandoned) return;
    this.#runWaiting = waiting;
    if (waiting) {
      this.#budget?.pause();
      this.#log!.run.platform(
        'Warning',
        'The run is waiting for cluster resources; its timeout does not count this time',
      );
    } else {
      this.#budget?.resume();
    }
    const { runs, engineId } = this.deps;
    this.#queueWaitingWrite(() =>
      runs.setRunWaiting(this.run.id, engineId, waiting),
    );
  }

  #queueWaitingWrite(write: () => Promise<void>) {
    this.#waitingWrites = this.#waitingWrites
      .then(write)
      .catch(error =>
        this.deps.logger.warn(
          `Recording the waiting state of run ${this.run.id} failed: ${error}`,
        ),
      );
  }

  #currentEnd(): EndReason | undefined {
    return this.#endReason;
  }

  #end(reason: EndReason) {
    if (this.#endReason) return;
    this.#endReason = reason;
    this.#log?.run.platform('Warning', reason.message);
    this.#abort.abort();
  }
}
