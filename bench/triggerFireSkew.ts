/*
 * Fire skew of periodic triggers: the time from a fire time to the runs being queued,
 * with 10,000 scheduled pipelines that all fire at that minute (every one "every minute",
 * the worst case). Measured side by side in one process, round by round:
 *
 *   (a) the timer: ScheduleFirer.fireDue at the fire time — reading the due schedules and
 *       their pipelines, the checks of every run start, the fire ledger (one row per
 *       pipeline under a unique key), the runs with their BUILD_IDs and task rows, and
 *       moving each schedule to its next slot, committed;
 *   (b) the raw work it wraps: the same runs and task rows inserted in one transaction,
 *       with the BUILD_IDs taken from the pipelines' counters.
 *
 * Then, once per database, the whole path on the real clock: the scheduler task's body
 * prepares the next whole minute's runs ahead of it, in a transaction that commits at the
 * fire time; skew is the fire time to that commit. (a) is what the preparation costs.
 *
 *   yarn bench:triggers [--rounds N] [--pipelines N]
 *
 * With BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING set it runs on PostgreSQL too,
 * in a scratch database. It prints figures; it fails only when runs are missing.
 */
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import { randomUUID } from 'crypto';
import type { Knex } from 'knex';
import { DatabasePipelineStore } from '../plugins/devops-backend/src/database/DatabasePipelineStore';
import { DatabaseRunStore } from '../plugins/devops-backend/src/database/DatabaseRunStore';
import { RunChanges } from '../plugins/devops-backend/src/database/RunChanges';
import { applyMigrations } from '../plugins/devops-backend/src/database/migrate';
import { SecretBox } from '../plugins/devops-backend/src/secrets/SecretBox';
import { DatabaseTriggerStore } from '../plugins/devops-backend/src/triggers/DatabaseTriggerStore';
import { ScheduleFirer } from '../plugins/devops-backend/src/triggers/schedule/ScheduleFirer';
import {
  systemClock,
  type TriggerClock,
} from '../plugins/devops-backend/src/triggers/schedule/TriggerClock';
import {
  argValue,
  fmt,
  median,
  onEachBenchDatabase,
  printMachine,
  runBenchmark,
  warningsOnlyLogger,
} from './benchSupport';

const ROUNDS = Number(argValue('--rounds') ?? 3);
const PIPELINES = Number(argValue('--pipelines') ?? 10_000);

const spec: PipelineSpec = {
  stages: [
    {
      name: 'Build',
      order: 'sequential',
      tasks: [
        {
          name: 'build',
          type: 'runScript',
          image: 'alpine',
          tag: '3',
          script: 'make',
        },
      ],
    },
    {
      name: 'Test',
      order: 'parallel',
      tasks: [
        {
          name: 'unit',
          type: 'runScript',
          image: 'alpine',
          tag: '3',
          script: 'make test',
        },
        {
          name: 'lint',
          type: 'runScript',
          image: 'alpine',
          tag: '3',
          script: 'make lint',
        },
      ],
    },
  ],
  triggers: { schedule: { every: 'minutes', interval: 1 } },
};

type Setup = {
  db: Knex;
  firer: ScheduleFirer;
  newFirer(clock: TriggerClock): ScheduleFirer;
  pipelineIds: string[];
};

async function setUp(db: Knex): Promise<Setup> {
  await applyMigrations(db);
  const box = new SecretBox('bench-key');
  const triggers = new DatabaseTriggerStore(db, {
    zone: 'UTC',
    now: () => new Date(),
  });
  const pipelines = new DatabasePipelineStore(db, box, triggers);
  const runs = new DatabaseRunStore(db, box, new RunChanges(db));
  const pipelineIds: string[] = [];
  for (let i = 0; i < PIPELINES; i++) {
    const record = await pipelines.create({
      document: {
        apiVersion: 'devops.backstage.io/v1',
        kind: 'Pipeline',
        metadata: { name: `timed-${i}`, entityRef: 'component:default/bench' },
        spec,
      },
      secrets: {},
      createdBy: 'user:default/bench',
    });
    pipelineIds.push(record.id);
  }
  const newFirer = (clock: TriggerClock) =>
    new ScheduleFirer({
      triggers,
      pipelines,
      runs,
      clock,
      logger: warningsOnlyLogger,
      onQueued() {},
    });
  return { db, firer: newFirer(systemClock), newFirer, pipelineIds };
}

/** The times the timer slept until: the first is when it began preparing the minute. */
const sleptUntil: Date[] = [];
const recordingClock: TriggerClock = {
  now: () => systemClock.now(),
  sleepUntil(time, signal) {
    sleptUntil.push(time);
    return systemClock.sleepUntil(time, signal);
  },
};

