import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseLogStore } from '../database/DatabaseLogStore';
import { RunChanges } from '../database/RunChanges';
import { applyMigrations } from '../database/migrate';
import { RunLogWriter } from './RunLogWriter';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** Log rows reference a run, which references a pipeline: insert the minimum of both. */
async function setup(databaseId: Parameters<typeof databases.init>[0]) {
  const db = await databases.init(databaseId);
  await applyMigrations(db);
  const now = new Date();
  await db('pipelines').insert({
    id: 'p1',
    name: 'p',
    entity_ref: 'component:default/x',
    created_by: 'user:default/t',
    created_at: now,
    updated_at: now,
    active: true,
    spec: '{}',
    next_build_id: 2,
    version: 1,
  });
  await db('runs').insert({
    id: 'r1',
    pipeline_id: 'p1',
    build_id: 1,
    pipeline_name: 'p',
    status: 'running',
    trigger: '{}',
    spec: '{}',
    queued_at: now,
    stop_requested: false,
  });
  const store = new DatabaseLogStore(db, new RunChanges(db));
  const lines = async () =>
    (await store.list('r1', { afterSeq: 0, limit: 100_000 })).flatMap(c =>
      c.text
        .split('\n')
        .filter(Boolean)
        .map(l => ({ taskId: c.taskId, line: l })),
    );
  return { store, lines };
}

const textOf = (line: string) => line.replace(/^\S+ /, '');

