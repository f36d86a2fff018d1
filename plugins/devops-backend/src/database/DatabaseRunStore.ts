import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  SETUP_STEPS,
  type PipelineSpec,
  type RunStatus,
  type RunTrigger,
  type SetupStep,
} from '@devops-pipelines/plugin-devops-common';
import { Knex } from 'knex';
import { randomUUID } from 'crypto';
import { SecretBox } from '../secrets/SecretBox';
import type { RunChanges } from './RunChanges';
import {
  DbTime,
  parseJson,
  storableText,
  toCount,
  toIso,
  toMillis,
} from './rows';
import {
  ExecutorHandle,
  NewRun,
  RunRecord,
  SetupStepRecord,
  TaskRunRecord,
} from './types';

type RawRunRow = {
  id: string;
  pipeline_id: string;
  build_id: number;
  pipeline_name: string;
  status: RunStatus;
  trigger: string;
  spec: string;
  secrets: string | null;
  params: string | null;
  commit_sha: string | null;
  branch: string | null;
  queued_at: DbTime;
  started_at: DbTime | null;
  finished_at: DbTime | null;
  claimed_by: string | null;
  heartbeat_at: DbTime | null;
  stop_requested: boolean | number;
  message: string | null;
  waited_ms: number | string;
  waiting_since: DbTime | null;
};

type RawTaskRunRow = {
  id: string;
  run_id: string;
  stage_index: number;
  task_index: number;
  status: RunStatus;
  attempt: number;
  started_at: DbTime | null;
  finished_at: DbTime | null;
  exit_code: number | null;
  message: string | null;
  outputs: string | null;
  executor_handle: string | null;
};

type RawSetupStepRow = {
  run_id: string;
  step: SetupStep;
  status: RunStatus;
  started_at: DbTime | null;
  finished_at: DbTime | null;
  message: string | null;
};

/** Runs an engine is driving; stop requests and lost claims are read from these. */
export const ACTIVE_RUN_STATUSES: RunStatus[] = ['running', 'waiting'];

/** A task run as the writes of its status name it: its run is told of the change. */
export type TaskRunRef = Pick<TaskRunRecord, 'id' | 'runId'>;

/** Set-up steps and tasks that never started when their run ended are skipped. */
async function skipUnstartedSteps(tx: Knex.Transaction, runId: string) {
  await tx('task_runs')
    .where({ run_id: runId })
    .whereIn('status', ['queued', 'waiting'])
    .update({ status: 'skipped' });
  await tx('run_steps')
    .where({ run_id: runId, status: 'queued' })
    .update({ status: 'skipped' });
}

/** The only code that reads and writes `runs`, `run_steps` and `task_runs`. */
export class DatabaseRunStore {
  constructor(
    private readonly db: Knex,
    private readonly secretBox: SecretBox,
    /** Told whenever a status moves, so that the run's page and log followers see it. */
    private readonly changes: RunChanges,
  ) {}

  /**
   * Queues a run with the next BUILD_ID of its pipeline. The counter is incremented in
   * the same transaction as the insert, so concurrent triggers get distinct numbers and
   * a failed insert leaves no gap.
   */
  async createRun(newRun: NewRun): Promise<RunRecord> {
    const [id] = await this.createRuns([newRun]);
    return (await this.getRun(id))!;
  }

