import { TestDatabases } from '@backstage/backend-test-utils';
import { PROJECT_CATALOG } from '../catalog/__testUtils__/projectCatalog';
import {
  CLOSED_PORT_CLUSTER,
  LOCAL_CLUSTER,
  WRONG_TOKEN_CLUSTER,
  testClustersConfig,
} from '../clusters/__testUtils__/testClusters';
import {
  createTestNamespace,
  deleteTestNamespace,
  useTestCluster,
  type TestCluster,
} from '../kubernetes/__testUtils__/testCluster';
import { DevopsTestBackend } from '../router/__testUtils__/devopsTestBackend';

jest.setTimeout(120_000);

const JACK = 'component:default/jack-2048'; // owned by web-team, nested in org
const SOLO = 'component:default/solo'; // owned by bob alone

/*
 * The namespaces a deploy task dialog suggests, read from the local test cluster of
 * scripts/k8s: jack-2048 may deploy to the namespaces of one prefix there, solo to any.
 */
describe('deploy target namespaces', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let cluster: TestCluster;
  let backend: DevopsTestBackend;
  const prefix = `web${Date.now().toString(36)}`;
  const created: string[] = [];

  beforeAll(async () => {
    cluster = await useTestCluster();
    created.push(
      await createTestNamespace(cluster.kubeConfig, `${prefix}-shop`),
      await createTestNamespace(cluster.kubeConfig, `${prefix}-blog`),
    );
    const config = testClustersConfig(cluster);
    backend = await DevopsTestBackend.start(await databases.init('SQLITE_3'), {
      catalog: PROJECT_CATALOG,
      kubernetes: config.kubernetes,
      devops: {
        kubernetes: config.devops.kubernetes,
        deployTargets: [
          { cluster: LOCAL_CLUSTER, groups: ['org'], namespaces: [`${prefix}-*`] },
          { cluster: LOCAL_CLUSTER, entities: [SOLO] },
          { cluster: CLOSED_PORT_CLUSTER, groups: ['org'] },
          { cluster: WRONG_TOKEN_CLUSTER, groups: ['org'] },
        ],
      },
    });
  }, 180_000);

  afterAll(async () => {
    await backend?.stop();
    await Promise.all(
      created.map(name => deleteTestNamespace(cluster.kubeConfig, name)),
    );
  });

  const namespaces = (entityRef: string, target?: string) =>
    backend.http
      .get('/api/devops/pipelines/deploy-targets/namespaces')
      .query({ entityRef, ...(target ? { target } : {}) });

  it("lists the cluster's namespaces the pipeline may deploy into", async () => {
    const limited = await namespaces(JACK, LOCAL_CLUSTER);
    expect(limited.status).toBe(200);
    expect(limited.body).toEqual({ namespaces: [...created].sort() });

    // Without a limit: every namespace of the cluster, the system ones too.
    const any = await namespaces(SOLO, LOCAL_CLUSTER);
    expect(any.status).toBe(200);
    expect(any.body.namespaces).toEqual(
      expect.arrayContaining([...created, 'default', 'kube-system']),
    );
    expect(any.body.unavailable).toBeUndefined();
  });

  it('says why there is nothing to suggest when the cluster cannot list them', async () => {
    const closed = await namespaces(JACK, CLOSED_PORT_CLUSTER);
    expect(closed.status).toBe(200);
    expect(closed.body.namespaces).toEqual([]);
    expect(closed.body.unavailable).toMatch(
      /^The namespaces of cluster closed-port could not be listed: the cluster did not answer \(.+\)$/,
    );

    const refused = await namespaces(JACK, WRONG_TOKEN_CLUSTER);
    expect(refused.body).toEqual({
      namespaces: [],
      unavailable: expect.stringMatching(
        /^The namespaces of cluster wrong-token could not be listed: the cluster refused the portal's credentials \(401 Unauthorized/,
      ),
    });
  });

  it('refuses a cluster the pipeline may not deploy to, and asks for one', async () => {
    const refused = await namespaces(SOLO, CLOSED_PORT_CLUSTER);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      "pipelines of component:default/solo may not deploy to cluster 'closed-port'; they may deploy to cluster 'local'",
    );
    expect((await namespaces(JACK)).status).toBe(400);
  });
});
