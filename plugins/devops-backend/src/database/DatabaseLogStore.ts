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

/** A page of a log holds at most this many chunks... */
const PAGE_CHUNKS = 500;
/** ...and no chunk that starts past this many bytes (its first chunk always). */
const PAGE_BYTES = 4 * 1024 * 1024;

function toChunk(row: Pick<RawLogChunkRow, 'seq' | 'task_run_id' | 'text'>) {
  return {
    seq: row.seq,
    ...(row.task_run_id ? { taskId: row.task_run_id } : {}),
    text: row.text,
  };
}

export type LogPage = { chunks: LogChunk[]; more: boolean };

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

  /**
   * The next page of a log after `afterSeq`: up to 500 chunks, and no more of them than
   * start within 4 MiB. A task printing fast fills chunks of up to 256 K
   * characters (RunLogWriter), so 500 of them could be most of a large log, held at once
   * by a download or by each of its followers. `more` says the page is full: read on.
   */
  async page(
    runId: string,
    /** `taskId: null` selects the lines about the whole run, which have no task. */
    options: { afterSeq: number; taskId?: string | null },
  ): Promise<LogPage> {
    return this.#page(
      this.#chunks(runId, options.taskId).where('seq', '>', options.afterSeq),
      'asc',
    );
  }

  /**
   * The page that ends before `beforeSeq` (the log's end when unset), newest chunk
   * first: a log's tail is read from its end, however long the log.
   */
  async pageBackwards(
    runId: string,
    options: { beforeSeq?: number; taskId?: string | null },
  ): Promise<LogPage> {
    const chunks = this.#chunks(runId, options.taskId);
    if (options.beforeSeq !== undefined) {
      chunks.where('seq', '<', options.beforeSeq);
    }
    return this.#page(chunks, 'desc');
  }

  /** How many lines the chunks before `beforeSeq` hold, counted in the database. */
  async countLines(
    runId: string,
    options: { beforeSeq: number; taskId?: string | null },
  ): Promise<number> {
    // Every stored line ends with a newline (RunLogWriter).
    const row = await this.#chunks(runId, options.taskId)
      .where('seq', '<', options.beforeSeq)
      .sum({
        lines: this.db.raw("length(text) - length(replace(text, ?, ''))", [
          '\n',
        ]),
      })
      .first();
    return Number(row?.lines ?? 0);
  }

  async #page(
    chunks: Knex.QueryBuilder,
    order: 'asc' | 'desc',
  ): Promise<LogPage> {
    // The bytes before each chunk, counted in the database, so that chunks past the budget
    // are never sent here. octet_length, not length: PostgreSQL reads a stored text's size
    // from its header, where counting characters would unpack every candidate.
    const candidates = chunks
      .select(
        'seq',
        'task_run_id',
        'text',
        this.db.raw(
          `sum(octet_length(text)) over (order by seq ${order}) - octet_length(text) as bytes_before`,
        ),
      )
      .orderBy('seq', order)
      .limit(PAGE_CHUNKS);
    const rows: RawLogChunkRow[] = await this.db
      .select('seq', 'task_run_id', 'text')
      .from(candidates.as('candidates'))
      .where('bytes_before', '<', PAGE_BYTES)
      .orderBy('seq', order);
    const page = rows.map(toChunk);
    const bytes = page.reduce((sum, c) => sum + Buffer.byteLength(c.text), 0);
    return {
      chunks: page,
      more: page.length === PAGE_CHUNKS || bytes >= PAGE_BYTES,
    };
  }

  /** Chunks after `afterSeq`, in order, at most `limit`. */
  async list(
    runId: string,
    /** `taskId: null` selects the lines about the whole run, which have no task. */
    options: { afterSeq: number; limit: number; taskId?: string | null },
  ): Promise<LogChunk[]> {
    const rows = await this.#chunks(runId, options.taskId)
      .where('seq', '>', options.afterSeq)
      .select('seq', 'task_run_id', 'text')
      .orderBy('seq', 'asc')
      .limit(options.limit);
    return rows.map(toChunk);
  }

  /** A run's chunks, or one step's: `null` for the lines about the whole run. */
  #chunks(runId: string, taskId?: string | null) {
    return this.db<RawLogChunkRow>('log_chunks')
      .where({ run_id: runId })
      .modify(qb => {
        if (taskId === null) qb.whereNull('task_run_id');
        else if (taskId) qb.where({ task_run_id: taskId });
      });
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

  /**
   * The platform lines (`[Normal] …`, `[Warning] …`, without their timestamps) of a task's
   * log: what an engine continuing the task after a takeover need not log again, such as
   * the pod events the previous engine copied in.
   */
  async platformLines(runId: string, taskId: string): Promise<Set<string>> {
    const lines = new Set<string>();
    for (let afterSeq = 0; ; ) {
      const { chunks, more } = await this.page(runId, { afterSeq, taskId });
      for (const chunk of chunks) {
        for (const line of chunk.text.split('\n')) {
          const text = line.slice(line.indexOf(' ') + 1);
          if (/^\[(Normal|Warning)\] /.test(text)) lines.add(text);
        }
        afterSeq = chunk.seq;
      }
      if (!more || !chunks.length) return lines;
    }
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
