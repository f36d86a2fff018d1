import { TestDatabases } from '@backstage/backend-test-utils';
import type { TaskContext, TaskResult } from '../executors/types';
import { createEngineTestKit, script } from './__testUtils__/engineTestKit';
import {
  ScriptedTestExecutor,
  runUntilAborted,
} from './__testUtils__/ScriptedTestExecutor';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A promise the test resolves when it has seen what it waits for. */
function gate() {
  let release!: () => void;
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  return { released, release };
}

/** A task whose pod first cannot be scheduled, then gets its node and runs. */
const waitsThenRuns =
  (waitMs: number, then: (ctx: TaskContext) => Promise<TaskResult>) =>
  async (ctx: TaskContext): Promise<TaskResult> => {
    ctx.waiting('0/3 nodes are available: 3 Insufficient memory');
    await sleep(waitMs);
    ctx.resumed();
    return then(ctx);
  };

describe.each(databases.eachSupportedId())('RunEngine waiting on %s', databaseId => {
  let kit: Awaited<ReturnType<typeof createEngineTestKit>>;

  beforeEach(async () => {
    kit = await createEngineTestKit(databases, databaseId);
  });

  afterEach(async () => {
    await kit.close();
  });

  it('shows waiting on the task and the run, and back to running', async () => {
    const { released, release } = gate();
    const executor = new ScriptedTestExecutor({
      pending: async ctx => {
        ctx.waiting('0/3 nodes are available: 3 Insufficient memory');
        await released;
        ctx.resumed();
        await sleep(200);
        return { status: 'succeeded' };
      },
    });
    kit.engine(executor);
    const queued = await kit.run({
      stages: [{ name: 'Build', order: 'sequential', tasks: [script('pending')] }],
    });

    const waiting = await kit.waitFor(queued.id, s => s === 'waiting');
    expect(waiting.tasks[0].status).toBe('waiting');
    release();
    const running = await kit.waitFor(queued.id, s => s === 'running');
    expect(running.tasks[0].status).toBe('running');
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('succeeded');
    expect(tasks[0].status).toBe('succeeded');
    expect(run.waitedMs).toBeGreaterThan(0);
    const log = await kit.logText(queued.id);
    expect(log).toMatch(/\[Warning\] The task "pending" of stage "Build" is waiting: 0\/3 nodes are available: 3 Insufficient memory/);
    expect(log).toMatch(/The run is waiting for cluster resources; its timeout does not count this time/);
  });

  it('does not count waiting time against the timeout', async () => {
    // Timeout 1 "minute" = 600 ms; the task waits 900 ms, then executes 100 ms. The
    // budget leaves room for a loaded machine's database writes around the task.
    const executor = new ScriptedTestExecutor({
      slowToSchedule: waitsThenRuns(900, async () => {
        await sleep(100);
        return { status: 'succeeded' };
      }),
    });
    kit.engine(executor, { minuteMs: 600 });
    const queued = await kit.run({
      timeoutMinutes: 1,
      stages: [{ name: 'Build', order: 'sequential', tasks: [script('slowToSchedule')] }],
    });
    const { run } = await kit.waitFor(queued.id);
    expect({ status: run.status, message: run.message }).toEqual({
      status: 'succeeded',
      message: undefined,
    });
  });

  it('still counts execution time after a wait', async () => {
    const executor = new ScriptedTestExecutor({
      runsForever: waitsThenRuns(600, runUntilAborted),
    });
    kit.engine(executor, { minuteMs: 300 });
    const started = Date.now();
    const queued = await kit.run({
      timeoutMinutes: 1,
      stages: [{ name: 'Build', order: 'sequential', tasks: [script('runsForever')] }],
    });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('timedOut');
    expect(tasks[0].status).toBe('timedOut');
    // 600 ms waited + 300 ms of budget.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('keeps the run running while another task of a parallel stage executes', async () => {
    const { released, release } = gate();
    const executor = new ScriptedTestExecutor({
      pending: async ctx => {
        ctx.waiting('0/1 nodes are available: 1 Insufficient cpu');
        await released;
        ctx.resumed();
        return { status: 'succeeded' };
      },
      busy: async () => {
        await released;
        return { status: 'succeeded' };
      },
    });
    kit.engine(executor);
    const queued = await kit.run({
      stages: [{ name: 'Test', order: 'parallel', tasks: [script('pending'), script('busy')] }],
    });
    try {
      // The sibling's start is recorded a moment before the run's status follows it, so
      // the run may show `waiting` briefly; it must settle on `running` while one executes.
      const deadline = Date.now() + 5_000;
      let seen: string[] = [];
      while (Date.now() < deadline) {
        const tasks = await kit.runs.listTaskRuns(queued.id);
        const run = await kit.runs.getRunOrThrow(queued.id);
        seen = [run.status, tasks[0].status, tasks[1].status];
        if (seen.join() === 'running,waiting,running') break;
        await sleep(20);
      }
      expect(seen).toEqual(['running', 'waiting', 'running']);
    } finally {
      release();
    }
    expect((await kit.waitFor(queued.id)).run.status).toBe('succeeded');
  });

  it('re-attaches to a task started before a takeover when the executor can, with the mark of its last stored output', async () => {
    const resumeMarks: Array<string | undefined> = [];
    const executor = new ScriptedTestExecutor(
      {
        long: async ctx => {
          resumeMarks.push(ctx.resumeMark);
          // The first engine's attempt runs until it is let go; the second finishes.
          if (executor.starts.filter(s => s.name === 'long').length === 1) {
            ctx.log.output('line one\n', 'after-one');
            ctx.log.output('line two\n', 'after-two');
            ctx.log.platform('Normal', 'a platform line carries no mark');
            return runUntilAborted(ctx);
          }
          return { status: 'succeeded', exitCode: 0 };
        },
      },
      true,
    );
    const engineA = kit.engine(executor, { engineId: 'engine-a' });
    const queued = await kit.run({
      stages: [{ name: 'A', order: 'sequential', tasks: [script('first'), script('long'), script('last')] }],
    });
    while (executor.starts.length < 2) await sleep(10);
    await engineA.shutdown();
    kit.engine(executor, { engineId: 'engine-b', staleAfterMs: 300 });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('succeeded');
    expect(tasks.map(t => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const longStarts = executor.starts.filter(s => s.name === 'long');
    expect(longStarts.map(s => [s.taskRunId, s.attempt])).toEqual([
      [tasks[1].id, 1],
      [tasks[1].id, 1],
    ]);
    expect(executor.starts.map(s => s.name)).toEqual(['first', 'long', 'long', 'last']);
    expect(resumeMarks).toEqual([undefined, 'after-two']);
    expect(await kit.logText(queued.id)).toMatch(/Continuing task "long" of stage "A", started before the takeover/);
  });
});
