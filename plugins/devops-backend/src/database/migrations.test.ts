import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { applyMigrations } from './migrate';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const directory = resolvePackagePath('@devops-pipelines/plugin-devops-backend', 'migrations');

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('create the tables and roll back cleanly', async () => {
    const db = await databases.init(databaseId);
    await applyMigrations(db);
    for (const table of ['pipelines', 'runs', 'task_runs', 'log_chunks']) {
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

  it('skips migrations when the deployment manages them', async () => {
    const db = await databases.init(databaseId);
    await applyMigrations(db, { getClient: async () => db, migrations: { skip: true } });
    expect(await db.schema.hasTable('pipelines')).toBe(false);
  });
});
