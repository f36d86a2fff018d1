/**
 * Deploy YAML against a real API server (scripts/k8s): server-side apply, results as
 * kubectl reports them, and the server's own errors.
 */
import type { Task } from '@devops-pipelines/plugin-devops-common';
import {
  createTestNamespace,
  deleteTestNamespace,
  useTestNamespace,
} from '../../kubernetes/__testUtils__/testCluster';
import { loadKubernetesClient } from '../../kubernetes/loadKubernetesClient';
import { planInput } from '../__testUtils__/planInput';
import { RecordingLog } from '../__testUtils__/recordingLog';
import type { BackendTaskContext } from '../types';
import { kubeRequest } from './kubeRequest';
import { FIELD_MANAGER } from './ManifestApplier';
import { planDeployYaml } from './planDeployYaml';

const cluster = useTestNamespace('deploy-yaml');
const TIMEOUT_MS = 30_000;

const APP_YAML = `# The demo application
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  version: "\${VERSION}"
  build: "\${BUILD_ID}"
  greeting: "\${GREETING}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: hub.example.com/devops/web:alpha-\${BUILD_ID}
          envFrom:
            - configMapRef: { name: web-config }
      volumes:
        - name: config
          configMap: { name: web-config, defaultMode: 0644 }
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
    - port: 80
      targetPort: 8080
---
`;

function deployTask(fields: Partial<Task> = {}): Task {
  return {
    name: 'deploy',
    type: 'deployYaml',
    file: 'k8s/app.yaml',
    cluster: 'test',
    namespace: cluster.namespace,
    ...fields,
  } as Task;
}

async function deploy(options: {
  files: Record<string, string>;
  task?: Partial<Task>;
  env?: Record<string, string>;
  signal?: AbortSignal;
  log?: RecordingLog;
}) {
  const plan = await planDeployYaml(
    planInput(deployTask(options.task), {
      env: options.env ?? { BUILD_ID: '42', VERSION: '1.2.3' },
    }),
  );
  if (plan.kind !== 'backend')
    throw new Error('deployYaml must run in the backend');
  const log = options.log ?? new RecordingLog();
  const ctx: BackendTaskContext = {
    log,
    signal: options.signal ?? new AbortController().signal,
    async readSourceFile(path) {
      const text = options.files[path];
      if (text === undefined) throw new Error(`${path} does not exist`);
      return text;
    },
    async kubeConfig(name) {
      if (name !== 'test') throw new Error(`cluster ${name} is not configured`);
      return cluster.kubeConfig;
    },
  };
  const result = await plan.run(ctx);
  return { result, log };
}

async function api() {
  const { CoreV1Api, AppsV1Api, RbacAuthorizationV1Api } =
    await loadKubernetesClient();
  return {
    core: cluster.kubeConfig.makeApiClient(CoreV1Api),
    apps: cluster.kubeConfig.makeApiClient(AppsV1Api),
    rbac: cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api),
  };
}

async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw error;
  }
}

