import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseTriggerStore } from '../DatabaseTriggerStore';
import { createTriggerTestKit } from '../__testUtils__/triggerTestKit';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type Kit = Awaited<ReturnType<typeof createTriggerTestKit>>;

const nextTick = () => new Promise(r => setImmediate(r));

/** Waits until the timer sleeps, and returns the time it waits for. */
async function waitForSleeper(kit: Kit): Promise<Date> {
  while (!kit.clock.sleeping.length) await nextTick();
  return kit.clock.sleeping[0];
}

/** Runs the timer task once, moving the clock to each time it waits for. */
async function runTimerOnce(kit: Kit, signal = new AbortController().signal) {
  let done = false;
  const task = kit.firer.fireNextMinute(signal).finally(() => {
    done = true;
  });
  while (!done) {
    const [wakeAt] = kit.clock.sleeping;
    if (wakeAt) kit.clock.set(wakeAt.toISOString());
    await nextTick();
  }
  await task;
}

/**
 * Plays the scheduler: runs the timer task again and again, as the scheduler does, until
 * it has fired `end`.
 */
async function runTimerUntil(kit: Kit, end: string) {
  while (kit.clock.now() < new Date(end)) await runTimerOnce(kit);
}

/** A kit at 10:00:30 with one pipeline that fires every minute, deactivated if asked. */
async function everyMinute(
  databaseId: Parameters<typeof databases.init>[0],
  options: { active?: boolean } = {},
) {
  const kit = await createTriggerTestKit(databases, databaseId, {
    start: '2026-12-03T10:00:30Z',
  });
  const pipeline = await kit.pipeline({
    triggers: { schedule: { every: 'minutes', interval: 1 } },
  });
  if (options.active === false) {
    await kit.pipelines.update(pipeline.id, pipeline.version, {
      active: false,
    });
  }
  return { kit, pipeline };
}

const queuedTimes = async (kit: Kit, pipelineId: string) =>
  (await kit.runsOf(pipelineId)).map(run => run.queuedAt);

