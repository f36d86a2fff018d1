import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  TestBackend,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  CLOSED_PORT_CLUSTER,
  LOCAL_CLUSTER,
  WRONG_TOKEN_CLUSTER,
  testClustersConfig,
  useBindableTestCluster,
} from '../clusters/__testUtils__/testClusters';
import { TASK_RUNNER_SERVICE_ACCOUNT } from '../clusters/provisionNamespace';
import { DatabaseClusterStore } from '../database/DatabaseClusterStore';
import { applyMigrations } from '../database/migrate';
import devopsPlugin from '../index';
import { loadKubernetesClient } from '../kubernetes/loadKubernetesClient';
import type { TestCluster } from '../kubernetes/__testUtils__/testCluster';
import { pipelineDocument, uniqueName } from './__testUtils__/devopsTestBackend';

jest.setTimeout(120_000);

/** The deploying pipeline's entity: the catalog holds no owner for it. */
const DEPLOYER_ENTITY = 'component:default/deployer';

/**
 * The clusters half of the HTTP API through a real backend on each database, binding
 * the local test cluster of scripts/k8s for real: listing with health, the clusters one
 * may bind, bind, unbind with its usage warning, validation, authentication, permissions.
 */
describe('devops router: clusters', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const bindable = useBindableTestCluster();
  let cluster: TestCluster;
  beforeAll(() => {
    cluster = bindable.cluster;
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let backend: TestBackend;
    let defaultNamespace: string;
    /** Permission names the policy denies; everything else is allowed. */
    const denied = new Set<string>();

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      // A binding whose cluster left the configuration while the backend was down: the
      // health check that runs at startup must find it.
      await applyMigrations(knex);
      await new DatabaseClusterStore(knex).create({
        name: 'deleted-from-config',
        namespace: 'devops-pipelines',
        scope: [],
        createdBy: 'user:default/admin',
        health: 'healthy',
      });
      const prefixed = bindable.namespacePrefix(LOCAL_CLUSTER, 'devops-routes');
      defaultNamespace = prefixed.namespace;
      const permissions = mockServices.permissions.mock({
        authorize: (async requests =>
          requests.map(({ permission }) => ({
            result: denied.has(permission.name) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
          }))) as PermissionsService['authorize'],
        authorizeConditional: (async requests =>
          requests.map(({ permission }) => ({
            result: denied.has(permission.name) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
          }))) as PermissionsService['authorizeConditional'],
      });
      const config = testClustersConfig(cluster);
      backend = await startTestBackend({
        features: [
          devopsPlugin,
          mockServices.rootConfig.factory({
            data: {
              ...config,
              devops: {
                ...config.devops,
                kubernetes: { ...config.devops.kubernetes, namespacePrefix: prefixed.namespacePrefix },
                encryptionKey: 'clusters-routes-test',
                // The deploying pipeline's entity is owned by no one: no binding covers it.
                deployTargets: [{ cluster: LOCAL_CLUSTER, entities: [DEPLOYER_ENTITY] }],
              },
            },
          }),
          mockServices.database.mock({ getClient: async () => knex }).factory,
          permissions.factory,
          catalogServiceMock.factory({ entities: [] }),
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
    });

    afterEach(() => {
      denied.clear();
    });

    const api = () => request(backend.server);
    const asJack = mockCredentials.user.header('user:default/jack');

    it('shows each binding with its health, as the startup check saw it', async () => {
      const res = await api().get('/api/devops/clusters').set('Authorization', asJack);

      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          name: 'deleted-from-config',
          namespace: 'devops-pipelines',
          scope: [],
          health: 'removed',
          healthMessage: "cluster was deleted from the portal's configuration; bind another cluster",
          checkedAt: expect.any(String),
          createdBy: 'user:default/admin',
          createdAt: expect.any(String),
        },
      ]);
    });

    it('binds a cluster into the default namespace, and lists it with its health', async () => {
      const available = await api().get('/api/devops/clusters/available').set('Authorization', asJack);
      expect(available.status).toBe(200);
      expect(available.body.items.map((c: { name: string }) => c.name).sort()).toEqual(
        [CLOSED_PORT_CLUSTER, LOCAL_CLUSTER, WRONG_TOKEN_CLUSTER].sort(),
      );
      // Each says the namespace of its own that binding it creates.
      expect(available.body.items.find((c: { name: string }) => c.name === LOCAL_CLUSTER).defaultNamespace).toBe(
        defaultNamespace,
      );

      const bound = await api()
        .post('/api/devops/clusters')
        .set('Authorization', asJack)
        .send({ name: LOCAL_CLUSTER, scope: ['team-a'] });

      expect(bound.status).toBe(201);
      expect(bound.body).toEqual({
        name: LOCAL_CLUSTER,
        namespace: defaultNamespace,
        scope: ['group:default/team-a'],
        health: 'healthy',
        checkedAt: expect.any(String),
        createdBy: 'user:default/jack',
        createdAt: expect.any(String),
      });
      const { CoreV1Api } = await loadKubernetesClient();
      const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
      const account = await core.readNamespacedServiceAccount({
        name: TASK_RUNNER_SERVICE_ACCOUNT,
        namespace: defaultNamespace,
      });
      expect(account.metadata?.namespace).toBe(defaultNamespace);

      const list = await api().get('/api/devops/clusters').set('Authorization', asJack);
      expect(list.body.items.map((b: { name: string; health: string }) => [b.name, b.health])).toEqual([
        ['deleted-from-config', 'removed'],
        [LOCAL_CLUSTER, 'healthy'],
      ]);
      const after = await api().get('/api/devops/clusters/available').set('Authorization', asJack);
      expect(after.body.items.map((c: { name: string }) => c.name)).not.toContain(LOCAL_CLUSTER);

      const again = await api()
        .post('/api/devops/clusters')
        .set('Authorization', asJack)
        .send({ name: LOCAL_CLUSTER });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        `Cluster 'local' is already bound (namespace '${defaultNamespace}'); unbind it first to bind it again`,
      );
    });

    it('answers 503 naming the cluster and the reason when the cluster fails, and stores nothing', async () => {
      const res = await api()
        .post('/api/devops/clusters')
        .set('Authorization', asJack)
        .send({ name: WRONG_TOKEN_CLUSTER, namespace: 'pipelines' });

      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({
        name: 'ServiceUnavailableError',
        message:
          "Cannot bind cluster 'wrong-token' (namespace 'pipelines'): credentials refused by the cluster (401 Unauthorized); update the cluster's token in the portal's Kubernetes configuration",
      });
      const list = await api().get('/api/devops/clusters').set('Authorization', asJack);
      expect(list.body.items.map((b: { name: string }) => b.name)).not.toContain(WRONG_TOKEN_CLUSTER);
    });

    it('refuses bad input before it reaches the cluster', async () => {
      const invalid = await api()
        .post('/api/devops/clusters')
        .set('Authorization', asJack)
        .send({ namespace: 'Bad_Name', scope: ['user:default/jack'] });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.message).toMatch(/^Invalid request: name: a cluster name is required; namespace: must be/);
      expect(invalid.body.error.message).toContain('"user:default/jack" is a user, not a group');

      const unknown = await api()
        .post('/api/devops/clusters')
        .set('Authorization', asJack)
        .send({ name: 'staging' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/^The portal knows no Kubernetes cluster named 'staging'; configure it/);

      const force = await api()
        .delete(`/api/devops/clusters/${LOCAL_CLUSTER}`)
        .query({ force: 'yes' })
        .set('Authorization', asJack);
      expect(force.status).toBe(400);
      expect(force.body.error.message).toBe('force must be true or false');
    });

    it('answers 409 with the pipelines that use the cluster, and unbinds when forced', async () => {
      const deployer = await api()
        .post('/api/devops/pipelines')
        .set('Authorization', asJack)
        .send(deployPipeline(LOCAL_CLUSTER));
      expect(deployer.status).toBe(201);

      const refused = await api()
        .delete(`/api/devops/clusters/${LOCAL_CLUSTER}`)
        .set('Authorization', asJack);

      // The binding serves team-a, which owns no pipeline: only the deploy task uses it.
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual({
        name: 'ConflictError',
        message: `Cluster 'local' is used by 1 pipeline (${deployer.body.metadata.name} of ${deployer.body.metadata.entityRef}); they stop working until another binding covers them or their deploy tasks name another cluster. Unbind with force=true to go ahead`,
        pipelines: [
          {
            id: deployer.body.status.id,
            name: deployer.body.metadata.name,
            entityRef: deployer.body.metadata.entityRef,
            uses: ['deploys'],
          },
        ],
      });
      const still = await api().get('/api/devops/clusters').set('Authorization', asJack);
      expect(still.body.items.map((b: { name: string }) => b.name)).toContain(LOCAL_CLUSTER);

      const forced = await api()
        .delete(`/api/devops/clusters/${LOCAL_CLUSTER}`)
        .query({ force: 'true' })
        .set('Authorization', asJack);
      expect(forced.status).toBe(204);
      const gone = await api().get('/api/devops/clusters').set('Authorization', asJack);
      expect(gone.body.items.map((b: { name: string }) => b.name)).toEqual(['deleted-from-config']);

      const missing = await api()
        .delete(`/api/devops/clusters/${LOCAL_CLUSTER}`)
        .set('Authorization', asJack);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe("Cluster 'local' is not bound");
    });

    it('counts a removed portal-wide binding as used while no other binding covers the pipelines', async () => {
      // Runs on it fail saying the cluster was deleted, rather than moving elsewhere unseen.
      const refused = await api()
        .delete('/api/devops/clusters/deleted-from-config')
        .set('Authorization', asJack);
      expect(refused.status).toBe(409);
      expect(refused.body.error.pipelines.length).toBeGreaterThan(0);
      for (const user of refused.body.error.pipelines) {
        expect(user.uses).toEqual(['runs']);
      }

      const forced = await api()
        .delete('/api/devops/clusters/deleted-from-config')
        .query({ force: 'true' })
        .set('Authorization', asJack);
      expect(forced.status).toBe(204);
      const list = await api().get('/api/devops/clusters').set('Authorization', asJack);
      expect(list.body.items).toEqual([]);
    });

    it('answers 401 without credentials', async () => {
      // The test backend takes a request without a header as a default user's.
      const none = mockCredentials.none.header();
      for (const call of [
        api().get('/api/devops/clusters').set('Authorization', none),
        api().get('/api/devops/clusters/available').set('Authorization', none),
        api().post('/api/devops/clusters').set('Authorization', none).send({ name: LOCAL_CLUSTER }),
        api().delete(`/api/devops/clusters/${LOCAL_CLUSTER}`).set('Authorization', none),
      ]) {
        const res = await call;
        expect(res.status).toBe(401);
      }
    });

    it('answers 403 when the policy denies reading or managing clusters', async () => {
      denied.add('devops.cluster.manage');
      const bind = await api()
        .post('/api/devops/clusters')
        .set('Authorization', asJack)
        .send({ name: LOCAL_CLUSTER });
      expect(bind.status).toBe(403);
      expect(bind.body.error.message).toBe('You are not allowed to manage clusters');
      const unbind = await api()
        .delete(`/api/devops/clusters/${LOCAL_CLUSTER}`)
        .set('Authorization', asJack);
      expect(unbind.status).toBe(403);
      // Reading is a permission of its own; the clusters one could bind are for managers.
      const read = await api().get('/api/devops/clusters').set('Authorization', asJack);
      expect(read.status).toBe(200);
      expect(read.body.canBind).toBe(false);
      const available = await api().get('/api/devops/clusters/available').set('Authorization', asJack);
      expect(available.status).toBe(403);

      denied.add('devops.cluster.read');
      const res = await api().get('/api/devops/clusters').set('Authorization', asJack);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('You are not allowed to read clusters');
    });
  });
});

function deployPipeline(clusterName: string) {
  const document = pipelineDocument({ name: uniqueName('deploys'), entityRef: DEPLOYER_ENTITY });
  document.spec.stages[0].tasks = [
    { name: 'deploy', type: 'deployYaml', file: 'app.yaml', cluster: clusterName, namespace: 'web' },
  ];
  return document;
}
