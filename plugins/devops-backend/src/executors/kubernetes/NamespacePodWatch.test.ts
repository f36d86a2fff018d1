import type { CoreV1Api, CoreV1Event, V1Pod, Watch } from '@kubernetes/client-node';
import { loadKubernetesClient } from '../../kubernetes/loadKubernetesClient';
import {
  eventually,
  testPodAnnotations,
  useTestNamespace,
} from '../../kubernetes/__testUtils__/testCluster';
import { LABELS, MANAGED_BY } from './names';
import { NamespacePodWatch, PodListener } from './NamespacePodWatch';

jest.setTimeout(60_000);

/** Against the local control plane of scripts/k8s: kwok's fake nodes run the pods. */
describe('NamespacePodWatch', () => {
  const cluster = useTestNamespace('pod-watch');
  let core: CoreV1Api;
  let watches: string[];
  let connects: number;
  let podWatch: NamespacePodWatch;
  /** While true, the pod watch loses what it is sent, as a dropped connection would. */
  let deaf: boolean;
  let openPodWatches: AbortController[];

  beforeEach(async () => {
    const { CoreV1Api: Core, Watch: WatchClass } = await loadKubernetesClient();
    core = cluster.kubeConfig.makeApiClient(Core);
    watches = [];
    connects = 0;
    deaf = false;
    openPodWatches = [];
    podWatch = new NamespacePodWatch({
      namespace: cluster.namespace,
      idleMs: 300,
      connect: async () => {
        connects += 1;
        const watch = new WatchClass(cluster.kubeConfig);
        // Counts the watch requests the API server receives.
        const counting: Pick<Watch, 'watch'> = {
          watch: async (path, query, callback, done) => {
            watches.push(path);
            const controller = await watch.watch(
              path,
              query,
              (type, object, raw) => {
                if (!(deaf && path.endsWith('/pods'))) callback(type, object, raw);
              },
              done,
            );
            if (path.endsWith('/pods')) openPodWatches.push(controller);
            return controller;
          },
        };
        return { core, watch: counting as Watch };
      },
    });
  });

  let counter = 0;
  const podName = () => {
    counter += 1;
    return `watched-${Date.now().toString(36)}-${counter}`;
  };
  const createPod = async (
    options: { name?: string; managed?: boolean; runMs?: number } = {},
  ) => {
    const name = options.name ?? podName();
    const body: V1Pod = {
      metadata: {
        name,
        labels: options.managed === false ? {} : { [LABELS.managedBy]: MANAGED_BY },
        annotations: testPodAnnotations({ outcome: 'succeed', runMs: options.runMs ?? 300 }),
      },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'task', image: 'busybox:1.36', command: ['true'] }],
      },
    };
    await core.createNamespacedPod({ namespace: cluster.namespace, body });
    return name;
  };

  /** A listener that keeps what it hears. */
  const recorder = () => {
    const heard = {
      phases: [] as string[],
      deleted: false,
      reasons: new Set<string>(),
      errors: [] as unknown[],
      pods: new Set<string>(),
    };
    const listener: PodListener = {
      onPod: (type, pod) => {
        heard.pods.add(pod.metadata!.name!);
        if (type === 'DELETED') heard.deleted = true;
        else heard.phases.push(pod.status?.phase ?? '');
      },
      onEvent: (event: CoreV1Event) => heard.reasons.add(event.reason ?? ''),
      onError: (_what, error) => heard.errors.push(error),
    };
    return { heard, listener };
  };

  const reached = (phase: string) => (heard: ReturnType<typeof recorder>['heard']) =>
    eventually(`the pod to reach ${phase}`, async () =>
      heard.phases.includes(phase) ? true : undefined,
    );
  const succeeded = reached('Succeeded');
  const running = reached('Running');

  it('follows many pods through one pod watch and one event watch', async () => {
    const names: string[] = [];
    const recorders = [];
    for (let i = 0; i < 4; i++) {
      const { heard, listener } = recorder();
      const name = podName();
      names.push(name);
      recorders.push(heard);
      podWatch.subscribe(name, listener);
    }
    // Listening first, as the executor does, so that no event comes before a listener.
    await Promise.all(names.map(name => createPod({ name })));
    await Promise.all(recorders.map(succeeded));
    recorders.forEach((heard, i) => {
      // Each listener hears of its own pod only, with its scheduling event.
      expect([...heard.pods]).toEqual([names[i]]);
      expect(heard.reasons).toContain('Scheduled');
      expect(heard.errors).toEqual([]);
    });
    expect(connects).toBe(1);
    expect(watches.sort()).toEqual([
      `/api/v1/namespaces/${cluster.namespace}/events`,
      `/api/v1/namespaces/${cluster.namespace}/pods`,
    ]);
  });

  it('replays the state and events of a pod to a listener that comes late', async () => {
    const first = recorder();
    const early = await createPod();
    podWatch.subscribe(early, first.listener);
    await succeeded(first.heard);

    // The watch runs: a second listener of the same pod hears its state and history at once.
    const late = recorder();
    podWatch.subscribe(early, late.listener);
    expect(late.heard.phases).toEqual(['Succeeded']);
    expect(late.heard.reasons).toEqual(first.heard.reasons);
  });

  it('forgets an event the API server deleted (events expire)', async () => {
    const first = recorder();
    const name = await createPod();
    podWatch.subscribe(name, first.listener);
    await succeeded(first.heard);
    expect(first.heard.reasons).toContain('Scheduled');
    const events = await core.listNamespacedEvent({
      namespace: cluster.namespace,
      fieldSelector: `involvedObject.name=${name},reason=Scheduled`,
    });
    await Promise.all(
      events.items.map(event =>
        core.deleteNamespacedEvent({ name: event.metadata!.name!, namespace: cluster.namespace }),
      ),
    );
    const lateReasons = await eventually('the event to be forgotten', async () => {
      const late = recorder();
      podWatch.subscribe(name, late.listener)();
      return late.heard.reasons.has('Scheduled') ? undefined : late.heard.reasons;
    });
    expect(lateReasons).not.toContain('Scheduled');
    expect(first.heard.reasons.size).toBeGreaterThan(lateReasons.size);
  });

  it('tells a listener that its pod was deleted', async () => {
    const { heard, listener } = recorder();
    const name = await createPod({ runMs: 60_000 });
    podWatch.subscribe(name, listener);
    await running(heard);
    await core.deleteNamespacedPod({ name, namespace: cluster.namespace, gracePeriodSeconds: 0 });
    await eventually('the deletion', async () => (heard.deleted ? true : undefined));
    expect(heard.errors).toEqual([]);
  });

  it('tells a listener of a pod deleted while the watch was down, once it lists again', async () => {
    const { heard, listener } = recorder();
    const name = await createPod({ runMs: 60_000 });
    podWatch.subscribe(name, listener);
    await running(heard);
    deaf = true;
    await core.deleteNamespacedPod({ name, namespace: cluster.namespace, gracePeriodSeconds: 0 });
    await eventually('the pod to be gone', async () =>
      (await core.listNamespacedPod({ namespace: cluster.namespace })).items.some(
        pod => pod.metadata?.name === name,
      )
        ? undefined
        : true,
    );
    expect(heard.deleted).toBe(false);
    deaf = false;
    // The connection drops: the watch lists again and finds the pod gone.
    openPodWatches.forEach(controller => controller.abort());
    await eventually('the deletion', async () => (heard.deleted ? true : undefined));
  });

  it('ignores pods DevOps did not create', async () => {
    const { heard, listener } = recorder();
    const name = await createPod({ managed: false });
    podWatch.subscribe(name, listener);
    const managed = recorder();
    podWatch.subscribe(await createPod(), managed.listener);
    await succeeded(managed.heard);
    expect(heard.phases).toEqual([]);
  });

  it('closes its watches once nobody listens, and opens them again for the next listener', async () => {
    const first = recorder();
    const unsubscribe = podWatch.subscribe(await createPod(), first.listener);
    await succeeded(first.heard);
    unsubscribe();
    unsubscribe();
    await new Promise(resolve => setTimeout(resolve, 600));

    const second = recorder();
    podWatch.subscribe(await createPod(), second.listener);
    await succeeded(second.heard);
    expect(connects).toBe(2);
    expect(watches).toHaveLength(4);
  });

  // Tests leave their listeners: no watch request outlives its test.
  afterEach(() => podWatch.close());
});
