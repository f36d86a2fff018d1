import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { RunChanges } from './RunChanges';

jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())('RunChanges on %s', databaseId => {
  const open: RunChanges[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map(changes => changes.close()));
  });
  /** One backend replica's view of the changes, listening as the plugin does. */
  const replica = async (db: Knex) => {
    const changes = new RunChanges(db);
    await changes.listen();
    open.push(changes);
    return changes;
  };

  it("wakes a run's watch at its change, and keeps one made before the wait", async () => {
    const db = await databases.init(databaseId);
    const changes = await replica(db);
    const watch = changes.watch('run-1');

    expect(await watch.next(50)).toEqual(new Set());
    // Between a read and the wait: not missed.
    await changes.notify('run-1', 'log');
    expect(await watch.next(5000)).toEqual(new Set(['log']));
    // Another run's change is not this one's.
    await changes.notify('run-2', 'log');
    expect(await watch.next(200)).toEqual(new Set());

    const waiting = watch.next(5000);
    setTimeout(() => void changes.notify('run-1', 'status'), 50);
    expect(await waiting).toEqual(new Set(['status']));

    const aborted = new AbortController();
    const abortedWait = watch.next(5000, aborted.signal);
    aborted.abort();
    expect(await abortedWait).toEqual(new Set());
    watch.close();

    // A watch of statuses sleeps through log lines.
    const statuses = changes.watch('run-1', ['status']);
    await changes.notify('run-1', 'log');
    expect(await statuses.next(200)).toEqual(new Set());
    await changes.notify('run-1', 'status');
    await changes.notify('run-1', 'log');
    expect(await statuses.next(5000)).toEqual(new Set(['status']));
    statuses.close();
  });

  it("hears another replica's changes on PostgreSQL once their transaction commits", async () => {
    const db = await databases.init(databaseId);
    const here = await replica(db);
    const there = await replica(db);
    const watch = here.watch('run-1');

    await db.transaction(async tx => {
      await there.notify('run-1', 'status', tx);
      // Not before the write is visible.
      expect(await watch.next(300)).toEqual(new Set());
    });
    // SQLite serves one backend: another process's changes do not reach this one.
    expect(await watch.next(databaseId === 'SQLITE_3' ? 300 : 5000)).toEqual(
      new Set(databaseId === 'SQLITE_3' ? [] : ['status']),
    );
    watch.close();
  });
});
