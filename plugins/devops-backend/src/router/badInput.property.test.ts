import { TestDatabases } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import { stringify as stringifyYaml } from 'yaml';
import {
  DevopsTestBackend,
  pipelineDocument,
} from './__testUtils__/devopsTestBackend';

jest.setTimeout(300_000);

/** Inputs tried per property; fast-check shrinks a failing one to its smallest form. */
const RUNS = 1000;

/** Any text, control characters and NULs included, in every Unicode plane. */
const anyText = fc.string({ unit: 'binary', maxLength: 200 });

/** A place in a valid pipeline document, to put something else at. */
const DOCUMENT_PATHS = [
  [],
  ['apiVersion'],
  ['kind'],
  ['metadata'],
  ['metadata', 'name'],
  ['metadata', 'title'],
  ['metadata', 'entityRef'],
  ['spec'],
  ['spec', 'stages'],
  ['spec', 'stages', 0],
  ['spec', 'stages', 0, 'name'],
  ['spec', 'stages', 0, 'order'],
  ['spec', 'stages', 0, 'tasks'],
  ['spec', 'stages', 0, 'tasks', 0],
  ['spec', 'stages', 0, 'tasks', 0, 'type'],
  ['spec', 'stages', 0, 'tasks', 0, 'script'],
  ['spec', 'stages', 0, 'tasks', 0, 'resources'],
  ['spec', 'parameters'],
  ['spec', 'triggers'],
  ['spec', 'source'],
  ['spec', 'timeoutMinutes'],
  ['spec', 'cluster'],
] as const;

/** A valid document with one value replaced: what a client with a bug would send. */
const mutatedDocument = fc
  .tuple(fc.constantFrom(...DOCUMENT_PATHS), fc.jsonValue({ maxDepth: 4 }))
  .map(([at, value]) => {
    const document: any = pipelineDocument({
      entityRef: 'component:default/fuzzed',
    });
    if (at.length === 0) return value;
    let parent = document;
    for (const key of at.slice(0, -1)) parent = parent[key];
    parent[at[at.length - 1]] = value;
    return document;
  });

/** YAML that is expensive to read: an alias bomb, deep nesting, a huge document. */
const HOSTILE_YAML = [
  [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    ...Array.from(
      { length: 8 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(
          98 + i,
        )} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
    ),
  ].join('\n'),
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `${'- '.repeat(20_000)}x`,
  stringifyYaml({ ...pipelineDocument(), padding: 'x'.repeat(3_000_000) }),
];

/*
 * Bad input is harmless: thousands of generated inputs to the pipeline API, import, the
 * list and log routes' query parameters and the OAuth callback give no 5xx and store
 * nothing they were refused for.
 */
describe('bad input', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let devops: DevopsTestBackend;
    let runId: string;
    const count = async () =>
      (await devops.http.get('/api/devops/pipelines')).body.totalCount;

    beforeAll(async () => {
      devops = await DevopsTestBackend.start(await databases.init(databaseId), {
        // Every generated callback reaches the handler, not the rate limit.
        devops: { limits: { callbackRequestsPerMinute: 1_000_000 } },
      });
      const pipeline = await devops.createPipeline(pipelineDocument());
      runId = (
        await devops.waitForRun((await devops.startRun(pipeline.status.id)).id)
      ).id;
    });

    afterAll(async () => {
      await devops?.stop();
    });

    /** The request's answer, which must not be a server error. */
    const answered = async (
      request: PromiseLike<{ status: number; text: string }>,
    ) => {
      const res = await request;
      if (res.status >= 500) {
        throw new Error(`HTTP ${res.status}: ${res.text}`);
      }
      return res;
    };

    it('creates only valid documents, and answers anything else with a 4xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(mutatedDocument, fc.jsonValue({ maxDepth: 3 })),
          async body => {
            const before = await count();
            // As JSON text: a client library would refuse to send some of these itself.
            const res = await answered(
              devops.http
                .post('/api/devops/pipelines')
                .set('Content-Type', 'application/json')
                .send(JSON.stringify(body)),
            );
            // An accepted document is deleted again; a refused one stored nothing.
            if (res.status === 201) {
              await devops.http.delete(
                `/api/devops/pipelines/${(res as any).body.status.id}`,
              );
            }
            expect(await count()).toBe(before);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('refuses hostile YAML with a 4xx', async () => {
      const before = await count();
      for (const yaml of HOSTILE_YAML) {
        const res = await answered(
          devops.http
            .post('/api/devops/pipelines/import')
            .set('Content-Type', 'application/yaml')
            .send(yaml),
        );
        expect(res.status).toBeGreaterThanOrEqual(400);
      }
      expect(await count()).toBe(before);
    });

    it('imports only valid YAML documents', async () => {
      const before = await count();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            anyText,
            mutatedDocument.map(document => stringifyYaml(document)),
          ),
          async yaml => {
            const res = await answered(
              devops.http
                .post('/api/devops/pipelines/import')
                .set('Content-Type', 'application/yaml')
                .send(yaml),
            );
            if (res.status === 201) {
              await devops.http.delete(
                `/api/devops/pipelines/${(res as any).body.status.id}`,
              );
            }
          },
        ),
        { numRuns: RUNS },
      );
      expect(await count()).toBe(before);
    });

    it("answers the list's, the runs' and the log's queries with no server error", async () => {
      const query = fc.dictionary(
        fc.constantFrom(
          'q',
          'entityRef',
          'limit',
          'offset',
          'cursor',
          'after',
          'task',
          'follow',
        ),
        fc.oneof(anyText, fc.array(anyText, { maxLength: 2 })),
      );
      await fc.assert(
        fc.asyncProperty(
          query,
          fc.oneof(fc.constant(runId), anyText),
          fc.constantFrom(
            '/pipelines',
            '/runs/:id',
            '/runs/:id/logs',
            '/pipelines/:id/runs',
            '/pipelines/:id/triggers',
          ),
          async (params, id, route) => {
            // A follow of a finished run ends at once; of another one it waits, so not here.
            const safe = {
              ...params,
              follow: id === runId ? params.follow : undefined,
            };
            await answered(
              devops.http
                .get(
                  `/api/devops${route.replace(':id', encodeURIComponent(id))}`,
                )
                .query(safe as Record<string, string>),
            );
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('answers whatever the code host sends the OAuth callback with no server error', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('github', 'gitlab', 'bitbucket'),
          fc.dictionary(
            fc.constantFrom('state', 'code', 'error', 'error_description'),
            fc.oneof(anyText, fc.array(anyText, { maxLength: 2 })),
          ),
          async (provider, params) => {
            await answered(
              devops.http
                .get(`/api/devops/repositories/${provider}/redirect`)
                .query(params as Record<string, string>),
            );
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
});
