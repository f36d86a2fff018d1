/* What the benchmarks share: a quiet logger, the engine, the databases, medians, number formatting, arguments, exit codes. */
import { builtInTaskTypeRegistry } from '../plugins/devops-backend/src/taskTypes/builtInTaskTypes';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { randomBytes } from 'crypto';
import knexFactory, { Knex } from 'knex';
import os from 'os';
import { DatabaseLogStore } from '../plugins/devops-backend/src/database/DatabaseLogStore';
import { DatabasePipelineStore } from '../plugins/devops-backend/src/database/DatabasePipelineStore';
import { DatabaseRunStore } from '../plugins/devops-backend/src/database/DatabaseRunStore';
import { RunChanges } from '../plugins/devops-backend/src/database/RunChanges';
import { applyMigrations } from '../plugins/devops-backend/src/database/migrate';
import { queueRun } from '../plugins/devops-backend/src/engine/queueRun';
import {
  RunEngine,
  type RunEngineOptions,
} from '../plugins/devops-backend/src/engine/RunEngine';
import { SecretBox } from '../plugins/devops-backend/src/secrets/SecretBox';

/** Drops info and debug; warnings and errors go to stderr. */
export const warningsOnlyLogger: LoggerService = {
  info() {},
  debug() {},
  warn(message, meta) {
    console.error(`[warn] ${message}`, meta ?? '');
  },
  error(message, meta) {
    console.error(`[error] ${message}`, meta ?? '');
  },
  child() {
    return warningsOnlyLogger;
  },
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value below which `p` percent of the values lie (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** Milliseconds, aligned in columns. */
export function fmt(ms: number): string {
  return ms.toFixed(1).padStart(7);
}

export function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs a benchmark: exit 0 when it completes, 1 with the reason when it does not. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    error => {
      console.error(
        `\nBenchmark failed: ${error instanceof Error ? error.stack : error}`,
      );
      process.exit(1);
    },
  );
}

/**
 * A started run engine for pipelines without a source, with the production defaults for
 * its heartbeat and poll intervals.
 */
export function startBenchEngine(
  options: Pick<RunEngineOptions, 'runs' | 'logs' | 'executor' | 'concurrency'>,
): RunEngine {
  const engine = new RunEngine({
    ...options,
    taskTypes: builtInTaskTypeRegistry(),
    logger: warningsOnlyLogger,
    resolveCommit: async () => {
      throw new Error('the benchmark pipelines have no source');
    },
    maxLogBytesPerTask: 1024 * 1024,
  });
  engine.start();
  return engine;
}

/** Runs `use` on a database created for it on the PostgreSQL server, dropped afterwards. */
export async function withScratchPostgres<T>(
  connectionString: string,
  use: (db: Knex) => Promise<T>,
): Promise<T> {
  const name = `devops_bench_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({
    client: 'pg',
    connection: connectionString,
    pool: { min: 0, max: 1 },
  });
  await admin.raw('CREATE DATABASE ??', [name]);
  try {
    const url = new URL(connectionString);
    url.pathname = `/${name}`;
    // knex's default pool (10) unless BENCH_PG_POOL_MAX says otherwise, as an adopter's
    // backend.database.knexConfig.pool.max would.
    const db = knexFactory({
      client: 'pg',
      connection: url.toString(),
      pool: { min: 0, max: Number(process.env.BENCH_PG_POOL_MAX ?? 10) },
    });
    try {
      return await use(db);
    } finally {
      await db.destroy();
    }
  } finally {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.destroy();
  }
}

const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * Runs `benchmark` on SQLite in memory, then on a scratch PostgreSQL database when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING names a server; returns what each
 * gave, in that order.
 */
export async function onEachBenchDatabase<T>(
  benchmark: (label: string, db: Knex) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  try {
    results.push(await benchmark('SQLite', sqlite));
  } finally {
    await sqlite.destroy();
  }
  const pg = process.env[PG_ENV];
  if (pg) {
    results.push(
      await withScratchPostgres(pg, db => benchmark('PostgreSQL', db)),
    );
  } else {
    console.log(`\nPostgreSQL: skipped (set ${PG_ENV} to include it)`);
  }
  return results;
}

/** The machine, first: a busy one inflates both sides of every ratio. */
export function printMachine(): void {
  const [load1] = os.loadavg();
  console.log(
    `Node ${process.version}, ${
      os.cpus().length
    } CPUs, load average ${load1.toFixed(2)}`,
  );
}

/**
 * The stores on `db`, with run changes heard as the plugin hears them, and `count` runs
 * of pipelines without tasks, claimed (running), so that their logs can be written and
 * followed. Close `changes` at the end.
 */
export async function runningRuns(db: Knex, count: number) {
  await applyMigrations(db);
  const box = new SecretBox('bench-key');
  const changes = new RunChanges(db);
  await changes.listen(warningsOnlyLogger);
  const runs = new DatabaseRunStore(db, box, changes);
  const logs = new DatabaseLogStore(db, changes);
  const pipelines = new DatabasePipelineStore(db, box);
  const runIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const pipeline = await pipelines.create({
      document: {
        apiVersion: 'devops.backstage.io/v1',
        kind: 'Pipeline',
        metadata: {
          name: `followed-${i}`,
          entityRef: 'component:default/bench',
        },
        spec: { stages: [] },
      },
      secrets: {},
      createdBy: 'user:default/bench',
    });
    runIds.push((await queueRun(runs, pipeline, { type: 'manual' })).id);
  }
  // Claimed, so that followers wait for their end instead of ending at once.
  while (await runs.claimNextRun('bench'));
  return { db, runs, logs, changes, runIds };
}
