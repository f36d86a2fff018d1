import type { LogChunk, Run } from '@devops-pipelines/plugin-devops-common';
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { adminClient } from '../__testUtils__/wholeStack/demoPortal';
import { usePortalProcesses } from '../__testUtils__/wholeStack/portalProcesses';
import {
  endedRun,
  expectChunksKept,
  runLog,
  runLogShowing,
} from '../__testUtils__/wholeStack/runsOverApi';
import { runSelector, taskPodName } from '../executors/kubernetes/names';
import {
  appendPodLog,
  deleteTestNamespace,
  eventually,
  setPodLogs,
  testPodAnnotations,
  useTestCluster,
  waitForPod,
  type TestCluster,
} from '../kubernetes/__testUtils__/testCluster';
import { loadKubernetesClient } from '../kubernetes/loadKubernetesClient';
import { pipelineDocument } from '../router/__testUtils__/devopsTestBackend';

jest.setTimeout(300_000);

const JACK = 'component:default/jack-2048';
/** How long a backend's runs go unheartbeated before another takes them over. */
const STALE_AFTER_SECONDS = 3;

/** A run's task pod as the first backend created it, held running by the test. */
type HeldPod = { name: string; uid: string; logFile: string };

/*
 * A backend killed with SIGKILL while its runs' tasks run as pods on a cluster (the local
 * control plane of scripts/k8s, bound for the whole portal), and started again on the same
 * PostgreSQL database. The pods go on without it: two end while no backend runs (one
 * succeeds, one fails with an exit code), one after the new backend took its run over, and
 * each printed lines before the kill and after it. Every run must end as its pod did, which
 * only re-attaching to the pod can tell; no pod is created twice; every line is stored once,
 * the pod's events too.
 */
