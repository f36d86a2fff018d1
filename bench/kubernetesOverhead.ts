/*
 * Kubernetes executor overhead, against the local control plane of scripts/k8s (a real
 * kube-apiserver and scheduler; kwok fake nodes whose pods complete at once). The same pods
 * are run (a) directly: created with @kubernetes/client-node, watched to Succeeded, their
 * logs read and the pod deleted — the raw work — and (b) as pipeline tasks through the run
 * engine and the KubernetesExecutor (queue, claim, Secrets, pod, watch, events, logs,
 * cleanup). Both sides run in one process, alternated round by round. It prints:
 *
 *   1. run request -> first pod created (goal < 100 ms), against pod create -> pod seen;
 *   2. orchestration overhead per task of a sequential 20-task pipeline (goal < 50 ms);
 *   3. throughput of 100 concurrent one-task runs, against 100 pods created at once.
 *
 *   yarn bench:kubernetes [--rounds N]
 *
 * It starts the control plane when it is not running (scripts/k8s/start-apiserver.sh) and
 * exits non-zero only when a run, task or pod did not succeed.
 */
import { ConfigReader } from '@backstage/config';
import type {
  CoreV1Api,
  KubeConfig,
  V1Pod,
  Watch,
} from '@kubernetes/client-node';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import { isFinalStatus } from '@devops-pipelines/plugin-devops-common';
import knexFactory from 'knex';
import os from 'os';
import { ClusterService } from '../plugins/devops-backend/src/clusters/ClusterService';
import { DatabaseClusterStore } from '../plugins/devops-backend/src/database/DatabaseClusterStore';
import { DatabaseLogStore } from '../plugins/devops-backend/src/database/DatabaseLogStore';
import { DatabasePipelineStore } from '../plugins/devops-backend/src/database/DatabasePipelineStore';
import { DatabaseRunStore } from '../plugins/devops-backend/src/database/DatabaseRunStore';
import { RunChanges } from '../plugins/devops-backend/src/database/RunChanges';
import type { PipelineRecord } from '../plugins/devops-backend/src/database/types';
import { applyMigrations } from '../plugins/devops-backend/src/database/migrate';
import { queueRun } from '../plugins/devops-backend/src/engine/queueRun';
import { RunEngine } from '../plugins/devops-backend/src/engine/RunEngine';
import { KubernetesExecutor } from '../plugins/devops-backend/src/executors/kubernetes/KubernetesExecutor';
import {
  TEST_POD_ANNOTATIONS,
  useTestCluster,
} from '../plugins/devops-backend/src/kubernetes/__testUtils__/testCluster';
import { loadKubernetesClient } from '../plugins/devops-backend/src/kubernetes/loadKubernetesClient';
import { SecretBox } from '../plugins/devops-backend/src/secrets/SecretBox';
import { builtInTaskTypeRegistry } from '../plugins/devops-backend/src/taskTypes/builtInTaskTypes';
import { readTaskToolSettings } from '../plugins/devops-backend/src/tasks/config';
import {
  argValue,
  fmt,
  median,
  runBenchmark,
  startBenchEngine,
  warningsOnlyLogger,
} from './benchSupport';

const SEQUENTIAL_TASKS = 20;
const CONCURRENT_RUNS = 100;
const ROUNDS = Number(argValue('--rounds') ?? process.env.BENCH_ROUNDS ?? 3);
const NAMESPACE = 'devops-bench';
const IMAGE = 'alpine:3';
const POD_TIMEOUT_MS = 60_000;
/** kwok ends the pods at once instead of after its default second of "running". */
const INSTANT = { [TEST_POD_ANNOTATIONS.runMs]: '0' };

type Kube = { kubeConfig: KubeConfig; core: CoreV1Api; watch: Watch };

// ---------------------------------------------------------------------------------------
// (a) The raw work: pods created directly, each watched until it ends.

