import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PipelineDocument } from '@devops-pipelines/plugin-devops-common';
import { PROJECT_CATALOG } from '../catalog/__testUtils__/projectCatalog';
import {
  DevopsTestBackend,
  documentOf,
  pipelineDocument,
} from '../router/__testUtils__/devopsTestBackend';

jest.setTimeout(60_000);

const JACK = 'component:default/jack-2048'; // owned by web-team, nested in org

/** A pipeline of jack-2048 whose one task deploys to `cluster`'s namespace `web-app`. */
function deploying(cluster: string): PipelineDocument {
  const document = pipelineDocument({
    entityRef: JACK,
    parameters: [{ name: 'CLUSTER', value: 'staging' }],
  });
  document.spec.stages[0].tasks = [
    {
      name: 'deploy',
      type: 'deployYaml',
      file: 'app.yaml',
      cluster,
      namespace: 'web-app',
    },
  ];
  return document;
}

/*
 * Deploy targets through the API: no cluster is bound, so jack-2048 may deploy only
 * where devops.deployTargets lets its project (org's entities: staging's web-*).
 */
describe('deploy targets', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: DevopsTestBackend;

  beforeAll(async () => {
    backend = await DevopsTestBackend.start(await databases.init('SQLITE_3'), {
      catalog: PROJECT_CATALOG,
      devops: {
        deployTargets: [
          { cluster: 'staging', groups: ['org'], namespaces: ['web-*'] },
        ],
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const refusedProduction =
    "Task \"deploy\": pipelines of component:default/jack-2048 may not deploy to namespace 'web-app' of cluster 'production'; they may deploy to namespaces web-* of cluster 'staging'. An admin gives a project more clusters in devops.deployTargets";

  it('lists where a pipeline of the entity may deploy, for the task dialog', async () => {
    const targets = await backend.http.get(
      `/api/devops/pipelines/deploy-targets?entityRef=${JACK}`,
    );
    expect(targets.status).toBe(200);
    expect(targets.body).toEqual({
      items: [{ cluster: 'staging', namespaces: ['web-*'] }],
    });
    // An entity of no project the configuration names may deploy nowhere.
    expect(
      (
        await backend.http.get(
          '/api/devops/pipelines/deploy-targets?entityRef=component:default/solo',
        )
      ).body,
    ).toEqual({ items: [] });
    expect(
      (await backend.http.get('/api/devops/pipelines/deploy-targets')).status,
    ).toBe(400);
  });

  it('lists the targets only to those who may create pipelines of the entity', async () => {
    backend.setPermissions(name =>
      name === 'devops.pipeline.create'
        ? { result: AuthorizeResult.DENY }
        : { result: AuthorizeResult.ALLOW },
    );
    try {
      const refused = await backend.http.get(
        `/api/devops/pipelines/deploy-targets?entityRef=${JACK}`,
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        `You are not allowed to create or edit pipelines for ${JACK}`,
      );
    } finally {
      backend.resetPermissions();
    }
  });

  it('refuses to create or import a pipeline that deploys where its project may not', async () => {
    const created = await backend.http
      .post('/api/devops/pipelines')
      .send(deploying('production'));
    expect(created.status).toBe(403);
    expect(created.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: refusedProduction,
    });

    const imported = await backend.http
      .post('/api/devops/pipelines/import')
      .send({ yaml: JSON.stringify(deploying('production')) });
    expect(imported.status).toBe(403);

    expect(
      (
        await backend.http
          .post('/api/devops/pipelines')
          .send(deploying('staging'))
      ).status,
    ).toBe(201);
  });

  it('refuses an edit that points a deploy task elsewhere, and keeps the pipeline as it was', async () => {
    const pipeline = await backend.createPipeline(deploying('staging'));
    const edited = documentOf(pipeline);
    (edited.spec.stages[0].tasks[0] as { cluster: string }).cluster =
      'production';

    const res = await backend.http
      .put(`/api/devops/pipelines/${pipeline.status.id}`)
      .send({ ...edited, version: pipeline.status.version });

    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(refusedProduction);
    const kept = (
      await backend.http.get(`/api/devops/pipelines/${pipeline.status.id}`)
    ).body;
    expect(kept.spec.stages[0].tasks[0].cluster).toBe('staging');
  });

  it('checks a target that names a variable when the task runs', async () => {
    const pipeline = await backend.createPipeline(deploying('${CLUSTER}'));

    const run = await backend.waitForRun(
      (
        await backend.startRun(pipeline.status.id, { CLUSTER: 'production' })
      ).id,
    );

    expect(run.status).toBe('failed');
    expect(run.stages[0].tasks[0]).toMatchObject({
      status: 'failed',
      message: refusedProduction.replace('Task "deploy": ', 'Not deployed: '),
    });
    // Let through, the task reaches the executor (here the local one, which cannot deploy).
    const allowed = await backend.waitForRun(
      (
        await backend.startRun(pipeline.status.id)
      ).id,
    );
    expect(allowed.stages[0].tasks[0].message).toMatch(
      /^The local executor cannot run "Deploy YAML" tasks; they need a Kubernetes cluster/,
    );
  });
});
