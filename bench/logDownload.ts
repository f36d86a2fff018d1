/*
 * A 100 MB log downloaded, measured side by side in one process:
 *
 *   (a) GET /runs/:runId/logs/download, the route itself (runsRoutes) in an express app
 *       on a real socket: pages of chunks read through DatabaseLogStore, task names
 *       prefixed, written with drain backpressure;
 *   (b) the bare work it wraps: the same rows read page by page with knex and written to
 *       a plain node http response.
 *
 * Each is downloaded by a client that reads the body as a stream, once as fast as it can
 * and once at 10 MB/s, a slow reader that leaves the server a full socket: only
 * backpressure then keeps the log from piling up in the server. The log is written as the
 * engine writes a task that prints fast (RunLogWriter over DatabaseLogStore: lines of 100
 * bytes under the checkout step, chunks as large as the writer makes them).
 *
 * It prints MB/s of the log and the process's memory growth during each download: rss,
 * heapUsed and arrayBuffers sampled every 50 ms, peak minus the value before it (after a
 * full collection), and the rss growth as a share of the log's size. Those peaks include
 * garbage V8 has not collected yet, so each download runs a second time with a full
 * collection before each sample, every 2 MB received: `held`, the heap and buffers the
 * download keeps. The claim is that memory stays flat whatever the log's size: compare
 * `--megabytes 20` with the default. Figures, not pass/fail checks.
 *
 *   yarn bench:download [--megabytes N]      (N MB of log, default 100)
 *
 * It runs on SQLite in memory, and with BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * set on PostgreSQL too (a scratch database).
 */
import express from 'express';
import http from 'http';
import type { Knex } from 'knex';
import { once } from 'events';
import {
  CHECKOUT_LOG,
  RunLogWriter,
} from '../plugins/devops-backend/src/logs/RunLogWriter';
import { runsRoutes } from '../plugins/devops-backend/src/router/runsRoutes';
import type { RouterOptions } from '../plugins/devops-backend/src/router/types';
import { DatabasePipelineStore } from '../plugins/devops-backend/src/database/DatabasePipelineStore';
import { SecretBox } from '../plugins/devops-backend/src/secrets/SecretBox';
import {
  argValue,
  fmt,
  onEachBenchDatabase,
  printMachine,
  runBenchmark,
  runningRuns,
} from './benchSupport';

const MEGABYTES = Number(argValue('--megabytes') ?? 100);
const MB = 1e6;
/** 74 characters and the newline; stored with its timestamp, a line is 100 bytes. */
const LINE = `${'x'.repeat(74)}\n`;
/** Lines printed before the writer's chunks are awaited, so that filling stays bounded. */
const LINES_PER_PRINT = 10_000;
const SLOW_CLIENT_BYTES_PER_SECOND = 10 * MB;
const SAMPLE_MS = 50;
const SETTLE_MS = 200;
/** Received between two samples that follow a full collection, whatever the pace. */
const HELD_SAMPLE_BYTES = 2 * MB;

type Setup = Awaited<ReturnType<typeof runningRuns>> & { runId: string };

/** One finished run whose checkout step printed MEGABYTES of log as fast as it could. */
async function runWithLog(db: Knex): Promise<Setup & { chunks: number }> {
  const setup = await runningRuns(db, 1);
  const [runId] = setup.runIds;
  const writer = await RunLogWriter.open(setup.logs, runId, {
    secrets: [],
    maxBytesPerTask: Number.MAX_SAFE_INTEGER,
  });
  const checkout = writer.forTask(CHECKOUT_LOG);
  const print = LINE.repeat(LINES_PER_PRINT);
  for (let lines = 0; lines < (MEGABYTES * MB) / 100; ) {
    checkout.output(print);
    lines += LINES_PER_PRINT;
    await writer.flush();
  }
  await writer.close();
  await setup.runs.finishRun(runId, 'bench', 'succeeded');
  return { ...setup, runId, chunks: await setup.logs.lastSeq(runId) };
}

/** (a): the route in an express app, as the plugin's router mounts it. */
function routeApp(setup: Setup): http.RequestListener {
  // The caller and the policy are checked once per request, not per byte: stand-ins that
  // let everyone read, and the stores the route reads the run, its steps and its log from.
  const options: Pick<
    RouterOptions,
    'httpAuth' | 'authorizer' | 'pipelines' | 'runs' | 'logs' | 'runChanges'
  > = {
    httpAuth: {
      credentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/bench' },
      }),
    } as unknown as RouterOptions['httpAuth'],
    authorizer: {
      isAllowed: async () => true,
    } as unknown as RouterOptions['authorizer'],
    pipelines: new DatabasePipelineStore(setup.db, new SecretBox('bench-key')),
    runs: setup.runs,
    logs: setup.logs,
    runChanges: setup.changes,
  };
  return express().use(runsRoutes(options as RouterOptions));
}

/**
 * Chunks the bare side reads at a time: 16 of the writer's largest (256 K characters) are
 * the 4 Mi characters a page of the route holds at most.
 */
const BARE_PAGE = 16;

/** (b): the same rows, in pages as large, straight from the table to a plain response. */
function bareApp(setup: Setup): http.RequestListener {
  const write = async (res: http.ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    for (let after = 0; ; ) {
      const rows: Array<{ seq: number; text: string }> = await setup
        .db('log_chunks')
        .where({ run_id: setup.runId })
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(BARE_PAGE)
        .select('seq', 'text');
      for (const row of rows) {
        if (!res.write(row.text)) await once(res, 'drain');
        after = row.seq;
      }
      if (rows.length < BARE_PAGE) break;
    }
    res.end();
  };
  return (_req, res) => {
    write(res).catch(error => res.destroy(error));
  };
}

