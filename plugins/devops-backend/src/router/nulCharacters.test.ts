import { TestDatabases } from '@backstage/backend-test-utils';
import {
  DevopsTestBackend,
  pipelineDocument,
} from './__testUtils__/devopsTestBackend';

jest.setTimeout(60_000);

/**
 * NUL characters (U+0000), which PostgreSQL's text cannot hold while SQLite's can: input
 * holding one is refused alike on both with a 400 naming where it is, and a NUL a task
 * prints is kept as ␀ instead of losing the lines written with it.
 */
describe('NUL characters', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let devops: DevopsTestBackend;

    beforeAll(async () => {
      devops = await DevopsTestBackend.start(await databases.init(databaseId));
    });

    afterAll(async () => {
      await devops?.stop();
    });

    const refusal = (place: string) =>
      `The request holds a NUL character (\\u0000) in ${place}; no id, name or text may contain one`;

    it('refuses a NUL in a path id, a query parameter or a document, and stores nothing', async () => {
      const pipeline = await devops.createPipeline(pipelineDocument());
      const count = async () =>
        (await devops.http.get('/api/devops/pipelines')).body.totalCount;
      const before = await count();

      for (const [request, place] of [
        [devops.http.get('/api/devops/pipelines/%00abc'), 'the path'],
        [devops.http.get('/api/devops/runs/x%00/logs'), 'the path'],
        [
          devops.http.get('/api/devops/pipelines').query({ q: 'a\u0000b' }),
          'query parameter "q"',
        ],
        [
          devops.http
            .get('/api/devops/pipelines')
            .query({ entityRef: '\u0000' }),
          'query parameter "entityRef"',
        ],
        [
          devops.http
            .post('/api/devops/pipelines')
            .send(pipelineDocument({ title: 'Deploy\u0000 the game' })),
          '"metadata.title" of the body',
        ],
        [
          devops.http
            .put(`/api/devops/pipelines/${pipeline.status.id}`)
            .send({
              ...pipeline,
              metadata: { ...pipeline.metadata, title: '\u0000' },
            }),
          '"metadata.title" of the body',
        ],
        [
          devops.http
            .post('/api/devops/pipelines/import')
            .set('Content-Type', 'application/yaml')
            .send('apiVersion: devops.backstage.io/v1\nkind: Pipeline\u0000\n'),
          'the body',
        ],
      ] as const) {
        const res = await request;
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 400,
          message: refusal(place),
        });
      }
      expect(await count()).toBe(before);
      expect(
        (await devops.http.get(`/api/devops/pipelines/${pipeline.status.id}`))
          .body.metadata.title,
      ).toBe(pipeline.metadata.title);
    });

    it("keeps a task's NUL as ␀, with every line around it, in its log and in its failure message", async () => {
      const pipeline = await devops.createPipeline(
        pipelineDocument({
          scripts: [
            "printf 'before\\000after\\n'; echo 'the line after'; printf 'bad\\000end\\n'; exit 3",
          ],
        }),
      );
      const run = await devops.waitForRun(
        (
          await devops.startRun(pipeline.status.id)
        ).id,
      );

      expect(run.status).toBe('failed');
      const task = run.stages[0].tasks[0];
      expect(task.message).toMatch(
        /exited with code 3; its last output: "the line after" "bad␀end"$/,
      );
      const log = await devops.downloadLog(run.id);
      expect(log).toMatch(/Started by user/);
      expect(log).toContain('before␀after');
      expect(log).toContain('the line after');
      expect(log).toMatch(/Run #1 failed/);
      expect(log).not.toContain('\u0000');
    });
  });
});
