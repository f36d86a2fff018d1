import {
  isFinalStatus,
  type LogChunk,
  type RunStatus,
} from '@devops-pipelines/plugin-devops-common';
import type { DatabaseLogStore } from '../database/DatabaseLogStore';
import type { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { RunChanges } from '../database/RunChanges';

/** Chunks read at a time: memory stays bounded whatever the log's size. */
export const LOG_PAGE = 500;

export type RunLogFollower = {
  /** Each chunk, in order; awaited, so that a slow reader slows the reading. */
  onChunk(chunk: LogChunk): Promise<void>;
  /** The run ended and every chunk was given. */
  onEnd(status: RunStatus): Promise<void>;
  /** Nothing happened for `idleMs`: a moment to show the follower is still there. */
  onIdle(): Promise<void>;
};

/**
 * Follows a run's log from after `afterSeq` to the run's end. The database is read again
 * only when the run changed (its log grew or it ended, on this replica or another), so a
 * quiet run's followers cost it nothing. Ends early when `signal` aborts.
 */
export async function followRunLog(
  stores: {
    runs: Pick<DatabaseRunStore, 'getRunOrThrow'>;
    logs: Pick<DatabaseLogStore, 'list'>;
    runChanges: RunChanges;
  },
  options: {
    runId: string;
    afterSeq: number;
    /** A task run's id or `checkout`; null for the run's own lines; unset for all. */
    taskId?: string | null;
    idleMs: number;
    signal: AbortSignal;
  },
  follower: RunLogFollower,
): Promise<void> {
  const { runs, logs, runChanges } = stores;
  const { runId, taskId, idleMs, signal } = options;
  // Watched before the first read: a change between a read and the wait is not missed.
  const watch = runChanges.watch(runId);
  let after = options.afterSeq;
  try {
    while (!signal.aborted) {
      // Status first: chunks written before the run ended are then all visible.
      const { status } = await runs.getRunOrThrow(runId);
      const chunks = await logs.list(runId, {
        afterSeq: after,
        limit: LOG_PAGE,
        taskId,
      });
      for (const chunk of chunks) {
        await follower.onChunk(chunk);
        after = chunk.seq;
      }
      if (chunks.length === LOG_PAGE) continue;
      if (isFinalStatus(status)) {
        await follower.onEnd(status);
        return;
      }
      while (!(await watch.next(idleMs, signal)) && !signal.aborted) {
        await follower.onIdle();
      }
    }
  } finally {
    watch.close();
  }
}
