import type { AuditorServiceCreateEventOptions } from '@backstage/backend-plugin-api';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { stringify as stringifyYaml } from 'yaml';
import { DatabaseClusterStore } from '../database/DatabaseClusterStore';
import { applyMigrations } from '../database/migrate';
import {
  DevopsTestBackend,
  allow,
  deny,
  documentOf,
  pipelineDocument,
  uniqueName,
  userHeader,
} from './__testUtils__/devopsTestBackend';

jest.setTimeout(120_000);

const JACK = 'user:default/jack';
const SECRET = 'hunter2-never-in-an-audit-event';
const GIVEN_SECRET = 'given-at-run-time-never-audited';

/** What the auditor was told: each event as initiated, then as it ended. */
type Recorded = {
  eventId: string;
  severityLevel?: string;
  status: 'initiated' | 'succeeded' | 'failed';
  meta: JsonObject;
  /** The Authorization header of the request the event names, from which the actor comes. */
  authorization?: string;
  error?: string;
};

/** An auditor that records the events, as the real one would log them. */
function recordingAuditor() {
  const events: Recorded[] = [];
  /** Every event since the start, which tests do not clear. */
  const all: Recorded[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async (options: AuditorServiceCreateEventOptions) => {
      const base = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        authorization: options.request?.headers.authorization,
      };
      const record = (event: Recorded) => {
        events.push(event);
        all.push(event);
      };
      record({ ...base, status: 'initiated', meta: options.meta ?? {} });
      return {
        success: async params => {
          record({
            ...base,
            status: 'succeeded',
            meta: { ...options.meta, ...params?.meta },
          });
        },
        fail: async params => {
          record({
            ...base,
            status: 'failed',
            meta: { ...options.meta, ...params.meta },
            error: params.error.message,
          });
        },
      };
    },
  });
  return { auditor, events, all };
}

/**
 * The audit trail of the routes that change pipelines and bindings or run with secret
 * values, through a real backend whose auditor records the events: which events, their
 * meta and actor, failures with their error, and never a secret value.
 */
