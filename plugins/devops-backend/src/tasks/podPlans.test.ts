/**
 * The pod plans against a real API server (scripts/k8s): each plan's container, put in a
 * pod the way the Kubernetes executor does (source init container, workspace emptyDir,
 * variables from a Secret, secret files and mounted Secrets), is accepted as it is and
 * keeps its arguments byte for byte.
 */
import type { V1Pod, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { Task } from '@devops-pipelines/plugin-devops-common';
import { useTestNamespace } from '../kubernetes/__testUtils__/testCluster';
import { loadKubernetesClient } from '../kubernetes/loadKubernetesClient';
import { planInput, testClusters, testTools } from './__testUtils__/planInput';
import { builtInTaskTypeRegistry } from '../taskTypes/builtInTaskTypes';
import type { PodTaskPlan } from './types';
import { WORKSPACE_SOURCE_DIR } from './types';

const cluster = useTestNamespace('task-pods');
const TIMEOUT_MS = 30_000;

const env = { BUILD_ID: '42', IMAGE_TAG: `it's "alpha 42"` };

const tasks: Task[] = [
  {
    name: 'build',
    type: 'buildImage',
    dockerfile: 'docker/it\'s "the" Dockerfile',
    image: 'jack-2048',
    tag: 'alpha-42',
    workspace: 'devops',
  },
  {
    name: 'chart',
    type: 'publishChart',
    chartPath: 'charts/web app',
    chart: 'web',
    version: '1.2.42',
  },
  {
    name: 'release',
    type: 'deployChart',
    release: 'web',
    chart: 'web',
    version: '1.2.42',
    cluster: 'test',
    namespace: 'web',
    // helm would create it; the plan is only applied, never run.
    createNamespace: true,
    values: { image: { tag: `it's "alpha 42"` } },
  },
];

async function core() {
  const { CoreV1Api } = await loadKubernetesClient();
  return cluster.kubeConfig.makeApiClient(CoreV1Api);
}

async function podPlan(task: Task): Promise<PodTaskPlan> {
  const plan = await builtInTaskTypeRegistry().kubernetesPlanner(task.type)!(
    planInput(task, {
      env,
      tools: testTools,
      clusters: testClusters({ test: cluster.kubeConfig }),
    }),
  );
  if (plan.kind !== 'pod') throw new Error(`${task.type} must run in a pod`);
  return plan;
}

/** The pod the executor's contract describes (tasks/types.ts), with its Secrets. */
async function createTaskPod(name: string, plan: PodTaskPlan): Promise<V1Pod> {
  const api = await core();
  const namespace = cluster.namespace;
  await api.createNamespacedSecret({
    namespace,
    body: { metadata: { name: `${name}-variables` }, stringData: env },
  });
  const volumes: V1Volume[] = [{ name: 'workspace', emptyDir: {} }];
  const mounts: V1VolumeMount[] = [
    { name: 'workspace', mountPath: '/workspace' },
  ];
  if (plan.secretFiles) {
    await api.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: `${name}-files` },
        stringData: plan.secretFiles.files,
      },
    });
    volumes.push({ name: 'files', secret: { secretName: `${name}-files` } });
    mounts.push({
      name: 'files',
      mountPath: plan.secretFiles.mountPath,
      readOnly: true,
    });
  }
  for (const [index, secret] of (plan.mountedSecrets ?? []).entries()) {
    volumes.push({
      name: `mounted-${index}`,
      secret: { secretName: secret.secretName, items: secret.items },
    });
    mounts.push({
      name: `mounted-${index}`,
      mountPath: secret.mountPath,
      readOnly: true,
    });
  }
  return api.createNamespacedPod({
    namespace,
    body: {
      metadata: { name },
      spec: {
        restartPolicy: 'Never',
        volumes,
        initContainers: [
          {
            name: 'source',
            image: testTools.images.git,
            args: [
              'clone',
              'https://git.example.com/app.git',
              WORKSPACE_SOURCE_DIR,
            ],
            volumeMounts: [{ name: 'workspace', mountPath: '/workspace' }],
          },
        ],
        containers: [
          {
            ...plan.container,
            name: 'task',
            envFrom: [{ secretRef: { name: `${name}-variables` } }],
            volumeMounts: [...(plan.container.volumeMounts ?? []), ...mounts],
          },
        ],
      },
    },
  });
}

describe('task pod plans on a real API server', () => {
  it.each(tasks.map(task => [task.type, task] as const))(
    'accepts the %s container as planned',
    async (type, task) => {
      const plan = await podPlan(task);
      const pod = await createTaskPod(type.toLowerCase(), plan);
      const [container] = pod.spec!.containers;
      expect(container.image).toBe(plan.container.image);
      expect(container.command).toEqual(plan.container.command);
      expect(container.args).toEqual(plan.container.args);
    },
    TIMEOUT_MS,
  );

  it(
    'gives deployChart a kubeconfig that reaches the target cluster on its own',
    async () => {
      const plan = await podPlan(tasks[2]);
      const { KubeConfig, CoreV1Api } = await loadKubernetesClient();
      const kc = new KubeConfig();
      kc.loadFromString(plan.secretFiles!.files.kubeconfig);
      const namespace = await kc
        .makeApiClient(CoreV1Api)
        .readNamespace({ name: cluster.namespace });
      expect(namespace.metadata?.name).toBe(cluster.namespace);
    },
    TIMEOUT_MS,
  );
});
