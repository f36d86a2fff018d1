import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEVOPS_PIPELINE_RESOURCE_TYPE,
  devopsPipelineCreatePermission,
  Pipeline,
  RunScriptTask,
} from '@devops-pipelines/plugin-devops-common';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  createDevopsPipelineConditionalDecision,
  devopsPipelineConditions,
} from '../permissions/conditionExports';
import {
  DevopsTestBackend,
  collectText,
  deny,
  documentOf,
  onlyCreatedBy,
  pipelineDocument,
  uniqueName,
  userHeader,
} from './__testUtils__/devopsTestBackend';

jest.setTimeout(60_000);

/**
 * The pipelines half of the HTTP API, driven through a real backend on each database:
 * CRUD, copy, triggers, settings, activation, export/import, validation, authentication
 * and permissions. Runs and logs are in runs.test.ts.
 */
describe('devops router: pipelines', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let devops: DevopsTestBackend;

    beforeAll(async () => {
      devops = await DevopsTestBackend.start(await databases.init(databaseId));
    });

    afterAll(async () => {
      await devops?.stop();
    });

    afterEach(() => {
      devops.resetPermissions();
    });

    const api = () => devops.http;

    /** How many pipelines the list shows for an entity. */
    const countFor = async (entityRef: string) => {
      const res = await api().get('/api/devops/pipelines').query({ entityRef });
      expect(res.status).toBe(200);
      return res.body.totalCount as number;
    };

    describe('list', () => {
      it('filters by entityRef and by search text, and pages with a cursor', async () => {
        const entityRef = `component:default/${uniqueName('list')}`;
        const other = `component:default/${uniqueName('other')}`;
        const names = [
          'alpha-build',
          'beta-deploy',
          'gamma',
          'delta',
          'epsilon',
        ];
        for (const name of names) {
          await devops.createPipeline(
            pipelineDocument({
              name,
              entityRef,
              title: name === 'gamma' ? 'Gamma Release (nightly)' : undefined,
            }),
          );
        }
        await devops.createPipeline(
          pipelineDocument({ name: 'alpha-build', entityRef: other }),
        );

        const all = await api()
          .get('/api/devops/pipelines')
          .query({ entityRef });
        expect(all.status).toBe(200);
        expect(all.body.totalCount).toBe(5);
        expect(
          all.body.items.map((p: Pipeline) => p.metadata.name).sort(),
        ).toEqual([...names].sort());
        expect(
          all.body.items.every(
            (p: Pipeline) => p.metadata.entityRef === entityRef,
          ),
        ).toBe(true);
        expect(all.body.nextCursor).toBeUndefined();

        // Search is case-insensitive over name and title.
        const byName = await api()
          .get('/api/devops/pipelines')
          .query({ entityRef, q: 'DEPLOY' });
        expect(byName.body.items.map((p: Pipeline) => p.metadata.name)).toEqual(
          ['beta-deploy'],
        );
        expect(byName.body.totalCount).toBe(1);
        const byTitle = await api()
          .get('/api/devops/pipelines')
          .query({ entityRef, q: 'release (NIGHTLY' });
        expect(
          byTitle.body.items.map((p: Pipeline) => p.metadata.name),
        ).toEqual(['gamma']);
        // LIKE wildcards in the search text are plain characters.
        const wildcard = await api()
          .get('/api/devops/pipelines')
          .query({ entityRef, q: '%' });
        expect(wildcard.body.totalCount).toBe(0);
        const underscore = await api()
          .get('/api/devops/pipelines')
          .query({ entityRef, q: 'a_p' });
        expect(underscore.body.totalCount).toBe(0);

        // Paging: every pipeline exactly once, the total on each page.
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await api()
            .get('/api/devops/pipelines')
            .query({ entityRef, limit: 2, ...(cursor ? { cursor } : {}) });
          expect(page.status).toBe(200);
          expect(page.body.totalCount).toBe(5);
          expect(page.body.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.body.items.map((p: Pipeline) => p.metadata.name));
          cursor = page.body.nextCursor;
          pages += 1;
        } while (cursor && pages < 10);
        expect(pages).toBe(3);
        expect(seen.sort()).toEqual([...names].sort());
      });

      it('refuses a bad limit or cursor', async () => {
        for (const query of [
          { limit: 0 },
          { limit: 'ten' },
          { limit: 1000 },
          { cursor: '!!' },
        ]) {
          const res = await api().get('/api/devops/pipelines').query(query);
          expect(res.status).toBe(400);
          expect(res.body.error.name).toBe('InputError');
        }
      });
    });

    describe('create, get, update, delete', () => {
      it('creates a pipeline and returns it with its status', async () => {
        const document = pipelineDocument({ title: 'My pipeline' });

        const created = await api()
          .post('/api/devops/pipelines')
          .set('Authorization', userHeader('user:default/alice'))
          .send(document);

        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({
          ...document,
          status: {
            id: expect.any(String),
            version: 1,
            active: true,
            createdBy: 'user:default/alice',
            createdAt: expect.any(String),
          },
        });
        expect(created.body.status.lastRun).toBeUndefined();

        const read = await api().get(
          `/api/devops/pipelines/${created.body.status.id}`,
        );
        expect(read.status).toBe(200);
        expect(read.body).toEqual(created.body);
      });

      it('updates with the version read, and refuses a stale version with 409', async () => {
        const created = await devops.createPipeline(pipelineDocument());
        const id = created.status.id;
        const edited = documentOf(created);
        edited.metadata.title = 'Edited';
        edited.spec.stages[0].tasks.push({
          name: 'second',
          type: 'runScript',
          image: 'alpine',
          tag: '3',
          script: 'echo second',
        });

        const updated = await api()
          .put(`/api/devops/pipelines/${id}`)
          .send({ ...edited, version: 1 });
        expect(updated.status).toBe(200);
        expect(updated.body.status.version).toBe(2);
        expect(updated.body.metadata.title).toBe('Edited');
        expect(updated.body.spec.stages[0].tasks).toHaveLength(2);

        const stale = await api()
          .put(`/api/devops/pipelines/${id}`)
          .send({ ...documentOf(created), version: 1 });
        expect(stale.status).toBe(409);
        expect(stale.body.error.name).toBe('ConflictError');
        expect(stale.body.error.message).toMatch(
          /changed by someone else.*version 2.*reload/,
        );

        const read = await api().get(`/api/devops/pipelines/${id}`);
        expect(read.body.status.version).toBe(2);
        expect(read.body.metadata.title).toBe('Edited');
      });

      it('lets exactly one of two concurrent updates of one version win', async () => {
        const created = await devops.createPipeline(pipelineDocument());
        const id = created.status.id;
        const edit = (title: string) => {
          const document = documentOf(created);
          document.metadata.title = title;
          return api()
            .put(`/api/devops/pipelines/${id}`)
            .send({ ...document, version: 1 });
        };

        const results = await Promise.all([edit('First'), edit('Second')]);

        expect(results.map(r => r.status).sort()).toEqual([200, 409]);
        const winner = results.find(r => r.status === 200)!;
        const read = await api().get(`/api/devops/pipelines/${id}`);
        expect(read.body.status.version).toBe(2);
        expect(read.body.metadata.title).toBe(winner.body.metadata.title);
      });

      it('refuses a second pipeline of the same name in one entity', async () => {
        const document = pipelineDocument();
        await devops.createPipeline(document);

        const again = await api().post('/api/devops/pipelines').send(document);

        expect(again.status).toBe(409);
        expect(again.body.error.message).toContain(document.metadata.name);
        expect(await countFor(document.metadata.entityRef)).toBe(1);
      });

      it('deletes a pipeline: 204, then 404', async () => {
        const created = await devops.createPipeline(pipelineDocument());
        const id = created.status.id;

        const deleted = await api().delete(`/api/devops/pipelines/${id}`);
        expect(deleted.status).toBe(204);

        expect((await api().get(`/api/devops/pipelines/${id}`)).status).toBe(
          404,
        );
        expect((await api().delete(`/api/devops/pipelines/${id}`)).status).toBe(
          404,
        );
        expect(await countFor(created.metadata.entityRef)).toBe(0);
      });
    });

    describe('copy, triggers, settings, activation', () => {
      it('copies a pipeline without its triggers and leaves the original untouched', async () => {
        const original = await devops.createPipeline(
          pipelineDocument({
            title: 'Original',
            parameters: [{ name: 'REGION', value: 'eu' }],
            triggers: {
              events: { push: true, merge: false, tag: false },
              schedule: { every: 'minutes', interval: 5 },
            },
            timeoutMinutes: 15,
          }),
        );
        const copyName = uniqueName('copy');

        const copy = await api()
          .post(`/api/devops/pipelines/${original.status.id}/copy`)
          .set('Authorization', userHeader('user:default/bob'))
          .send({ name: copyName });

        expect(copy.status).toBe(201);
        expect(copy.body.status.id).not.toBe(original.status.id);
        expect(copy.body.status.createdBy).toBe('user:default/bob');
        expect(copy.body.metadata).toEqual({
          name: copyName,
          title: 'Original',
          entityRef: original.metadata.entityRef,
        });
        expect(copy.body.spec.triggers).toBeUndefined();
        expect(copy.body.spec.stages).toEqual(original.spec.stages);
        expect(copy.body.spec.parameters).toEqual(original.spec.parameters);
        expect(copy.body.spec.timeoutMinutes).toBe(15);

        const after = await api().get(
          `/api/devops/pipelines/${original.status.id}`,
        );
        expect(after.body).toEqual(original);
        expect(await countFor(original.metadata.entityRef)).toBe(2);

        const clash = await api()
          .post(`/api/devops/pipelines/${original.status.id}/copy`)
          .send({ name: copyName });
        expect(clash.status).toBe(409);
        const badName = await api()
          .post(`/api/devops/pipelines/${original.status.id}/copy`)
          .send({ name: 'Not A Slug' });
        expect(badName.status).toBe(400);
        expect(badName.body.error.message).toContain('name');
        expect(await countFor(original.metadata.entityRef)).toBe(2);
      });

      it('replaces the trigger rules', async () => {
        const created = await devops.createPipeline(pipelineDocument());

        const res = await api()
          .put(`/api/devops/pipelines/${created.status.id}/triggers`)
          .send({
            events: { push: true },
            schedule: { every: 'hours', interval: 2, minute: 28 },
          });

        expect(res.status).toBe(200);
        expect(res.body.spec.triggers).toEqual({
          events: { push: true, merge: false, tag: false },
          schedule: { every: 'hours', interval: 2, minute: 28 },
        });
        expect(res.body.status.version).toBe(2);
        const read = await api().get(
          `/api/devops/pipelines/${created.status.id}`,
        );
        expect(read.body.spec.triggers).toEqual(res.body.spec.triggers);

        const bad = await api()
          .put(`/api/devops/pipelines/${created.status.id}/triggers`)
          .send({ schedule: { every: 'minutes', interval: 90 } });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toContain('schedule.interval');
      });

      it('changes the timeout in the settings', async () => {
        const created = await devops.createPipeline(pipelineDocument());

        const res = await api()
          .put(`/api/devops/pipelines/${created.status.id}/settings`)
          .send({ timeoutMinutes: 30 });

        expect(res.status).toBe(200);
        expect(res.body.spec.timeoutMinutes).toBe(30);
        expect(res.body.spec.stages).toEqual(created.spec.stages);

        for (const body of [
          { timeoutMinutes: -1 },
          { timeoutMinutes: '30' },
          {},
        ]) {
          const bad = await api()
            .put(`/api/devops/pipelines/${created.status.id}/settings`)
            .send(body);
          expect(bad.status).toBe(400);
          expect(bad.body.error.message).toContain('timeoutMinutes');
        }
        const read = await api().get(
          `/api/devops/pipelines/${created.status.id}`,
        );
        expect(read.body.spec.timeoutMinutes).toBe(30);
      });

      it('deactivates and activates; an inactive pipeline refuses a manual run', async () => {
        const created = await devops.createPipeline(pipelineDocument());
        const id = created.status.id;

        const off = await api().post(`/api/devops/pipelines/${id}/deactivate`);
        expect(off.status).toBe(200);
        expect(off.body.status.active).toBe(false);

        const refused = await api()
          .post(`/api/devops/pipelines/${id}/runs`)
          .send({});
        expect(refused.status).toBeGreaterThanOrEqual(400);
        expect(refused.status).toBeLessThan(500);
        expect(refused.body.error.message).toMatch(/inactive.*activate it/);
        const none = await api().get(`/api/devops/pipelines/${id}/runs`);
        expect(none.body.totalCount).toBe(0);

        const on = await api().post(`/api/devops/pipelines/${id}/activate`);
        expect(on.status).toBe(200);
        expect(on.body.status.active).toBe(true);
        const run = await devops.startRun(id);
        expect(run.buildId).toBe(1);
        await devops.waitForRun(run.id);
      });
    });

    describe('export and import', () => {
      it('exports YAML without secret values and imports it back under a new name', async () => {
        const created = await devops.createPipeline(
          pipelineDocument({
            title: 'Exported',
            parameters: [
              { name: 'REGISTRY_HOST', value: 'hub.example.com' },
              { name: 'DEPLOY_TOKEN', value: 'export-s3cr3t', secret: true },
            ],
            triggers: { events: { push: true, merge: false, tag: false } },
            timeoutMinutes: 20,
          }),
        );

        const exported = await api()
          .get(`/api/devops/pipelines/${created.status.id}/export`)
          .buffer(true)
          .parse(collectText);

        expect(exported.status).toBe(200);
        expect(exported.headers['content-type']).toMatch(/^application\/yaml/);
        expect(exported.headers['content-disposition']).toBe(
          `attachment; filename="${created.metadata.name}.yaml"`,
        );
        expect(exported.body).not.toContain('export-s3cr3t');
        const parsed = parseYaml(exported.body);
        expect(parsed).toEqual(documentOf(created));
        expect(parsed.spec.parameters).toEqual([
          { name: 'REGISTRY_HOST', value: 'hub.example.com' },
          { name: 'DEPLOY_TOKEN', secret: true },
        ]);

        // The same name again is a clash the message says how to avoid...
        const clash = await api()
          .post('/api/devops/pipelines/import')
          .set('Content-Type', 'application/yaml')
          .send(stringifyYaml(parsed));
        expect(clash.status).toBe(409);
        expect(clash.body.error.message).toMatch(/choose another name$/);
        // ...and ?name= imports it under another, whatever the document says.
        const renamed = uniqueName('renamed');
        const copy = await api()
          .post(`/api/devops/pipelines/import?name=${renamed}`)
          .set('Content-Type', 'application/yaml')
          .send(stringifyYaml(parsed));
        expect(copy.status).toBe(201);
        expect(copy.body.metadata.name).toBe(renamed);
        const badName = await api()
          .post('/api/devops/pipelines/import?name=Not%20A%20Name')
          .set('Content-Type', 'application/yaml')
          .send(stringifyYaml(parsed));
        expect(badName.status).toBe(400);
        expect(badName.body.error.message).toContain('metadata.name');
        await api().delete(`/api/devops/pipelines/${copy.body.status.id}`);

        parsed.metadata.name = uniqueName('imported');
        const imported = await api()
          .post('/api/devops/pipelines/import')
          .set('Content-Type', 'application/yaml')
          .send(stringifyYaml(parsed));

        expect(imported.status).toBe(201);
        expect(imported.body.status.id).not.toBe(created.status.id);
        expect(documentOf(imported.body)).toEqual(parsed);
        expect(await countFor(created.metadata.entityRef)).toBe(2);

        // The export held no secret value, so the import cannot run until one is set.
        const importedId = imported.body.status.id;
        const refused = await api()
          .post(`/api/devops/pipelines/${importedId}/runs`)
          .send({});
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toMatch(
          /"DEPLOY_TOKEN" has no value.*set it again/,
        );
        const withSecret = documentOf(imported.body);
        withSecret.spec.parameters![1] = {
          name: 'DEPLOY_TOKEN',
          value: 'new-s3cr3t',
          secret: true,
        };
        const updated = await api()
          .put(`/api/devops/pipelines/${importedId}`)
          .send({ ...withSecret, version: 1 });
        expect(updated.status).toBe(200);
        const run = await devops.startRun(importedId);
        expect((await devops.waitForRun(run.id)).status).toBe('succeeded');
      });

      it('imports YAML sent as {"yaml": ...}, and refuses what it cannot read', async () => {
        const document = pipelineDocument();

        const imported = await api()
          .post('/api/devops/pipelines/import')
          .send({ yaml: stringifyYaml(document) });
        expect(imported.status).toBe(201);
        expect(documentOf(imported.body)).toEqual(document);

        const again = await api()
          .post('/api/devops/pipelines/import')
          .set('Content-Type', 'application/yaml')
          .send(stringifyYaml(document));
        expect(again.status).toBe(409);

        const broken = await api()
          .post('/api/devops/pipelines/import')
          .set('Content-Type', 'application/yaml')
          .send('metadata: [unclosed');
        expect(broken.status).toBe(400);
        expect(broken.body.error.message).toMatch(/YAML/);

        const invalid = {
          ...document,
          metadata: { ...document.metadata, name: 'Bad_Name' },
        };
        const refused = await api()
          .post('/api/devops/pipelines/import')
          .set('Content-Type', 'application/yaml')
          .send(stringifyYaml(invalid));
        expect(refused.status).toBe(400);
        expect(refused.body.error.message).toContain('metadata.name');

        const empty = await api().post('/api/devops/pipelines/import').send({});
        expect(empty.status).toBe(400);
        expect(await countFor(document.metadata.entityRef)).toBe(1);
      });
    });

    describe('validation', () => {
      /** Sends a body and expects a 400 naming `path`, with nothing stored. */
      const expectRefused = async (
        entityRef: string,
        body: unknown,
        path: string,
        contentType = 'application/json',
      ) => {
        const res = await api()
          .post('/api/devops/pipelines')
          .set('Content-Type', contentType)
          .send(typeof body === 'string' ? body : JSON.stringify(body));
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(path);
        expect(await countFor(entityRef)).toBe(0);
        return res.body.error.message as string;
      };

      it('refuses a body that is not JSON', async () => {
        const entityRef = `component:default/${uniqueName('broken')}`;
        const message = await expectRefused(
          entityRef,
          `{"apiVersion": "devops.backstage.io/v1", "metadata": {"entityRef": "${entityRef}"`,
          'not valid JSON',
        );
        expect(message).toMatch(/JSON/);
      });

      it('refuses wrong types with the path of the field', async () => {
        const document = pipelineDocument();
        const { entityRef } = document.metadata;
        const message = await expectRefused(
          entityRef,
          { ...document, spec: { ...document.spec, timeoutMinutes: '20' } },
          'spec.timeoutMinutes',
        );
        expect(message).toMatch(
          /^Invalid request: spec\.timeoutMinutes: .*number/,
        );
        await expectRefused(
          entityRef,
          { ...document, metadata: { ...document.metadata, name: 42 } },
          'metadata.name',
        );
        await expectRefused(
          entityRef,
          { ...document, spec: { ...document.spec, stages: 'build' } },
          'spec.stages',
        );
        await expectRefused(
          entityRef,
          { ...document, apiVersion: 'v0' },
          'apiVersion',
        );
        await expectRefused(
          entityRef,
          {
            ...document,
            metadata: { ...document.metadata, unknownField: true },
          },
          'unknownField',
        );
        await expectRefused(entityRef, [document], 'expected object');
      });

      it('refuses names outside [a-z0-9-]{1,63}', async () => {
        for (const name of [
          '',
          'Upper',
          'under_score',
          'space d',
          'é',
          'a'.repeat(64),
        ]) {
          const document = pipelineDocument({ name });
          const message = await expectRefused(
            document.metadata.entityRef,
            document,
            'metadata.name',
          );
          expect(message).toContain('1 to 63 characters');
        }
        // The limits themselves are fine.
        await devops.createPipeline(pipelineDocument({ name: 'a'.repeat(63) }));
        await devops.createPipeline(pipelineDocument({ name: '0-9' }));
      });

      it('refuses a pipeline without stages, or a stage without tasks', async () => {
        const document = pipelineDocument();
        const { entityRef } = document.metadata;
        const message = await expectRefused(
          entityRef,
          { ...document, spec: { ...document.spec, stages: [] } },
          'spec.stages',
        );
        expect(message).toContain('at least one stage');
        await expectRefused(
          entityRef,
          {
            ...document,
            spec: { stages: [{ name: 'Empty', tasks: [] }] },
          },
          'spec.stages[0].tasks',
        );
      });

      it('refuses duplicate task names in a stage', async () => {
        const document = pipelineDocument({
          scripts: ['echo one', 'echo two'],
        });
        const [task] = document.spec.stages[1].tasks as RunScriptTask[];
        document.spec.stages[1].tasks.push({ ...task, script: 'echo again' });

        const message = await expectRefused(
          document.metadata.entityRef,
          document,
          'spec.stages[1].tasks[1].name',
        );
        expect(message).toContain('task-2');
      });

      it('refuses an unknown task type, naming spec.stages[i].tasks[j].type', async () => {
        const document = pipelineDocument({
          scripts: ['echo one', 'echo two'],
        });
        (document.spec.stages[1].tasks[0] as any).type = 'launchRocket';

        const message = await expectRefused(
          document.metadata.entityRef,
          document,
          'spec.stages[1].tasks[0].type',
        );
        expect(message).toMatch(
          /^Invalid request: spec\.stages\[1\]\.tasks\[0\]\.type: /,
        );
      });

      it('refuses invalid updates without changing the pipeline', async () => {
        const created = await devops.createPipeline(pipelineDocument());
        const id = created.status.id;
        const document = documentOf(created);

        const cases: Array<[unknown, string]> = [
          [{ ...document }, 'version'],
          [{ ...document, version: 'one' }, 'version'],
          [
            { ...document, version: 1, spec: { ...document.spec, stages: [] } },
            'spec.stages',
          ],
          [{ ...document, version: 1, status: created.status }, 'status'],
        ];
        for (const [body, path] of cases) {
          const res = await api()
            .put(`/api/devops/pipelines/${id}`)
            .send(body as object);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain(path);
        }
        const broken = await api()
          .put(`/api/devops/pipelines/${id}`)
          .set('Content-Type', 'application/json')
          .send('{"version": 1,');
        expect(broken.status).toBe(400);

        const read = await api().get(`/api/devops/pipelines/${id}`);
        expect(read.body).toEqual(created);
      });
    });

    describe('secret parameters', () => {
      const secretValue = 'pa55-w0rd-value';

      it('never returns secret values from create, get, list, update or copy', async () => {
        const document = pipelineDocument({
          parameters: [
            { name: 'PLAIN', value: 'visible' },
            { name: 'TOKEN', value: secretValue, secret: true },
          ],
        });
        const created = await api()
          .post('/api/devops/pipelines')
          .send(document);
        expect(created.status).toBe(201);
        const id = created.body.status.id;
        expect(created.body.spec.parameters).toEqual([
          { name: 'PLAIN', value: 'visible' },
          { name: 'TOKEN', secret: true },
        ]);

        const responses = [
          created,
          await api().get(`/api/devops/pipelines/${id}`),
          await api()
            .get('/api/devops/pipelines')
            .query({ entityRef: document.metadata.entityRef }),
          await api()
            .put(`/api/devops/pipelines/${id}`)
            .send({ ...documentOf(created.body), version: 1 }),
          await api()
            .post(`/api/devops/pipelines/${id}/copy`)
            .send({ name: uniqueName('copy') }),
          await api()
            .put(`/api/devops/pipelines/${id}/settings`)
            .send({ timeoutMinutes: 5 }),
        ];
        for (const res of responses) {
          expect(res.status).toBeLessThan(300);
          expect(JSON.stringify(res.body)).not.toContain(secretValue);
        }

        // Nor does the database hold it in clear text.
        const rows = await devops.knex('pipelines').where({ id });
        expect(JSON.stringify(rows)).not.toContain(secretValue);
      });

      it('survives a change of devops.encryptionKey and asks for the secrets again', async () => {
        const knex = await databases.init(databaseId);
        const before = await DevopsTestBackend.start(knex);
        let pipeline: Pipeline;
        let runId: string;
        try {
          pipeline = await before.createPipeline(
            pipelineDocument({
              parameters: [
                { name: 'PLAIN', value: 'p' },
                { name: 'TOKEN', value: 'sealed-with-old-key', secret: true },
              ],
              scripts: ['echo "token=$TOKEN"'],
            }),
          );
          const run = await before.startRun(pipeline.status.id);
          expect((await before.waitForRun(run.id)).status).toBe('succeeded');
          runId = run.id;
        } finally {
          await before.stop();
        }

        const after = await DevopsTestBackend.start(knex, {
          devops: { encryptionKey: 'a-different-key' },
        });
        try {
          const id = pipeline.status.id;
          // Everything still reads.
          const list = await after.http
            .get('/api/devops/pipelines')
            .query({ entityRef: pipeline.metadata.entityRef });
          expect(list.status).toBe(200);
          expect(list.body.totalCount).toBe(1);
          const read = await after.http.get(`/api/devops/pipelines/${id}`);
          expect(read.status).toBe(200);
          expect(documentOf(read.body)).toEqual(documentOf(pipeline));
          expect(
            (await after.http.get(`/api/devops/runs/${runId}`)).status,
          ).toBe(200);

          // Running needs the secret again.
          const refused = await after.http
            .post(`/api/devops/pipelines/${id}/runs`)
            .send({});
          expect(refused.status).toBe(409);
          expect(refused.body.error.message).toMatch(
            /"TOKEN" cannot be decrypted .*devops\.encryptionKey.*set it again/,
          );
          const rerun = await after.http
            .post(`/api/devops/runs/${runId}/rerun`)
            .send({});
          expect(rerun.status).toBe(409);
          expect(rerun.body.error.message).toContain('devops.encryptionKey');
          const kept = await after.http
            .put(`/api/devops/pipelines/${id}`)
            .send({ ...documentOf(pipeline), version: 1 });
          expect(kept.status).toBe(400);
          expect(kept.body.error.message).toContain('"TOKEN" needs a value');

          const document = documentOf(pipeline);
          document.spec.parameters![1] = {
            name: 'TOKEN',
            value: 'sealed-with-new-key',
            secret: true,
          };
          const updated = await after.http
            .put(`/api/devops/pipelines/${id}`)
            .send({ ...document, version: 1 });
          expect(updated.status).toBe(200);
          const run = await after.startRun(id);
          expect((await after.waitForRun(run.id)).status).toBe('succeeded');
          const log = await after.downloadLog(run.id);
          expect(log).toContain('token=***');
          expect(log).not.toContain('sealed-with-new-key');
        } finally {
          await after.stop();
        }
      });

      it('refuses a new secret parameter without a value', async () => {
        const created = await devops.createPipeline(pipelineDocument());
        const document = documentOf(created);
        document.spec.parameters = [{ name: 'NEW_SECRET', secret: true }];

        const res = await api()
          .put(`/api/devops/pipelines/${created.status.id}`)
          .send({ ...document, version: 1 });

        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('NEW_SECRET');
        const read = await api().get(
          `/api/devops/pipelines/${created.status.id}`,
        );
        expect(read.body.status.version).toBe(1);
      });
    });

    describe('unknown ids', () => {
      it('answers 404 for a pipeline that does not exist', async () => {
        const id = 'c0ffee00-0000-4000-8000-000000000000';
        const base = `/api/devops/pipelines/${id}`;
        const document = pipelineDocument();
        const calls = [
          api().get(base),
          api()
            .put(base)
            .send({ ...document, version: 1 }),
          api().delete(base),
          api().post(`${base}/copy`).send({ name: 'x' }),
          api().put(`${base}/triggers`).send({}),
          api().put(`${base}/settings`).send({ timeoutMinutes: 1 }),
          api().post(`${base}/activate`),
          api().post(`${base}/deactivate`),
          api().post(`${base}/runs`).send({}),
          api().post(`${base}/stop`),
          api().get(`${base}/runs`),
          api().get(`${base}/export`),
        ];
        for (const res of await Promise.all(calls)) {
          expect(res.status).toBe(404);
          expect(res.body.error.name).toBe('NotFoundError');
          expect(res.body.error.message).toContain(id);
        }
      });
    });

    describe('limits', () => {
      it('refuses a body over devops.limits.maxRequestBytes with 413, and stores nothing', async () => {
        const limited = await DevopsTestBackend.start(
          await databases.init(databaseId),
          { devops: { limits: { maxRequestBytes: 20_000 } } },
        );
        try {
          const entityRef = `component:default/${uniqueName('big')}`;
          const big = pipelineDocument({
            entityRef,
            title: 'x'.repeat(30_000),
          });
          const message =
            'The request body is larger than the 20000 bytes the portal takes (devops.limits.maxRequestBytes)';
          for (const res of [
            await limited.http.post('/api/devops/pipelines').send(big),
            await limited.http
              .post('/api/devops/pipelines/import')
              .set('Content-Type', 'application/yaml')
              .send(stringifyYaml(big)),
          ]) {
            expect(res.status).toBe(413);
            expect(res.body.error.message).toBe(message);
          }
          const list = await limited.http
            .get('/api/devops/pipelines')
            .query({ entityRef });
          expect(list.body.totalCount).toBe(0);
          // Under the limit, as always.
          expect(
            (
              await limited.http
                .post('/api/devops/pipelines')
                .send(pipelineDocument({ entityRef }))
            ).status,
          ).toBe(201);
        } finally {
          await limited.stop();
        }
      });

      it('refuses to create, import or copy past devops.limits.maxPipelines', async () => {
        const limited = await DevopsTestBackend.start(
          await databases.init(databaseId),
          {
            devops: { limits: { maxPipelines: 2 } },
          },
        );
        try {
          const entityRef = `component:default/${uniqueName('limited')}`;
          const first = await limited.createPipeline(
            pipelineDocument({ entityRef }),
          );
          await limited.createPipeline(pipelineDocument({ entityRef }));
          const third = pipelineDocument({ entityRef });

          const responses = [
            await limited.http.post('/api/devops/pipelines').send(third),
            await limited.http
              .post('/api/devops/pipelines/import')
              .set('Content-Type', 'application/yaml')
              .send(stringifyYaml(third)),
            await limited.http
              .post(`/api/devops/pipelines/${first.status.id}/copy`)
              .send({ name: uniqueName('copy') }),
          ];
          for (const res of responses) {
            expect(res.status).toBe(409);
            expect(res.body.error.message).toContain('maximum of 2 pipelines');
            expect(res.body.error.message).toContain(
              'devops.limits.maxPipelines',
            );
          }
          const list = await limited.http
            .get('/api/devops/pipelines')
            .query({ entityRef });
          expect(list.body.totalCount).toBe(2);

          // Deleting one makes room again.
          await limited.http
            .delete(`/api/devops/pipelines/${first.status.id}`)
            .expect(204);
          const copy = await limited.http
            .post(`/api/devops/pipelines/${first.status.id}/copy`)
            .send({ name: uniqueName('copy') });
          expect(copy.status).toBe(404);
          expect(
            (await limited.http.post('/api/devops/pipelines').send(third))
              .status,
          ).toBe(201);
        } finally {
          await limited.stop();
        }
      });
    });

    describe('authentication and permissions', () => {
      it('answers 401 without credentials', async () => {
        const created = await devops.createPipeline(pipelineDocument());
        const run = await devops.startRun(created.status.id);
        await devops.waitForRun(run.id);
        const none = mockCredentials.none.header();
        const pipeline = `/api/devops/pipelines/${created.status.id}`;
        const calls = [
          api().get('/api/devops/pipelines'),
          api().get(pipeline),
          api().put(`${pipeline}/settings`).send({ timeoutMinutes: 1 }),
          api().delete(pipeline),
          api().post(`${pipeline}/runs`).send({}),
          api().get(`${pipeline}/export`),
          api().get(`/api/devops/runs/${run.id}`),
          api().post(`/api/devops/runs/${run.id}/rerun`).send({}),
          api()
            .get(`/api/devops/runs/${run.id}/logs`)
            .query({ follow: 'true' }),
          api().get(`/api/devops/runs/${run.id}/logs/download`),
        ];
        for (const res of await Promise.all(
          calls.map(call => call.set('Authorization', none)),
        )) {
          expect(res.status).toBe(401);
        }
        const runs = await api().get(`${pipeline}/runs`);
        expect(runs.body.totalCount).toBe(1);
        expect((await api().get(pipeline)).body.status.version).toBe(1);

        const document = pipelineDocument();
        const create = await api()
          .post('/api/devops/pipelines')
          .set('Authorization', mockCredentials.none.header())
          .send(document);
        expect(create.status).toBe(401);
        expect(await countFor(document.metadata.entityRef)).toBe(0);
      });

      it("creates only where the policy's conditions allow it, for the document's entity", async () => {
        const allowed = `component:default/${uniqueName('allowed')}`;
        const elsewhere = `component:default/${uniqueName('elsewhere')}`;
        const source = await devops.createPipeline(
          pipelineDocument({ entityRef: allowed }),
        );
        // A policy written with the package's condition exports, as an adopter would.
        devops.setPermissions(name =>
          name === 'devops.pipeline.create'
            ? createDevopsPipelineConditionalDecision(
                devopsPipelineCreatePermission,
                devopsPipelineConditions.isPipelineOfEntity({
                  entityRefs: [allowed],
                }),
              )
            : { result: AuthorizeResult.ALLOW },
        );

        const here = await api()
          .post('/api/devops/pipelines')
          .send(pipelineDocument({ entityRef: allowed }));
        const there = await api()
          .post('/api/devops/pipelines')
          .send(pipelineDocument({ entityRef: elsewhere }));
        const imported = await api()
          .post('/api/devops/pipelines/import')
          .set('Content-Type', 'application/yaml')
          .send(stringifyYaml(pipelineDocument({ entityRef: elsewhere })));
        const copy = await api()
          .post(`/api/devops/pipelines/${source.status.id}/copy`)
          .send({ name: uniqueName('copy') });

        expect(here.status).toBe(201);
        expect(there.status).toBe(403);
        expect(there.body.error.message).toBe(
          `You are not allowed to create pipelines for ${elsewhere}`,
        );
        expect(imported.status).toBe(403);
        expect(copy.status).toBe(201);
        expect(await countFor(elsewhere)).toBe(0);
      });

      it('with DENY: an empty list, and 403 for creating', async () => {
        const document = pipelineDocument();
        const existing = await devops.createPipeline(document);
        devops.setPermissions(deny);

        const list = await api()
          .get('/api/devops/pipelines')
          .query({ entityRef: document.metadata.entityRef });
        expect(list.status).toBe(200);
        expect(list.body).toEqual({ items: [], totalCount: 0 });

        const another = pipelineDocument({
          entityRef: document.metadata.entityRef,
        });
        const create = await api().post('/api/devops/pipelines').send(another);
        expect(create.status).toBe(403);
        expect(create.body.error.name).toBe('NotAllowedError');
        const imported = await api()
          .post('/api/devops/pipelines/import')
          .set('Content-Type', 'application/yaml')
          .send(stringifyYaml(another));
        expect(imported.status).toBe(403);

        // A pipeline the caller may not read does not exist for them.
        const read = await api().get(
          `/api/devops/pipelines/${existing.status.id}`,
        );
        expect(read.status).toBe(404);
        const remove = await api().delete(
          `/api/devops/pipelines/${existing.status.id}`,
        );
        expect(remove.status).toBe(404);

        devops.resetPermissions();
        expect(await countFor(document.metadata.entityRef)).toBe(1);
      });

      it('with read allowed but changes denied: 403 for every mutation, nothing changed', async () => {
        const created = await devops.createPipeline(pipelineDocument());
        const id = created.status.id;
        const run = await devops.startRun(id);
        await devops.waitForRun(run.id);
        devops.setPermissions(name =>
          name === 'devops.pipeline.read'
            ? { result: AuthorizeResult.ALLOW }
            : { result: AuthorizeResult.DENY },
        );

        const base = `/api/devops/pipelines/${id}`;
        const calls = [
          api()
            .put(base)
            .send({ ...documentOf(created), version: 1 }),
          api().delete(base),
          api()
            .post(`${base}/copy`)
            .send({ name: uniqueName('copy') }),
          api()
            .put(`${base}/triggers`)
            .send({ events: { push: true } }),
          api().put(`${base}/settings`).send({ timeoutMinutes: 1 }),
          api().post(`${base}/deactivate`),
          api().post(`${base}/runs`).send({}),
          api().post(`${base}/stop`),
          api().post(`/api/devops/runs/${run.id}/rerun`).send({}),
          api().post(`/api/devops/runs/${run.id}/stop`),
        ];
        for (const res of await Promise.all(calls)) {
          expect({ url: res.request.url, status: res.status }).toEqual({
            url: res.request.url,
            status: 403,
          });
          expect(res.body.error.name).toBe('NotAllowedError');
        }

        // Reading still works, and nothing changed.
        const read = await api().get(base);
        expect(read.status).toBe(200);
        expect(read.body.status.version).toBe(1);
        expect(read.body.status.active).toBe(true);
        const runs = await api().get(`${base}/runs`);
        expect(runs.body.totalCount).toBe(1);
        expect(await countFor(created.metadata.entityRef)).toBe(1);
      });

      it('with CONDITIONAL IS_PIPELINE_CREATOR: the list, reads and changes follow the rule', async () => {
        const entityRef = `component:default/${uniqueName('conditional')}`;
        const alice = 'user:default/alice';
        const bob = 'user:default/bob';
        const a1 = await devops.createPipeline(
          pipelineDocument({ entityRef }),
          alice,
        );
        const a2 = await devops.createPipeline(
          pipelineDocument({ entityRef }),
          alice,
        );
        const b1 = await devops.createPipeline(
          pipelineDocument({ entityRef }),
          bob,
        );
        devops.setPermissions(() => onlyCreatedBy(alice));

        const list = await api()
          .get('/api/devops/pipelines')
          .set('Authorization', userHeader(alice))
          .query({ entityRef });
        expect(list.status).toBe(200);
        expect(list.body.totalCount).toBe(2);
        expect(
          list.body.items.map((p: Pipeline) => p.status.id).sort(),
        ).toEqual([a1.status.id, a2.status.id].sort());
        const page = await api()
          .get('/api/devops/pipelines')
          .query({ entityRef, limit: 1 });
        expect(page.body.totalCount).toBe(2);
        expect(page.body.items).toHaveLength(1);
        expect(page.body.nextCursor).toBeDefined();

        expect(
          (await api().get(`/api/devops/pipelines/${a1.status.id}`)).status,
        ).toBe(200);
        expect(
          (await api().get(`/api/devops/pipelines/${b1.status.id}`)).status,
        ).toBe(404);

        // Read allowed for all, update only on one's own.
        devops.setPermissions(name =>
          name === 'devops.pipeline.update'
            ? onlyCreatedBy(alice)
            : { result: AuthorizeResult.ALLOW },
        );
        const own = await api()
          .put(`/api/devops/pipelines/${a1.status.id}/settings`)
          .send({ timeoutMinutes: 9 });
        expect(own.status).toBe(200);
        const others = await api()
          .put(`/api/devops/pipelines/${b1.status.id}/settings`)
          .send({ timeoutMinutes: 9 });
        expect(others.status).toBe(403);
        expect(others.body.error.message).toContain(b1.metadata.name);
      });

      it('with CONDITIONAL IS_PIPELINE_OF_ENTITY: only the pipelines of those entities', async () => {
        const mine = `component:default/${uniqueName('mine')}`;
        const theirs = `component:default/${uniqueName('theirs')}`;
        const visible = await devops.createPipeline(
          pipelineDocument({ entityRef: mine }),
        );
        const hidden = await devops.createPipeline(
          pipelineDocument({ entityRef: theirs }),
        );
        devops.setPermissions(() => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'devops',
          resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
          conditions: {
            anyOf: [
              {
                rule: 'IS_PIPELINE_OF_ENTITY',
                resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
                params: { entityRefs: [mine] },
              },
            ],
          },
        }));

        const list = await api()
          .get('/api/devops/pipelines')
          .query({ q: visible.metadata.name });
        expect(list.body.items.map((p: Pipeline) => p.status.id)).toEqual([
          visible.status.id,
        ]);
        const other = await api()
          .get('/api/devops/pipelines')
          .query({ entityRef: theirs });
        expect(other.body).toEqual({ items: [], totalCount: 0 });
        expect(
          (await api().get(`/api/devops/pipelines/${hidden.status.id}/runs`))
            .status,
        ).toBe(404);
        expect(
          (await api().get(`/api/devops/pipelines/${visible.status.id}/runs`))
            .status,
        ).toBe(200);
      });
    });
  });
});