/** Tells, from one watch on the namespace, when pods are first seen and when they end. */
class PodWatcher {
  readonly #ending = new Map<string, (pod: V1Pod) => void>();
  readonly #seeing: Array<{
    match: (name: string) => boolean;
    resolve: (at: number) => void;
  }> = [];
  #request?: { abort(): void };

  static async start(kube: Kube): Promise<PodWatcher> {
    const watcher = new PodWatcher();
    watcher.#request = await kube.watch.watch(
      `/api/v1/namespaces/${NAMESPACE}/pods`,
      {},
      (type: string, pod: V1Pod) => watcher.#onEvent(type, pod),
      error => {
        if (error && (error as Error).name !== 'AbortError') {
          console.error(`[warn] the benchmark's pod watch ended: ${error}`);
        }
      },
    );
    return watcher;
  }

  #onEvent(type: string, pod: V1Pod) {
    const name = pod.metadata?.name ?? '';
    if (type === 'ADDED') {
      const at = performance.now();
      const index = this.#seeing.findIndex(s => s.match(name));
      if (index >= 0) this.#seeing.splice(index, 1)[0].resolve(at);
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.#ending.get(name)?.(pod);
      this.#ending.delete(name);
    }
  }

  /** A pod's end; a pod that does not end in time fails the benchmark instead of hanging it. */
  ended(name: string): Promise<V1Pod> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#ending.delete(name);
        reject(
          new Error(
            `pod ${name} did not end within ${POD_TIMEOUT_MS} ms; check the control plane with scripts/k8s/start-apiserver.sh status`,
          ),
        );
      }, POD_TIMEOUT_MS);
      this.#ending.set(name, pod => {
        clearTimeout(timer);
        resolve(pod);
      });
    });
  }

  /** When the first pod whose name matches is seen (the executor names its own pods). */
  seen(match: (name: string) => boolean): Promise<number> {
    return new Promise(resolve => this.#seeing.push({ match, resolve }));
  }

  stop() {
    this.#request?.abort();
  }
}

/**
 * The same shape as the executor's task pod: an init container preparing the workspace (the
 * executor's checks out the source there), then the task. Both sides pay for two
 * containers, so the difference is orchestration.
 */
function rawPod(name: string): V1Pod {
  const workspace = { name: 'workspace', mountPath: '/workspace' };
  return {
    metadata: {
      name,
      namespace: NAMESPACE,
      annotations: INSTANT,
      labels: { bench: 'raw' },
    },
    spec: {
      restartPolicy: 'Never',
      volumes: [{ name: 'workspace', emptyDir: {} }],
      initContainers: [
        {
          name: 'source',
          image: IMAGE,
          command: ['sh', '-c', 'mkdir -p /workspace/source'],
          volumeMounts: [workspace],
        },
      ],
      containers: [
        {
          name: 'task',
          image: IMAGE,
          command: ['sh', '-c', 'echo done'],
          workingDir: '/workspace/source',
          volumeMounts: [workspace],
        },
      ],
    },
  };
}

/** One pod: create, wait for its end, read its log, delete it. */
async function rawTask(
  kube: Kube,
  watcher: PodWatcher,
  name: string,
): Promise<void> {
  const ended = watcher.ended(name);
  await kube.core.createNamespacedPod({
    namespace: NAMESPACE,
    body: rawPod(name),
  });
  const pod = await ended;
  if (pod.status?.phase !== 'Succeeded')
    throw new Error(`raw pod ${name} ${pod.status?.phase}`);
  for (const container of ['source', 'task']) {
    await kube.core.readNamespacedPodLog({
      name,
      namespace: NAMESPACE,
      container,
    });
  }
  await kube.core.deleteNamespacedPod({
    name,
    namespace: NAMESPACE,
    gracePeriodSeconds: 0,
  });
}

let rawCounter = 0;
const rawName = () => `raw-${process.pid}-${++rawCounter}`;

// ---------------------------------------------------------------------------------------
// (b) The engine: the same pods as pipeline tasks.

type Engine = {
  runs: DatabaseRunStore;
  engine: RunEngine;
  sequential: PipelineRecord;
  single: PipelineRecord;
  close(): Promise<void>;
};

function pipelineSpec(tasks: number): PipelineSpec {
  return {
    stages: [
      {
        name: 'steps',
        order: 'sequential',
        tasks: Array.from({ length: tasks }, (_, i) => ({
          name: `step-${i + 1}`,
          type: 'runScript' as const,
          image: 'alpine',
          tag: '3',
          script: 'echo done',
        })),
      },
    ],
  };
}

