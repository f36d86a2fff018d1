import type { TaskContext, TaskExecutor, TaskResult } from '../../executors/types';

type Behaviour = (ctx: TaskContext) => Promise<TaskResult>;

/**
 * A test double for the engine's tests (a fake executor, named as such): each task name
 * maps to a scripted behaviour, and every start is recorded so tests can prove that no
 * task ran twice. Real execution is covered by the local executor's own tests.
 */
export class ScriptedTestExecutor implements TaskExecutor {
  readonly starts: Array<{
    taskRunId: string;
    name: string;
    attempt: number;
    env: Record<string, string>;
  }> = [];
  readonly prepared: string[] = [];
  readonly cleaned: string[] = [];

  constructor(
    private readonly behaviours: Record<string, Behaviour> = {},
    /** Whether it claims to re-attach to tasks after a takeover, as pods allow. */
    private readonly reattaches = false,
  ) {}

  canReattach() {
    return this.reattaches;
  }

  async prepareRun(run: { runId: string }) {
    this.prepared.push(run.runId);
  }

  async execute(ctx: TaskContext): Promise<TaskResult> {
    this.starts.push({
      taskRunId: ctx.taskRunId,
      name: ctx.task.name,
      attempt: ctx.attempt,
      env: ctx.env,
    });
    const behaviour = this.behaviours[ctx.task.name];
    return behaviour ? behaviour(ctx) : { status: 'succeeded' };
  }

  async cleanupRun(run: { runId: string }) {
    this.cleaned.push(run.runId);
  }
}

/** A task that runs until it is stopped. */
export const runUntilAborted: Behaviour = ctx =>
  new Promise(resolve => {
    const done = () => resolve({ status: 'failed', message: 'killed' });
    if (ctx.signal.aborted) done();
    ctx.signal.addEventListener('abort', done);
  });

export const failWith =
  (exitCode: number): Behaviour =>
  async ctx => {
    ctx.log.output(`failing with ${exitCode}\n`);
    return { status: 'failed', exitCode, message: `Script exited with code ${exitCode}` };
  };
