import { TestDatabases } from '@backstage/backend-test-utils';
import { PROJECT_CATALOG } from '../catalog/__testUtils__/projectCatalog';
import { DatabaseClusterStore } from '../database/DatabaseClusterStore';
import {
  DevopsTestBackend,
  pipelineDocument,
} from './__testUtils__/devopsTestBackend';

/*
 * Choosing the binding (SPEC §1): where several bound clusters serve a pipeline's project,
 * its advanced settings pick one; without a choice the rule decides.
 */
describe('a pipeline’s cluster binding', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: DevopsTestBackend;
  let id: string;

  const bindings = () =>
    backend.http.get(`/api/devops/pipelines/${id}/bindings`);
  const settings = (body: object) =>
    backend.http.put(`/api/devops/pipelines/${id}/settings`).send(body);

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    backend = await DevopsTestBackend.start(knex, { catalog: PROJECT_CATALOG });
    // Stored directly: the bind route would prepare a real cluster for each.
    const store = new DatabaseClusterStore(knex);
    for (const [name, scope] of [
      ['shared', []],
      ['web', ['group:default/web-team']],
      ['pay', ['group:default/payments']],
    ] as const) {
      await store.create({
        name,
        namespace: `devops-${name}`,
        scope: [...scope],
        createdBy: 'user:default/admin',
        health: 'healthy',
      });
    }
    const pipeline = await backend.createPipeline(
      pipelineDocument({ entityRef: 'component:default/jack-2048' }),
    );
    id = pipeline.status.id;
  });
  afterAll(() => backend?.stop());

  it('lists the bindings that serve the project, and the one the rule takes', async () => {
    const res = await bindings();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          name: 'shared',
          namespace: 'devops-shared',
          scope: [],
          health: 'healthy',
        },
        {
          name: 'web',
          namespace: 'devops-web',
          scope: ['group:default/web-team'],
          health: 'healthy',
        },
      ],
      current: {
        name: 'web',
        reason:
          "bound for group:default/web-team, which owns the pipeline's entity (the first bound of 2 that serve it; the pipeline's advanced settings can choose another)",
      },
    });
  });

  it('refuses a binding that does not serve the project, naming those that do', async () => {
    const res = await settings({ timeoutMinutes: 10, cluster: 'pay' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Cluster pay does not serve the project of component:default/jack-2048; choose one of the bindings that do: shared, web',
    );
  });

  it('keeps the choice until it is given back to the rule', async () => {
    const chosen = await settings({ timeoutMinutes: 10, cluster: 'shared' });
    expect(chosen.status).toBe(200);
    expect(chosen.body.spec.cluster).toBe('shared');
    expect((await bindings()).body).toMatchObject({
      chosen: 'shared',
      current: {
        name: 'shared',
        reason: "chosen in the pipeline's advanced settings",
      },
    });

    // Settings without a cluster leave the choice alone...
    const timeoutOnly = await settings({ timeoutMinutes: 30 });
    expect(timeoutOnly.body.spec).toMatchObject({
      timeoutMinutes: 30,
      cluster: 'shared',
    });
    // ...and null gives it back to the rule.
    const automatic = await settings({ timeoutMinutes: 30, cluster: null });
    expect(automatic.body.spec).not.toHaveProperty('cluster');
    expect((await bindings()).body.current.name).toBe('web');
  });
});