async function setUpEngine(kubeconfigPath: string): Promise<Engine> {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await applyMigrations(db);
  const box = new SecretBox('bench-key');
  const pipelines = new DatabasePipelineStore(db, box);
  const changes = new RunChanges(db);
  const runs = new DatabaseRunStore(db, box, changes);
  const logs = new DatabaseLogStore(db, changes);
  const config = new ConfigReader({
    devops: { kubernetes: { kubeconfig: kubeconfigPath } },
  });
  // The real clusters service, bound to the test cluster's kubeconfig context.
  const clusters = new ClusterService({
    config,
    store: new DatabaseClusterStore(db),
    pipelines,
    // Only portal-wide bindings here: no catalog needed.
    owners: async () => new Map(),
    namespacePrefix: 'devops',
    logger: warningsOnlyLogger,
  });
  const contextName = (await clusters.available())[0]?.name;
  if (!contextName) throw new Error(`no cluster in ${kubeconfigPath}`);
  const binding = await clusters.bind({
    name: contextName,
    namespace: NAMESPACE,
    createdBy: 'user:default/bench',
  });
  const executor = new KubernetesExecutor({
    target: { cluster: binding.name, namespace: binding.namespace },
    clusters,
    taskTypes: builtInTaskTypeRegistry(),
    tools: readTaskToolSettings(config),
    podRetention: 'none',
    imagePullTimeoutMs: 60_000,
    allowFileUrls: false,
    logger: warningsOnlyLogger,
    testHooks: { podAnnotations: () => INSTANT },
  });
  const engine = startBenchEngine({
    runs,
    logs,
    executor,
    concurrency: CONCURRENT_RUNS,
  });
  const create = async (name: string, tasks: number) => {
    return pipelines.create({
      document: {
        apiVersion: 'devops.backstage.io/v1',
        kind: 'Pipeline',
        metadata: { name, entityRef: 'component:default/bench' },
        spec: pipelineSpec(tasks),
      },
      secrets: {},
      createdBy: 'user:default/bench',
    });
  };
  return {
    runs,
    engine,
    sequential: await create('sequential', SEQUENTIAL_TASKS),
    single: await create('single', 1),
    async close() {
      await engine.shutdown();
      await db.destroy();
    },
  };
}

async function queue(e: Engine, pipeline: PipelineRecord) {
  const run = await queueRun(e.runs, pipeline, {
    type: 'manual',
    user: 'user:default/bench',
  });
  e.engine.notify();
  return run;
}

async function waitForRuns(e: Engine, ids: string[]): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const runs = await Promise.all(ids.map(id => e.runs.getRunOrThrow(id)));
    const unfinished = runs.filter(r => !isFinalStatus(r.status));
    if (unfinished.length === 0) {
      const failed = runs.find(r => r.status !== 'succeeded');
      if (failed)
        throw new Error(
          `run #${failed.buildId} ${failed.status}: ${failed.message}`,
        );
      return;
    }
    if (Date.now() > deadline)
      throw new Error(`${unfinished.length} runs still unfinished`);
    await new Promise(r => setTimeout(r, 5));
  }
}

// ---------------------------------------------------------------------------------------
// The three measures, each side by side.

async function firstPod(kube: Kube, watcher: PodWatcher, e: Engine) {
  const name = rawName();
  const rawSeen = watcher.seen(n => n === name);
  const rawStart = performance.now();
  await rawTask(kube, watcher, name);
  const raw = (await rawSeen) - rawStart;

  const buildId =
    (await e.runs.listRuns(e.single.id, { limit: 1 })).items[0]?.buildId ?? 0;
  const engineSeen = watcher.seen(n => n.startsWith(`devops-${buildId + 1}-`));
  const engineStart = performance.now();
  const run = await queue(e, e.single);
  const engine = (await engineSeen) - engineStart;
  await waitForRuns(e, [run.id]);
  return { raw, engine };
}