describe.each(databases.eachSupportedId())('RunLogWriter on %s', databaseId => {
  it('stamps lines with their time and keeps the order, task by task', async () => {
    const { store, lines } = await setup(databaseId);
    const writer = await RunLogWriter.open(store, 'r1', {
      secrets: [],
      maxBytesPerTask: 1e6,
    });
    writer.run.platform('Normal', 'Started by user jack');
    writer.forTask('t1').output('one\ntw');
    writer.forTask('t2').output('parallel\n');
    writer.forTask('t1').output('o\n');
    await writer.close();
    const stored = await lines();
    expect(stored.map(l => [l.taskId, textOf(l.line)])).toEqual([
      [undefined, '[Normal] Started by user jack'],
      ['t1', 'one'],
      ['t2', 'parallel'],
      ['t1', 'two'],
    ]);
    expect(stored[0].line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
    const seqs = (await store.list('r1', { afterSeq: 0, limit: 100 })).map(
      c => c.seq,
    );
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('remembers the last lines a task printed, masked, for its failure message', async () => {
    const { store } = await setup(databaseId);
    const writer = await RunLogWriter.open(store, 'r1', {
      secrets: ['s3cr3t'],
      maxBytesPerTask: 1e6,
    });
    const log = writer.forTask('t1');
    log.output('installing\nnpm ERR! token s3cr3t refused\n\n');
    log.platform('Warning', 'not the task output');
    log.output(`${'x'.repeat(300)}\nlast line without a newline`);
    log.end();
    expect(log.lastOutputLines).toEqual([
      `${'x'.repeat(199)}…`,
      'last line without a newline',
    ]);
    const early = writer.forTask('t2');
    early.output('npm ERR! token s3cr3t refused\n');
    expect(early.lastOutputLines).toEqual(['npm ERR! token *** refused']);
    await writer.close();
  });

  it("keeps each task's last resume mark with its stored output, also past the cap", async () => {
    const { store } = await setup(databaseId);
    const writer = await RunLogWriter.open(store, 'r1', {
      secrets: [],
      maxBytesPerTask: 20,
    });
    const log = writer.forTask('t1');
    log.output('first\n', 'mark-1');
    // Half a line: its mark waits for the line's end, which is not stored yet.
    log.output('second ', 'mark-half');
    log.platform('Normal', 'no mark here');
    writer.forTask('t2').output('other task\n', 'mark-t2');
    await writer.flush();
    expect(await store.lastResumeMark('r1', 't1')).toBe('mark-1');
    log.output('line\n', 'mark-2');
    // Past the 20-byte cap: not stored, yet resuming after it must not bring it back.
    log.output('a line too many\n', 'mark-3');
    log.output('and another\n', 'mark-4');
    await writer.close();
    expect(await store.lastResumeMark('r1', 't1')).toBe('mark-4');
    expect(await store.lastResumeMark('r1', 't2')).toBe('mark-t2');
    expect(await store.lastResumeMark('r1', 't3')).toBeUndefined();
  });

  it('masks a secret even when the output splits it across chunks', async () => {
    const { store, lines } = await setup(databaseId);
    const writer = await RunLogWriter.open(store, 'r1', {
      secrets: ['s3cr3t-t0ken'],
      maxBytesPerTask: 1e6,
    });
    const log = writer.forTask('t1');
    log.output('the token is s3c');
    log.output('r3t-');
    log.output('t0ken, twice: s3cr3t-t0ken\nlast line s3cr3t-t0k');
    log.output('en');
    log.platform('Warning', 'failed with s3cr3t-t0ken');
    await writer.close();
    const text = (await lines()).map(l => textOf(l.line));
    expect(text).toEqual([
      'the token is ***, twice: ***',
      '[Warning] failed with ***',
      'last line ***',
    ]);
  });

  it('cuts output past the cap with a note and reports what was dropped', async () => {
    const { store, lines } = await setup(databaseId);
    const writer = await RunLogWriter.open(store, 'r1', {
      secrets: [],
      maxBytesPerTask: 100,
    });
    const log = writer.forTask('t1');
    for (let i = 0; i < 50; i++)
      log.output(`line ${String(i).padStart(3, '0')}\n`);
    log.platform('Normal', 'task finished');
    log.end();
    await writer.close();
    const text = (await lines()).map(l => textOf(l.line));
    const kept = text.filter(t => t.startsWith('line '));
    expect(kept.length).toBe(11);
    expect(text).toContain('[Normal] task finished');
    expect(
      text.some(t => /limit of 100 bytes; further output is not kept/.test(t)),
    ).toBe(true);
    expect(text[text.length - 1]).toMatch(
      /\[Warning\] 351 more bytes of output were not kept/,
    );
  });

  it('tries a failed write again, and counts the lines it gave up on', async () => {
    const { store, lines } = await setup(databaseId);
    const append = store.append.bind(store);
    let failures = 2;
    const flaky = Object.assign(Object.create(store), {
      append: async (...args: Parameters<typeof append>) => {
        if (failures-- > 0) throw new Error('connection terminated');
        return append(...args);
      },
    }) as DatabaseLogStore;
    const writer = await RunLogWriter.open(flaky, 'r1', {
      secrets: [],
      maxBytesPerTask: 1e6,
      retryDelaysMs: [1, 1],
    });
    writer.forTask('t1').output('kept after two failed tries\n');
    await writer.close();
    expect((await lines()).map(l => textOf(l.line))).toEqual([
      'kept after two failed tries',
    ]);
    expect(writer.lost).toBeUndefined();

    const down = Object.assign(Object.create(store), {
      append: async () => {
        throw new Error('the database is gone');
      },
    }) as DatabaseLogStore;
    const failing = await RunLogWriter.open(down, 'r1', {
      secrets: [],
      maxBytesPerTask: 1e6,
      retryDelaysMs: [1, 1],
    });
    failing.forTask('t1').output('one\ntwo\n');
    await expect(failing.close()).rejects.toThrow('the database is gone');
    expect(failing.lost).toEqual({
      lines: 2,
      error: new Error('the database is gone'),
    });
  });

  it('continues the sequence after what another engine wrote', async () => {
    const { store } = await setup(databaseId);
    const first = await RunLogWriter.open(store, 'r1', {
      secrets: [],
      maxBytesPerTask: 1e6,
    });
    first.run.platform('Normal', 'before');
    await first.close();
    const second = await RunLogWriter.open(store, 'r1', {
      secrets: [],
      maxBytesPerTask: 1e6,
    });
    second.run.platform('Normal', 'after');
    await second.close();
    const chunks = await store.list('r1', { afterSeq: 0, limit: 10 });
    expect(chunks.map(c => c.seq)).toEqual([1, 2]);
    expect(chunks[1].text).toMatch(/after/);
  });

  it("logs once what an executor reports again after a takeover, as the task's log holds it", async () => {
    const { store, lines } = await setup(databaseId);
    const options = { secrets: ['s3cr3t'], maxBytesPerTask: 1e6 };
    const scheduled =
      'Scheduled at 2026-12-06T10:00:00.000Z from default-scheduler: assigned to node-1';
    const first = await RunLogWriter.open(store, 'r1', options);
    first.forTask('t1').platform('Normal', scheduled);
    first.forTask('t1').platform('Warning', 'Pulling with token s3cr3t');
    first.forTask('t1').output('building\n');
    first.forTask('t2').platform('Normal', 'Pulled at 10:00:01 from kubelet');
    await first.close();

    const logged = await store.platformLines('r1', 't1');
    expect([...logged]).toEqual([
      `[Normal] ${scheduled}`,
      '[Warning] Pulling with token ***',
    ]);
    const second = await RunLogWriter.open(store, 'r1', options);
    const task = second.forTask('t1');
    task.skipLoggedPlatformLines(logged);
    task.platform('Normal', scheduled);
    task.platform('Warning', 'Pulling with token s3cr3t');
    // Another task's line, and output, are not the task's platform lines.
    task.platform('Normal', 'Pulled at 10:00:01 from kubelet');
    task.output('building\n');
    task.platform('Normal', 'Started at 10:00:02 from kubelet');
    await second.close();

    expect((await lines()).map(l => [l.taskId, textOf(l.line)])).toEqual([
      ['t1', `[Normal] ${scheduled}`],
      ['t1', '[Warning] Pulling with token ***'],
      ['t1', 'building'],
      ['t2', '[Normal] Pulled at 10:00:01 from kubelet'],
      ['t1', '[Normal] Pulled at 10:00:01 from kubelet'],
      ['t1', 'building'],
      ['t1', '[Normal] Started at 10:00:02 from kubelet'],
    ]);
  });

  it('keeps memory flat when a task prints 100 MB', async () => {
    const { store } = await setup(databaseId);
    const writer = await RunLogWriter.open(store, 'r1', {
      secrets: ['never-printed'],
      maxBytesPerTask: 1024 * 1024,
    });
    const log = writer.forTask('t1');
    const block = `${'x'.repeat(99)}\n`.repeat(655);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    for (
      let written = 0;
      written < 100 * 1024 * 1024;
      written += block.length
    ) {
      log.output(block);
      if (written % (8 * 1024 * 1024) < block.length) {
        await writer.flush();
        peak = Math.max(peak, process.memoryUsage().rss);
      }
    }
    log.end();
    await writer.close();
    const stored = (
      await store.list('r1', { afterSeq: 0, limit: 100_000 })
    ).reduce((n, c) => n + c.text.length, 0);
    // The text kept is the cap plus timestamps, nowhere near the 100 MB printed.
    expect(stored).toBeLessThan(1.5 * 1024 * 1024);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });
});
