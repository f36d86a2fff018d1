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
    let kit: Awaited<ReturnType<typeof createEngineTestKit>>;
    let runId: string;
    const open: RunChanges[] = [];
    beforeAll(async () => {
      kit = await createEngineTestKit(databases, databaseId);
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

    it('pages a log by chunks and by characters, so no page holds a large log at once', async () => {
      const store = new DatabaseLogStore(db, await replica());
      const run = await kit.run({ stages: [] });
      const mebi = 1024 * 1024;
      // Ten chunks of 1 Mi characters, as a task printing fast fills them, then 600 small.
      await store.append(
        run.id,
        Array.from({ length: 10 }, (_, i) => ({
          seq: i + 1,
          text: `${String(i + 1).padEnd(mebi - 1, '.')}\n`,
        })),
      );
      await store.append(
        run.id,
        Array.from({ length: 600 }, (_, i) => ({
          seq: i + 11,
          text: `line ${i + 11}\n`,
        })),
      );

      const pages: Array<{ seqs: number[]; more: boolean }> = [];
      let after = 0;
      for (;;) {
        const { chunks, more } = await store.page(run.id, { afterSeq: after });
        pages.push({ seqs: chunks.map(c => c.seq), more });
        if (chunks.length) after = chunks[chunks.length - 1].seq;
        if (!more) break;
      }
      const range = (from: number, to: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => from + i);
      // Four chunks start within 4 Mi characters; the fifth's start is past them.
      expect(pages).toEqual([
        { seqs: range(1, 4), more: true },
        { seqs: range(5, 8), more: true },
        // Two large chunks leave room for 498 small ones.
        { seqs: range(9, 508), more: true },
        { seqs: range(509, 610), more: false },
      ]);
      // A chunk larger than a page still comes, alone.
      await store.append(run.id, [{ seq: 611, text: 'x'.repeat(5 * mebi) }]);
      const large = await store.page(run.id, { afterSeq: 610 });
      expect(large.chunks.map(c => c.seq)).toEqual([611]);
      expect(large.more).toBe(true);
      expect(await store.page(run.id, { afterSeq: 611 })).toEqual({
        chunks: [],
        more: false,
      });

      // From the end, newest first, within the same bounds; the rest only counted.
      const last = await store.pageBackwards(run.id, {});
      expect(last.chunks.map(c => c.seq)).toEqual([611]);
      const before = await store.pageBackwards(run.id, { beforeSeq: 611 });
      expect(before.chunks.map(c => c.seq)).toEqual(range(111, 610).reverse());
      expect(before.more).toBe(true);
      expect(await store.countLines(run.id, { beforeSeq: 111 })).toBe(110);
    });
  },
);
