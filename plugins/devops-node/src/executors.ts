import type {
  PipelineSource,
  Task,
} from '@devops-pipelines/plugin-devops-common';

/**
 * Where a task's log lines go. Output is raw text as the process printed it (split
 * anywhere, even inside a line); platform lines are what the executor did and saw,
 * shown as `[Normal] ...` or `[Warning] ...`.
 */
export interface TaskLog {
  /**
   * `resumeMark`, when the executor can re-attach: where its source of output stands
   * once this chunk is written (opaque to the engine, stored with the line; see
   * {@link TaskContext.resumeMark}).
   */
  output(chunk: string, resumeMark?: string): void;
  platform(level: 'Normal' | 'Warning', text: string): void;
}

/** The commit every task of a run uses, resolved once when the run starts. */
export type RunSource = PipelineSource & {
  commit: string;
};

/** What a run's tasks share: its identity and its checked-out source. */
export type RunContext = {
  runId: string;
  pipelineId: string;
  pipelineName: string;
  buildId: number;
  source?: RunSource;
};

export type TaskContext = {
  run: RunContext;
  /** Stable across takeovers; the id log lines and pods are keyed by. */
  taskRunId: string;
  attempt: number;
  /** The task with its fields already expanded (a script is left to the shell). */
  task: Task;
  /**
   * Every variable of the run, secret ones included, as environment variables. The
   * task's own `env` entries are not in it: executors apply them on top.
   */
  env: Record<string, string>;
  log: TaskLog;
  /**
   * Aborted when the run is stopped or times out; the executor then ends the task. When
   * the engine only lets go of the run (shutdown, or another engine took it over), the
   * reason is a {@link RunAbandoned}: work that can be re-attached to is left running
   * for the next engine.
   */
  signal: AbortSignal;
  /**
   * The task cannot start for want of cluster resources (its pod is unschedulable). The
   * task and, when no other task of the run executes, the run show `waiting`, and the
   * run's timeout is paused until `resumed()` (SPEC §3, §10). The reason is for the log.
   */
  waiting(reason: string): void;
  /** The task got its resources and executes again. */
  resumed(): void;
  /**
   * For a task started before a takeover: the mark stored with its last output line, so
   * that an executor re-attaching to it continues its output there instead of repeating it.
   */
  resumeMark?: string;
};

export type TaskResult = {
  status: 'succeeded' | 'failed';
  exitCode?: number;
  /** Why it failed, in words a user can act on. */
  message?: string;
  /** `NAME=value` pairs the task wrote to `$DEVOPS_OUTPUT`. */
  outputs?: Record<string, string>;
};

/** Runs tasks somewhere: as child processes here, or as pods on a cluster. */
export interface TaskExecutor {
  /**
   * Decides where the run's tasks go, in the run's initialisation step (before its source
   * is resolved); throws with a user-facing message. Executors that run in one place
   * leave it out.
   */
  initialiseRun?(run: RunContext, log: TaskLog): Promise<void>;
  /**
   * Checks out the run's source (once per run), in the run's checkout step; throws with a
   * user-facing message. Called without a source too, to prepare the tasks' workspace.
   */
  prepareRun(run: RunContext, log: TaskLog): Promise<void>;
  /** Runs one task to its end. An aborted signal ends it; the engine decides the status. */
  execute(ctx: TaskContext): Promise<TaskResult>;
  /** Removes what the run left behind (workspaces, pods). */
  cleanupRun(run: RunContext): Promise<void>;
  /**
   * Whether a task that an engine started before it stopped can be executed again with
   * the same `taskRunId` and attempt to re-attach to its work (a pod with a deterministic
   * name). Executors without this (child processes die with their engine) leave it out,
   * and such a task is reported as interrupted. Asked after `prepareRun`.
   */
  canReattach?(run: RunContext): boolean;
}

/** Raised when source resolution fails: the run fails with this message. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** The abort reason when an engine lets go of a run that another engine continues. */
export class RunAbandoned extends Error {
  constructor() {
    super('The engine let go of the run; another engine continues it');
    this.name = 'RunAbandoned';
  }
}