/** Makes every schedule due at `fireAt` and forgets earlier runs, so rounds are alike. */
async function resetTo(setup: Setup, fireAt: Date) {
  await setup.db('runs').delete();
  await setup.db('trigger_activity').delete();
  await setup.db('pipeline_triggers').update({ next_fire_at: fireAt } as any);
}

async function expectRuns(setup: Setup, label: string) {
  const [{ count }] = await setup.db('runs').count({ count: '*' });
  if (Number(count) !== PIPELINES) {
    throw new Error(`${label}: ${count} runs queued, expected ${PIPELINES}`);
  }
}

async function timer(setup: Setup): Promise<number> {
  const fireAt = new Date();
  await resetTo(setup, fireAt);
  const start = performance.now();
  const { started } = await setup.firer.fireDue(fireAt);
  const elapsed = performance.now() - start;
  if (started !== PIPELINES) throw new Error(`timer: ${started} runs started`);
  await expectRuns(setup, 'timer');
  return elapsed;
}

async function raw(setup: Setup): Promise<number> {
  await resetTo(setup, new Date());
  const { db, pipelineIds } = setup;
  const start = performance.now();
  await db.transaction(async tx => {
    const counters: Array<{ id: string; next_build_id: number }> = [];
    for (let i = 0; i < pipelineIds.length; i += 500) {
      counters.push(
        ...(await tx('pipelines')
          .whereIn('id', pipelineIds.slice(i, i + 500))
          .increment('next_build_id', 1)
          .returning(['id', 'next_build_id'])),
      );
    }
    const queuedAt = new Date();
    const runRows = counters.map(({ id, next_build_id }) => ({
      id: randomUUID(),
      pipeline_id: id,
      build_id: next_build_id - 1,
      pipeline_name: 'timed',
      status: 'queued',
      trigger: '{"type":"schedule"}',
      spec: JSON.stringify(spec),
      secrets: null,
      params: '{}',
      queued_at: queuedAt,
      stop_requested: false,
    }));
    await tx.batchInsert('runs', runRows, 200);
    const taskRows = runRows.flatMap(run =>
      spec.stages.flatMap((stage, stageIndex) =>
        stage.tasks.map((_, taskIndex) => ({
          id: randomUUID(),
          run_id: run.id,
          stage_index: stageIndex,
          task_index: taskIndex,
          status: 'queued',
          attempt: 0,
        })),
      ),
    );
    await tx.batchInsert('task_runs', taskRows, 200);
  });
  const elapsed = performance.now() - start;
  await expectRuns(setup, 'raw');
  return elapsed;
}

/**
 * The scheduler task on the real clock: prepares the next minute's runs ahead of it and
 * commits them at the fire time. Returns the skew and how early the preparation began.
 */
async function realClockSkew(
  setup: Setup,
): Promise<{ skew: number; lead: number }> {
  const nextMinute = new Date(
    Math.floor(Date.now() / 60_000) * 60_000 + 60_000,
  );
  await resetTo(setup, nextMinute);
  const firer = setup.newFirer(recordingClock);
  sleptUntil.length = 0;
  await firer.fireNextMinute(new AbortController().signal);
  const skew = Date.now() - nextMinute.getTime();
  await expectRuns(setup, 'real clock');
  return { skew, lead: nextMinute.getTime() - sleptUntil[0].getTime() };
}

async function benchmark(label: string, db: Knex) {
  console.log(
    `\n${label}: ${PIPELINES} pipelines due at one minute, ${ROUNDS} rounds`,
  );
  const setupStart = performance.now();
  const setup = await setUp(db);
  console.log(
    `  set up in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
  );
  const timers: number[] = [];
  const raws: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first, so drift hits both alike.
    const [t, r] =
      round % 2 === 0
        ? [await timer(setup), await raw(setup)]
        : [await raw(setup), await timer(setup)].reverse();
    timers.push(t);
    raws.push(r);
    console.log(
      `  round ${round + 1}   timer ${fmt(t)} ms   raw inserts ${fmt(
        r,
      )} ms   ratio ${(t / r).toFixed(2)}`,
    );
  }
  const t = median(timers);
  const r = median(raws);
  console.log(
    `  median    timer ${fmt(t)} ms   raw inserts ${fmt(r)} ms   ratio ${(
      t / r
    ).toFixed(2)}`,
  );
  const { skew, lead } = await realClockSkew(setup);
  console.log(
    `  real clock: fire time → ${PIPELINES} runs queued ${fmt(
      skew,
    )} ms (goal ≤ 1000 ms), prepared from ${fmt(lead)} ms before it`,
  );
}

async function main() {
  printMachine();
  await onEachBenchDatabase(benchmark);
}

runBenchmark(main);
