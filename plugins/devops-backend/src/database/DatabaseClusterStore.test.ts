import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { DatabaseClusterStore } from './DatabaseClusterStore';
import { applyMigrations } from './migrate';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const directory = resolvePackagePath('@devops-pipelines/plugin-devops-backend', 'migrations');

describe.each(databases.eachSupportedId())('DatabaseClusterStore on %s', databaseId => {
  async function setup() {
    const db = await databases.init(databaseId);
    await applyMigrations(db);
    return { db, store: new DatabaseClusterStore(db) };
  }

  it('stores a binding and reads it back with its scope and health', async () => {
    const { store } = await setup();
    const before = Date.now();

    const created = await store.create({
      name: 'prod',
      namespace: 'devops-pipelines',
      scope: ['group:default/team-a', 'group:default/team-b'],
      createdBy: 'user:default/jack',
      health: 'healthy',
    });

    expect(created).toEqual({
      name: 'prod',
      namespace: 'devops-pipelines',
      scope: ['group:default/team-a', 'group:default/team-b'],
      health: 'healthy',
      checkedAt: expect.any(String),
      createdBy: 'user:default/jack',
      createdAt: expect.any(String),
    });
    expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await store.get('prod')).toEqual(created);
    expect(await store.get('other')).toBeUndefined();
    expect(await store.count()).toBe(1);
  });

  it('refuses to bind the same cluster twice', async () => {
    const { store } = await setup();
    const binding = {
      name: 'prod',
      namespace: 'devops-pipelines',
      scope: [],
      createdBy: 'user:default/jack',
      health: 'healthy' as const,
    };
    await store.create(binding);

    const error = await store.create({ ...binding, namespace: 'elsewhere' }).catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe("Cluster 'prod' is already bound; unbind it first to bind it again");
    expect((await store.get('prod'))?.namespace).toBe('devops-pipelines');
  });

  it('lists bindings oldest first', async () => {
    const { store } = await setup();
    for (const name of ['zeta', 'alpha', 'mid']) {
      await store.create({ name, namespace: 'ns', scope: [], createdBy: 'user:default/a', health: 'unknown' });
      // Distinct creation times on every database's clock resolution.
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    expect((await store.list()).map(b => b.name)).toEqual(['zeta', 'alpha', 'mid']);
  });

  it('records health with its message and check time, and clears the message', async () => {
    const { store } = await setup();
    await store.create({ name: 'prod', namespace: 'ns', scope: [], createdBy: 'user:default/a', health: 'healthy' });

    await store.setHealth('prod', 'unreachable', 'cluster unhealthy or unreachable: boom');
    const unhealthy = await store.get('prod');
    expect(unhealthy).toMatchObject({
      health: 'unreachable',
      healthMessage: 'cluster unhealthy or unreachable: boom',
    });

    await store.setHealth('prod', 'healthy');
    const healthy = await store.get('prod');
    expect(healthy?.health).toBe('healthy');
    expect(healthy?.healthMessage).toBeUndefined();
    expect(Date.parse(healthy!.checkedAt!)).toBeGreaterThanOrEqual(Date.parse(unhealthy!.checkedAt!));

    // A report about a cluster that is not bound changes nothing.
    await store.setHealth('unbound', 'unreachable', 'x');
    expect(await store.count()).toBe(1);
  });

  it('deletes a binding, and says so when there is none', async () => {
    const { store } = await setup();
    await store.create({ name: 'prod', namespace: 'ns', scope: [], createdBy: 'user:default/a', health: 'healthy' });

    await store.delete('prod');
    expect(await store.list()).toEqual([]);
    await expect(store.delete('prod')).rejects.toThrow(new NotFoundError("Cluster 'prod' is not bound"));
  });

  it('migrates the table down and up again', async () => {
    const { db } = await setup();
    expect(await db.schema.hasTable('cluster_bindings')).toBe(true);
    await db.migrate.down({ directory, name: '20261130000000_cluster_bindings.js' });
    expect(await db.schema.hasTable('cluster_bindings')).toBe(false);
    expect(await db.schema.hasTable('pipelines')).toBe(true);
    await applyMigrations(db);
    expect(await db.schema.hasTable('cluster_bindings')).toBe(true);
  });
});
