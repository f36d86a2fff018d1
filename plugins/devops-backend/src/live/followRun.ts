import {
  isFinalStatus,
  type Run,
} from '@devops-pipelines/plugin-devops-common';
import type { RunChanges } from '../database/RunChanges';

export type RunFollower = {
  /** The run as it is now, each time it differs from the last one given. */
  onRun(run: Run): Promise<void>;
  /** Nothing changed for `idleMs`: a moment to show the follower is still there. */
  onIdle(): Promise<void>;
};

/**
 * Follows a run's statuses (the run's, its set-up steps' and its tasks') to its end. The
 * run is read again only when one of them moved, on this replica or another; log lines do
 * not wake it, so an open run page costs the database nothing between status changes.
 * Ends after the run's final state was given, or early when `signal` aborts.
 */
export async function followRun(
  runChanges: RunChanges,
  options: {
    runId: string;
    /** Reads the run as the API shows it. */
    load: () => Promise<Run>;
    idleMs: number;
    signal: AbortSignal;
  },
  follower: RunFollower,
): Promise<void> {
  const { runId, load, idleMs, signal } = options;
  // Watched before the first read: a change between a read and the wait is not missed.
  const watch = runChanges.watch(runId, ['status']);
  let given: string | undefined;
  try {
    while (!signal.aborted) {
      const run = await load();
      const json = JSON.stringify(run);
      if (json !== given) {
        await follower.onRun(run);
        given = json;
      }
      if (isFinalStatus(run.status)) return;
      while ((await watch.next(idleMs, signal)).size === 0 && !signal.aborted) {
        await follower.onIdle();
      }
    }
  } finally {
    watch.close();
  }
}
