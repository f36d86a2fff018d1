/*
 * Takeover of a dead backend's runs: 500 runs left running by an engine that stopped
 * heartbeating (a SIGKILL, a forced pod deletion), each with its one task started on the
 * local executor, whose processes died with that backend. One engine with the default
 * settings (10 runs at a time; runs stale after 30 s, so a check every 10 s) takes them
 * over. Measured side by side in one process:
 *
 *   (a) the engine: from its first takeover to the last of the runs ended (each taken
 *       over, its task reported interrupted by the documented rule, the run failed and
 *       its workspace cleaned up), and
 *   (b) the raw work it wraps: the same writes for each run (the guarded claim, the
 *       task's failure, the run's end) as bare SQL, 10 runs at a time.
 *
 * Issue 11 asks for 500 orphaned runs taken over within a minute. It prints figures; it
 * exits non-zero only when a run did not end as the rule says.
 *
 *   yarn bench:takeover [--runs N]
 *
 * It runs on SQLite in memory, and with BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * set on PostgreSQL too (a scratch database).
 */
import { builtInTaskTypeRegistry } from '../plugins/devops-backend/src/taskTypes/builtInTaskTypes';
import type { Knex } from 'knex';
import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import { DatabaseLogStore } from '../plugins/devops-backend/src/database/DatabaseLogStore';
import { DatabasePipelineStore } from '../plugins/devops-backend/src/database/DatabasePipelineStore';
import { DatabaseRunStore } from '../plugins/devops-backend/src/database/DatabaseRunStore';
import { RunChanges } from '../plugins/devops-backend/src/database/RunChanges';
import { applyMigrations } from '../plugins/devops-backend/src/database/migrate';
import { queueRun } from '../plugins/devops-backend/src/engine/queueRun';
import { LocalExecutor } from '../plugins/devops-backend/src/executors/local';
import { SecretBox } from '../plugins/devops-backend/src/secrets/SecretBox';
import {
  argValue,
  onEachBenchDatabase,
  printMachine,
  runBenchmark,
  startBenchEngine,
  warningsOnlyLogger,
} from './benchSupport';

const RUNS = Number(argValue('--runs') ?? 500);
const DEAD_ENGINE = 'dead-backend';
/** The engine's default: 10 runs driven at once; the raw work gets as many lanes. */
const LANES = 10;
const DEADLINE_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

type Stores = {
  runs: DatabaseRunStore;
  logs: DatabaseLogStore;
  changes: RunChanges;
};

/**
 * `count` runs as a dead backend leaves them: claimed by it, their task started, their
 * heartbeat a minute old.
 */
async function orphanedRuns(db: Knex, stores: Stores, count: number) {
  const pipelines = new DatabasePipelineStore(db, new SecretBox('bench-key'));
  const pipeline = await pipelines.create({
    document: {
      apiVersion: 'devops.backstage.io/v1',
      kind: 'Pipeline',
      metadata: {
        name: `orphaned-${Date.now()}`,
        entityRef: 'component:default/bench',
      },
      spec: {
        stages: [
          {
            name: 'build',
            order: 'sequential',
            tasks: [
              {
                name: 'build',
                type: 'runScript',
                image: 'alpine',
                tag: '3',
                script: 'sleep 600',
              },
            ],
          },
        ],
      },
    },
    secrets: {},
    createdBy: 'user:default/bench',
  });
  const runIds: string[] = [];
  for (let i = 0; i < count; i++) {
    runIds.push((await queueRun(stores.runs, pipeline, { type: 'manual' })).id);
  }
  while (await stores.runs.claimNextRun(DEAD_ENGINE));
  for (const runId of runIds) {
    for (const task of await stores.runs.listTaskRuns(runId)) {
      await stores.runs.startTask(task);
    }
  }
  await db('runs')
    .whereIn('id', runIds)
    .update({ heartbeat_at: new Date(Date.now() - 60_000) });
  return runIds;
}