  /**
   * Queues many runs at once, in the caller's transaction when given one: a timer that
   * fires thousands of pipelines at the same minute writes them in a few statements
   * instead of a transaction each. Returns the new runs' ids in the order given.
   */
  async createRuns(
    newRuns: NewRun[],
    options: { tx?: Knex.Transaction; queuedAt?: Date } = {},
  ): Promise<string[]> {
    const ids = newRuns.map(run => run.id ?? randomUUID());
    if (!newRuns.length) return ids;
    const queuedAt = options.queuedAt ?? new Date();
    const insert = async (tx: Knex.Transaction) => {
      const firstBuildIds = await this.#reserveBuildIds(tx, newRuns);
      const runRows = newRuns.map((newRun, index) => ({
        id: ids[index],
        pipeline_id: newRun.pipelineId,
        build_id: firstBuildIds.get(newRun.pipelineId)!.next(),
        pipeline_name: newRun.pipelineName,
        status: 'queued',
        trigger: JSON.stringify(newRun.trigger),
        spec: JSON.stringify(newRun.spec),
        secrets: this.secretBox.seal(newRun.secrets),
        params: JSON.stringify(newRun.params),
        commit_sha: newRun.commit ?? null,
        branch: newRun.branch ?? newRun.spec.source?.branch ?? null,
        queued_at: queuedAt,
        stop_requested: false,
      }));
      await tx.batchInsert('runs', runRows as any[], 200);
      const taskRows = newRuns.flatMap((newRun, index) =>
        newRun.spec.stages.flatMap((stage, stageIndex) =>
          stage.tasks.map((_, taskIndex) => ({
            id: randomUUID(),
            run_id: ids[index],
            stage_index: stageIndex,
            task_index: taskIndex,
            status: 'queued',
            attempt: 0,
          })),
        ),
      );
      await tx.batchInsert('task_runs', taskRows, 200);
      const stepRows = ids.flatMap(id =>
        SETUP_STEPS.map(step => ({ run_id: id, step, status: 'queued' })),
      );
      await tx.batchInsert('run_steps', stepRows, 200);
    };
    if (options.tx) await insert(options.tx);
    else await this.db.transaction(insert);
    return ids;
  }

