import type { LogChunk } from '@devops-pipelines/plugin-devops-common';
import { Knex } from 'knex';
import type { RunChanges } from './RunChanges';

type RawLogChunkRow = {
  run_id: string;
  seq: number;
  task_run_id: string | null;
  created_at: Date;
  text: string;
  resume_mark: string | null;
};

export type NewLogChunk = {
  seq: number;
  taskId?: string;
  text: string;
  /** The executor's mark of the last output line in the chunk that carried one. */
  resumeMark?: string;
};

/** Chunk rows per insert statement: 600 bound values, well within SQLite's limit. */
const INSERT_BATCH = 100;

/** The only code that reads and writes `log_chunks`. */
export class DatabaseLogStore {
  constructor(
    private readonly db: Knex,
    /** Told of every append, so that the run's log followers read it. */
    private readonly changes: RunChanges,
  ) {}

  async append(runId: string, chunks: NewLogChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const now = new Date();
    const rows = chunks.map(c => ({
      run_id: runId,
      seq: c.seq,
      task_run_id: c.taskId ?? null,
      created_at: now,
      text: c.text,
      resume_mark: c.resumeMark ?? null,
    }));
    // One statement as a rule (a batch of lines holds a few chunks); a long list goes in
    // parts that SQLite's limit on bound values takes, in one transaction.
    if (rows.length <= INSERT_BATCH) {
      await this.changes.writeAndNotify(
        this.db('log_chunks').insert(rows),
        runId,
        'log',
      );
      return;
    }
    await this.db.transaction(async tx => {
      await this.db
        .batchInsert('log_chunks', rows, INSERT_BATCH)
        .transacting(tx);
      await this.changes.notify(runId, 'log', tx);
    });
  }

  /** Chunks after `afterSeq`, in order; one page at a time keeps memory constant. */
  async list(
    runId: string,
    /** `taskId: null` selects the lines about the whole run, which have no task. */
    options: { afterSeq: number; limit: number; taskId?: string | null },
  ): Promise<LogChunk[]> {
    const rows = await this.db<RawLogChunkRow>('log_chunks')
      .where({ run_id: runId })
      .where('seq', '>', options.afterSeq)
      .modify(qb => {
        if (options.taskId === null) qb.whereNull('task_run_id');
        else if (options.taskId) qb.where({ task_run_id: options.taskId });
      })
      .orderBy('seq', 'asc')
      .limit(options.limit);
    return rows.map((row: RawLogChunkRow) => ({
      seq: row.seq,
      ...(row.task_run_id ? { taskId: row.task_run_id } : {}),
      text: row.text,
    }));
  }

  /**
   * The mark of a task's last stored output line that has one: where an executor that
   * re-attaches to the task after a takeover continues its output.
   */
  async lastResumeMark(
    runId: string,
    taskId: string,
  ): Promise<string | undefined> {
    const row = await this.db<RawLogChunkRow>('log_chunks')
      .where({ run_id: runId, task_run_id: taskId })
      .whereNotNull('resume_mark')
      .orderBy('seq', 'desc')
      .first('resume_mark');
    return row?.resume_mark ?? undefined;
  }

  /** The last sequence number written, so an engine taking a run over continues after it. */
  async lastSeq(runId: string): Promise<number> {
    const row = await this.db('log_chunks')
      .where({ run_id: runId })
      .max({ seq: 'seq' })
      .first();
    return Number(row?.seq ?? 0);
  }
}
