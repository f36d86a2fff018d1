/*
 * Log ingestion with 100 concurrent runs, side by side in one process:
 *
 *   (a) each run's task prints 2,000 lines of 100 bytes through the engine's log path
 *       (RunLogWriter: lines assembled, masked, stamped, batched, numbered, stored through
 *       DatabaseLogStore, followers woken), with one live follower per run (followRunLog,
 *       the loop behind the log stream);
 *   (b) the bare work it wraps: the same bytes inserted as the same number of chunk rows.
 *
 * Both go as fast as they can. It prints MB/s of each and their ratio, and how long a line
 * took from the task printing it to its run's follower holding it (p50 / p95) at that full
 * load. Ratios, not pass/fail timings.
 *
 *   yarn bench:ingestion
 *
 * It runs on SQLite in memory, and with BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * set on PostgreSQL too (a scratch database).
 */
import type { Knex } from 'knex';
import { RunLogWriter } from '../plugins/devops-backend/src/logs/RunLogWriter';
import { followRunLog } from '../plugins/devops-backend/src/live/followRunLog';
import {
  fmt,
  median,
  onEachBenchDatabase,
  percentile,
  printMachine,
  runBenchmark,
  runningRuns,
} from './benchSupport';

const RUNS = 100;
const LINES = 2000;
/** 99 characters and the newline. */
const LINE = `${'x'.repeat(90)} line no.`;
/** Lines a task prints before the event loop serves the others. */
const BURST = 10;

type Setup = Awaited<ReturnType<typeof runningRuns>>;

/** (a): every run's lines through its RunLogWriter, one follower each. */
async function throughTheEngine(setup: Setup, runIds: string[]) {
  const { runs, logs, changes } = setup;
  const latencies: number[] = [];
  const stop = new AbortController();
  const printedAt = new Map<string, number>();
  const followers = runIds.map(runId =>
    followRunLog(
      { runs, logs, runChanges: changes },
      { runId, afterSeq: 0, idleMs: 30_000, signal: stop.signal },
      {
        onChunk: async chunk => {
          const now = performance.now();
          for (const match of chunk.text.matchAll(/line no\.(\d+)/g)) {
            const at = printedAt.get(`${runId}:${match[1]}`);
            if (at !== undefined) latencies.push(now - at);
          }
        },
        onEnd: async () => {},
        onIdle: async () => {},
      },
    ),
  );
  const started = performance.now();
  const chunkRows = await Promise.all(
    runIds.map(async runId => {
      const writer = await RunLogWriter.open(logs, runId, {
        secrets: ['a-secret-value'],
        maxBytesPerTask: 100 * 1024 * 1024,
      });
      const task = writer.forTask('task');
      for (let n = 0; n < LINES; n += BURST) {
        for (let k = n; k < n + BURST; k++) {
          printedAt.set(`${runId}:${k}`, performance.now());
          task.output(`${LINE}${k}\n`);
        }
        await new Promise(setImmediate);
      }
      await writer.close();
      return logs.lastSeq(runId);
    }),
  );
  const chunks = chunkRows.reduce((sum, rows) => sum + rows, 0);
  const elapsed = performance.now() - started;
  for (const runId of runIds) {
    await runs.finishRun(runId, 'bench', 'succeeded');
  }
  await Promise.all(followers);
  stop.abort();
  return { elapsed, chunks, latencies };
}

/** (b): the same bytes inserted directly, as many chunk rows, each run's in order. */
async function bareInserts(db: Knex, runIds: string[], chunksPerRun: number) {
  const started = performance.now();
  const linesPerChunk = Math.ceil(LINES / chunksPerRun);
  await Promise.all(
    runIds.map(async runId => {
      for (let seq = 1; seq <= chunksPerRun; seq++) {
        const text = Array.from(
          { length: linesPerChunk },
          (_, k) =>
            `2026-12-06T00:00:00.000Z ${LINE}${seq * linesPerChunk + k}\n`,
        ).join('');
        await db('log_chunks').insert({
          run_id: runId,
          seq,
          task_run_id: 'task',
          created_at: new Date(),
          text,
        });
      }
    }),
  );
  return performance.now() - started;
}

async function benchmark(label: string, db: Knex) {
  const setup = await runningRuns(db, RUNS * 2);
  try {
    const engineRuns = setup.runIds.slice(0, RUNS);
    const bareRuns = setup.runIds.slice(RUNS);
    const engine = await throughTheEngine(setup, engineRuns);
    const chunksPerRun = Math.round(engine.chunks / RUNS);
    const bare = await bareInserts(db, bareRuns, chunksPerRun);
    const megabytes = (RUNS * LINES * (LINE.length + 5)) / 1e6;
    console.log(
      `\n${label}: ${RUNS} runs printing ${LINES} lines each (${megabytes.toFixed(
        1,
      )} MB) as fast as they can`,
    );
    console.log(
      `  through the engine: ${(megabytes / (engine.elapsed / 1000)).toFixed(
        2,
      )} MB/s (${chunksPerRun} chunk rows per run); bare inserts of as many rows: ${(
        megabytes /
        (bare / 1000)
      ).toFixed(2)} MB/s`,
    );
    console.log(
      `  ratio ${(bare / engine.elapsed).toFixed(2)} of the bare rate`,
    );
    console.log(
      `  line printed → its run's follower holding it, at that load: p50 ${fmt(
        median(engine.latencies),
      )} ms, p95 ${fmt(percentile(engine.latencies, 95))} ms (${
        engine.latencies.length
      } lines)`,
    );
  } finally {
    await setup.changes.close();
  }
}

async function main() {
  printMachine();
  await onEachBenchDatabase(benchmark);
}

runBenchmark(main);
