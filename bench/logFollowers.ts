/*
 * Live log followers: 200 followers of one running run, measured side by side in one
 * process with what they replaced, and 200 followers of the run's page beside them.
 *
 *   (a) followers as `GET /runs/:id/logs?follow=true` serves them (followRunLog: the
 *       database is read when RunChanges says the run changed), and
 *   (b) as many pollers doing what the stream did before: read the run and its log every
 *       200 ms.
 *
 * It prints the database queries per second of each while the run prints nothing, and
 * the time from a line's write to the last of the 200 followers holding it, beside the
 * write alone; and for the page followers (followRun, woken by status changes only), how
 * often the lines made them read the run (never, when it works) and the time from the
 * run's end to the last of them holding it. Ratios, not pass/fail timings; it exits non-zero only when a follower
 * misses a line.
 *
 *   yarn bench:followers
 *
 * It runs on SQLite in memory, and with BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * set on PostgreSQL too (a scratch database), where the wake-ups travel through
 * LISTEN/NOTIFY as between replicas.
 */
import type { Knex } from 'knex';
import { followRun } from '../plugins/devops-backend/src/live/followRun';
import { followRunLog } from '../plugins/devops-backend/src/live/followRunLog';
import { loadApiRun } from '../plugins/devops-backend/src/router/serialize';
import {
  argValue,
  fmt,
  median,
  percentile,
  onEachBenchDatabase,
  printMachine,
  runBenchmark,
  runningRuns,
} from './benchSupport';

const FOLLOWERS = Number(argValue('--followers') ?? 200);
const QUIET_MS = 5000;
const LINES = 30;
/** What the stream did before RunChanges: read the run and its log this often. */
const OLD_POLL_MS = 200;

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));
type Setup = Awaited<ReturnType<typeof runningRuns>> & { runId: string };

/** One running run, the one every follower follows. */
async function setUp(db: Knex): Promise<Setup> {
  const setup = await runningRuns(db, 1);
  return { ...setup, runId: setup.runIds[0] };
}

/** Counts the queries `db` sends while `during` runs. */
async function queriesDuring(db: Knex, during: () => Promise<void>) {
  let count = 0;
  const onQuery = () => {
    count += 1;
  };
  db.on('query', onQuery);
  try {
    await during();
  } finally {
    db.off('query', onQuery);
  }
  return count;
}

/**
 * As many followers of the run's page (`GET /runs/:id?follow=true`): they read the run
 * only when a status in it moves, so the log's lines must not wake them.
 */
function followRunPages(setup: Setup, signal: AbortSignal) {
  const { runs, changes, runId } = setup;
  const reads = { count: 0 };
  /** When each page follower was last given the run. */
  const given: number[] = [];
  const pages = Array.from({ length: FOLLOWERS }, (_, i) =>
    followRun(
      changes,
      {
        runId,
        load: async () => {
          reads.count += 1;
          return loadApiRun(runs, await runs.getRunOrThrow(runId));
        },
        idleMs: 30_000,
        signal,
      },
      {
        onRun: async () => {
          given[i] = performance.now();
        },
        onIdle: async () => {},
      },
    ),
  );
  return { reads, given, done: Promise.all(pages) };
}

async function measureFollowers(setup: Setup) {
  const { runs, logs, changes, runId, db } = setup;
  const stop = new AbortController();
  const pages = followRunPages(setup, stop.signal);
  /** When each follower got each line: arrivals[line][follower]. */
  const arrivals = new Map<number, number[]>();
  let ended = 0;
  const followers = Array.from({ length: FOLLOWERS }, () =>
    followRunLog(
      { runs, logs, runChanges: changes },
      { runId, afterSeq: 0, idleMs: 30_000, signal: stop.signal },
      {
        onChunk: async chunk => {
          const times = arrivals.get(chunk.seq) ?? [];
          times.push(performance.now());
          arrivals.set(chunk.seq, times);
        },
        onEnd: async () => {
          ended += 1;
        },
        onIdle: async () => {},
      },
    ),
  );
  // Every follower has read once and waits.
  await sleep(1000);
  const quietQueries = await queriesDuring(db, () => sleep(QUIET_MS));

  const pageReadsBeforeLines = pages.reads.count;
  const lastFollower: number[] = [];
  const writes: number[] = [];
  for (let seq = 1; seq <= LINES; seq++) {
    const started = performance.now();
    await logs.append(runId, [{ seq, text: `line ${seq}\n` }]);
    writes.push(performance.now() - started);
    while ((arrivals.get(seq)?.length ?? 0) < FOLLOWERS) await sleep(1);
    lastFollower.push(Math.max(...arrivals.get(seq)!) - started);
  }
  const pageReadsForLines = pages.reads.count - pageReadsBeforeLines;
  const ending = performance.now();
  await runs.finishRun(runId, 'bench', 'succeeded');
  await Promise.all([...followers, pages.done]);
  stop.abort();
  if (ended !== FOLLOWERS) {
    throw new Error(`${FOLLOWERS - ended} followers did not see the run end`);
  }
  return {
    quietQueries,
    lastFollower,
    writes,
    pageReadsForLines,
    endToLastPage: Math.max(...pages.given) - ending,
  };
}

/** What a follower did before: the run and its log, every 200 ms, whether or not anything changed. */
async function measurePollers(setup: Setup) {
  const { runs, logs, runId, db } = setup;
  let polling = true;
  const pollers = Array.from({ length: FOLLOWERS }, async () => {
    while (polling) {
      await runs.getRunOrThrow(runId);
      await logs.list(runId, { afterSeq: LINES, limit: 500 });
      await sleep(OLD_POLL_MS);
    }
  });
  await sleep(1000);
  const quietQueries = await queriesDuring(db, () => sleep(QUIET_MS));
  polling = false;
  await Promise.all(pollers);
  return quietQueries;
}

async function benchmark(label: string, db: Knex) {
  const setup = await setUp(db);
  try {
    const followers = await measureFollowers(setup);
    const polled = await measurePollers(setup);
    const perSecond = (count: number) => (count / QUIET_MS) * 1000;
    console.log(`\n${label}: ${FOLLOWERS} followers of one run`);
    console.log(
      `  quiet run, queries/s: woken by changes ${perSecond(
        followers.quietQueries,
      ).toFixed(1)}, polling every ${OLD_POLL_MS} ms ${perSecond(
        polled,
      ).toFixed(1)}`,
    );
    const p50 = median(followers.lastFollower);
    console.log(
      `  line to the last follower: p50 ${fmt(p50)}, p95 ${fmt(
        percentile(followers.lastFollower, 95),
      )}; the write alone: p50 ${fmt(median(followers.writes))} (${(
        p50 / median(followers.writes)
      ).toFixed(1)}x); polling every ${OLD_POLL_MS} ms waits ${fmt(
        OLD_POLL_MS / 2,
      )} on average`,
    );
    console.log(
      `  ${FOLLOWERS} run-page followers beside them: reads of the run for ${LINES} lines ${
        followers.pageReadsForLines
      }; the run's end to the last page follower holding it ${fmt(
        followers.endToLastPage,
      )}`,
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
