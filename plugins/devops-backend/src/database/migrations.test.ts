import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { applyMigrations } from './migrate';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const directory = resolvePackagePath(
  '@devops-pipelines/plugin-devops-backend',
  'migrations',
);

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('create the tables and roll back cleanly', async () => {
    const db = await databases.init(databaseId);
    await applyMigrations(db);
    for (const table of [
      'pipelines',
      'runs',
      'run_steps',
      'task_runs',
      'log_chunks',
    ]) {
      expect(await db.schema.hasTable(table)).toBe(true);
    }
    await db.migrate.rollback({ directory }, true);
    for (const table of ['pipelines', 'runs', 'task_runs', 'log_chunks']) {
      expect(await db.schema.hasTable(table)).toBe(false);
    }
    // And up again: a rollback must leave nothing that blocks the next migration.
    await applyMigrations(db);
    expect(await db.schema.hasTable('log_chunks')).toBe(true);
  });

  it('gives runs from before the set-up steps an initialisation step timed as the page showed it', async () => {
    const db = await databases.init(databaseId);
    await applyMigrations(db);
    // Back to the tables before run_steps, with runs as they were written then.
    await db.migrate.down({ directory });
    expect(await db.schema.hasTable('run_steps')).toBe(false);
    const time = (second: number) =>
      new Date(Date.UTC(2026, 10, 21, 9, 0, second));
    await db('pipelines').insert({
      id: 'p1',
      name: 'legacy',
      entity_ref: 'component:default/legacy',
      created_by: 'user:default/ada',
      created_at: time(0),
      updated_at: time(0),
      spec: '{"stages":[]}',
    });
    const run = (
      id: string,
      buildId: number,
      status: string,
      started?: number,
      finished?: number,
    ) => ({
      id,
      pipeline_id: 'p1',
      build_id: buildId,
      pipeline_name: 'legacy',
      status,
      trigger: '{"type":"manual"}',
      spec: '{"stages":[]}',
      queued_at: time(0),
      started_at: started === undefined ? null : time(started),
      finished_at: finished === undefined ? null : time(finished),
    });
    await db('runs').insert([
      run('done', 1, 'succeeded', 1, 20),
      run('failed-early', 2, 'failed', 1, 3),
      run('stopped-queued', 3, 'stopped', undefined, 2),
      run('queued', 4, 'queued'),
      run('checking-out', 5, 'running', 1),
    ]);
    await db('task_runs').insert({
      id: 't1',
      run_id: 'done',
      stage_index: 0,
      task_index: 0,
      status: 'succeeded',
      started_at: time(4),
      finished_at: time(20),
    });

    await db.migrate.up({ directory });

    const steps = await db('run_steps').orderBy(['run_id', 'step']);
    const read = steps.map(s => ({
      run: s.run_id,
      step: s.step,
      status: s.status,
      startedAt: s.started_at
        ? new Date(s.started_at).toISOString()
        : undefined,
      finishedAt: s.finished_at
        ? new Date(s.finished_at).toISOString()
        : undefined,
    }));
    expect(read).toEqual([
      {
        run: 'checking-out',
        step: 'checkout',
        status: 'queued',
        startedAt: undefined,
        finishedAt: undefined,
      },
      {
        run: 'checking-out',
        step: 'initialisation',
        status: 'running',
        startedAt: time(1).toISOString(),
        finishedAt: undefined,
      },
      // Set-up ended when the first task started.
      {
        run: 'done',
        step: 'initialisation',
        status: 'succeeded',
        startedAt: time(1).toISOString(),
        finishedAt: time(4).toISOString(),
      },
      {
        run: 'failed-early',
        step: 'initialisation',
        status: 'failed',
        startedAt: time(1).toISOString(),
        finishedAt: time(3).toISOString(),
      },
      {
        run: 'queued',
        step: 'checkout',
        status: 'queued',
        startedAt: undefined,
        finishedAt: undefined,
      },
      {
        run: 'queued',
        step: 'initialisation',
        status: 'queued',
        startedAt: undefined,
        finishedAt: undefined,
      },
      {
        run: 'stopped-queued',
        step: 'initialisation',
        status: 'skipped',
        startedAt: undefined,
        finishedAt: undefined,
      },
    ]);
  });

  it('skips migrations when the deployment manages them', async () => {
    const db = await databases.init(databaseId);
    await applyMigrations(db, {
      getClient: async () => db,
      migrations: { skip: true },
    });
    expect(await db.schema.hasTable('pipelines')).toBe(false);
  });
});