async function sequential(kube: Kube, watcher: PodWatcher, e: Engine) {
  const rawStart = performance.now();
  for (let i = 0; i < SEQUENTIAL_TASKS; i++)
    await rawTask(kube, watcher, rawName());
  const raw = performance.now() - rawStart;
  const engineStart = performance.now();
  await waitForRuns(e, [(await queue(e, e.sequential)).id]);
  const engine = performance.now() - engineStart;
  return { raw, engine };
}

async function concurrent(kube: Kube, watcher: PodWatcher, e: Engine) {
  const rawStart = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT_RUNS }, () =>
      rawTask(kube, watcher, rawName()),
    ),
  );
  const raw = performance.now() - rawStart;
  const engineStart = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < CONCURRENT_RUNS; i++)
    ids.push((await queue(e, e.single)).id);
  await waitForRuns(e, ids);
  const engine = performance.now() - engineStart;
  return { raw, engine };
}

async function main() {
  const [load1] = os.loadavg();
  console.log(
    `Node ${process.version}, ${
      os.cpus().length
    } CPUs, load average ${load1.toFixed(2)}` +
      ' (the API server, scheduler and kwok share this machine; compare the ratio, not the absolute ms)',
  );
  const { kubeconfigPath, kubeConfig } = await useTestCluster();
  const { CoreV1Api, Watch } = await loadKubernetesClient();
  const kube: Kube = {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    watch: new Watch(kubeConfig),
  };
  const e = await setUpEngine(kubeconfigPath);
  const watcher = await PodWatcher.start(kube);
  const results = {
    first: [] as Pair[],
    sequential: [] as Pair[],
    concurrent: [] as Pair[],
  };
  try {
    // Warm-up: the first requests pay for TLS sessions and discovery on both sides.
    await firstPod(kube, watcher, e);
    for (let round = 1; round <= ROUNDS; round++) {
      const first = await firstPod(kube, watcher, e);
      const seq = await sequential(kube, watcher, e);
      const conc = await concurrent(kube, watcher, e);
      results.first.push(first);
      results.sequential.push(seq);
      results.concurrent.push(conc);
      console.log(
        `  round ${round}: first pod raw ${fmt(first.raw)} ms engine ${fmt(
          first.engine,
        )} ms | ` +
          `${SEQUENTIAL_TASKS} sequential tasks raw ${fmt(
            seq.raw,
          )} ms engine ${fmt(seq.engine)} ms | ` +
          `${CONCURRENT_RUNS} concurrent raw ${fmt(conc.raw)} ms engine ${fmt(
            conc.engine,
          )} ms`,
      );
    }
  } finally {
    watcher.stop();
    await e.close();
    await kube.core
      .deleteCollectionNamespacedPod({
        namespace: NAMESPACE,
        labelSelector: 'bench=raw',
      })
      .catch(() => undefined);
  }

  const first = medianPair(results.first);
  const seq = medianPair(results.sequential);
  const conc = medianPair(results.concurrent);
  console.log(`\nMedians over ${ROUNDS} rounds`);
  console.log(
    `  run request -> first pod created: ${fmt(
      first.engine,
    )} ms (goal < 100 ms); ` +
      `a pod created directly is seen after ${fmt(first.raw)} ms`,
  );
  console.log(
    `  ${SEQUENTIAL_TASKS} sequential tasks: engine ${fmt(
      seq.engine,
    )} ms, raw ${fmt(seq.raw)} ms; ` +
      `overhead per task ${((seq.engine - seq.raw) / SEQUENTIAL_TASKS).toFixed(
        1,
      )} ms (goal < 50 ms), ` +
      `ratio ${(seq.engine / seq.raw).toFixed(2)}`,
  );
  console.log(
    `  ${CONCURRENT_RUNS} concurrent one-task runs: engine ${(
      CONCURRENT_RUNS /
      (conc.engine / 1000)
    ).toFixed(1)} runs/s, ` +
      `raw ${(CONCURRENT_RUNS / (conc.raw / 1000)).toFixed(1)} pods/s, ratio ${(
        conc.engine / conc.raw
      ).toFixed(2)}`,
  );
}

type Pair = { raw: number; engine: number };

function medianPair(pairs: Pair[]): Pair {
  return {
    raw: median(pairs.map(p => p.raw)),
    engine: median(pairs.map(p => p.engine)),
  };
}

runBenchmark(main);
