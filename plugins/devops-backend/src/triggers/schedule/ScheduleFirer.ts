import { LoggerService } from '@backstage/backend-plugin-api';
import { DateTime } from 'luxon';
import { Knex } from 'knex';
import { DatabasePipelineStore } from '../../database/DatabasePipelineStore';
import { DatabaseRunStore } from '../../database/DatabaseRunStore';
import type { NewRun } from '../../database/types';
import { newRunOf } from '../../engine/queueRun';
import { DatabaseTriggerStore } from '../DatabaseTriggerStore';
import { recordAndQueue, runOrReason } from '../triggeredRuns';
import type { DueSchedule, NewTriggerActivity } from '../types';
import type { TriggerClock } from './TriggerClock';

/** Due schedules read and fired per batch. */
const BATCH = 1000;

/** Every schedule fires on a whole minute (SPEC §5), so the timer wakes on each one. */
const nextWholeMinute = (time: Date) =>
  new Date(Math.floor(time.getTime() / 60_000) * 60_000 + 60_000);

/**
 * How early the runs of a minute are prepared: the margin for a late timer, plus the
 * time the due runs took per run last time, with room to spare, up to a limit that keeps
 * the transaction (and the pipelines' row locks it holds) short.
 */
const LEAD_MARGIN_MS = 200;
const LEAD_SAFETY_FACTOR = 1.5;
const MAX_LEAD_MS = 30_000;
/** The first guess, before a minute was measured: what 10,000 runs take on PostgreSQL. */
const INITIAL_MS_PER_RUN = 0.5;
/** Below this many runs a minute's fixed costs blur the time per run: not learned from. */
const LEARN_FROM_RUNS = 100;

class FireAborted extends Error {}

/**
 * Starts the runs of pipelines whose schedule is due. A fire time is recorded per
 * pipeline under a unique key in the transaction that queues its run, so it starts at
 * most one run across replicas and restarts; a schedule missed while no backend ran
 * fires once, at the next look, and then moves on to its next slot after now.
 */
export class ScheduleFirer {
  /** Milliseconds per run the last busy minute took to prepare. */
  #msPerRun = INITIAL_MS_PER_RUN;

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
   * The scheduler task's body: fires what is due, then fires the next whole minute on
   * time. The runs of that minute are prepared ahead, in one transaction that commits
   * at the fire time, so they are queued at once however many they are (10,000 take
   * seconds to write). The scheduler starts the task again at once, on whichever replica
   * claims it, so every minute is waited for by exactly one replica.
   */
  async fireNextMinute(signal: AbortSignal): Promise<void> {
    const { clock, triggers } = this.deps;
    await this.fireDue(clock.now());
    const minute = nextWholeMinute(clock.now());
    const due = await triggers.countDue(minute);
    const lead = Math.min(
      LEAD_MARGIN_MS + due * this.#msPerRun * LEAD_SAFETY_FACTOR,
      MAX_LEAD_MS,
    );
    await clock.sleepUntil(new Date(minute.getTime() - lead), signal);
    if (signal.aborted) return;
    const now = clock.now();
    if (now >= minute) {
      await this.fireDue(now);
      return;
    }
    await this.#prepareAndFire(minute, signal).catch(error => {
      // Nothing was committed; the next run of the task fires the minute late, once.
      if (!(error instanceof FireAborted)) throw error;
    });
  }

  async #prepareAndFire(minute: Date, signal: AbortSignal) {
    const { clock, triggers } = this.deps;
    const started = clock.now().getTime();
    const totals = await triggers.transaction(async tx => {
      const fired = await this.#fireBatches(minute, tx);
      const count = fired.started + fired.skipped;
      if (count >= LEARN_FROM_RUNS)
        this.#msPerRun = (clock.now().getTime() - started) / count;
      await clock.sleepUntil(minute, signal);
      if (signal.aborted) throw new FireAborted();
      return fired;
    });
    if (totals.started) this.deps.onQueued();
  }

  /** Fires every schedule due at `now`. */
  async fireDue(now: Date): Promise<{ started: number; skipped: number }> {
    const totals = await this.#fireBatches(now);
    if (totals.started) this.deps.onQueued();
    return totals;
  }

  /** Fires the due schedules batch by batch: in `tx` when given, else a transaction each. */
  async #fireBatches(now: Date, tx?: Knex.Transaction) {
    const totals = { started: 0, skipped: 0 };
    for (;;) {
      const due = await this.deps.triggers.dueSchedules(now, BATCH, tx);
      if (!due.length) break;
      const fired = await this.#fire(due, now, tx);
      totals.started += fired.started;
      totals.skipped += fired.skipped;
      if (due.length < BATCH) break;
    }
    return totals;
  }

  async #fire(due: DueSchedule[], now: Date, outer?: Knex.Transaction) {
    const { triggers, pipelines, runs } = this.deps;
    const records = await pipelines.getMany(
      due.map(d => d.pipelineId),
      outer,
    );
    const activity: NewTriggerActivity[] = [];
    const newRuns: NewRun[] = [];
    for (const { pipelineId, fireAt } of due) {
      const pipeline = records.get(pipelineId);
      if (!pipeline) continue; // deleted since it was read; its index row went with it
      const entry: NewTriggerActivity = {
        pipelineId,
        source: 'schedule',
        dedupKey: `schedule:${fireAt.toISOString()}`,
        summary: this.#describeFire(fireAt, now),
      };
      const run = runOrReason(entry, pipeline, () =>
        newRunOf(pipeline, {
          type: 'schedule',
          fireTime: fireAt.toISOString(),
        }),
      );
      if (run) newRuns.push(run);
      activity.push(entry);
    }
    const write = async (tx: Knex.Transaction) => {
      const { started } = await recordAndQueue(
        tx,
        { triggers, runs },
        activity,
        newRuns,
        now,
      );
      await triggers.advanceSchedules(tx, due, now);
      return started;
    };
    const started = outer
      ? await write(outer)
      : await triggers.transaction(write);
    const skipped = activity.length - newRuns.length;
    this.deps.logger.debug(
      `Timer: ${started} runs started, ${skipped} pipelines skipped`,
    );
    return { started, skipped };
  }

  /** "fire time 2026-12-03 14:54 UTC", and whether it is a catch-up after downtime. */
  #describeFire(fireAt: Date, now: Date): string {
    const { zone } = this.deps.triggers;
    const shown = DateTime.fromJSDate(fireAt)
      .setZone(zone)
      .toFormat('yyyy-LL-dd HH:mm');
    const missed = now.getTime() - fireAt.getTime() >= 60_000;
    return `fire time ${shown} ${zone}${
      missed ? ' (missed while no backend was running; one catch-up run)' : ''
    }`;
  }
}
