/*
 * Engine overhead per task: the same 50 small shell scripts run (a) directly, one after
 * another, with `sh -e <file>` and their output read, and (b) as a 50-task pipeline through
 * the run engine (queue, claim, log writer, stores, LocalExecutor), measured side by side in
 * one process and alternated round by round. It prints ratios, not pass/fail timings; it
 * exits non-zero only when a run or a script did not succeed.
 *
 *   yarn bench
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/engineOverhead.ts [--rounds N]
 *
 * With BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING set, the engine part runs a second
 * time on PostgreSQL, in a scratch database created and dropped on that server.
 */
import { builtInTaskTypeRegistry } from '../plugins/devops-backend/src/taskTypes/builtInTaskTypes';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import { isFinalStatus } from '@devops-pipelines/plugin-devops-common';
import { spawn } from 'child_process';
import fs from 'fs/promises';
import type { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { DatabaseLogStore } from '../plugins/devops-backend/src/database/DatabaseLogStore';
import { DatabasePipelineStore } from '../plugins/devops-backend/src/database/DatabasePipelineStore';
import { DatabaseRunStore } from '../plugins/devops-backend/src/database/DatabaseRunStore';
import { RunChanges } from '../plugins/devops-backend/src/database/RunChanges';
import type { PipelineRecord } from '../plugins/devops-backend/src/database/types';
import { applyMigrations } from '../plugins/devops-backend/src/database/migrate';
import { queueRun } from '../plugins/devops-backend/src/engine/queueRun';
import { RunEngine } from '../plugins/devops-backend/src/engine/RunEngine';
import { LocalExecutor } from '../plugins/devops-backend/src/executors/local';
import { SecretBox } from '../plugins/devops-backend/src/secrets/SecretBox';
import { separateSecrets } from '../plugins/devops-backend/src/secrets/parameters';
import {
  argValue,
  fmt,
  median,
  runBenchmark,
  startBenchEngine,
  warningsOnlyLogger,
  onEachBenchDatabase,
} from './benchSupport';

const STAGES = 5;
const TASKS_PER_STAGE = 10;
const TASK_COUNT = STAGES * TASKS_PER_STAGE;
const WARMUP_ROUNDS = 1;
const ROUNDS = Number(argValue('--rounds') ?? process.env.BENCH_ROUNDS ?? 5);
/** Only while the run is not claimed yet; afterwards the engine's idle hook is awaited. */
const CLAIM_POLL_MS = 1;
const RUN_TIMEOUT_MS = 120_000;

/** Task n (1-based): prints a few lines and sets one output, like a small build step. */
function taskScript(n: number): string {
  return [
    `echo "task ${n}: starting"`,
    `echo "task ${n}: working in $(pwd)"`,
    `echo "task ${n}: done"`,
    `echo VALUE_${n}=${n} >> "$DEVOPS_OUTPUT"`,
    '',
  ].join('\n');
}

function pipelineSpec(): PipelineSpec {
  return {
    stages: Array.from({ length: STAGES }, (_, s) => ({
      name: `stage-${s + 1}`,
      order: 'sequential' as const,
      tasks: Array.from({ length: TASKS_PER_STAGE }, (__, t) => {
        const n = s * TASKS_PER_STAGE + t + 1;
        return {
          name: `task-${n}`,
          type: 'runScript' as const,
          image: 'alpine',
          tag: '3',
          script: taskScript(n),
        };
      }),
    })),
  };
}

// ---------------------------------------------------------------------------------------
// (a) The raw work: the 50 scripts, one after another, `sh -e <file>`, output consumed.

async function prepareDirectScripts(dir: string): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let n = 1; n <= TASK_COUNT; n++) {
    const file = path.join(dir, `task-${n}.sh`);
    await fs.writeFile(file, taskScript(n));
    files.push(file);
  }
  return files;
}

