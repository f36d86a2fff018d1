import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  PIPELINE_API_VERSION,
  PIPELINE_KIND,
  PipelineDocument,
} from '@devops-pipelines/plugin-devops-common';
import type { KubeConfig } from '@kubernetes/client-node';
import { DatabaseClusterStore } from '../database/DatabaseClusterStore';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { applyMigrations } from '../database/migrate';
import { loadKubernetesClient } from '../kubernetes/loadKubernetesClient';
import { TestCluster, eventually } from '../kubernetes/__testUtils__/testCluster';
import { SecretBox } from '../secrets/SecretBox';
import {
  CLOSED_PORT_CLUSTER,
  LOCAL_CLUSTER,
  WRONG_TOKEN_CLUSTER,
  testClustersConfig,
  uniqueNamespace,
  useBindableTestCluster,
} from './__testUtils__/testClusters';
import { ClusterInUseError, ClusterService } from './ClusterService';
import { EntityOwners } from '../catalog/entityOwners';
import { TASK_RUNNER_SERVICE_ACCOUNT } from './provisionNamespace';

jest.setTimeout(120_000);

/**
 * The clusters service against the real API server of scripts/k8s: binding creates the
 * namespace, service account and role for real, health checks see each failure as it is.
 */
describe('ClusterService', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const bindable = useBindableTestCluster();
  let cluster: TestCluster;
  beforeAll(() => {
    cluster = bindable.cluster;
  });
  /** A namespace for this test, deleted after the file. */
  const testNamespace = bindable.namespace;

  async function setup(options: { owners?: Record<string, string[]>; config?: object } = {}) {
    const db = await databases.init('SQLITE_3');
    await applyMigrations(db);
    const store = new DatabaseClusterStore(db);
    const pipelines = new DatabasePipelineStore(db, new SecretBox('test'));
    const ownerLookups: string[][] = [];
    const owners: EntityOwners = async refs => {
      ownerLookups.push(refs);
      return new Map(refs.map(ref => [ref, options.owners?.[ref] ?? []]));
    };
    const { namespacePrefix, namespace: defaultNamespace } = bindable.namespacePrefix(
      LOCAL_CLUSTER,
      'devops-default',
    );
    const service = new ClusterService({
      config: new ConfigReader(options.config ?? testClustersConfig(cluster)),
      store,
      pipelines,
      owners,
      namespacePrefix,
      logger: mockServices.logger.mock(),
    });
    return { service, store, pipelines, ownerLookups, defaultNamespace, namespacePrefix };
  }

  async function apis(kubeConfig: KubeConfig = cluster.kubeConfig) {
    const { CoreV1Api, RbacAuthorizationV1Api } = await loadKubernetesClient();
    return {
      core: kubeConfig.makeApiClient(CoreV1Api),
      rbac: kubeConfig.makeApiClient(RbacAuthorizationV1Api),
    };
  }

  function pipelineDocument(name: string, entityRef: string, deployCluster?: string): PipelineDocument {
    return {
      apiVersion: PIPELINE_API_VERSION,
      kind: PIPELINE_KIND,
      metadata: { name, entityRef },
      spec: {
        stages: [
          {
            name: 'Deploy',
            order: 'sequential',
            tasks: deployCluster
              ? [{ name: 'deploy', type: 'deployYaml', file: 'app.yaml', cluster: deployCluster, namespace: 'web' }]
              : [{ name: 'test', type: 'runScript', image: 'alpine', tag: '3', script: 'true' }],
          },
        ],
      },
    };
  }

  describe('bind', () => {
    it('creates the namespace, service account, role and role binding, and stores the binding', async () => {
      const { service, defaultNamespace } = await setup();

      const binding = await service.bind({
        name: LOCAL_CLUSTER,
        scope: ['group:default/team-a'],
        createdBy: 'user:default/jack',
      });

      expect(binding).toMatchObject({
        name: LOCAL_CLUSTER,
        namespace: defaultNamespace,
        scope: ['group:default/team-a'],
        health: 'healthy',
        createdBy: 'user:default/jack',
      });
      expect(await service.list()).toEqual([binding]);
      const { core, rbac } = await apis();
      const namespace = await core.readNamespace({ name: defaultNamespace });
      expect(namespace.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'backstage-devops' });
      await core.readNamespacedServiceAccount({ name: TASK_RUNNER_SERVICE_ACCOUNT, namespace: defaultNamespace });
      const role = await rbac.readNamespacedRole({ name: TASK_RUNNER_SERVICE_ACCOUNT, namespace: defaultNamespace });
      expect(role.rules).toEqual([
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      ]);
      const roleBinding = await rbac.readNamespacedRoleBinding({
        name: TASK_RUNNER_SERVICE_ACCOUNT,
        namespace: defaultNamespace,
      });
      expect(roleBinding.roleRef).toMatchObject({ kind: 'Role', name: TASK_RUNNER_SERVICE_ACCOUNT });
      expect(roleBinding.subjects).toEqual([
        { kind: 'ServiceAccount', name: TASK_RUNNER_SERVICE_ACCOUNT, namespace: defaultNamespace },
      ]);
    });

    it('keeps what already exists in the namespace and brings the role up to date', async () => {
      const { service } = await setup();
      const namespace = testNamespace();
      const { core, rbac } = await apis();
      await core.createNamespace({ body: { metadata: { name: namespace, labels: { owner: 'ops' } } } });
      await core.createNamespacedServiceAccount({
        namespace,
        body: { metadata: { name: TASK_RUNNER_SERVICE_ACCOUNT, labels: { kept: 'yes' } } },
      });
      await rbac.createNamespacedRole({
        namespace,
        body: { metadata: { name: TASK_RUNNER_SERVICE_ACCOUNT }, rules: [] },
      });

      await service.bind({ name: LOCAL_CLUSTER, namespace, createdBy: 'user:default/jack' });

      expect((await core.readNamespace({ name: namespace })).metadata?.labels).toMatchObject({ owner: 'ops' });
      const account = await core.readNamespacedServiceAccount({ name: TASK_RUNNER_SERVICE_ACCOUNT, namespace });
      expect(account.metadata?.labels).toEqual({ kept: 'yes' });
      const role = await rbac.readNamespacedRole({ name: TASK_RUNNER_SERVICE_ACCOUNT, namespace });
      expect(role.rules).toHaveLength(1);
      expect((await service.list()).map(b => b.namespace)).toEqual([namespace]);
    });

    it('refuses a cluster that is already bound, before touching the cluster', async () => {
      const { service } = await setup();
      const first = testNamespace();
      await service.bind({ name: LOCAL_CLUSTER, namespace: first, createdBy: 'user:default/jack' });

      const second = uniqueNamespace('devops-never');
      const error = await service
        .bind({ name: LOCAL_CLUSTER, namespace: second, createdBy: 'user:default/jack' })
        .catch(e => e);

      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        `Cluster 'local' is already bound (namespace '${first}'); unbind it first to bind it again`,
      );
      const { core } = await apis();
      await expect(core.readNamespace({ name: second })).rejects.toMatchObject({ code: 404 });
    });

    it('refuses a cluster the portal does not know, saying how to configure it', async () => {
      const { service } = await setup();

      const error = await service.bind({ name: 'staging', createdBy: 'user:default/jack' }).catch(e => e);

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        "The portal knows no Kubernetes cluster named 'staging'; configure it under kubernetes.clusterLocatorMethods (type config) or in the kubeconfig file named by devops.kubernetes.kubeconfig",
      );
      expect(await service.list()).toEqual([]);
    });

    it('names the cluster and the reason when it cannot be reached, and stores nothing', async () => {
      const { service } = await setup();

      const error = await service
        .bind({ name: CLOSED_PORT_CLUSTER, namespace: 'pipelines', createdBy: 'user:default/jack' })
        .catch(e => e);

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^Cannot bind cluster 'closed-port' \(namespace 'pipelines'\): cluster unhealthy or unreachable: .*ECONNREFUSED 127\.0\.0\.1:1; check it in the Kubernetes console$/,
      );
      expect(await service.list()).toEqual([]);
    });

    it('names the cluster and the reason when its credentials are refused, and stores nothing', async () => {
      const { service } = await setup();

      const error = await service
        .bind({ name: WRONG_TOKEN_CLUSTER, namespace: 'pipelines', createdBy: 'user:default/jack' })
        .catch(e => e);

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        "Cannot bind cluster 'wrong-token' (namespace 'pipelines'): credentials refused by the cluster (401 Unauthorized); update the cluster's token in the portal's Kubernetes configuration",
      );
      expect(await service.list()).toEqual([]);
    });

    it("passes on the cluster's own refusal of a bad request as a 400", async () => {
      const { service } = await setup();

      // The route's schema refuses such names first; the cluster has the last word.
      const error = await service
        .bind({ name: LOCAL_CLUSTER, namespace: 'Not_A_Namespace', createdBy: 'user:default/jack' })
        .catch(e => e);

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /^Cannot bind cluster 'local' \(namespace 'Not_A_Namespace'\): the cluster refused the request: 422 Unprocessable Entity: Namespace "Not_A_Namespace" is invalid/,
      );
      expect(await service.list()).toEqual([]);
    });
  });

  describe('available', () => {
    it('lists the clusters of the configuration that are not bound, each with the namespace binding creates', async () => {
      const { service, namespacePrefix } = await setup();
      expect((await service.available()).map(c => c.name).sort()).toEqual(
        [CLOSED_PORT_CLUSTER, LOCAL_CLUSTER, WRONG_TOKEN_CLUSTER].sort(),
      );

      await service.bind({ name: LOCAL_CLUSTER, namespace: testNamespace(), createdBy: 'user:default/jack' });

      expect(await service.available()).toEqual([
        {
          name: CLOSED_PORT_CLUSTER,
          url: 'https://127.0.0.1:1',
          source: 'config',
          defaultNamespace: `${namespacePrefix}-${CLOSED_PORT_CLUSTER}`,
        },
        {
          name: WRONG_TOKEN_CLUSTER,
          url: cluster.kubeConfig.getCurrentCluster()!.server,
          source: 'config',
          defaultNamespace: `${namespacePrefix}-${WRONG_TOKEN_CLUSTER}`,
        },
      ]);
    });
  });

  describe('health', () => {
    it('sees a healthy cluster, an unreachable one, refused credentials and a removed cluster', async () => {
      const { service, store } = await setup();
      const namespace = testNamespace();
      await service.bind({ name: LOCAL_CLUSTER, namespace, createdBy: 'user:default/jack' });
      // Bindings whose clusters failed since they were bound.
      for (const name of [CLOSED_PORT_CLUSTER, WRONG_TOKEN_CLUSTER, 'deleted-from-config']) {
        await store.create({ name, namespace: 'pipelines', scope: [], createdBy: 'user:default/jack', health: 'healthy' });
      }
      const before = Date.now();

      await service.checkHealth();

      const health = Object.fromEntries(
        (await service.list()).map(b => [b.name, { health: b.health, message: b.healthMessage }]),
      );
      expect(health).toEqual({
        [LOCAL_CLUSTER]: { health: 'healthy', message: undefined },
        [CLOSED_PORT_CLUSTER]: {
          health: 'unreachable',
          message: expect.stringMatching(
            /^cluster unhealthy or unreachable: request to https:\/\/127\.0\.0\.1:1\/api\/v1\/namespaces\/pipelines failed, reason: connect ECONNREFUSED 127\.0\.0\.1:1; check it in the Kubernetes console$/,
          ),
        },
        [WRONG_TOKEN_CLUSTER]: {
          health: 'unauthorized',
          message:
            "credentials refused by the cluster (401 Unauthorized); update the cluster's token in the portal's Kubernetes configuration",
        },
        'deleted-from-config': {
          health: 'removed',
          message: "cluster was deleted from the portal's configuration; bind another cluster",
        },
      });
      for (const binding of await service.list()) {
        expect(Date.parse(binding.checkedAt!)).toBeGreaterThanOrEqual(before - 1000);
      }
    });

    it('sees a deleted namespace, and a repaired one', async () => {
      const { service } = await setup();
      const namespace = testNamespace();
      await service.bind({ name: LOCAL_CLUSTER, namespace, createdBy: 'user:default/jack' });

      const { core } = await apis();
      await core.deleteNamespace({ name: namespace });
      await service.checkHealth();
      // Terminating or already gone: either way no pod can start there.
      const [missing] = await service.list();
      expect(missing.health).toBe('namespaceMissing');
      expect(missing.healthMessage).toMatch(
        new RegExp(
          `^namespace '${namespace}' (no longer exists in the cluster; unbind and bind the cluster again to recreate it|is being deleted from the cluster; once it is gone, unbind and bind the cluster again to recreate it)$`,
        ),
      );

      await eventually(`namespace ${namespace} to be gone`, async () =>
        core.readNamespace({ name: namespace }).then(
          () => undefined,
          error => (error.code === 404 ? true : Promise.reject(error)),
        ),
      { timeoutMs: 60_000 });
      await service.checkHealth();
      expect((await service.list())[0]).toMatchObject({
        health: 'namespaceMissing',
        healthMessage: `namespace '${namespace}' no longer exists in the cluster; unbind and bind the cluster again to recreate it`,
      });

      // Binding again recreates it, and the next check finds the cluster healthy.
      await service.unbind(LOCAL_CLUSTER, { force: true, by: 'user:default/jack' });
      await service.bind({ name: LOCAL_CLUSTER, namespace, createdBy: 'user:default/jack' });
      await service.checkHealth();
      expect((await service.list())[0].health).toBe('healthy');
    });

    it('sees credentials the cluster accepts but that lack the rights DevOps needs', async () => {
      // A service account of its own, with a real token and no role at all.
      const { core } = await apis();
      const home = testNamespace('devops-norights');
      await core.createNamespace({ body: { metadata: { name: home } } });
      await core.createNamespacedServiceAccount({ namespace: home, body: { metadata: { name: 'powerless' } } });
      const { status } = await core.createNamespacedServiceAccountToken({
        name: 'powerless',
        namespace: home,
        body: { spec: { audiences: [], expirationSeconds: 600 } },
      });
      const server = cluster.kubeConfig.getCurrentCluster()!;
      const { service, store } = await setup({
        config: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  { name: 'powerless', url: server.server, caData: server.caData, serviceAccountToken: status!.token },
                ],
              },
            ],
          },
        },
      });

      const error = await service
        .bind({ name: 'powerless', namespace: 'pipelines', createdBy: 'user:default/jack' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^Cannot bind cluster 'powerless' \(namespace 'pipelines'\): credentials refused: the portal's account lacks a right it needs \(403 Forbidden: namespaces is forbidden: User "system:serviceaccount:devops-norights-[^"]+:powerless" cannot create resource "namespaces".*\); grant it in the cluster's RBAC$/,
      );

      await store.create({ name: 'powerless', namespace: home, scope: [], createdBy: 'user:default/jack', health: 'healthy' });
      await service.checkHealth();
      const [checked] = await service.list();
      expect(checked.health).toBe('unauthorized');
      expect(checked.healthMessage).toMatch(
        /^credentials refused: the portal's account lacks a right it needs \(403 Forbidden: namespaces "devops-norights-[^"]+" is forbidden: .*cannot get resource "namespaces".*\); grant it in the cluster's RBAC$/,
      );
    });

    it('records a problem a run reports, and leaves clusters that are not bound alone', async () => {
      const { service } = await setup();
      await service.bind({ name: LOCAL_CLUSTER, namespace: testNamespace(), createdBy: 'user:default/jack' });

      await service.reportProblem(LOCAL_CLUSTER, 'unreachable', 'cluster unhealthy or unreachable: timeout');
      await service.reportProblem(CLOSED_PORT_CLUSTER, 'unreachable', 'not bound');

      expect(await service.list()).toEqual([
        expect.objectContaining({
          name: LOCAL_CLUSTER,
          health: 'unreachable',
          healthMessage: 'cluster unhealthy or unreachable: timeout',
        }),
      ]);
    });
  });

  describe('unbind', () => {
    it('refuses while pipelines use the cluster, listing them, unless forced', async () => {
      const { service, pipelines } = await setup();
      await service.bind({ name: LOCAL_CLUSTER, namespace: testNamespace(), createdBy: 'user:default/jack' });
      const runsThere = await pipelines.create({
        document: pipelineDocument('unit-tests', 'component:default/jack-2048'),
        secrets: {},
        createdBy: 'user:default/jack',
      });
      await pipelines.create({
        document: pipelineDocument('deploy-prod', 'component:default/shop', 'prod'),
        secrets: {},
        createdBy: 'user:default/jack',
      });
      const deploysThere = await pipelines.create({
        document: { ...pipelineDocument('deploy-local', 'component:default/shop', LOCAL_CLUSTER), metadata: { name: 'deploy-local', title: 'Deploy locally', entityRef: 'component:default/shop' } },
        secrets: {},
        createdBy: 'user:default/jack',
      });

      const error = await service.unbind(LOCAL_CLUSTER, { by: 'user:default/jack' }).catch(e => e);

      expect(error).toBeInstanceOf(ClusterInUseError);
      expect(error).toBeInstanceOf(ConflictError);
      // Every pipeline runs on the portal-wide binding; one also deploys to it.
      expect(
        [...(error as ClusterInUseError).pipelines].sort((a, b) => a.name.localeCompare(b.name)),
      ).toEqual([
        {
          id: deploysThere.id,
          name: 'deploy-local',
          title: 'Deploy locally',
          entityRef: 'component:default/shop',
          uses: ['runs', 'deploys'],
        },
        expect.objectContaining({ name: 'deploy-prod', uses: ['runs'] }),
        { id: runsThere.id, name: 'unit-tests', entityRef: 'component:default/jack-2048', uses: ['runs'] },
      ]);
      expect(error.message).toMatch(
        /^Cluster 'local' is used by 3 pipelines \(.*unit-tests of component:default\/jack-2048.*\); they stop working until another binding covers them or their deploy tasks name another cluster\. Unbind with force=true to go ahead$/,
      );
      expect(await service.list()).toHaveLength(1);

      await service.unbind(LOCAL_CLUSTER, { force: true, by: 'user:default/jack' });
      expect(await service.list()).toEqual([]);
    });

    it('unbinds a cluster no pipeline uses, and says when it is not bound', async () => {
      const { service, pipelines, store } = await setup({
        owners: { 'component:default/other': ['group:default/team-b'] },
      });
      await store.create({
        name: LOCAL_CLUSTER,
        namespace: 'pipelines',
        scope: ['group:default/team-a'],
        createdBy: 'user:default/jack',
        health: 'healthy',
      });
      // Owned by another group than the binding's scope: it does not run there.
      await pipelines.create({
        document: pipelineDocument('other', 'component:default/other'),
        secrets: {},
        createdBy: 'user:default/jack',
      });

      await service.unbind(LOCAL_CLUSTER, { by: 'user:default/jack' });
      expect(await service.list()).toEqual([]);
      await expect(service.unbind(LOCAL_CLUSTER, { by: 'user:default/jack' })).rejects.toThrow(
        new NotFoundError("Cluster 'local' is not bound"),
      );
    });
  });

  describe('bindingForPipeline', () => {
    it("chooses the binding of the entity's owner group, else the portal-wide one", async () => {
      const { service, store, ownerLookups } = await setup({
        owners: {
          'component:default/team-a-app': ['group:default/team-a'],
          'component:default/team-b-app': ['group:default/team-b'],
        },
      });
      expect(await service.bindingForPipeline({ entityRef: 'component:default/team-a-app' })).toBeUndefined();
      expect(await service.hasBindings()).toBe(false);

      await store.create({ name: 'portal', namespace: 'ns', scope: [], createdBy: 'user:default/a', health: 'healthy' });
      expect((await service.bindingForPipeline({ entityRef: 'component:default/team-a-app' }))?.binding.name).toBe('portal');
      expect(await service.hasBindings()).toBe(true);
      // No binding is scoped yet: the catalog was never asked.
      expect(ownerLookups).toEqual([]);

      await store.create({
        name: 'team-a',
        namespace: 'ns',
        scope: ['group:default/Team-A'],
        createdBy: 'user:default/a',
        health: 'healthy',
      });
      expect((await service.bindingForPipeline({ entityRef: 'component:default/team-a-app' }))?.binding.name).toBe('team-a');
      expect((await service.bindingForPipeline({ entityRef: 'component:default/team-b-app' }))?.binding.name).toBe('portal');
      expect(ownerLookups).toEqual([['component:default/team-a-app'], ['component:default/team-b-app']]);
    });
  });

  describe('kubeConfig', () => {
    it('gives a working client configuration for a known cluster', async () => {
      const { service } = await setup();

      const kubeConfig = await service.kubeConfig(LOCAL_CLUSTER);

      const { core } = await apis(kubeConfig);
      expect((await core.readNamespace({ name: 'default' })).metadata?.name).toBe('default');
    });

    it('says to configure a cluster the portal does not know', async () => {
      const { service } = await setup();

      const error = await service.kubeConfig('prod').catch(e => e);

      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe(
        "The portal knows no Kubernetes cluster named 'prod'; configure it under kubernetes.clusterLocatorMethods (type config) or in the kubeconfig file named by devops.kubernetes.kubeconfig",
      );
    });
  });
});

describe('ClusterInUseError', () => {
  it('names ten pipelines in its message and carries all of them', () => {
    const users = Array.from({ length: 12 }, (_, i) => ({
      id: `p${i}`,
      name: `pipeline-${i}`,
      entityRef: 'component:default/shop',
      uses: ['runs' as const],
    }));

    const error = new ClusterInUseError('prod', users);

    expect(error.message).toMatch(
      /^Cluster 'prod' is used by 12 pipelines \(pipeline-0 of component:default\/shop, .*pipeline-9 of component:default\/shop, 2 more\); they stop working/,
    );
    expect(error.message).not.toContain('pipeline-10');
    expect(error.pipelines).toHaveLength(12);
    expect(error.name).toBe('ConflictError');
  });
});
