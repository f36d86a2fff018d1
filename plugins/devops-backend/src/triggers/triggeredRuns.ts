import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { NewRun, PipelineRecord } from '../database/types';
import { assertRunnable } from '../engine/queueRun';
import { DatabaseTriggerStore } from './DatabaseTriggerStore';
import type { NewTriggerActivity } from './types';

/**
 * The run a trigger starts for `entry`, under the id its activity records; or, when the
 * pipeline cannot run (inactive, secrets unreadable), none, with the reason on the entry.
 */
export function runOrReason(
  entry: NewTriggerActivity,
  pipeline: PipelineRecord,
  newRun: () => NewRun,
): NewRun | undefined {
  try {
    assertRunnable(pipeline);
  } catch (error) {
    entry.reason = (error as Error).message;
    return undefined;
  }
  entry.runId = randomUUID();
  return { ...newRun(), id: entry.runId };
}

/**
 * Records trigger activity and queues the runs of the entries that were written, in
 * `tx`: an entry whose key the pipeline has already (the same fire time or delivery,
 * seen before or by another replica) is not written, and its run is not queued.
 */
export async function recordAndQueue(
  tx: Knex.Transaction,
  stores: { triggers: DatabaseTriggerStore; runs: DatabaseRunStore },
  activity: NewTriggerActivity[],
  newRuns: NewRun[],
  now: Date,
): Promise<{ written: Set<string>; started: number }> {
  const written = await stores.triggers.recordActivity(tx, activity, now);
  const toQueue = newRuns.filter(run => written.has(run.pipelineId));
  await stores.runs.createRuns(toQueue, { tx, queuedAt: now });
  return { written, started: toQueue.length };
}