describe('deployYaml', () => {
  it(
    'applies every document, then reports unchanged and configured objects on later runs',
    async () => {
      const files = { 'k8s/app.yaml': APP_YAML };
      const first = await deploy({ files });
      expect(first.result).toEqual({ status: 'succeeded' });
      expect(first.log.lines).toEqual([
        'configmap/web-config created',
        'deployment.apps/web created',
        'service/web created',
      ]);
      expect(first.log.platformLines).toEqual([
        '[Warning] Left as written in k8s/app.yaml, as they are not pipeline variables: ${GREETING}',
        `[Normal] Applying 3 objects from k8s/app.yaml to namespace ${cluster.namespace} of cluster test`,
      ]);

      const { core, apps } = await api();
      const namespace = cluster.namespace;
      const config = await core.readNamespacedConfigMap({
        name: 'web-config',
        namespace,
      });
      expect(config.data).toEqual({
        version: '1.2.3',
        build: '42',
        greeting: '${GREETING}',
      });
      const deployment = await apps.readNamespacedDeployment({
        name: 'web',
        namespace,
      });
      expect(deployment.spec?.template.spec?.containers[0].image).toBe(
        'hub.example.com/devops/web:alpha-42',
      );
      // Read as YAML 1.1, as kubectl does: 0644 is octal.
      expect(
        deployment.spec?.template.spec?.volumes?.[0].configMap?.defaultMode,
      ).toBe(0o644);
      expect(deployment.metadata?.managedFields).toContainEqual(
        expect.objectContaining({ manager: FIELD_MANAGER, operation: 'Apply' }),
      );

      const again = await deploy({ files });
      expect(again.result.status).toBe('succeeded');
      expect(again.log.lines).toEqual([
        'configmap/web-config unchanged',
        'deployment.apps/web unchanged',
        'service/web unchanged',
      ]);

      const nextBuild = await deploy({
        files,
        env: { BUILD_ID: '43', VERSION: '1.2.3' },
      });
      expect(nextBuild.log.lines).toEqual([
        'configmap/web-config configured',
        'deployment.apps/web configured',
        'service/web unchanged',
      ]);
      const updated = await apps.readNamespacedDeployment({
        name: 'web',
        namespace,
      });
      expect(updated.spec?.template.spec?.containers[0].image).toBe(
        'hub.example.com/devops/web:alpha-43',
      );
    },
    TIMEOUT_MS,
  );

  it(
    'takes over fields another manager set, as a forced apply does',
    async () => {
      const { core } = await api();
      const namespace = cluster.namespace;
      await core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name: 'shared' }, data: { owner: 'someone' } },
      });
      const { result, log } = await deploy({
        files: {
          'k8s/app.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: shared }\ndata: { owner: pipeline }\n',
        },
      });
      expect(result.status).toBe('succeeded');
      expect(log.lines).toEqual(['configmap/shared configured']);
      const config = await core.readNamespacedConfigMap({
        name: 'shared',
        namespace,
      });
      expect(config.data).toEqual({ owner: 'pipeline' });
    },
    TIMEOUT_MS,
  );

  it(
    'applies cluster-scoped objects without a namespace',
    async () => {
      const name = `devops-test-${Date.now().toString(36)}`;
      const { result, log } = await deploy({
        files: {
          'k8s/app.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: ${name} }
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get]
`,
        },
      });
      const { rbac } = await api();
      try {
        expect(result.status).toBe('succeeded');
        expect(log.lines).toEqual([
          `clusterrole.rbac.authorization.k8s.io/${name} created`,
        ]);
      } finally {
        await rbac.deleteClusterRole({ name });
      }
    },
    TIMEOUT_MS,
  );

  it(
    'sends objects as written: a CRD keeps its x-kubernetes-* schema keys',
    async () => {
      const group = `t${Date.now().toString(36)}.devops.test`;
      const { result, log } = await deploy({
        files: {
          'k8s/app.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.${group} }
spec:
  group: ${group}
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`,
        },
      });
      const { ApiextensionsV1Api } = await loadKubernetesClient();
      const crds = cluster.kubeConfig.makeApiClient(ApiextensionsV1Api);
      try {
        expect(result.status).toBe('succeeded');
        expect(log.lines).toEqual([
          `customresourcedefinition.apiextensions.k8s.io/widgets.${group} created`,
        ]);
        // Read raw: client-node's models drop these keys when reading, too.
        const crd = await kubeRequest(cluster.kubeConfig, {
          method: 'GET',
          path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`,
        });
        expect(crd.body.spec.versions[0].schema.openAPIV3Schema).toEqual({
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
        });
      } finally {
        await crds.deleteCustomResourceDefinition({ name: `widgets.${group}` });
      }
    },
    TIMEOUT_MS,
  );

  describe('namespaces', () => {
    it(
      'creates the namespace when the task asks to, and only the first time',
      async () => {
        const namespace = `deploy-yaml-new-${Date.now().toString(36)}`;
        const files = {
          'k8s/app.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app }\ndata: { a: "1" }\n',
        };
        try {
          const first = await deploy({
            files,
            task: { namespace, createNamespace: true },
          });
          expect(first.result.status).toBe('succeeded');
          expect(first.log.lines).toEqual([
            `namespace/${namespace} created`,
            'configmap/app created',
          ]);
          const second = await deploy({
            files,
            task: { namespace, createNamespace: true },
          });
          expect(second.log.lines).toEqual(['configmap/app unchanged']);
        } finally {
          await deleteTestNamespace(cluster.kubeConfig, namespace);
        }
      },
      TIMEOUT_MS,
    );

    it(
      'fails without applying anything when the namespace is missing and may not be created',
      async () => {
        const namespace = `deploy-yaml-missing-${Date.now().toString(36)}`;
        const { result, log } = await deploy({
          files: { 'k8s/app.yaml': APP_YAML },
          task: { namespace },
        });
        expect(result).toEqual({
          status: 'failed',
          message: `Namespace ${namespace} does not exist on cluster test; create it, or turn on "Create the namespace if it is missing" in the task`,
        });
        expect(log.lines).toEqual([]);
        const { core } = await api();
        expect(
          await exists(() => core.readNamespace({ name: namespace })),
        ).toBe(false);
      },
      TIMEOUT_MS,
    );

    it(
      'refuses an object that names another namespace',
      async () => {
        const other = await createTestNamespace(
          cluster.kubeConfig,
          'deploy-yaml-other',
        );
        try {
          const { result } = await deploy({
            files: {
              'k8s/app.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: elsewhere, namespace: ${other} }\n`,
            },
          });
          expect(result).toEqual({
            status: 'failed',
            message: `configmap/elsewhere (document 1 of k8s/app.yaml) was not applied: it names namespace ${other}, but the task deploys to ${cluster.namespace}; remove metadata.namespace from the file or change the task's namespace`,
          });
        } finally {
          await deleteTestNamespace(cluster.kubeConfig, other);
        }
      },
      TIMEOUT_MS,
    );
  });

  describe('failures', () => {
    it(
      'fails on an Ingress of the removed networking.k8s.io/v1beta1 with the server message, after applying what came before',
      async () => {
        const { result, log } = await deploy({
          files: {
            'k8s/app.yaml': `apiVersion: v1
kind: ConfigMap
metadata: { name: before-ingress }
---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: { name: web }
spec:
  backend: { serviceName: web, servicePort: 80 }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: after-ingress }
`,
          },
        });
        expect(result).toEqual({
          status: 'failed',
          message:
            'ingress.networking.k8s.io/web (document 2 of k8s/app.yaml) was not applied: cluster test does not serve networking.k8s.io/v1beta1 (the server could not find the requested resource); it serves networking.k8s.io/v1: the version may have been removed by a Kubernetes upgrade, so update the file to one the cluster serves',
        });
        expect(log.lines).toEqual(['configmap/before-ingress created']);
        const { core } = await api();
        expect(
          await exists(() =>
            core.readNamespacedConfigMap({
              name: 'after-ingress',
              namespace: cluster.namespace,
            }),
          ),
        ).toBe(false);
      },
      TIMEOUT_MS,
    );

    it(
      'fails on a kind the API version does not have, listing the kinds it has',
      async () => {
        const { result } = await deploy({
          files: {
            'k8s/app.yaml':
              'apiVersion: apps/v1\nkind: Deploymnt\nmetadata: { name: web }\n',
          },
        });
        expect(result.status).toBe('failed');
        expect(result.message).toMatch(
          /^deploymnt\.apps\/web \(document 1 of k8s\/app\.yaml\) was not applied: apps\/v1 on cluster test has no kind Deploymnt; it has ControllerRevision, DaemonSet, Deployment, /,
        );
      },
      TIMEOUT_MS,
    );

    it(
      'fails on an API group the cluster does not have',
      async () => {
        const { result } = await deploy({
          files: {
            'k8s/app.yaml':
              'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n',
          },
        });
        expect(result.message).toBe(
          'widget.example.com/w (document 1 of k8s/app.yaml) was not applied: cluster test does not serve example.com/v1 (404 page not found); it has no API group example.com: install the CustomResourceDefinitions or add-on that provide it',
        );
      },
      TIMEOUT_MS,
    );

    it(
      'passes the API server message on for an object it rejects, fields it does not know included',
      async () => {
        const typo = await deploy({
          files: {
            'k8s/app.yaml':
              'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: typo }\ndat: { a: "1" }\n',
          },
        });
        expect(typo.result.message).toMatch(
          /^configmap\/typo \(document 1 of k8s\/app\.yaml\) was not applied: .*\.dat: field not declared in schema/,
        );

        const invalid = await deploy({
          files: {
            'k8s/app.yaml':
              'apiVersion: v1\nkind: Service\nmetadata: { name: bad-port }\nspec:\n  ports: [{ port: 70000 }]\n',
          },
        });
        expect(invalid.result.message).toMatch(
          /^service\/bad-port \(document 1 of k8s\/app\.yaml\) was not applied: Service "bad-port" is invalid: \[spec\.ports\[0\]\.port: Invalid value: 70000: must be between 1 and 65535, inclusive/,
        );
      },
      TIMEOUT_MS,
    );

    it(
      'fails on invalid YAML naming the document, before applying anything',
      async () => {
        const { result, log } = await deploy({
          files: {
            'k8s/app.yaml':
              'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: not-applied }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n   labels: {}\n',
          },
        });
        expect(result.status).toBe('failed');
        expect(result.message).toMatch(
          /^k8s\/app\.yaml, document 2 is not valid YAML: /,
        );
        expect(log.lines).toEqual([]);
        const { core } = await api();
        expect(
          await exists(() =>
            core.readNamespacedConfigMap({
              name: 'not-applied',
              namespace: cluster.namespace,
            }),
          ),
        ).toBe(false);
      },
      TIMEOUT_MS,
    );

    it('fails when the file cannot be read', async () => {
      const { result } = await deploy({ files: {} });
      expect(result).toEqual({
        status: 'failed',
        message:
          "Could not read k8s/app.yaml from the repository at the run's commit: k8s/app.yaml does not exist",
      });
    });

    it('fails on a file without objects', async () => {
      const { result } = await deploy({
        files: { 'k8s/app.yaml': '# nothing yet\n---\n' },
      });
      expect(result).toEqual({
        status: 'failed',
        message: 'k8s/app.yaml holds no Kubernetes objects to apply',
      });
    });

    it('fails on an unknown cluster with the directory message', async () => {
      const { result } = await deploy({
        files: { 'k8s/app.yaml': APP_YAML },
        task: { cluster: 'prod' },
      });
      expect(result).toEqual({
        status: 'failed',
        message: 'cluster prod is not configured',
      });
    });
  });

  describe('stopping', () => {
    it('applies nothing when stopped before it starts', async () => {
      const controller = new AbortController();
      controller.abort();
      const { result, log } = await deploy({
        files: { 'k8s/app.yaml': APP_YAML },
        signal: controller.signal,
      });
      expect(result).toEqual({
        status: 'failed',
        message: `Stopped after applying 0 of 3 objects to namespace ${cluster.namespace} of cluster test`,
      });
      expect(log.lines).toEqual([]);
    });

    it(
      'stops between objects',
      async () => {
        const controller = new AbortController();
        const log = new (class extends RecordingLog {
          output(chunk: string) {
            super.output(chunk);
            controller.abort();
          }
        })();
        const { result } = await deploy({
          files: {
            'k8s/app.yaml': [1, 2, 3]
              .map(
                i =>
                  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: stop-${i} }\n`,
              )
              .join('---\n'),
          },
          signal: controller.signal,
          log,
        });
        expect(result.message).toBe(
          `Stopped after applying 1 of 3 objects to namespace ${cluster.namespace} of cluster test`,
        );
        expect(log.lines).toEqual(['configmap/stop-1 created']);
      },
      TIMEOUT_MS,
    );
  });
});
