import { ConflictError } from '@backstage/errors';
import type { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { RunEngine } from './RunEngine';

/**
 * Long enough for a run whose backend died to be taken over (devops.engine.staleAfterSeconds,
 * 30 s by default) and stopped by the replica that takes it.
 */
const DEFAULT_TIMEOUT_MS = 60_000;
const POLL_MS = 200;

/**
 * Stops every unfinished run of a pipeline and waits until each has ended, so that the
 * pipeline can be deleted without pulling rows from under a run still executing (its
 * task processes and pods end with the stop). Returns the build ids it stopped. A run that
 * does not end in time is a conflict naming it: deleting again later finds it ended.
 */
export async function stopUnfinishedRuns(options: {
  runs: DatabaseRunStore;
  engine: Pick<RunEngine, 'stopRun'>;
  pipelineId: string;
  pipelineName: string;
  timeoutMs?: number;
}): Promise<number[]> {
  const { runs, engine, pipelineId, pipelineName } = options;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const stopped: number[] = [];
  for (;;) {
    const run = await runs.latestUnfinishedRun(pipelineId);
    if (!run) return stopped;
    if (!run.stopRequested) {
      try {
        await runs.requestStop(run.id);
        stopped.push(run.buildId);
      } catch (error) {
        // It ended meanwhile: nothing to stop.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    // Here, or on whichever replica drives it (it sees the stop request).
    engine.stopRun(run.id);
    if (Date.now() > deadline) {
      throw new ConflictError(
        `Run #${run.buildId} of "${pipelineName}" is still stopping; delete the pipeline again once it has ended`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
}