  /**
   * Moves each pipeline's BUILD_ID counter past the runs being queued for it and hands
   * out the reserved numbers in order. Pipelines that queue the same number of runs
   * share one update.
   */
  async #reserveBuildIds(tx: Knex.Transaction, newRuns: NewRun[]) {
    const runsPerPipeline = new Map<string, number>();
    for (const { pipelineId } of newRuns) {
      runsPerPipeline.set(
        pipelineId,
        (runsPerPipeline.get(pipelineId) ?? 0) + 1,
      );
    }
    // The pipelines' rows are locked in one order, by id, before any counter moves: an
    // UPDATE ... WHERE id IN (...) locks rows in whatever order it finds them, so two
    // replicas queueing runs of the same pipelines (two deliveries, a delivery and a fire
    // time) could each hold one row the other waits for. PostgreSQL then aborts one as a
    // deadlock, and a delivery's runs with it, after its 202. Ids are UUIDs, ordered alike
    // in JavaScript and any collation, so the chunks keep the order too.
    const ordered = [...runsPerPipeline.keys()].sort();
    for (let i = 0; i < ordered.length; i += 500) {
      await tx('pipelines')
        .whereIn('id', ordered.slice(i, i + 500))
        .orderBy('id')
        .forNoKeyUpdate()
        .select('id');
    }
    const pipelinesByCount = new Map<number, string[]>();
    for (const [pipelineId, count] of runsPerPipeline) {
      pipelinesByCount.set(count, [
        ...(pipelinesByCount.get(count) ?? []),
        pipelineId,
      ]);
    }
    const reserved = new Map<string, { next(): number }>();
    for (const [count, pipelineIds] of pipelinesByCount) {
      for (let i = 0; i < pipelineIds.length; i += 500) {
        const bumped: Array<{ id: string; next_build_id: number }> = await tx(
          'pipelines',
        )
          .whereIn('id', pipelineIds.slice(i, i + 500))
          .increment('next_build_id', count)
          .returning(['id', 'next_build_id']);
        for (const row of bumped) {
          let buildId = row.next_build_id - count;
          reserved.set(row.id, { next: () => buildId++ });
        }
      }
    }
    const missing = [...runsPerPipeline.keys()].find(id => !reserved.has(id));
    if (missing) throw new NotFoundError(`No pipeline with id ${missing}`);
    return reserved;
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = await this.db<RawRunRow>('runs').where({ id }).first();
    return row ? this.toRun(row) : undefined;
  }

  async getRunOrThrow(id: string): Promise<RunRecord> {
    const run = await this.getRun(id);
    if (!run) throw new NotFoundError(`No run with id ${id}`);
    return run;
  }

  /** Run records of a pipeline, newest first; `beforeBuildId` pages backwards. */
  async listRuns(
    pipelineId: string,
    options: { limit: number; beforeBuildId?: number },
  ): Promise<{ items: RunRecord[]; totalCount: number }> {
    const [rows, countRow] = await Promise.all([
      this.db<RawRunRow>('runs')
        .where({ pipeline_id: pipelineId })
        .modify(qb => {
          if (options.beforeBuildId !== undefined) {
            qb.where('build_id', '<', options.beforeBuildId);
          }
        })
        .orderBy('build_id', 'desc')
        .limit(options.limit),
      this.db('runs')
        .where({ pipeline_id: pipelineId })
        .count({ count: '*' })
        .first(),
    ]);
    return {
      items: rows.map((row: RawRunRow) => this.toRun(row)),
      totalCount: toCount(countRow as any),
    };
  }

  /** The newest run of each pipeline, for list pages. */
  async latestRuns(pipelineIds: string[]): Promise<Map<string, RunRecord>> {
    if (pipelineIds.length === 0) return new Map();
    const newest = this.db('runs')
      .select('pipeline_id')
      .max({ build_id: 'build_id' })
      .whereIn('pipeline_id', pipelineIds)
      .groupBy('pipeline_id')
      .as('newest');
    const rows: RawRunRow[] = await this.db('runs')
      .join(newest, join =>
        join
          .on('runs.pipeline_id', '=', 'newest.pipeline_id')
          .andOn('runs.build_id', '=', 'newest.build_id'),
      )
      .select('runs.*');
    return new Map(rows.map(row => [row.pipeline_id, this.toRun(row)]));
  }

  /** The newest run of a pipeline that has not ended yet. */
  async latestUnfinishedRun(
    pipelineId: string,
  ): Promise<RunRecord | undefined> {
    const row = await this.db<RawRunRow>('runs')
      .where({ pipeline_id: pipelineId })
      .whereIn('status', ['queued', ...ACTIVE_RUN_STATUSES])
      .orderBy('build_id', 'desc')
      .first();
    return row ? this.toRun(row) : undefined;
  }

  /**
   * The pipeline's run that ended last before this one among those that succeeded, failed
   * or timed out (a stop says nothing of the pipeline's health): whether a success
   * "fixed" it.
   */
  async previousOutcome(
    run: Pick<RunRecord, 'id' | 'pipelineId'>,
  ): Promise<{ buildId: number; status: RunStatus } | undefined> {
    const row = await this.db<RawRunRow>('runs')
      .select('build_id', 'status')
      .where({ pipeline_id: run.pipelineId })
      .whereNot({ id: run.id })
      .whereIn('status', ['succeeded', 'failed', 'timedOut'])
      .where(
        'finished_at',
        '<=',
        this.db('runs').select('finished_at').where({ id: run.id }),
      )
      .orderBy([
        { column: 'finished_at', order: 'desc' },
        { column: 'build_id', order: 'desc' },
      ])
      .first();
    return row ? { buildId: row.build_id, status: row.status } : undefined;
  }

  async listTaskRuns(runId: string): Promise<TaskRunRecord[]> {
    const rows = await this.db<RawTaskRunRow>('task_runs')
      .where({ run_id: runId })
      .orderBy([
        { column: 'stage_index', order: 'asc' },
        { column: 'task_index', order: 'asc' },
      ]);
    return rows.map((row: RawTaskRunRow) => this.toTaskRun(row));
  }

  /** The run's set-up steps in the order they run. */
  async listSetupSteps(runId: string): Promise<SetupStepRecord[]> {
    const rows = await this.db<RawSetupStepRow>('run_steps').where({
      run_id: runId,
    });
    return rows
      .map((row: RawSetupStepRow) => ({
        runId: row.run_id,
        step: row.step,
        status: row.status,
        startedAt: toIso(row.started_at),
        finishedAt: toIso(row.finished_at),
        message: row.message ?? undefined,
      }))
      .sort(
        (a, b) => SETUP_STEPS.indexOf(a.step) - SETUP_STEPS.indexOf(b.step),
      );
  }

  /** A queued set-up step starts; one already started (before a takeover) keeps its start. */
  async startSetupStep(runId: string, step: SetupStep): Promise<void> {
    const started = await this.db('run_steps')
      .where({ run_id: runId, step, status: 'queued' })
      .update({ status: 'running', started_at: new Date() });
    if (started) await this.changes.notify(runId, 'status');
  }

  /** A running set-up step ends; one that ended before a takeover keeps its outcome. */
  async finishSetupStep(
    runId: string,
    step: SetupStep,
    result: { status: RunStatus; message?: string },
  ): Promise<void> {
    const finished = await this.db('run_steps')
      .where({ run_id: runId, step, status: 'running' })
      .update({
        status: result.status,
        finished_at: new Date(),
        message: storableText(result.message) ?? null,
      });
    if (finished) await this.changes.notify(runId, 'status');
  }

  /**
   * Claims the oldest queued run for an engine. The guarded update flips a row only while
   * it is still queued, so when engines race for the same row exactly one wins.
   */
  async claimNextRun(engineId: string): Promise<RunRecord | undefined> {
    const candidates = await this.db<RawRunRow>('runs')
      .where({ status: 'queued' })
      .orderBy('queued_at', 'asc')
      .limit(5)
      .select('id');
    for (const { id } of candidates) {
      const now = new Date();
      const claimed = await this.db<RawRunRow>('runs')
        .where({ id, status: 'queued' })
        .update({
          status: 'running',
          claimed_by: engineId,
          heartbeat_at: now as any,
          started_at: now as any,
        });
      if (claimed) {
        await this.changes.notify(id, 'status');
        return this.getRun(id);
      }
    }
    return undefined;
  }

  /**
   * Stamps the heartbeat of the runs an engine drives and reports which of them it no
   * longer owns (taken over or ended elsewhere) and which were asked to stop.
   */
  async heartbeat(
    engineId: string,
    runIds: string[],
  ): Promise<{ lost: string[]; stopRequested: string[] }> {
    if (runIds.length === 0) return { lost: [], stopRequested: [] };
    await this.db('runs')
      .whereIn('id', runIds)
      .where({ claimed_by: engineId })
      .whereIn('status', ACTIVE_RUN_STATUSES)
      .update({ heartbeat_at: new Date() });
    const rows: Array<
      Pick<RawRunRow, 'id' | 'claimed_by' | 'status' | 'stop_requested'>
    > = await this.db('runs')
      .whereIn('id', runIds)
      .select('id', 'claimed_by', 'status', 'stop_requested');
    const owned = new Set(
      rows
        .filter(
          r =>
            r.claimed_by === engineId && ACTIVE_RUN_STATUSES.includes(r.status),
        )
        .map(r => r.id),
    );
    return {
      lost: runIds.filter(id => !owned.has(id)),
      stopRequested: rows
        .filter(r => owned.has(r.id) && r.stop_requested)
        .map(r => r.id),
    };
  }

  /**
   * Takes over one run whose engine stopped heartbeating. Guarded on the old claim and
   * heartbeat, so two engines recovering at once cannot both win.
   */
  async takeOverStaleRun(
    engineId: string,
    staleBefore: Date,
  ): Promise<{ run: RunRecord; previousEngine?: string } | undefined> {
    const candidates: Array<
      Pick<RawRunRow, 'id' | 'claimed_by' | 'heartbeat_at'>
    > = await this.db('runs')
      .whereIn('status', ACTIVE_RUN_STATUSES)
      .where('heartbeat_at', '<', staleBefore)
      .orderBy('queued_at', 'asc')
      .limit(5)
      .select('id', 'claimed_by', 'heartbeat_at');
    for (const candidate of candidates) {
      const taken = await this.db('runs')
        .where({
          id: candidate.id,
          claimed_by: candidate.claimed_by,
          heartbeat_at: candidate.heartbeat_at,
        })
        .whereIn('status', ACTIVE_RUN_STATUSES)
        .update({ claimed_by: engineId, heartbeat_at: new Date() });
      if (taken) {
        return {
          run: (await this.getRun(candidate.id))!,
          previousEngine: candidate.claimed_by ?? undefined,
        };
      }
    }
    return undefined;
  }

  /**
   * Asks a run to stop. A queued run stops at once; a running one is flagged and its
   * engine stops it on its next heartbeat. Returns the run as it is afterwards.
   */
  async requestStop(runId: string): Promise<RunRecord> {
    const now = new Date();
    // One transaction, so nobody reads a stopped run whose tasks are still queued.
    const accepted = await this.db.transaction(async tx => {
      const stoppedWhileQueued = await tx('runs')
        .where({ id: runId, status: 'queued' })
        .update({
          status: 'stopped',
          finished_at: now,
          message: 'Stopped before it started',
        });
      if (stoppedWhileQueued) {
        await skipUnstartedSteps(tx, runId);
        await this.changes.notify(runId, 'status', tx);
        return true;
      }
      const flagged = await tx('runs')
        .where({ id: runId })
        .whereIn('status', ACTIVE_RUN_STATUSES)
        .update({ stop_requested: true });
      // The page shows the run stopping until its engine has stopped it.
      if (flagged) await this.changes.notify(runId, 'status', tx);
      return flagged > 0;
    });
    const run = await this.getRunOrThrow(runId);
    if (!accepted) {
      throw new ConflictError(
        `Run #${run.buildId} already ended (${run.status}); nothing to stop`,
      );
    }
    return run;
  }

  async setRunSource(
    runId: string,
    commit: string,
    branch: string,
  ): Promise<void> {
    await this.db('runs')
      .where({ id: runId })
      .update({ commit_sha: commit, branch });
    await this.changes.notify(runId, 'status');
  }

  /** Ends a run, if the engine still owns it. */
  async finishRun(
    runId: string,
    engineId: string,
    status: RunStatus,
    message?: string,
  ): Promise<boolean> {
    // One transaction: a reader that sees the run ended also sees its unstarted tasks skipped.
    return this.db.transaction(async tx => {
      const updated = await tx('runs')
        .where({ id: runId, claimed_by: engineId })
        .whereIn('status', ACTIVE_RUN_STATUSES)
        .update({
          status,
          message: storableText(message) ?? null,
          finished_at: new Date(),
        });
      if (updated === 0) return false;
      await skipUnstartedSteps(tx, runId);
      await this.changes.notify(runId, 'status', tx);
      return true;
    });
  }

  /** Marks a queued task running; false when it was started before (never start twice). */
  async startTask(taskRun: TaskRunRef): Promise<boolean> {
    const updated = await this.db('task_runs')
      .where({ id: taskRun.id, status: 'queued' })
      .update({ status: 'running', started_at: new Date(), attempt: 1 });
    if (updated) await this.changes.notify(taskRun.runId, 'status');
    return updated > 0;
  }

  /**
   * Records where a task runs (executor, cluster, namespace), before it starts there, so
   * an engine taking the run over finds its work again.
   */
  async setExecutorHandle(
    taskRunId: string,
    handle: ExecutorHandle,
  ): Promise<void> {
    await this.db('task_runs')
      .where({ id: taskRunId })
      .update({ executor_handle: JSON.stringify(handle) });
  }

  /**
   * Continues a task an engine that stopped had started (a takeover), keeping its
   * attempt so the executor finds the same work. False when it is not running any more.
   */
  async resumeTask(taskRun: TaskRunRef): Promise<boolean> {
    const updated = await this.db('task_runs')
      .where({ id: taskRun.id })
      .whereIn('status', ['running', 'waiting'])
      .update({ status: 'running' });
    if (updated) await this.changes.notify(taskRun.runId, 'status');
    return updated > 0;
  }

  /** A started task waits for cluster resources (`waiting`), or runs again (`running`). */
  async setTaskWaiting(taskRun: TaskRunRef, waiting: boolean): Promise<void> {
    const updated = await this.db('task_runs')
      .where({ id: taskRun.id, status: waiting ? 'running' : 'waiting' })
      .update({ status: waiting ? 'waiting' : 'running' });
    if (updated) await this.changes.notify(taskRun.runId, 'status');
  }

  /**
   * A run all of whose running tasks wait for cluster resources is `waiting`; the time
   * it spends so is added to `waited_ms`, which its timeout does not count (SPEC §3).
   * Guarded on the engine's claim, like every write of a driven run.
   */
  async setRunWaiting(
    runId: string,
    engineId: string,
    waiting: boolean,
  ): Promise<void> {
    const now = new Date();
    if (waiting) {
      const updated = await this.db('runs')
        .where({ id: runId, claimed_by: engineId, status: 'running' })
        .update({ status: 'waiting', waiting_since: now });
      if (updated) await this.changes.notify(runId, 'status');
      return;
    }
    const row = await this.db<RawRunRow>('runs')
      .where({ id: runId, claimed_by: engineId, status: 'waiting' })
      .first('waiting_since');
    if (!row) return;
    const since = toMillis(row.waiting_since) ?? now.getTime();
    await this.db('runs')
      .where({ id: runId, claimed_by: engineId, status: 'waiting' })
      .update({
        status: 'running',
        waiting_since: null,
        waited_ms: this.db.raw('waited_ms + ?', [
          Math.max(0, now.getTime() - since),
        ]),
      });
    await this.changes.notify(runId, 'status');
  }

  async finishTask(
    taskRun: TaskRunRef,
    result: {
      status: RunStatus;
      exitCode?: number;
      message?: string;
      outputs?: Record<string, string>;
    },
  ): Promise<void> {
    await this.db('task_runs')
      .where({ id: taskRun.id })
      .update({
        status: result.status,
        finished_at: new Date(),
        exit_code: result.exitCode ?? null,
        message: storableText(result.message) ?? null,
        outputs: result.outputs ? JSON.stringify(result.outputs) : null,
      });
    await this.changes.notify(taskRun.runId, 'status');
  }

  private toRun(row: RawRunRow): RunRecord {
    return {
      id: row.id,
      pipelineId: row.pipeline_id,
      buildId: row.build_id,
      pipelineName: row.pipeline_name,
      status: row.status,
      trigger: JSON.parse(row.trigger) as RunTrigger,
      spec: JSON.parse(row.spec) as PipelineSpec,
      ...this.#openSecrets(row.secrets),
      params: parseJson<Record<string, string>>(row.params) ?? {},
      commit: row.commit_sha ?? undefined,
      branch: row.branch ?? undefined,
      queuedAt: toIso(row.queued_at)!,
      startedAt: toIso(row.started_at),
      finishedAt: toIso(row.finished_at),
      claimedBy: row.claimed_by ?? undefined,
      heartbeatAt: toIso(row.heartbeat_at),
      stopRequested: Boolean(row.stop_requested),
      message: row.message ?? undefined,
      waitedMs: Number(row.waited_ms ?? 0),
      waitingSince: toIso(row.waiting_since),
    };
  }

  private toTaskRun(row: RawTaskRunRow): TaskRunRecord {
    return {
      id: row.id,
      runId: row.run_id,
      stageIndex: row.stage_index,
      taskIndex: row.task_index,
      status: row.status,
      attempt: row.attempt,
      startedAt: toIso(row.started_at),
      finishedAt: toIso(row.finished_at),
      exitCode: row.exit_code ?? undefined,
      message: row.message ?? undefined,
      outputs: parseJson(row.outputs),
      executorHandle: parseJson<ExecutorHandle>(row.executor_handle),
    };
  }

  #openSecrets(sealed: string | null) {
    const { values, unreadable } = this.secretBox.tryOpen(sealed);
    return {
      secrets: values,
      ...(unreadable ? { secretsUnreadable: true } : {}),
    };
  }
}
