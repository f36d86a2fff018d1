import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogProjects } from '../catalog/CatalogProjects';
import { catalogEntityOwners } from '../catalog/entityOwners';
import { PROJECT_CATALOG } from '../catalog/__testUtils__/projectCatalog';
import { DeployTargets } from './DeployTargets';
import { readDeployTargets } from './readDeployTargets';

const JACK = 'component:default/jack-2048'; // owned by web-team, nested in org
const SHOP = 'component:default/shop'; // owned by org
const PAYMENTS = 'component:default/payments-api'; // owned by payments

describe('DeployTargets', () => {
  const catalog = catalogServiceMock({ entities: PROJECT_CATALOG });
  const auth = mockServices.auth();
  const projects = new CatalogProjects(
    catalog,
    auth,
    catalogEntityOwners(catalog, auth),
  );
  /** jack-2048's runs are bound to cluster 'dev'; nothing else is bound. */
  const clusters = {
    bindingForPipeline: async ({ entityRef }: { entityRef: string }) =>
      entityRef === JACK
        ? {
            binding: {
              name: 'dev',
              namespace: 'devops',
              scope: [],
              health: 'healthy' as const,
              createdBy: '',
              createdAt: '',
            },
            reason: 'bound for the whole portal',
          }
        : undefined,
  };
  const targets = new DeployTargets({
    rules: readDeployTargets(
      new ConfigReader({
        devops: {
          deployTargets: [
            { cluster: 'staging', groups: ['org'], namespaces: ['web-*'] },
            { cluster: 'production', entities: [SHOP] },
          ],
        },
      }),
    ),
    clusters,
    projects,
  });

  it('allows the bound cluster in any namespace, and what the configuration gives the project', async () => {
    expect(
      await targets.refusal(
        { entityRef: JACK },
        { cluster: 'dev', namespace: 'anything' },
      ),
    ).toBeUndefined();
    // org's rule covers jack-2048: its owner web-team is nested in org.
    expect(
      await targets.refusal(
        { entityRef: JACK },
        {
          cluster: 'staging',
          namespace: 'web-prod',
        },
      ),
    ).toBeUndefined();
    expect(
      await targets.refusal(
        { entityRef: SHOP },
        {
          cluster: 'staging',
          namespace: 'web-shop',
        },
      ),
    ).toBeUndefined();
    expect(
      await targets.refusal(
        { entityRef: SHOP },
        { cluster: 'production', namespace: 'shop' },
      ),
    ).toBeUndefined();
  });

  it('refuses other clusters and namespaces, saying where the project may deploy', async () => {
    expect(
      await targets.refusal(
        { entityRef: JACK },
        { cluster: 'production', namespace: 'web' },
      ),
    ).toBe(
      "pipelines of component:default/jack-2048 may not deploy to namespace 'web' of cluster 'production'; they may deploy to cluster 'dev' (their runs' binding) and namespaces web-* of cluster 'staging'. An admin gives a project more clusters in devops.deployTargets",
    );
    expect(
      await targets.refusal(
        { entityRef: JACK },
        {
          cluster: 'staging',
          namespace: 'kube-system',
        },
      ),
    ).toMatch(
      /^pipelines of component:default\/jack-2048 may not deploy to namespace 'kube-system' of cluster 'staging'/,
    );
    expect(
      await targets.refusal(
        { entityRef: PAYMENTS },
        {
          cluster: 'staging',
          namespace: 'web-x',
        },
      ),
    ).toMatch(/they may deploy to no cluster \(none is bound for them\)\./);
    expect(
      await targets.refusal(
        { entityRef: 'component:default/not-in-catalog' },
        {
          cluster: 'dev',
          namespace: 'web',
        },
      ),
    ).toMatch(/may not deploy/);
  });

  it("checks a document's deploy tasks, leaving targets that name a variable to run time", async () => {
    const document = (tasks: object[]) =>
      ({
        apiVersion: 'devops.backstage.io/v1',
        kind: 'Pipeline',
        metadata: { name: 'p', entityRef: JACK },
        spec: { stages: [{ name: 's', tasks }] },
      } as any);
    const deploy = (name: string, cluster: string, namespace = 'web-app') => ({
      name,
      type: 'deployYaml',
      file: 'app.yaml',
      cluster,
      namespace,
    });

    await expect(
      targets.checkDocument(
        document([deploy('a', 'dev'), deploy('b', '${CLUSTER}')]),
      ),
    ).resolves.toBeUndefined();
    const refused = targets.checkDocument(
      document([
        deploy('a', 'staging'),
        {
          name: 'c',
          type: 'deployChart',
          release: 'r',
          chart: 'c',
          version: '1',
          cluster: 'production',
          namespace: 'web',
        },
      ]),
    );
    await expect(refused).rejects.toThrow(NotAllowedError);
    await expect(refused).rejects.toThrow(
      /^Task "c": pipelines of component:default\/jack-2048 may not deploy to namespace 'web' of cluster 'production'/,
    );
  });
});