describe('devops audit events', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let devops: DevopsTestBackend;
    const { auditor, events, all } = recordingAuditor();

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      // A binding to unbind: binding one for real needs a cluster (clustersRoutes.test).
      await applyMigrations(knex);
      await new DatabaseClusterStore(knex).create({
        name: 'old-cluster',
        namespace: 'devops-old',
        scope: ['group:default/web-team'],
        createdBy: 'user:default/admin',
        health: 'healthy',
      });
      devops = await DevopsTestBackend.start(knex, {
        features: [auditor.factory],
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'closed-port',
                  url: 'https://127.0.0.1:1',
                  serviceAccountToken: 'token',
                  skipTLSVerify: true,
                },
              ],
            },
          ],
        },
      });
    });

    afterAll(async () => {
      await devops?.stop();
    });

    beforeEach(() => {
      events.length = 0;
    });

    afterEach(() => devops.resetPermissions());

    const api = () => devops.http;
    const asJack = userHeader(JACK);

    /** The events with this id, in order. */
    const eventsOf = (eventId: string) =>
      events.filter(e => e.eventId === eventId);

    const secretDocument = () =>
      pipelineDocument({
        name: uniqueName('audited'),
        parameters: [
          { name: 'DEPLOY_TOKEN', value: SECRET, secret: true },
          { name: 'GREETING', value: 'hello' },
        ],
      });

    it('records creates, imports and copies with the new pipeline, by the caller', async () => {
      const document = secretDocument();
      const created = await devops.createPipeline(document, JACK);
      const { name, entityRef } = document.metadata;
      expect(eventsOf('pipeline-create')).toEqual([
        {
          eventId: 'pipeline-create',
          severityLevel: 'medium',
          status: 'initiated',
          authorization: asJack,
          meta: { queryType: 'create', pipelineName: name, entityRef },
        },
        {
          eventId: 'pipeline-create',
          severityLevel: 'medium',
          status: 'succeeded',
          authorization: asJack,
          meta: {
            queryType: 'create',
            pipelineName: name,
            entityRef,
            pipelineId: created.status.id,
          },
        },
      ]);

      events.length = 0;
      const imported = await api()
        .post('/api/devops/pipelines/import')
        .query({ name: uniqueName('imported') })
        .set('Authorization', asJack)
        .type('application/yaml')
        .send(stringifyYaml(document));
      expect(imported.status).toBe(201);
      expect(eventsOf('pipeline-create')[1]).toMatchObject({
        status: 'succeeded',
        meta: { queryType: 'import', pipelineId: imported.body.status.id },
      });

      events.length = 0;
      const copy = await api()
        .post(`/api/devops/pipelines/${created.status.id}/copy`)
        .set('Authorization', asJack)
        .send({ name: uniqueName('copy') });
      expect(copy.status).toBe(201);
      expect(eventsOf('pipeline-create')[1]).toMatchObject({
        status: 'succeeded',
        meta: {
          queryType: 'copy',
          copiedFrom: created.status.id,
          pipelineName: copy.body.metadata.name,
          pipelineId: copy.body.status.id,
        },
      });
    });

    it('records a refused create as failed, with the reason', async () => {
      devops.setPermissions(deny);
      const res = await api()
        .post('/api/devops/pipelines')
        .set('Authorization', asJack)
        .send(secretDocument());
      expect(res.status).toBe(403);
      expect(eventsOf('pipeline-create').map(e => e.status)).toEqual([
        'initiated',
        'failed',
      ]);
      expect(eventsOf('pipeline-create')[1].error).toMatch(/not allowed/i);
    });

    it('records edits of the document, triggers and settings, and deletes', async () => {
      const created = await devops.createPipeline(secretDocument(), JACK);
      const id = created.status.id;
      const meta = {
        pipelineId: id,
        pipelineName: created.metadata.name,
        entityRef: created.metadata.entityRef,
      };

      const movedTo = `component:default/${uniqueName('elsewhere')}`;
      const document = documentOf(created);
      const edited = await api()
        .put(`/api/devops/pipelines/${id}`)
        .set('Authorization', asJack)
        .send({
          ...document,
          metadata: { ...document.metadata, entityRef: movedTo },
          version: created.status.version,
        });
      expect(edited.status).toBe(200);
      const triggers = await api()
        .put(`/api/devops/pipelines/${id}/triggers`)
        .set('Authorization', asJack)
        .send({});
      expect(triggers.status).toBe(200);
      const settings = await api()
        .put(`/api/devops/pipelines/${id}/settings`)
        .set('Authorization', asJack)
        .send({ timeoutMinutes: 5, notifications: 'off' });
      expect(settings.status).toBe(200);
      expect(
        eventsOf('pipeline-update')
          .filter(e => e.status === 'succeeded')
          .map(e => e.meta),
      ).toEqual([
        { ...meta, queryType: 'document', movedTo },
        { ...meta, entityRef: movedTo, queryType: 'triggers' },
        { ...meta, entityRef: movedTo, queryType: 'settings' },
      ]);

      const deleted = await api()
        .delete(`/api/devops/pipelines/${id}`)
        .set('Authorization', asJack);
      expect(deleted.status).toBe(204);
      expect(eventsOf('pipeline-delete')).toEqual([
        expect.objectContaining({
          status: 'initiated',
          authorization: asJack,
          meta: { ...meta, entityRef: movedTo },
        }),
        expect.objectContaining({
          status: 'succeeded',
          meta: { ...meta, entityRef: movedTo, stoppedRuns: [] },
        }),
      ]);
    });

    it('records runs with secret values, naming the secrets but never their values', async () => {
      const withSecrets = await devops.createPipeline(secretDocument(), JACK);
      const plain = await devops.createPipeline(
        pipelineDocument({ name: uniqueName('plain') }),
        JACK,
      );

      // No secret involved: nothing to audit.
      const plainRun = await devops.startRun(plain.status.id);
      expect(eventsOf('pipeline-run')).toEqual([]);

      const res = await api()
        .post(`/api/devops/pipelines/${withSecrets.status.id}/runs`)
        .set('Authorization', asJack)
        .send({ params: { DEPLOY_TOKEN: GIVEN_SECRET, GREETING: 'hi' } });
      expect(res.status).toBe(201);
      const meta = {
        pipelineId: withSecrets.status.id,
        pipelineName: withSecrets.metadata.name,
        entityRef: withSecrets.metadata.entityRef,
        queryType: 'manual',
        startedBy: JACK,
        secretParameters: ['DEPLOY_TOKEN'],
      };
      expect(eventsOf('pipeline-run')).toEqual([
        {
          eventId: 'pipeline-run',
          severityLevel: 'medium',
          status: 'initiated',
          authorization: asJack,
          meta,
        },
        {
          eventId: 'pipeline-run',
          severityLevel: 'medium',
          status: 'succeeded',
          authorization: asJack,
          meta: {
            ...meta,
            runId: res.body.id,
            buildId: 1,
            secretParametersGiven: ['DEPLOY_TOKEN'],
          },
        },
      ]);
      await devops.waitForRun(res.body.id);
      await devops.waitForRun(plainRun.id);

      // A re-run repeats the run's secret values: audited too.
      events.length = 0;
      const rerun = await api()
        .post(`/api/devops/runs/${res.body.id}/rerun`)
        .set('Authorization', asJack)
        .send({});
      expect(rerun.status).toBe(201);
      expect(eventsOf('pipeline-run')[1]).toEqual(
        expect.objectContaining({
          status: 'succeeded',
          authorization: asJack,
          meta: {
            pipelineId: withSecrets.status.id,
            pipelineName: withSecrets.metadata.name,
            entityRef: withSecrets.metadata.entityRef,
            queryType: 'rerun',
            rerunOf: 1,
            secretParameters: ['DEPLOY_TOKEN'],
            runId: rerun.body.id,
            buildId: 2,
          },
        }),
      );
      await devops.waitForRun(rerun.body.id);

      // Through the actions registry: no request, so the meta names who started it.
      events.length = 0;
      const action = await api()
        .post(
          `/api/devops/.backstage/actions/v1/actions/${encodeURIComponent(
            'devops:run-pipeline',
          )}/invoke`,
        )
        .set('Authorization', asJack)
        .send({ pipelineId: withSecrets.status.id });
      expect(action.status).toBe(200);
      expect(eventsOf('pipeline-run')[1]).toMatchObject({
        status: 'succeeded',
        authorization: undefined,
        meta: {
          queryType: 'manual',
          startedBy: JACK,
          secretParametersGiven: [],
          runId: action.body.output.runId,
        },
      });
      await devops.waitForRun(action.body.output.runId);

      // Refused: recorded as failed.
      events.length = 0;
      devops.setPermissions(name =>
        name === 'devops.pipeline.execute'
          ? deny(name, JACK)
          : allow(name, JACK),
      );
      const refused = await api()
        .post(`/api/devops/pipelines/${withSecrets.status.id}/runs`)
        .set('Authorization', asJack)
        .send({});
      expect(refused.status).toBe(403);
      expect(eventsOf('pipeline-run').map(e => e.status)).toEqual([
        'initiated',
        'failed',
      ]);
    });

    it('records binds and unbinds, failed ones with their reason', async () => {
      const bind = await api()
        .post('/api/devops/clusters')
        .set('Authorization', asJack)
        .send({ name: 'closed-port', scope: ['group:default/web-team'] });
      expect(bind.status).toBeGreaterThanOrEqual(400);
      expect(eventsOf('cluster-bind')).toEqual([
        {
          eventId: 'cluster-bind',
          severityLevel: 'high',
          status: 'initiated',
          authorization: asJack,
          meta: { cluster: 'closed-port', scope: ['group:default/web-team'] },
        },
        {
          eventId: 'cluster-bind',
          severityLevel: 'high',
          status: 'failed',
          authorization: asJack,
          meta: { cluster: 'closed-port', scope: ['group:default/web-team'] },
          error: bind.body.error.message,
        },
      ]);

      const unbind = await api()
        .delete('/api/devops/clusters/old-cluster')
        .set('Authorization', asJack);
      expect(unbind.status).toBe(204);
      expect(eventsOf('cluster-unbind')).toEqual([
        expect.objectContaining({ status: 'initiated' }),
        {
          eventId: 'cluster-unbind',
          severityLevel: 'high',
          status: 'succeeded',
          authorization: asJack,
          meta: {
            cluster: 'old-cluster',
            force: false,
            namespace: 'devops-old',
            scope: ['group:default/web-team'],
          },
        },
      ]);

      events.length = 0;
      const unknown = await api()
        .delete('/api/devops/clusters/old-cluster')
        .query({ force: 'true' })
        .set('Authorization', asJack);
      expect(unknown.status).toBe(404);
      expect(eventsOf('cluster-unbind')[1]).toMatchObject({
        status: 'failed',
        meta: { cluster: 'old-cluster', force: true },
        error: "Cluster 'old-cluster' is not bound",
      });
    });

    it('never recorded a secret value, whatever the tests above did', () => {
      expect(all.length).toBeGreaterThan(20);
      const recorded = JSON.stringify(all);
      expect(recorded).not.toContain(SECRET);
      expect(recorded).not.toContain(GIVEN_SECRET);
    });
  });
});