/** (a) One engine with the default settings takes the runs over. */
async function engineTakeover(db: Knex, stores: Stores, runIds: string[]) {
  const workspaceRoot = await fs.mkdtemp(
    path.join(os.tmpdir(), 'bench-takeover-'),
  );
  const engine = startBenchEngine({
    runs: stores.runs,
    logs: stores.logs,
    executor: new LocalExecutor({
  taskTypes: builtInTaskTypeRegistry(),
      workspaceRoot,
      allowFileUrls: false,
      logger: warningsOnlyLogger,
    }),
  });
  const started = performance.now();
  let firstTakeover: number | undefined;
  const takeOver = stores.runs.takeOverStaleRun.bind(stores.runs);
  stores.runs.takeOverStaleRun = async (...args) => {
    const taken = await takeOver(...args);
    if (taken) firstTakeover ??= performance.now();
    return taken;
  };
  try {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const left = await db('runs')
        .whereIn('id', runIds)
        .whereIn('status', ['running', 'waiting'])
        .count({ n: '*' })
        .first();
      if (Number(left?.n) === 0) break;
      if (Date.now() > deadline) {
        throw new Error(`${left?.n} runs were not taken over in time`);
      }
      await sleep(20);
    }
    const ended = performance.now();
    const wrong = await db('runs')
      .whereIn('id', runIds)
      .where(q =>
        q.whereNot({ status: 'failed' }).orWhere({ claimed_by: DEAD_ENGINE }),
      )
      .count({ n: '*' })
      .first();
    if (Number(wrong?.n) > 0) {
      throw new Error(`${wrong?.n} runs did not end failed on the new engine`);
    }
    return {
      firstCheckMs: firstTakeover! - started,
      takeoverMs: ended - firstTakeover!,
    };
  } finally {
    await engine.shutdown();
    await fs.rm(workspaceRoot, { recursive: true, force: true });
  }
}

/** (b) The same writes as bare SQL, LANES runs at a time. */
async function rawTakeover(db: Knex, runIds: string[]) {
  const started = performance.now();
  const staleBefore = new Date(Date.now() - 30_000);
  let next = 0;
  const lane = async () => {
    while (next < runIds.length) {
      const id = runIds[next++];
      await db('runs')
        .where({ id, claimed_by: DEAD_ENGINE })
        .where('heartbeat_at', '<', staleBefore)
        .update({ claimed_by: 'raw', heartbeat_at: new Date() });
      await db('task_runs').where({ run_id: id }).update({
        status: 'failed',
        finished_at: new Date(),
        message: 'interrupted',
      });
      await db('runs')
        .where({ id, claimed_by: 'raw' })
        .update({ status: 'failed', finished_at: new Date() });
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  return performance.now() - started;
}

async function benchmark(label: string, db: Knex) {
  await applyMigrations(db);
  const box = new SecretBox('bench-key');
  const changes = new RunChanges(db);
  await changes.listen(warningsOnlyLogger);
  const stores = {
    runs: new DatabaseRunStore(db, box, changes),
    logs: new DatabaseLogStore(db, changes),
    changes,
  };
  try {
    const engine = await engineTakeover(
      db,
      stores,
      await orphanedRuns(db, stores, RUNS),
    );
    const rawMs = await rawTakeover(db, await orphanedRuns(db, stores, RUNS));
    return { label, ...engine, rawMs };
  } finally {
    await changes.close();
  }
}

async function main() {
  printMachine();
  console.log(
    `${RUNS} runs of a dead backend, one task each on the local executor; one engine with the defaults (10 at a time, a check every 10 s)\n`,
  );
  const results = await onEachBenchDatabase(benchmark);
  console.log(
    `\n| database   | first check after | first takeover → last run ended | raw writes | ratio |`,
  );
  console.log(
    `|------------|------------------:|--------------------------------:|-----------:|------:|`,
  );
  for (const r of results) {
    console.log(
      `| ${r.label.padEnd(10)} | ${(r.firstCheckMs / 1000)
        .toFixed(1)
        .padStart(15)} s | ${(r.takeoverMs / 1000)
        .toFixed(1)
        .padStart(29)} s | ${(r.rawMs / 1000).toFixed(2).padStart(8)} s | ${(
        r.takeoverMs / r.rawMs
      )
        .toFixed(1)
        .padStart(5)} |`,
    );
  }
}

runBenchmark(main);