async function listen(handler: http.RequestListener) {
  const server = http.createServer(handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}

/**
 * Reads the body as a stream, pausing whenever it is ahead of `bytesPerSecond`, telling
 * `onData` the bytes received so far; gives its size.
 */
function download(
  url: string,
  bytesPerSecond: number,
  onData: (received: number) => void = () => {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, res => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET ${url} answered ${res.statusCode}`));
          res.resume();
          return;
        }
        const started = performance.now();
        let bytes = 0;
        res.on('data', (data: Buffer) => {
          bytes += data.length;
          onData(bytes);
          const ahead =
            started + (bytes / bytesPerSecond) * 1000 - performance.now();
          if (ahead > 0) {
            res.pause();
            setTimeout(() => res.resume(), ahead);
          }
        });
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The figures sampled; `held` counts the JavaScript heap and buffers together. */
const figuresOf = (memory: NodeJS.MemoryUsage) => ({
  rss: memory.rss,
  heapUsed: memory.heapUsed,
  arrayBuffers: memory.arrayBuffers,
  held: memory.heapUsed + memory.arrayBuffers,
});

function collectGarbage() {
  if (!global.gc) {
    throw new Error('node needs --expose-gc (yarn bench:download passes it)');
  }
  global.gc();
}

/**
 * Runs `during` and gives what it gave with each memory figure's peak growth over its
 * value before, sampled whenever `during` calls `sample`. With `collect`, every sample
 * follows a full collection, so that garbage V8 has not collected yet does not count.
 */
async function memoryGrowth<T>(
  collect: boolean,
  during: (sample: () => void) => Promise<T>,
) {
  collectGarbage();
  // Buffers are freed after the collection that finds them dead, off the main thread: a
  // second one after a pause gives a baseline without the last download's.
  await new Promise(resolve => setTimeout(resolve, SETTLE_MS));
  collectGarbage();
  const before = figuresOf(process.memoryUsage());
  const peak = { ...before };
  const sample = () => {
    if (collect) collectGarbage();
    const now = figuresOf(process.memoryUsage());
    for (const figure of Object.keys(peak) as Array<keyof typeof peak>) {
      peak[figure] = Math.max(peak[figure], now[figure]);
    }
  };
  const result = await during(sample);
  sample();
  const growth = { ...peak };
  for (const figure of Object.keys(peak) as Array<keyof typeof peak>) {
    growth[figure] -= before[figure];
  }
  return { result, growth };
}

/** One table row: the download as it goes, then again for what it holds. */
async function measure(url: string, bytesPerSecond: number) {
  const {
    result: { bytes, seconds },
    growth,
  } = await memoryGrowth(false, async sample => {
    const timer = setInterval(sample, SAMPLE_MS);
    try {
      const started = performance.now();
      const received = await download(url, bytesPerSecond);
      return { bytes: received, seconds: (performance.now() - started) / 1000 };
    } finally {
      clearInterval(timer);
    }
  });
  // Sampled from the client as the bytes arrive: a fast download is over before a timer
  // would collect often, and the server is then mid-page, waiting for the socket.
  let due = HELD_SAMPLE_BYTES;
  const { growth: collected } = await memoryGrowth(true, sample =>
    download(url, bytesPerSecond, received => {
      if (received < due) return;
      due += HELD_SAMPLE_BYTES;
      sample();
    }),
  );
  const logBytes = MEGABYTES * MB;
  return {
    bytes,
    figures: [
      fmt(MEGABYTES / seconds),
      ...[growth.rss, growth.heapUsed, growth.arrayBuffers].map(grown =>
        fmt(grown / MB),
      ),
      (growth.rss / logBytes).toFixed(3),
      fmt(collected.held / MB),
      (collected.held / logBytes).toFixed(3),
    ],
  };
}

const COLUMNS = [
  'log MB/s',
  '+rss',
  '+heapUsed',
  '+arrayBuffers',
  'rss / log',
  '+held',
  'held / log',
];
const row = (name: string, cells: string[]) =>
  `  ${name.padEnd(24)}${cells.map(cell => cell.padStart(14)).join('')}`;

async function benchmark(label: string, db: Knex) {
  const setup = await runWithLog(db);
  const route = await listen(routeApp(setup));
  const bare = await listen(bareApp(setup));
  try {
    const sides = [
      ['route', `${route.url}/runs/${setup.runId}/logs/download`],
      ['bare', bare.url],
    ] as const;
    const rows: string[] = [];
    const sent = { route: 0, bare: 0 };
    for (const [client, bytesPerSecond] of [
      ['fast client', Infinity],
      ['10 MB/s client', SLOW_CLIENT_BYTES_PER_SECOND],
    ] as const) {
      for (const [side, url] of sides) {
        const { bytes, figures } = await measure(url, bytesPerSecond);
        sent[side] = bytes;
        rows.push(row(`${side}, ${client}`, figures));
      }
    }
    console.log(
      `\n${label}: a log of ${MEGABYTES} MB in ${
        setup.chunks
      } chunk rows, sent as ${(sent.route / MB).toFixed(
        1,
      )} MB by the route (task names prefixed) and ${(sent.bare / MB).toFixed(
        1,
      )} MB bare`,
    );
    console.log(
      `  growth over the value before the download, in MB: peaks sampled every ${SAMPLE_MS} ms; held after a full collection every ${
        HELD_SAMPLE_BYTES / MB
      } MB received`,
    );
    console.log(row('', COLUMNS));
    rows.forEach(line => console.log(line));
  } finally {
    route.server.close();
    bare.server.close();
    await setup.changes.close();
  }
}

async function main() {
  printMachine();
  await onEachBenchDatabase(benchmark);
}

runBenchmark(main);
