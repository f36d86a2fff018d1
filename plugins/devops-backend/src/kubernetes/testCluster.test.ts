/**
 * Proves the local test control plane (scripts/k8s) against its real API server: the real
 * scheduler binds pods to kwok's fake nodes, kwok plays their lifecycle as the pod
 * annotations ask, the real controller manager deletes namespaces, and pod logs come
 * through the API server from kwok's kubelet endpoint.
 */
import { PassThrough } from 'node:stream';
import type { V1Pod } from '@kubernetes/client-node';
import { loadKubernetesClient } from './loadKubernetesClient';
import {
  TestPodOutcome,
  appendPodLog,
  createTestNamespace,
  eventually,
  listPodEvents,
  setPodLogs,
  testPodAnnotations,
  useTestNamespace,
  waitForPod,
  waitForPodCondition,
} from './__testUtils__/testCluster';

const cluster = useTestNamespace('test-cluster');
const TEST_TIMEOUT_MS = 60_000;
/** The line every fake container logs (scripts/k8s/start-apiserver.sh, write_kwok_logs). */
const LOG_LINE = 'kwok: simulated step output line 1';

async function core() {
  const { CoreV1Api } = await loadKubernetesClient();
  return cluster.kubeConfig.makeApiClient(CoreV1Api);
}

async function createPod(
  name: string,
  options: {
    outcome?: TestPodOutcome;
    exitCode?: number;
    runMs?: number;
    initContainers?: boolean;
    spec?: Partial<V1Pod['spec']>;
    namespace?: string;
  } = {},
): Promise<V1Pod> {
  const api = await core();
  return api.createNamespacedPod({
    namespace: options.namespace ?? cluster.namespace,
    body: {
      metadata: { name, annotations: testPodAnnotations(options) },
      spec: {
        restartPolicy: 'Never',
        initContainers: options.initContainers
          ? [{ name: 'prepare', image: 'busybox:1.36', command: ['true'] }]
          : undefined,
        containers: [
          { name: 'step', image: 'alpine:3.20', command: ['sh', '-c', 'echo step'] },
          { name: 'sidecar', image: 'alpine:3.20', command: ['sleep', '1'] },
        ],
        ...options.spec,
      },
    },
  });
}

const phaseIs = (phase: string) => (pod: V1Pod) => pod.status?.phase === phase;

/** Follows a container's log through the API server (follow=true), as a log viewer would. */
async function followLog(pod: string, container: string) {
  const { Log } = await loadKubernetesClient();
  const stream = new PassThrough();
  let received = '';
  const waiters: Array<() => void> = [];
  stream.on('data', chunk => {
    received += chunk.toString();
    waiters.forEach(w => w());
  });
  const request = await new Log(cluster.kubeConfig).log(cluster.namespace, pod, container, stream, {
    follow: true,
  });
  return {
    received: () => received,
    abort: () => request.abort(),
    until: (text: string, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`log never showed "${text}"; got: ${received}`)), timeoutMs);
        const check = () => {
          if (received.includes(text)) {
            clearTimeout(timer);
            resolve();
          }
        };
        waiters.push(check);
        check();
      }),
  };
}

