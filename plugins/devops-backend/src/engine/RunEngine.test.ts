import { TestDatabases } from '@backstage/backend-test-utils';
import { createEngineTestKit, script } from './__testUtils__/engineTestKit';
import { SourceError } from '../executors/types';
import { queueRun } from './queueRun';
import {
  ScriptedTestExecutor,
  failWith,
  runUntilAborted,
} from './__testUtils__/ScriptedTestExecutor';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())('RunEngine on %s', databaseId => {
  let kit: Awaited<ReturnType<typeof createEngineTestKit>>;

  beforeEach(async () => {
    kit = await createEngineTestKit(databases, databaseId);
  });

  afterEach(async () => {
    await kit.close();
  });

  it('runs stages in order and sequential tasks one after another', async () => {
    const executor = new ScriptedTestExecutor();
    kit.engine(executor);
    const queued = await kit.run({
      stages: [
        {
          name: 'Build',
          order: 'sequential',
          tasks: [script('a'), script('b')],
        },
        { name: 'Test', order: 'sequential', tasks: [script('c')] },
      ],
    });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('succeeded');
    expect(tasks.map(t => t.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(executor.starts.map(s => s.name)).toEqual(['a', 'b', 'c']);
    expect(executor.cleaned).toEqual([queued.id]);
    expect(await kit.logText(queued.id)).toMatch(/Started by user tester/);
  });

  it('records initialisation and the checkout as steps of their own, with their logs', async () => {
    const executor = new ScriptedTestExecutor();
    kit.engine(executor);
    const sourced = await kit.run({
      source: {
        provider: 'git',
        repository: 'https://git.example.com/acme/shop.git',
        branch: 'main',
      },
      stages: [{ name: 'Build', order: 'sequential', tasks: [script('a')] }],
    });
    const { run, setup, tasks } = await kit.waitFor(sourced.id);
    expect(run.status).toBe('succeeded');
    expect(setup.map(s => [s.step, s.status])).toEqual([
      ['initialisation', 'succeeded'],
      ['checkout', 'succeeded'],
    ]);
    // In order, each timed: initialisation ends before the checkout, which ends before the task.
    const [initialisation, checkout] = setup;
    expect(initialisation.startedAt! <= initialisation.finishedAt!).toBe(true);
    expect(initialisation.finishedAt! <= checkout.startedAt!).toBe(true);
    expect(checkout.finishedAt! <= tasks[0].startedAt!).toBe(true);
    expect(await kit.logText(sourced.id, null)).toMatch(
      /Started by user tester/,
    );
    expect(await kit.logText(sourced.id, null)).not.toMatch(/is at a6a16470/);
    expect(await kit.logText(sourced.id, 'checkout')).toMatch(
      /Branch main of https:\/\/git.example.com\/acme\/shop.git is at a6a16470; every task uses this commit/,
    );

    // Without a source there is nothing to check out: the step is skipped.
    const sourceless = await kit.run({
      stages: [{ name: 'Build', order: 'sequential', tasks: [script('b')] }],
    });
    const done = await kit.waitFor(sourceless.id);
    expect(done.setup.map(s => s.status)).toEqual(['succeeded', 'skipped']);
  });

  it('fails the checkout step, with its reason in its log, when the branch cannot be resolved', async () => {
    const executor = new ScriptedTestExecutor();
    kit.engine(executor, {
      resolveCommit: async () => {
        throw new SourceError(
          'Branch main of https://git.example.com/acme/shop.git does not exist',
        );
      },
    });
    const queued = await kit.run({
      source: {
        provider: 'git',
        repository: 'https://git.example.com/acme/shop.git',
        branch: 'main',
      },
      stages: [{ name: 'Build', order: 'sequential', tasks: [script('a')] }],
    });
    const { run, setup, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('failed');
    expect(setup.map(s => [s.step, s.status, s.message])).toEqual([
      ['initialisation', 'succeeded', undefined],
      [
        'checkout',
        'failed',
        'Branch main of https://git.example.com/acme/shop.git does not exist',
      ],
    ]);
    expect(tasks.map(t => t.status)).toEqual(['skipped']);
    expect(await kit.logText(queued.id, 'checkout')).toMatch(
      /\[Warning\] Branch main of .* does not exist/,
    );
    expect(executor.starts).toEqual([]);
  });

  it('fails a run whose log lines could not be stored, saying so, instead of calling it succeeded', async () => {
    jest
      .spyOn(kit.logs, 'append')
      .mockRejectedValue(new Error('connection terminated unexpectedly'));
    kit.engine(new ScriptedTestExecutor(), { logRetryDelaysMs: [1] });
    const queued = await kit.run({
      stages: [{ name: 'Build', order: 'sequential', tasks: [script('a')] }],
    });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(tasks[0].status).toBe('succeeded');
    expect(run.status).toBe('failed');
    expect(run.message).toMatch(
      /^\d+ lines of its log could not be stored \(connection terminated unexpectedly\); the run counts as failed because what it did is not all on record$/,
    );
  });

  it('stops at the first failure and marks tasks that never started as skipped', async () => {
    const executor = new ScriptedTestExecutor({ b: failWith(3) });
    kit.engine(executor);
    const queued = await kit.run({
      stages: [
        {
          name: 'Build',
          order: 'sequential',
          tasks: [script('a'), script('b'), script('c')],
        },
        { name: 'Test', order: 'sequential', tasks: [script('d')] },
      ],
    });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('failed');
    expect(run.message).toMatch(/exited with code 3/);
    expect(tasks.map(t => t.status)).toEqual([
      'succeeded',
      'failed',
      'skipped',
      'skipped',
    ]);
    expect(tasks[1].exitCode).toBe(3);
    expect(executor.starts.map(s => s.name)).toEqual(['a', 'b']);
  });

  it('stops running siblings of a failed task in a parallel stage', async () => {
    const executor = new ScriptedTestExecutor({
      slow: runUntilAborted,
      broken: failWith(1),
    });
    kit.engine(executor);
    const queued = await kit.run({
      stages: [
        {
          name: 'Test',
          order: 'parallel',
          tasks: [script('slow'), script('broken')],
        },
        { name: 'Deploy', order: 'sequential', tasks: [script('never')] },
      ],
    });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('failed');
    expect(tasks.map(t => t.status)).toEqual(['stopped', 'failed', 'skipped']);
  });

  it('stops a running run on request, through the database like another replica would', async () => {
    const executor = new ScriptedTestExecutor({ forever: runUntilAborted });
    kit.engine(executor);
    const queued = await kit.run({
      stages: [
        {
          name: 'Build',
          order: 'sequential',
          tasks: [script('forever'), script('after')],
        },
      ],
    });
    await kit.waitFor(queued.id, s => s === 'running');
    while (executor.starts.length === 0)
      await new Promise(r => setTimeout(r, 10));
    await kit.runs.requestStop(queued.id);
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('stopped');
    expect(tasks.map(t => t.status)).toEqual(['stopped', 'skipped']);
  });

  it('stops a queued run before it starts', async () => {
    const queued = await kit.run({
      stages: [{ name: 'Build', order: 'sequential', tasks: [script('a')] }],
    });
    const stopped = await kit.runs.requestStop(queued.id);
    expect(stopped.status).toBe('stopped');
    expect((await kit.runs.listTaskRuns(queued.id))[0].status).toBe('skipped');
    expect(
      (await kit.runs.listSetupSteps(queued.id)).map(s => s.status),
    ).toEqual(['skipped', 'skipped']);
  });

  it('ends a run that exceeds its timeout as timedOut, naming the running task', async () => {
    const executor = new ScriptedTestExecutor({ hangs: runUntilAborted });
    kit.engine(executor, { minuteMs: 200 });
    const queued = await kit.run({
      timeoutMinutes: 1,
      stages: [
        { name: 'Build', order: 'sequential', tasks: [script('hangs')] },
      ],
    });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('timedOut');
    expect(run.message).toMatch(
      /timeout of 1 minutes while task "hangs" was running/,
    );
    expect(tasks[0].status).toBe('timedOut');
  });

  it('passes variables: built-ins, parameters, run params and outputs of earlier tasks', async () => {
    const executor = new ScriptedTestExecutor({
      produce: async () => ({
        status: 'succeeded',
        outputs: { VERSION: '1.2.3' },
      }),
    });
    kit.engine(executor);
    const queued = await kit.run(
      {
        parameters: [
          { name: 'REGION', value: 'eu' },
          { name: 'TOKEN', value: 'very-secret', secret: true },
        ],
        stages: [
          { name: 'A', order: 'sequential', tasks: [script('produce')] },
          {
            name: 'B',
            order: 'sequential',
            tasks: [script('consume', { tag: 'v${VERSION}-${BUILD_ID}' })],
          },
        ],
      },
      { EXTRA: 'given' },
    );
    const { run } = await kit.waitFor(queued.id);
    expect(run.status).toBe('succeeded');
    const env = executor.starts[1].env;
    expect(env).toMatchObject({
      BUILD_ID: '1',
      REGION: 'eu',
      TOKEN: 'very-secret',
      EXTRA: 'given',
      VERSION: '1.2.3',
      PIPELINE_NAME: run.pipelineName,
      TRIGGER: 'manual',
    });
  });

  it('fails a task that refers to an unknown variable before starting it', async () => {
    const executor = new ScriptedTestExecutor();
    kit.engine(executor);
    const queued = await kit.run({
      stages: [
        {
          name: 'A',
          order: 'sequential',
          tasks: [script('tagged', { tag: '${NOPE}' })],
        },
      ],
    });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('failed');
    expect(tasks[0].message).toMatch(/\$\{NOPE\}/);
    expect(executor.starts).toHaveLength(0);
  });

  it('gives two engines on one database 100 runs and never runs one twice', async () => {
    const executor = new ScriptedTestExecutor();
    kit.engine(executor, { engineId: 'engine-a' });
    kit.engine(executor, { engineId: 'engine-b' });
    const pipeline = await kit.pipeline({
      stages: [{ name: 'A', order: 'sequential', tasks: [script('only')] }],
    });
    const queued = await Promise.all(
      Array.from({ length: 100 }, () =>
        queueRun(kit.runs, pipeline, {
          type: 'manual',
          user: 'user:default/tester',
        }),
      ),
    );
    expect(queued.map(r => r.buildId).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    for (const run of queued) {
      expect((await kit.waitFor(run.id, undefined, 60_000)).run.status).toBe(
        'succeeded',
      );
    }
    const started = executor.starts.map(s => s.taskRunId);
    expect(started).toHaveLength(100);
    expect(new Set(started).size).toBe(100);
    const claimedBy = new Set(
      (await kit.db('runs').select('claimed_by')).map((r: any) => r.claimed_by),
    );
    expect(claimedBy).toEqual(new Set(['engine-a', 'engine-b']));
  });

  it('takes over a run whose engine died and finishes it without starting a task twice', async () => {
    let releaseResolve!: () => void;
    const resolveBlocked = new Promise<void>(resolve => {
      releaseResolve = resolve;
    });
    const executor = new ScriptedTestExecutor();
    // Engine A dies while it resolves the run's source, after claiming it.
    const engineA = kit.engine(executor, {
      engineId: 'engine-a',
      resolveCommit: async () => {
        await resolveBlocked;
        return 'b'.repeat(40);
      },
    });
    const queued = await kit.run({
      source: {
        provider: 'git',
        repository: 'https://git.example.com/demo.git',
        branch: 'main',
      },
      stages: [
        {
          name: 'A',
          order: 'sequential',
          tasks: [script('one'), script('two')],
        },
      ],
    });
    await kit.waitFor(queued.id, s => s === 'running');
    const dying = engineA.shutdown();
    releaseResolve();
    await dying;
    expect((await kit.runs.getRunOrThrow(queued.id)).status).toBe('running');

    kit.engine(executor, { engineId: 'engine-b', staleAfterMs: 300 });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect({ status: run.status, message: run.message }).toEqual({
      status: 'succeeded',
      message: undefined,
    });
    expect(run.claimedBy).toBe('engine-b');
    expect(tasks.map(t => t.attempt)).toEqual([1, 1]);
    expect(executor.starts.map(s => s.name)).toEqual(['one', 'two']);
    expect(await kit.logText(queued.id)).toMatch(
      /engine-a stopped responding; engine engine-b took the run over/,
    );
    // Engine A died in the checkout step; engine B did it again and recorded its end.
    expect(
      (await kit.runs.listSetupSteps(queued.id)).map(s => s.status),
    ).toEqual(['succeeded', 'succeeded']);
    // Whichever engine resolved the branch first, its commit is the run's.
    expect(await kit.logText(queued.id, 'checkout')).toMatch(
      /is at (bbbbbbbb|a6a16470); every task uses this commit/,
    );
  });

  it('takes over all the runs of an engine that died in one check, not one per check', async () => {
    const executor = new ScriptedTestExecutor({ long: runUntilAborted }, true);
    const engineA = kit.engine(executor, { engineId: 'engine-a' });
    const queued = await Promise.all(
      Array.from({ length: 5 }, () =>
        kit.run({
          stages: [{ name: 'A', order: 'sequential', tasks: [script('long')] }],
        }),
      ),
    );
    while (executor.starts.length < 5)
      await new Promise(r => setTimeout(r, 10));
    await engineA.shutdown();

    // Checks every second; before, each check took over one run, a second apart.
    const takeovers: number[] = [];
    const takeOver = kit.runs.takeOverStaleRun.bind(kit.runs);
    jest
      .spyOn(kit.runs, 'takeOverStaleRun')
      .mockImplementation(async (...args) => {
        const taken = await takeOver(...args);
        if (taken) takeovers.push(Date.now());
        return taken;
      });
    kit.engine(executor, { engineId: 'engine-b', staleAfterMs: 3000 });
    while (takeovers.length < 5) await new Promise(r => setTimeout(r, 20));
    // One check, even on a busy machine; one per check would span 4 s.
    expect(Math.max(...takeovers) - Math.min(...takeovers)).toBeLessThan(2000);
    for (const run of queued) {
      expect((await kit.runs.getRunOrThrow(run.id)).claimedBy).toBe('engine-b');
    }
  });

  it('takes over the stale runs it had no room for as its slots free, without waiting for the next check', async () => {
    const executor = new ScriptedTestExecutor({ long: runUntilAborted });
    const engineA = kit.engine(executor, { engineId: 'engine-a' });
    const queued = await Promise.all(
      Array.from({ length: 6 }, () =>
        kit.run({
          stages: [{ name: 'A', order: 'sequential', tasks: [script('long')] }],
        }),
      ),
    );
    while (executor.starts.length < 6)
      await new Promise(r => setTimeout(r, 10));
    await engineA.shutdown();
    // Long stale already: engine B's first check finds them all.
    await kit
      .db('runs')
      .update({ heartbeat_at: new Date(Date.now() - 60_000) });

    // Room for 2, and a check every 3 s: the 6 runs (each failed at once, its task
    // interrupted) would take three checks, 9 s, if freed slots waited for one.
    const checkEvery = 3000;
    const started = Date.now();
    kit.engine(executor, {
      engineId: 'engine-b',
      concurrency: 2,
      staleAfterMs: 3 * checkEvery,
    });
    for (const run of queued) {
      const { run: ended } = await kit.waitFor(run.id);
      expect(ended.status).toBe('failed');
      expect(ended.claimedBy).toBe('engine-b');
    }
    // The first check comes after 3 s; the other runs follow it, not later checks.
    expect(Date.now() - started).toBeLessThan(2 * checkEvery);
  });

  it('reports a task interrupted by its engine dying instead of starting it again', async () => {
    const executor = new ScriptedTestExecutor({ long: runUntilAborted });
    const engineA = kit.engine(executor, { engineId: 'engine-a' });
    const queued = await kit.run({
      stages: [
        {
          name: 'A',
          order: 'sequential',
          tasks: [script('first'), script('long'), script('last')],
        },
      ],
    });
    while (executor.starts.length < 2)
      await new Promise(r => setTimeout(r, 10));
    await engineA.shutdown();
    kit.engine(executor, { engineId: 'engine-b', staleAfterMs: 300 });
    const { run, tasks } = await kit.waitFor(queued.id);
    expect(run.status).toBe('failed');
    expect(tasks.map(t => t.status)).toEqual([
      'succeeded',
      'failed',
      'skipped',
    ]);
    expect(tasks[1].message).toMatch(/interrupted/);
    expect(executor.starts.map(s => s.name)).toEqual(['first', 'long']);
  });
});
