import {
  isFinalStatus,
  type LogChunk,
  type RunStatus,
} from '@devops-pipelines/plugin-devops-common';
import type { DatabaseLogStore } from '../database/DatabaseLogStore';
import type { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { RunChanges } from '../database/RunChanges';

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
    logs: Pick<DatabaseLogStore, 'page'>;
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
  // The run's status is read at first and after it moved, not at every new line.
  let statusMoved = true;
  let status: RunStatus = 'running';
  try {
    while (!signal.aborted) {
      // Status first: chunks written before the run ended are then all visible.
      if (statusMoved) status = (await runs.getRunOrThrow(runId)).status;
      // A page at a time: memory stays bounded whatever the log's size.
      const { chunks, more } = await logs.page(runId, {
        afterSeq: after,
        taskId,
      });
      for (const chunk of chunks) {
        await follower.onChunk(chunk);
        after = chunk.seq;
      }
      statusMoved = false;
      if (more) continue;
      if (isFinalStatus(status)) {
        await follower.onEnd(status);
        return;
      }
      for (;;) {
        const changes = await watch.next(idleMs, signal);
        if (changes.size > 0) {
          statusMoved = changes.has('status');
          break;
        }
        if (signal.aborted) break;
        await follower.onIdle();
      }
    }
  } finally {
    watch.close();
  }
}
