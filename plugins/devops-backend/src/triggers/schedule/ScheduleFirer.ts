import { LoggerService } from '@backstage/backend-plugin-api';
import { DateTime } from 'luxon';
import { randomUUID } from 'crypto';
import { DatabasePipelineStore } from '../../database/DatabasePipelineStore';
import { DatabaseRunStore } from '../../database/DatabaseRunStore';
import type { NewRun } from '../../database/types';
import { assertRunnable, newRunOf } from '../../engine/queueRun';
import { DatabaseTriggerStore } from '../DatabaseTriggerStore';
import type { DueSchedule, NewTriggerActivity } from '../types';
import type { TriggerClock } from './TriggerClock';

/** Due schedules read and fired per transaction. */
const BATCH = 1000;

/** Every schedule fires on a whole minute (SPEC §5), so the timer wakes on each one. */
const nextWholeMinute = (time: Date) =>
  new Date(Math.floor(time.getTime() / 60_000) * 60_000 + 60_000);

/**
 * Starts the runs of pipelines whose schedule is due. A fire time is recorded per
 * pipeline under a unique key in the transaction that queues its run, so it starts at
 * most one run across replicas and restarts; a schedule missed while no backend ran
 * fires once, at the next look, and then moves on to its next slot after now.
 */
export class ScheduleFirer {
  constructor(
    private readonly deps: {
      triggers: DatabaseTriggerStore;
      pipelines: DatabasePipelineStore;
      runs: DatabaseRunStore;
      clock: TriggerClock;
      logger: LoggerService;
      /** Runs were queued: the engine should look now. */
      onQueued(): void;
    },
  ) {}

  /**
   * The scheduler task's body: fires what is due, then waits for the next whole minute
   * and fires it on time. The scheduler starts it again at once, on whichever replica
   * claims it, so every minute is waited for by exactly one replica.
   */
  async fireNextMinute(signal: AbortSignal): Promise<void> {
    await this.fireDue(this.deps.clock.now());
    const minute = nextWholeMinute(this.deps.clock.now());
    await this.deps.clock.sleepUntil(minute, signal);
    if (signal.aborted) return;
    const now = this.deps.clock.now();
    await this.fireDue(now > minute ? now : minute);
  }

  /** Fires every schedule due at `now`. */
  async fireDue(now: Date): Promise<{ started: number; skipped: number }> {
    const totals = { started: 0, skipped: 0 };
    for (;;) {
      const due = await this.deps.triggers.dueSchedules(now, BATCH);
      if (!due.length) break;
      const fired = await this.#fire(due, now);
      totals.started += fired.started;
      totals.skipped += fired.skipped;
      if (due.length < BATCH) break;
    }
    if (totals.started) this.deps.onQueued();
    return totals;
  }

  async #fire(due: DueSchedule[], now: Date) {
    const { triggers, pipelines, runs } = this.deps;
    const records = await pipelines.getMany(due.map(d => d.pipelineId));
    const activity: NewTriggerActivity[] = [];
    const newRuns = new Map<string, NewRun>();
    for (const { pipelineId, fireAt } of due) {
      const pipeline = records.get(pipelineId);
      if (!pipeline) continue; // deleted since it was read; its index row went with it
      const entry: NewTriggerActivity = {
        pipelineId,
        source: 'schedule',
        dedupKey: `schedule:${fireAt.toISOString()}`,
        summary: this.#describeFire(fireAt, now),
      };
      try {
        assertRunnable(pipeline);
        entry.runId = randomUUID();
        newRuns.set(pipelineId, {
          ...newRunOf(pipeline, { type: 'schedule', fireTime: fireAt.toISOString() }),
          id: entry.runId,
        });
      } catch (error) {
        entry.reason = (error as Error).message;
      }
      activity.push(entry);
    }
    const started = await triggers.transaction(async tx => {
      const written = await triggers.recordActivity(tx, activity, now);
      const toQueue = [...newRuns.values()].filter(run => written.has(run.pipelineId));
      await runs.createRuns(toQueue, { tx, queuedAt: now });
      await triggers.advanceSchedules(tx, due, now);
      return toQueue.length;
    });
    const skipped = activity.length - newRuns.size;
    this.deps.logger.debug(`Timer: ${started} runs started, ${skipped} pipelines skipped`);
    return { started, skipped };
  }

  /** "fire time 2026-12-03 14:54 UTC", and whether it is a catch-up after downtime. */
  #describeFire(fireAt: Date, now: Date): string {
    const { zone } = this.deps.triggers;
    const shown = DateTime.fromJSDate(fireAt).setZone(zone).toFormat('yyyy-LL-dd HH:mm');
    const missed = now.getTime() - fireAt.getTime() >= 60_000;
    return `fire time ${shown} ${zone}${
      missed ? ' (missed while no backend was running; one catch-up run)' : ''
    }`;
  }
}
