import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { createEngineTestKit } from '../engine/__testUtils__/engineTestKit';
import { DatabaseLogStore } from './DatabaseLogStore';
import { RunChanges } from './RunChanges';

jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'DatabaseLogStore on %s',
  databaseId => {
    let db: Knex;
    let runId: string;
    const open: RunChanges[] = [];
    beforeAll(async () => {
      const kit = await createEngineTestKit(databases, databaseId);
      db = kit.db;
      // Chunks belong to a run.
      runId = (await kit.run({ stages: [] })).id;
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map(changes => changes.close()));
    });
    const replica = async () => {
      const changes = new RunChanges(db);
      await changes.listen();
      open.push(changes);
      return changes;
    };

    it('stores a batch of lines in one write and tells every replica, then a long list in parts', async () => {
      const here = await replica();
      const there = await replica();
      const store = new DatabaseLogStore(db, here);
      const watchHere = here.watch(runId, ['log']);
      const watchThere = there.watch(runId, ['log']);

      await store.append(runId, [
        { seq: 1, text: 'one\n' },
        { seq: 2, taskId: 't1', text: 'two\n', resumeMark: 'm2' },
      ]);
      expect(await watchHere.next(5000)).toEqual(new Set(['log']));
      // Another replica hears it through LISTEN/NOTIFY; SQLite serves one backend.
      expect(
        await watchThere.next(databaseId === 'SQLITE_3' ? 200 : 5000),
      ).toEqual(new Set(databaseId === 'SQLITE_3' ? [] : ['log']));

      const many = Array.from({ length: 250 }, (_, i) => ({
        seq: i + 3,
        text: `line ${i + 3}\n`,
      }));
      await store.append(runId, many);
      expect(await watchHere.next(5000)).toEqual(new Set(['log']));

      const stored = await store.list(runId, { afterSeq: 0, limit: 1000 });
      expect(stored.map(c => c.seq)).toEqual(
        Array.from({ length: 252 }, (_, i) => i + 1),
      );
      expect(stored[1]).toMatchObject({ taskId: 't1', text: 'two\n' });
      expect(await store.lastResumeMark(runId, 't1')).toBe('m2');
      watchHere.close();
      watchThere.close();
    });
  },
);