function runScriptDirectly(
  file: string,
  outputFile: string,
  cwd: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-e', file], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        DEVOPS_OUTPUT: outputFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', chunk => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', chunk => (output += chunk));
    child.on('error', reject);
    child.on('close', code =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${file} exited with ${code}: ${output}`)),
    );
  });
}

async function runDirect(files: string[], dir: string): Promise<number> {
  const outputFile = path.join(dir, 'outputs');
  await fs.writeFile(outputFile, '');
  const start = performance.now();
  for (const [i, file] of files.entries()) {
    const output = await runScriptDirectly(file, outputFile, dir);
    if (!output.includes(`task ${i + 1}: done`)) {
      throw new Error(
        `direct: script ${i + 1} printed ${JSON.stringify(output)}`,
      );
    }
  }
  const elapsed = performance.now() - start;
  const outputs = await fs.readFile(outputFile, 'utf8');
  if (outputs.trim().split('\n').length !== TASK_COUNT) {
    throw new Error(
      `direct: expected ${TASK_COUNT} output lines, got ${JSON.stringify(
        outputs,
      )}`,
    );
  }
  return elapsed;
}

// ---------------------------------------------------------------------------------------
// (b) The engine: queueRun + notify (as the router does) until the run's final status.

type EngineSetup = {
  label: string;
  db: Knex;
  runs: DatabaseRunStore;
  logs: DatabaseLogStore;
  engine: RunEngine;
  pipeline: PipelineRecord;
  close(): Promise<void>;
};

async function setUpEngine(
  label: string,
  db: Knex,
  workspaceRoot: string,
): Promise<EngineSetup> {
  await applyMigrations(db);
  const box = new SecretBox('bench-key');
  const pipelines = new DatabasePipelineStore(db, box);
  const changes = new RunChanges(db);
  const runs = new DatabaseRunStore(db, box, changes);
  const logs = new DatabaseLogStore(db, changes);
  const executor = new LocalExecutor({
  taskTypes: builtInTaskTypeRegistry(),
    workspaceRoot,
    allowFileUrls: false,
    logger: warningsOnlyLogger,
  });
  const engine = startBenchEngine({ runs, logs, executor });
  const { spec, secrets } = separateSecrets(pipelineSpec());
  const pipeline = await pipelines.create({
    document: {
      apiVersion: 'devops.backstage.io/v1',
      kind: 'Pipeline',
      metadata: {
        name: 'engine-overhead',
        entityRef: 'component:default/bench',
      },
      spec,
    },
    secrets,
    createdBy: 'user:default/bench',
  });
  return {
    label,
    db,
    runs,
    logs,
    engine,
    pipeline,
    async close() {
      await engine.shutdown();
    },
  };
}

type EngineRound = {
  totalMs: number;
  /** queued_at to started_at: the claim. */
  claimMs: number;
  /** Sum over tasks of started_at to finished_at (spawn included). */
  inTasksMs: number;
};

async function runEngine(setup: EngineSetup): Promise<EngineRound> {
  const { runs, engine, pipeline } = setup;
  const start = performance.now();
  const queued = await queueRun(runs, pipeline, {
    type: 'manual',
    user: 'user:default/bench',
  });
  engine.notify();
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let run = queued;
  for (;;) {
    if (engine.activeRunIds.includes(queued.id)) {
      // Resolves when the driver is done, which is after finishRun was written.
      await engine.waitUntilIdle();
    } else {
      await new Promise(resolve => setTimeout(resolve, CLAIM_POLL_MS));
    }
    run = await runs.getRunOrThrow(queued.id);
    if (isFinalStatus(run.status)) break;
    if (Date.now() > deadline) {
      throw new Error(
        `${setup.label}: run ${run.id} still ${run.status} after ${RUN_TIMEOUT_MS} ms`,
      );
    }
  }
  const totalMs = performance.now() - start;

  const tasks = await runs.listTaskRuns(run.id);
  const problems: string[] = [];
  if (run.status !== 'succeeded')
    problems.push(`run ${run.status}: ${run.message ?? ''}`);
  if (tasks.length !== TASK_COUNT) problems.push(`${tasks.length} task runs`);
  for (const [i, task] of tasks.entries()) {
    if (task.status !== 'succeeded') {
      problems.push(`task ${i + 1} ${task.status}: ${task.message ?? ''}`);
    } else if (task.outputs?.[`VALUE_${i + 1}`] !== String(i + 1)) {
      problems.push(`task ${i + 1} outputs ${JSON.stringify(task.outputs)}`);
    }
  }
  const chunks = await setup.logs.list(run.id, { afterSeq: 0, limit: 100_000 });
  const logText = chunks.map(c => c.text).join('');
  for (let n = 1; n <= TASK_COUNT; n++) {
    if (!logText.includes(`task ${n}: done`)) {
      problems.push(`the log misses the output of task ${n}`);
      break;
    }
  }
  if (problems.length) {
    throw new Error(
      `${setup.label}: run #${run.buildId} did not succeed:\n  ${[
        ...problems.slice(0, 5),
        ...(problems.length > 5 ? [`... and ${problems.length - 5} more`] : []),
      ].join('\n  ')}`,
    );
  }

  const ms = (iso?: string) => (iso ? new Date(iso).getTime() : NaN);
  return {
    totalMs,
    claimMs: ms(run.startedAt) - ms(run.queuedAt),
    inTasksMs: tasks.reduce(
      (sum, t) => sum + (ms(t.finishedAt) - ms(t.startedAt)),
      0,
    ),
  };
}

// ---------------------------------------------------------------------------------------

type Measurement = { direct: number[]; engine: EngineRound[] };

async function measure(
  setup: EngineSetup,
  scripts: string[],
  directDir: string,
): Promise<Measurement> {
  const result: Measurement = { direct: [], engine: [] };
  for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
    // Alternate which side goes first, so drift hits both alike.
    let direct: number;
    let engine: EngineRound;
    if (round % 2 === 0) {
      direct = await runDirect(scripts, directDir);
      engine = await runEngine(setup);
    } else {
      engine = await runEngine(setup);
      direct = await runDirect(scripts, directDir);
    }
    const name =
      round < 0 ? `warm-up ${round + WARMUP_ROUNDS + 1}` : `round ${round + 1}`;
    console.log(
      `  ${name.padEnd(10)} direct ${fmt(direct)} ms   engine ${fmt(
        engine.totalMs,
      )} ms` +
        `   (claim ${fmt(engine.claimMs)} ms, inside tasks ${fmt(
          engine.inTasksMs,
        )} ms)` +
        `   ratio ${(engine.totalMs / direct).toFixed(2)}`,
    );
    if (round >= 0) {
      result.direct.push(direct);
      result.engine.push(engine);
    }
  }
  return result;
}

function report(label: string, m: Measurement) {
  const direct = median(m.direct);
  const engine = median(m.engine.map(e => e.totalMs));
  const claim = median(m.engine.map(e => e.claimMs));
  const inTasks = median(m.engine.map(e => e.inTasksMs));
  const perTask = (engine - direct) / TASK_COUNT;
  console.log(
    `  median     direct ${fmt(direct)} ms   engine ${fmt(engine)} ms`,
  );
  console.log(
    `  ${label}: engine overhead per task ${perTask.toFixed(2)} ms` +
      `   ratio engine/direct ${(engine / direct).toFixed(2)}` +
      `   (direct ${(direct / TASK_COUNT).toFixed(2)} ms/script;` +
      ` engine: claim ${fmt(claim)} ms, inside tasks ${(
        inTasks / TASK_COUNT
      ).toFixed(2)} ms/task,` +
      ` between tasks ${((engine - inTasks - claim) / TASK_COUNT).toFixed(
        2,
      )} ms/task)`,
  );
  return { label, direct, engine, perTask };
}

async function benchmark(
  label: string,
  db: Knex,
  tmp: string,
  scripts: string[],
): Promise<ReturnType<typeof report>> {
  console.log(
    `\n${label}: ${TASK_COUNT} tasks (${STAGES} stages x ${TASKS_PER_STAGE}), ${WARMUP_ROUNDS} warm-up + ${ROUNDS} rounds`,
  );
  const workspaceRoot = path.join(tmp, `workspaces-${label.toLowerCase()}`);
  const setup = await setUpEngine(label, db, workspaceRoot);
  try {
    return report(
      label,
      await measure(setup, scripts, path.join(tmp, 'direct')),
    );
  } finally {
    await setup.close();
  }
}

async function main() {
  const [load1] = os.loadavg();
  console.log(
    `Node ${process.version}, ${
      os.cpus().length
    } CPUs, load average ${load1.toFixed(2)}` +
      ' (a busy machine inflates both sides; compare the ratio, not the absolute ms)',
  );
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'devops-bench-'));
  let results: Array<ReturnType<typeof report>> = [];
  try {
    const scripts = await prepareDirectScripts(path.join(tmp, 'direct'));
    results = await onEachBenchDatabase((label, db) =>
      benchmark(label, db, tmp, scripts),
    );
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }

  console.log('\nSummary (medians)');
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(10)} direct ${fmt(r.direct)} ms  engine ${fmt(
        r.engine,
      )} ms  ` +
        `overhead ${r.perTask.toFixed(2)} ms/task  ratio ${(
          r.engine / r.direct
        ).toFixed(2)}`,
    );
  }
}

runBenchmark(main);
