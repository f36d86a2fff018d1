/*
 * The list pages at scale: 10,000 pipelines and 1,000,000 runs (100 per pipeline) in one
 * database. Side by side, alternated request by request, it times what the API does for
 * each page (the stores' queries and the records built from them) against the bare SQL of
 * the same page run directly, and prints p50 / p95 of each and their ratio:
 *
 *   - the pipelines page: the newest 20 pipelines, their count and each one's latest run;
 *   - a search of the pipelines by name or title;
 *   - a pipeline's run records: its newest 20 runs and their count.
 *
 *   yarn bench:scale
 *
 * It runs on SQLite in memory, and with BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * set on PostgreSQL too (a scratch database). Goal: p95 ≤ 50 ms and ≤ 3× the bare query.
 */
import type { Knex } from 'knex';
import { randomUUID } from 'crypto';
import { DatabasePipelineStore } from '../plugins/devops-backend/src/database/DatabasePipelineStore';
import { DatabaseRunStore } from '../plugins/devops-backend/src/database/DatabaseRunStore';
import { RunChanges } from '../plugins/devops-backend/src/database/RunChanges';
import { applyMigrations } from '../plugins/devops-backend/src/database/migrate';
import { SecretBox } from '../plugins/devops-backend/src/secrets/SecretBox';
import {
  argValue,
  fmt,
  median,
  percentile,
  onEachBenchDatabase,
  printMachine,
  runBenchmark,
} from './benchSupport';

const PIPELINES = Number(argValue('--pipelines') ?? 10_000);
const RUNS_PER_PIPELINE = Number(argValue('--runs-per-pipeline') ?? 100);
const SAMPLES = 50;
const PAGE = 20;

/** 10,000 pipelines created a second apart, each with 100 finished runs. */
async function fill(db: Knex): Promise<string[]> {
  const start = Date.UTC(2026, 0, 1);
  const ids = Array.from({ length: PIPELINES }, () => randomUUID());
  const spec = JSON.stringify({ stages: [] });
  await db.batchInsert(
    'pipelines',
    ids.map((id, i) => ({
      id,
      name: `pipeline-${i}`,
      title: `Pipeline number ${i}`,
      entity_ref: `component:default/service-${i % 500}`,
      created_by: 'user:default/bench',
      created_at: new Date(start + i * 1000),
      updated_at: new Date(start + i * 1000),
      active: true,
      spec,
      next_build_id: RUNS_PER_PIPELINE + 1,
      version: 1,
    })),
    // SQLite takes at most 500 rows in one INSERT … SELECT … UNION ALL.
    200,
  );
  const trigger = JSON.stringify({
    type: 'manual',
    user: 'user:default/bench',
  });
  for (let first = 0; first < PIPELINES; first += 100) {
    const rows = ids.slice(first, first + 100).flatMap((pipelineId, p) =>
      Array.from({ length: RUNS_PER_PIPELINE }, (_, r) => {
        const queued = new Date(start + (first + p) * 1000 + r * 60_000);
        return {
          id: randomUUID(),
          pipeline_id: pipelineId,
          build_id: r + 1,
          pipeline_name: `pipeline-${first + p}`,
          status: r % 10 === 0 ? 'failed' : 'succeeded',
          trigger,
          spec,
          params: '{}',
          queued_at: queued,
          started_at: queued,
          finished_at: new Date(queued.getTime() + 30_000),
          stop_requested: false,
        };
      }),
    );
    await db.batchInsert('runs', rows, 200);
  }
  return ids;
}

type Timed = { api: number[]; bare: number[] };

/** Alternates the two, request by request, so that both see the same machine. */
async function sideBySide(
  api: () => Promise<unknown>,
  bare: () => Promise<unknown>,
): Promise<Timed> {
  const timed: Timed = { api: [], bare: [] };
  const time = async (work: () => Promise<unknown>, into: number[]) => {
    const started = performance.now();
    await work();
    into.push(performance.now() - started);
  };
  await api();
  await bare();
  for (let i = 0; i < SAMPLES; i++) {
    await time(api, timed.api);
    await time(bare, timed.bare);
  }
  return timed;
}

function report(what: string, { api, bare }: Timed) {
  const p95 = percentile(api, 95);
  console.log(
    `  ${what.padEnd(34)} API p50 ${fmt(median(api))} p95 ${fmt(
      p95,
    )} | bare SQL p50 ${fmt(median(bare))} p95 ${fmt(
      percentile(bare, 95),
    )} | ratio ${(median(api) / median(bare)).toFixed(2)} (p95 ${(
      p95 / percentile(bare, 95)
    ).toFixed(2)})`,
  );
}

async function benchmark(label: string, db: Knex) {
  await applyMigrations(db);
  const box = new SecretBox('bench-key');
  const pipelines = new DatabasePipelineStore(db, box);
  const runs = new DatabaseRunStore(db, box, new RunChanges(db));
  const filled = performance.now();
  const ids = await fill(db);
  console.log(
    `\n${label}: ${PIPELINES} pipelines, ${
      PIPELINES * RUNS_PER_PIPELINE
    } runs (written in ${fmt(performance.now() - filled)} ms)`,
  );

  const newestPipelines = () =>
    db('pipelines')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(PAGE);
  report(
    'pipelines page with latest runs',
    await sideBySide(
      async () => {
        const { items } = await pipelines.list({ limit: PAGE, offset: 0 });
        await runs.latestRuns(items.map(p => p.id));
      },
      async () => {
        const [page] = await Promise.all([
          newestPipelines(),
          db('pipelines').count({ count: '*' }),
        ]);
        const pageIds = page.map((p: { id: string }) => p.id);
        await db('runs')
          .join(
            db('runs')
              .select('pipeline_id')
              .max({ build_id: 'build_id' })
              .whereIn('pipeline_id', pageIds)
              .groupBy('pipeline_id')
              .as('newest'),
            join =>
              join
                .on('runs.pipeline_id', '=', 'newest.pipeline_id')
                .andOn('runs.build_id', '=', 'newest.build_id'),
          )
          .select('runs.*');
      },
    ),
  );

  const pattern = '%number 42%';
  report(
    'pipelines search "number 42"',
    await sideBySide(
      () => pipelines.list({ search: 'number 42', limit: PAGE, offset: 0 }),
      () =>
        Promise.all([
          db('pipelines')
            .whereRaw('lower(name) like ?', [pattern])
            .orWhereRaw("lower(coalesce(title, '')) like ?", [pattern])
            .orderBy('created_at', 'desc')
            .limit(PAGE),
          db('pipelines')
            .whereRaw('lower(name) like ?', [pattern])
            .orWhereRaw("lower(coalesce(title, '')) like ?", [pattern])
            .count({ count: '*' }),
        ]),
    ),
  );

  const pipelineId = ids[Math.floor(ids.length / 2)];
  report(
    "a pipeline's run records",
    await sideBySide(
      () => runs.listRuns(pipelineId, { limit: PAGE }),
      () =>
        Promise.all([
          db('runs')
            .where({ pipeline_id: pipelineId })
            .orderBy('build_id', 'desc')
            .limit(PAGE),
          db('runs').where({ pipeline_id: pipelineId }).count({ count: '*' }),
        ]),
    ),
  );
}

async function main() {
  printMachine();
  await onEachBenchDatabase(benchmark);
}

runBenchmark(main);