describe.each(databases.eachSupportedId())(
  'ScheduleFirer on %s',
  databaseId => {
    it('fires "every 2 minutes" set at 14:53:21 at 14:54:00, 14:56:00, 14:58:00 (SPEC §5)', async () => {
      const kit = await createTriggerTestKit(databases, databaseId, {
        start: '2026-12-03T14:53:21Z',
      });
      const pipeline = await kit.pipeline({
        triggers: { schedule: { every: 'minutes', interval: 2 } },
      });

      await runTimerUntil(kit, '2026-12-03T14:59:00Z');

      expect(await queuedTimes(kit, pipeline.id)).toEqual([
        '2026-12-03T14:54:00.000Z',
        '2026-12-03T14:56:00.000Z',
        '2026-12-03T14:58:00.000Z',
      ]);
      const runs = await kit.runsOf(pipeline.id);
      expect(runs.map(run => run.buildId)).toEqual([1, 2, 3]);
      expect(runs[0].trigger).toEqual({
        type: 'schedule',
        fireTime: '2026-12-03T14:54:00.000Z',
      });
      expect(kit.onQueued).toHaveBeenCalledTimes(3);
    });

    it('fires "every 2 hours at minute 28" set at 14:53:21 at 16:28 and 18:28', async () => {
      const kit = await createTriggerTestKit(databases, databaseId, {
        start: '2026-12-03T14:53:21Z',
      });
      const pipeline = await kit.pipeline({
        triggers: { schedule: { every: 'hours', interval: 2, minute: 28 } },
      });

      await runTimerUntil(kit, '2026-12-03T18:30:00Z');

      expect(await queuedTimes(kit, pipeline.id)).toEqual([
        '2026-12-03T16:28:00.000Z',
        '2026-12-03T18:28:00.000Z',
      ]);
    });

    it('fires in the configured zone: "every day at 08:00" in Europe/Berlin is 07:00 UTC in winter', async () => {
      const kit = await createTriggerTestKit(databases, databaseId, {
        start: '2026-12-03T06:58:10Z',
        zone: 'Europe/Berlin',
      });
      const pipeline = await kit.pipeline({
        triggers: { schedule: { every: 'day', time: '08:00' } },
      });

      await runTimerUntil(kit, '2026-12-03T07:02:00Z');

      expect(await queuedTimes(kit, pipeline.id)).toEqual([
        '2026-12-03T07:00:00.000Z',
      ]);
      const [activity] = await kit.triggers.listActivity(pipeline.id);
      expect(activity).toMatchObject({
        source: 'schedule',
        summary: 'fire time 2026-12-03 08:00 Europe/Berlin',
        outcome: 'started',
        run: { buildId: 1, status: 'queued' },
      });
    });

    it('starts one run per fire time, however many replicas look', async () => {
      const kit = await createTriggerTestKit(databases, databaseId, {
        start: '2026-12-03T10:04:30Z',
      });
      const pipeline = await kit.pipeline({
        triggers: { schedule: { every: 'minutes', interval: 5 } },
      });
      const other = kit.replicaTimer();

      kit.clock.set('2026-12-03T10:05:00Z');
      await Promise.all([
        kit.firer.fireDue(kit.clock.now()),
        other.fireDue(kit.clock.now()),
      ]);
      // A replica that read the due row before the other moved it on: the unique key holds.
      await kit
        .db('pipeline_triggers')
        .where({ pipeline_id: pipeline.id })
        .update({ next_fire_at: new Date('2026-12-03T10:05:00Z') } as any);
      await other.fireDue(kit.clock.now());

      expect(await queuedTimes(kit, pipeline.id)).toEqual([
        '2026-12-03T10:05:00.000Z',
      ]);
      expect(await kit.triggers.listActivity(pipeline.id)).toHaveLength(1);
    });

    it('after downtime fires one catch-up run, then goes on at the next slot', async () => {
      const kit = await createTriggerTestKit(databases, databaseId, {
        start: '2026-12-03T09:58:00Z',
      });
      const pipeline = await kit.pipeline({
        triggers: { schedule: { every: 'minutes', interval: 5 } },
      });

      // No backend ran from 09:58 to 11:03: twelve fire times were missed.
      kit.clock.set('2026-12-03T11:03:10Z');
      await runTimerUntil(kit, '2026-12-03T11:06:00Z');

      expect(await queuedTimes(kit, pipeline.id)).toEqual([
        '2026-12-03T11:03:10.000Z',
        '2026-12-03T11:05:00.000Z',
      ]);
      const [latest, catchUp] = await kit.triggers.listActivity(pipeline.id);
      expect(catchUp.summary).toBe(
        'fire time 2026-12-03 10:00 UTC (missed while no backend was running; one catch-up run)',
      );
      expect(latest.summary).toBe('fire time 2026-12-03 11:05 UTC');
    });

    it('never starts an inactive pipeline, and says why', async () => {
      const { kit, pipeline } = await everyMinute(databaseId, {
        active: false,
      });

      await runTimerUntil(kit, '2026-12-03T10:02:00Z');

      expect(await kit.runsOf(pipeline.id)).toEqual([]);
      const activity = await kit.triggers.listActivity(pipeline.id);
      expect(activity.map(a => [a.outcome, a.reason])).toEqual([
        [
          'skipped',
          expect.stringContaining('is inactive; activate it to run it'),
        ],
        [
          'skipped',
          expect.stringContaining('is inactive; activate it to run it'),
        ],
      ]);
    });

    it('takes an edited schedule from the next fire on, and keeps an unchanged one', async () => {
      const kit = await createTriggerTestKit(databases, databaseId, {
        start: '2026-12-03T10:00:30Z',
      });
      const pipeline = await kit.pipeline({
        triggers: { schedule: { every: 'minutes', interval: 10 } },
      });
      expect(await kit.triggers.nextFireAt(pipeline.id)).toEqual(
        new Date('2026-12-03T10:10:00Z'),
      );

      kit.clock.set('2026-12-03T10:03:00Z');
      const retitled = await kit.pipelines.update(
        pipeline.id,
        pipeline.version,
        {
          document: {
            ...pipeline.document,
            metadata: { ...pipeline.document.metadata, title: 'Nightly' },
          },
        },
      );
      expect(await kit.triggers.nextFireAt(pipeline.id)).toEqual(
        new Date('2026-12-03T10:10:00Z'),
      );

      await kit.pipelines.update(pipeline.id, retitled.version, {
        document: {
          ...retitled.document,
          spec: {
            ...retitled.document.spec,
            triggers: { schedule: { every: 'minutes', interval: 2 } },
          },
        },
      });
      expect(await kit.triggers.nextFireAt(pipeline.id)).toEqual(
        new Date('2026-12-03T10:04:00Z'),
      );
      await runTimerUntil(kit, '2026-12-03T10:05:00Z');
      expect(await queuedTimes(kit, pipeline.id)).toEqual([
        '2026-12-03T10:04:00.000Z',
      ]);
    });

    it('forgets a removed schedule and a deleted pipeline', async () => {
      const kit = await createTriggerTestKit(databases, databaseId, {
        start: '2026-12-03T10:00:30Z',
      });
      const removed = await kit.pipeline({
        triggers: { schedule: { every: 'minutes', interval: 1 } },
      });
      const deleted = await kit.pipeline({
        triggers: { schedule: { every: 'minutes', interval: 1 } },
      });
      await kit.pipelines.update(removed.id, removed.version, {
        document: {
          ...removed.document,
          spec: { ...removed.document.spec, triggers: { schedule: null } },
        },
      });
      await kit.pipelines.delete(deleted.id);

      await runTimerUntil(kit, '2026-12-03T10:02:30Z');

      expect(await kit.runsOf(removed.id)).toEqual([]);
      expect(await kit.triggers.nextFireAt(removed.id)).toBeUndefined();
      expect(
        await kit.db('pipeline_triggers').where({ pipeline_id: deleted.id }),
      ).toEqual([]);
    });

    it('moves schedules to a new zone and indexes pipelines saved before the index existed', async () => {
      const kit = await createTriggerTestKit(databases, databaseId, {
        start: '2026-12-03T06:00:00Z',
      });
      const daily = await kit.pipeline({
        triggers: { schedule: { every: 'day', time: '08:00' } },
      });
      const older = await kit.pipeline({
        triggers: { schedule: { every: 'day', time: '09:00' } },
      });
      await kit
        .db('pipeline_triggers')
        .where({ pipeline_id: older.id })
        .delete();

      const berlin = new DatabaseTriggerStore(kit.db, {
        zone: 'Europe/Berlin',
        now: () => kit.clock.now(),
      });
      expect(await berlin.reindex()).toEqual({ indexed: 1, rezoned: 1 });

      expect(await berlin.nextFireAt(daily.id)).toEqual(
        new Date('2026-12-03T07:00:00Z'),
      );
      expect(await berlin.nextFireAt(older.id)).toEqual(
        new Date('2026-12-03T08:00:00Z'),
      );
      expect(await berlin.reindex()).toEqual({ indexed: 0, rezoned: 0 });
    });

    it('prepares the runs of a minute ahead of it and queues them at the fire time', async () => {
      const { kit, pipeline } = await everyMinute(databaseId);
      const task = kit.firer.fireNextMinute(new AbortController().signal);

      const fireTime = new Date('2026-12-03T10:01:00Z');
      const prepareAt = await waitForSleeper(kit);
      expect(prepareAt < fireTime).toBe(true);
      expect(fireTime.getTime() - prepareAt.getTime()).toBeLessThan(1_000);
      kit.clock.set(prepareAt.toISOString());
      // Prepared: the transaction waits for the fire time to commit.
      expect(await waitForSleeper(kit)).toEqual(fireTime);
      expect(kit.onQueued).not.toHaveBeenCalled();
      kit.clock.set(fireTime.toISOString());
      await task;

      expect(await queuedTimes(kit, pipeline.id)).toEqual([
        '2026-12-03T10:01:00.000Z',
      ]);
      expect(kit.onQueued).toHaveBeenCalledTimes(1);
    });

    it('commits nothing when stopped before the fire time; the next look fires the minute once', async () => {
      const { kit, pipeline } = await everyMinute(databaseId);
      const controller = new AbortController();
      const task = kit.firer.fireNextMinute(controller.signal);
      kit.clock.set((await waitForSleeper(kit)).toISOString());
      await waitForSleeper(kit);

      controller.abort(); // the scheduler stops the task: shutdown, or its timeout
      await task;
      expect(await kit.runsOf(pipeline.id)).toEqual([]);
      expect(await kit.triggers.listActivity(pipeline.id)).toEqual([]);

      kit.clock.set('2026-12-03T10:01:20Z');
      await runTimerOnce(kit);
      expect(await queuedTimes(kit, pipeline.id)).toEqual([
        '2026-12-03T10:01:20.000Z',
        '2026-12-03T10:02:00.000Z',
      ]);
    });

    it('keeps the newest 50 activities per pipeline', async () => {
      const { kit, pipeline } = await everyMinute(databaseId, {
        active: false,
      });
      await runTimerUntil(kit, '2026-12-03T11:00:00Z');
      expect(
        await kit.db('trigger_activity').where({ pipeline_id: pipeline.id }),
      ).toHaveLength(60);

      expect(await kit.triggers.pruneActivity()).toBe(10);

      const kept = await kit.triggers.listActivity(pipeline.id);
      expect(kept).toHaveLength(50);
      expect(kept[0].summary).toBe('fire time 2026-12-03 11:00 UTC');
    });
  },
);