describe('a backend killed while its tasks run as pods, and started again', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-kubernetes-'));
  const kubeconfig = path.join(work, 'kubeconfig');
  const namespace = `crash-k8s-${process.pid}-${Date.now().toString(36)}`;
  const portals = usePortalProcesses('crash_k8s', {
    // Every run on the bound cluster: none may end up on the local executor.
    executor: { type: 'kubernetes' },
    // Pods stay after their run, so that the test can count them.
    kubernetes: { kubeconfig, podRetention: 'all' },
    engine: { staleAfterSeconds: STALE_AFTER_SECONDS },
  });
  let cluster: TestCluster;
  let core: CoreV1Api;
  /** The pods' own logs, which kwok serves and the test writes. */
  const podLogFiles: string[] = [];

  beforeAll(async () => {
    cluster = await useTestCluster();
    // The portals' configuration is made before the control plane is up: it names this copy.
    fs.copyFileSync(cluster.kubeconfigPath, kubeconfig);
    const { CoreV1Api } = await loadKubernetesClient();
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  }, 180_000);

  afterAll(async () => {
    if (cluster) await deleteTestNamespace(cluster.kubeConfig, namespace);
    for (const file of [work, ...podLogFiles]) {
      fs.rmSync(file, { recursive: true, force: true });
    }
  });

  const setAnnotations = async (pod: string, annotations: object) => {
    const { setHeaderOptions, PatchStrategy } = await loadKubernetesClient();
    return core.patchNamespacedPod(
      { name: pod, namespace, body: { metadata: { annotations } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  };

  /**
   * The pod of a run's task, held running with a log of the test's. The log is set before
   * the backend creates the pod, since it reads the task's log as soon as the source
   * container ends (from kwok's common log, were the pod's own not known by then). The fake
   * nodes end a pod a second after it runs, by the annotations it had when it started
   * running: `hang` must be set while it is still Pending (the backend sets none).
   */
  const holdPod = async (run: Run, lines: string[]): Promise<HeldPod> => {
    const name = taskPodName(run, run.stages[0].tasks[0].id, 1);
    const files = await setPodLogs(cluster.kubeConfig, namespace, name, {
      task: lines,
    });
    podLogFiles.push(files.task);
    const pod = await eventually(
      `the pod of run ${run.id}`,
      async () =>
        (
          await core.listNamespacedPod({
            namespace,
            labelSelector: runSelector(run.id),
          })
        ).items[0],
      { intervalMs: 50 },
    );
    expect(pod.metadata?.name).toBe(name);
    const held = await setAnnotations(
      name,
      testPodAnnotations({ outcome: 'hang' }),
    );
    if (held.status?.phase !== 'Pending') {
      throw new Error(
        `Pod ${name} was ${held.status?.phase} before the test could hold it; its node may end it`,
      );
    }
    return { name, uid: pod.metadata!.uid!, logFile: files.task };
  };

  const linesOf = (name: string, from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `${name} line ${from + i}`);
  const terminated = (pod: V1Pod) =>
    pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

  it('re-attaches each task to its pod: the run ends as the pod did, every line once, no pod twice', async () => {
    const crashing = await portals.start();
    let api = await adminClient(crashing);
    await api('POST', '/clusters', {
      name: cluster.kubeConfig.getCurrentContext(),
      scope: [],
      namespace,
    });

    // How each pod ends: while no backend runs, or after the new one took its run over.
    const plans = [
      {
        name: 'crash-k8s-succeeds',
        ending: { outcome: 'succeed' },
        endsWhileDown: true,
      },
      {
        name: 'crash-k8s-fails',
        ending: { outcome: 'fail', exitCode: 3 },
        endsWhileDown: true,
      },
      {
        name: 'crash-k8s-outlives',
        ending: { outcome: 'succeed' },
        endsWhileDown: false,
      },
    ] as const;
    const outlives = 2;
    const runs: Run[] = [];
    const pods: HeldPod[] = [];
    for (const { name } of plans) {
      // Nothing runs in kwok's containers: what a pod prints is what the test writes.
      const pipeline = await api(
        'POST',
        '/pipelines',
        pipelineDocument({ name, entityRef: JACK, scripts: ['make'] }),
      );
      runs.push(await api('POST', `/pipelines/${pipeline.status.id}/runs`, {}));
      pods.push(await holdPod(runs.at(-1)!, linesOf(name, 1, 3)));
    }
    const endPod = (i: number) =>
      setAnnotations(
        pods[i].name,
        testPodAnnotations({ ...plans[i].ending, runMs: 100 }),
      );

    const before: LogChunk[][] = [];
    for (const [i, { name }] of plans.entries()) {
      before.push(await runLogShowing(api, runs[i].id, `${name} line 3`));
    }

    // A line printed as the backend dies: stored by it or not, it is kept once.
    for (const [i, { name }] of plans.entries()) {
      appendPodLog(pods[i].logFile, linesOf(name, 4, 4));
    }
    await portals.kill(crashing);
    // The pods go on printing, and some end, while no backend follows them.
    for (const [i, { name, endsWhileDown }] of plans.entries()) {
      appendPodLog(pods[i].logFile, linesOf(name, 5, 6));
      if (endsWhileDown) await endPod(i);
    }
    for (const [i, { endsWhileDown }] of plans.entries()) {
      if (endsWhileDown) {
        await waitForPod(
          cluster.kubeConfig,
          namespace,
          pods[i].name,
          terminated,
        );
      }
    }

    api = await adminClient(await portals.start());
    // The last pod runs on: the lines it printed while no backend ran reach the new one,
    // which follows it to its end.
    await runLogShowing(
      api,
      runs[outlives].id,
      `${plans[outlives].name} line 6`,
    );
    appendPodLog(pods[outlives].logFile, linesOf(plans[outlives].name, 7, 7));
    await endPod(outlives);

    for (const [i, { name, ending, endsWhileDown }] of plans.entries()) {
      const run = runs[i];
      const pod = pods[i];
      const ended = await endedRun(api, run.id);
      // As its pod ended, not "interrupted" as a local task is. A failure quotes the last
      // two lines, which only the new backend read.
      const expected =
        ending.outcome === 'succeed'
          ? { status: 'succeeded', exitCode: 0 }
          : {
              status: 'failed',
              exitCode: ending.exitCode,
              message: `The task's container exited with code ${ending.exitCode}; its last output: "${name} line 5" "${name} line 6"`,
            };
      expect(ended.status).toBe(expected.status);
      expect(ended.stages[0].tasks[0]).toMatchObject(expected);

      // The pod the first backend created is the only one the run has.
      const { items } = await core.listNamespacedPod({
        namespace,
        labelSelector: runSelector(run.id),
      });
      expect(items.map(p => p.metadata?.uid)).toEqual([pod.uid]);

      const after = await runLog(api, run.id);
      expectChunksKept(before[i], after);
      // Every line the pod printed, before the kill and after it, once.
      const text = after.map(c => c.text).join('');
      const times = (what: string) => text.split(what).length - 1;
      const printed = linesOf(name, 1, endsWhileDown ? 6 : 7);
      expect(printed.map(line => [line, times(` ${line}\n`)])).toEqual(
        printed.map(line => [line, 1]),
      );
      // The pod's events the first backend copied in, listed again to the new one, once.
      const events = text
        .split('\n')
        .map(line => line.slice(line.indexOf(' ') + 1))
        .filter(line =>
          /^\[(Normal|Warning)\] \S+( \(x\d+\))? at \S+ from /.test(line),
        );
      expect(
        events.some(line => line.startsWith('[Normal] Scheduled at ')),
      ).toBe(true);
      expect(events.filter((line, at) => events.indexOf(line) !== at)).toEqual(
        [],
      );
      expect(text).toMatch(/stopped responding; engine .+ took the run over/);
      expect(times(`Created pod ${namespace}/${pod.name} `)).toBe(1);
      expect(text).toContain(
        `Pod ${namespace}/${pod.name} already exists (started before the run was taken over); following it`,
      );
    }
  });
});