describe('local Kubernetes test cluster', () => {
  it(
    'schedules a pod on a fake node and runs it to Succeeded, init containers first',
    async () => {
      await createPod('ok', { initContainers: true });
      const pod = await waitForPod(cluster.kubeConfig, cluster.namespace, 'ok', phaseIs('Succeeded'));

      expect(pod.spec?.nodeName).toMatch(/^kwok-node-\d$/);
      const conditions = Object.fromEntries((pod.status?.conditions ?? []).map(c => [c.type, c.status]));
      expect(conditions).toMatchObject({ PodScheduled: 'True', Initialized: 'True', Ready: 'False' });

      const [init] = pod.status?.initContainerStatuses ?? [];
      expect(init.name).toBe('prepare');
      expect(init.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      const initDone = new Date(init.state!.terminated!.finishedAt!).getTime();

      const containers = pod.status?.containerStatuses ?? [];
      expect(containers.map(c => c.name).sort()).toEqual(['sidecar', 'step']);
      for (const c of containers) {
        expect(c.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
        expect(new Date(c.state!.terminated!.startedAt!).getTime()).toBeGreaterThanOrEqual(initDone);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'lists the kubelet-like events of a pod: Scheduled, Pulling, Pulled, Created, Started',
    async () => {
      await createPod('events');
      await waitForPod(cluster.kubeConfig, cluster.namespace, 'events', phaseIs('Succeeded'));
      // Events are written asynchronously by their reporters.
      const reasons = await eventually(
        'all events of pod events',
        async () => {
          const found = (await listPodEvents(cluster.kubeConfig, cluster.namespace, 'events')).map(e => e.reason);
          return ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'].every(r => found.includes(r))
            ? found
            : undefined;
        },
        { timeoutMs: 10_000 },
      );
      expect(reasons).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']));
      const events = await listPodEvents(cluster.kubeConfig, cluster.namespace, 'events');
      const scheduled = events.find(e => e.reason === 'Scheduled');
      expect(scheduled?.message).toMatch(/^Successfully assigned .*\/events to kwok-node-\d$/);
      expect(events.find(e => e.reason === 'Pulled')?.source?.component).toBe('kwok_controller');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails a pod with the exit code from its annotation, or 1',
    async () => {
      await createPod('fail-3', { outcome: 'fail', exitCode: 3 });
      await createPod('fail-default', { outcome: 'fail' });
      const failed3 = await waitForPod(cluster.kubeConfig, cluster.namespace, 'fail-3', phaseIs('Failed'));
      const failed1 = await waitForPod(cluster.kubeConfig, cluster.namespace, 'fail-default', phaseIs('Failed'));
      for (const c of failed3.status?.containerStatuses ?? []) {
        expect(c.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
      }
      expect(failed1.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'OOM-kills a pod',
    async () => {
      await createPod('oom', { outcome: 'oom' });
      const pod = await waitForPod(cluster.kubeConfig, cluster.namespace, 'oom', phaseIs('Failed'));
      expect(pod.status?.containerStatuses?.[0].state?.terminated).toMatchObject({
        exitCode: 137,
        reason: 'OOMKilled',
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps a pod whose image cannot be pulled Pending in ImagePullBackOff, with events',
    async () => {
      await createPod('pull', { outcome: 'image-pull-error', initContainers: true });
      const pod = await waitForPod(cluster.kubeConfig, cluster.namespace, 'pull', p =>
        (p.status?.containerStatuses ?? []).some(c => c.state?.waiting?.reason === 'ImagePullBackOff'),
      );
      expect(pod.status?.phase).toBe('Pending');
      const waiting = pod.status?.containerStatuses?.[0].state?.waiting;
      expect(waiting?.message).toBe('Back-off pulling image "alpine:3.20"');
      const events = await eventually('pull failure events', async () => {
        const found = await listPodEvents(cluster.kubeConfig, cluster.namespace, 'pull');
        return found.some(e => e.reason === 'BackOff') ? found : undefined;
      });
      expect(events.find(e => e.reason === 'Failed')).toMatchObject({
        type: 'Warning',
        message: expect.stringContaining('ErrImagePull'),
      });
      // It stays there: nothing moves it on.
      await new Promise(resolve => setTimeout(resolve, 1500));
      const later = await (await core()).readNamespacedPod({ name: 'pull', namespace: cluster.namespace });
      expect(later.status?.phase).toBe('Pending');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps a hanging pod Running until it is deleted, then removes it',
    async () => {
      await createPod('hang', { outcome: 'hang', runMs: 200 });
      await waitForPod(cluster.kubeConfig, cluster.namespace, 'hang', phaseIs('Running'));
      await new Promise(resolve => setTimeout(resolve, 2000));
      const api = await core();
      const still = await api.readNamespacedPod({ name: 'hang', namespace: cluster.namespace });
      expect(still.status?.phase).toBe('Running');
      expect(still.status?.containerStatuses?.[0].state?.running).toBeDefined();

      // An ordinary (graceful) delete: kwok removes the pod once it has a deletionTimestamp.
      await api.deleteNamespacedPod({ name: 'hang', namespace: cluster.namespace });
      await eventually('pod hang to be gone', async () => {
        try {
          await api.readNamespacedPod({ name: 'hang', namespace: cluster.namespace });
          return undefined;
        } catch (error) {
          if ((error as { code?: number }).code === 404) return true;
          throw error;
        }
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'delays completion by devops.test/run-ms',
    async () => {
      await createPod('slow', { runMs: 3000 });
      await waitForPod(cluster.kubeConfig, cluster.namespace, 'slow', phaseIs('Running'));
      const runningSince = Date.now();
      await waitForPod(cluster.kubeConfig, cluster.namespace, 'slow', phaseIs('Succeeded'));
      expect(Date.now() - runningSince).toBeGreaterThanOrEqual(2500);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'leaves a pod no node fits unscheduled, with FailedScheduling from the scheduler',
    async () => {
      await createPod('nowhere', { spec: { nodeSelector: { 'devops.test/no-such-label': 'x' } } });
      await createPod('too-big', {
        spec: {
          containers: [{ name: 'step', image: 'alpine:3.20', resources: { requests: { cpu: '64' } } }],
        },
      });
      for (const [name, why] of [
        ['nowhere', /didn't match Pod's node affinity\/selector/],
        ['too-big', /Insufficient cpu/],
      ] as const) {
        const pod = await waitForPodCondition(cluster.kubeConfig, cluster.namespace, name, {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
        });
        expect(pod.spec?.nodeName).toBeUndefined();
        expect(pod.status?.phase).toBe('Pending');
        const event = await eventually(`FailedScheduling for ${name}`, async () =>
          (await listPodEvents(cluster.kubeConfig, cluster.namespace, name)).find(
            e => e.reason === 'FailedScheduling',
          ),
        );
        expect(event.type).toBe('Warning');
        expect(event.message).toMatch(why);
        expect(event.reportingComponent || event.source?.component).toBe('default-scheduler');
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'serves pod logs through the API server, also when following',
    async () => {
      await createPod('logs', { outcome: 'hang', initContainers: true });
      await waitForPod(cluster.kubeConfig, cluster.namespace, 'logs', phaseIs('Running'));
      const api = await core();
      const text = await api.readNamespacedPodLog({ name: 'logs', namespace: cluster.namespace, container: 'step' });
      expect(text).toContain(LOG_LINE);
      const init = await api.readNamespacedPodLog({
        name: 'logs',
        namespace: cluster.namespace,
        container: 'prepare',
        tailLines: 1,
        timestamps: true,
      });
      expect(init).toMatch(/^2026-01-01T00:00:00\.3\d*Z kwok: container finished\n$/);

      // Following never ends on its own (kwok cannot tell that a container stopped), so
      // read until the known line arrives and abort.
      const follower = await followLog('logs', 'sidecar');
      try {
        await follower.until(LOG_LINE);
      } finally {
        follower.abort();
      }
      expect(follower.received()).toContain('kwok: container started');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'serves the log lines a test gives a pod, and streams lines appended while following',
    async () => {
      await createPod('own-logs', { outcome: 'hang' });
      const files = await setPodLogs(cluster.kubeConfig, cluster.namespace, 'own-logs', {
        step: ['hello from step', 'second line'],
      });
      await waitForPod(cluster.kubeConfig, cluster.namespace, 'own-logs', phaseIs('Running'));
      const api = await core();
      const read = (container: string) =>
        api.readNamespacedPodLog({ name: 'own-logs', namespace: cluster.namespace, container });
      // kwok picks the Logs object up from a watch, so it may take a moment.
      const text = await eventually('the log set for container step', async () => {
        const log = await read('step');
        return log.includes('hello from step') ? log : undefined;
      });
      expect(text).toBe('hello from step\nsecond line\n');
      expect(await read('sidecar')).toContain(LOG_LINE);

      const follower = await followLog('own-logs', 'step');
      try {
        await follower.until('second line');
        expect(follower.received()).not.toContain('appended later');
        appendPodLog(files.step, ['appended later']);
        await follower.until('appended later');
      } finally {
        follower.abort();
      }
      expect(follower.received()).toBe('hello from step\nsecond line\nappended later\n');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'deletes a namespace with a running pod completely',
    async () => {
      const namespace = await createTestNamespace(cluster.kubeConfig, 'test-cluster-delete');
      await createPod('runner', { outcome: 'hang', namespace });
      await waitForPod(cluster.kubeConfig, namespace, 'runner', phaseIs('Running'));
      const api = await core();
      // A plain delete: kube-controller-manager's namespace controller must empty it (the
      // pod is deleted gracefully and removed by kwok) before the namespace goes.
      await api.deleteNamespace({ name: namespace });
      await eventually(
        `namespace ${namespace} to be gone`,
        async () => {
          try {
            await api.readNamespace({ name: namespace });
            return undefined;
          } catch (error) {
            if ((error as { code?: number }).code === 404) return true;
            throw error;
          }
        },
        { timeoutMs: 50_000, intervalMs: 500 },
      );
      await expect(api.readNamespace({ name: namespace })).rejects.toMatchObject({ code: 404 });
    },
    TEST_TIMEOUT_MS,
  );
});
