/**
 * Jest helpers for tests against the local Kubernetes control plane of scripts/k8s
 * (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, and kwok playing the
 * kubelet for fake nodes). See scripts/k8s/README.md for what the fake nodes do with pods.
 *
 *   const cluster = useTestNamespace('my-feature');   // in the describe/file scope
 *   it('...', async () => { cluster.kubeConfig; cluster.namespace; });
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CoreV1Event, KubeConfig, V1Pod } from '@kubernetes/client-node';
import { loadKubernetesClient } from '../loadKubernetesClient';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');
const CLUSTER_SCRIPT = path.join(REPO_ROOT, 'scripts/k8s/start-apiserver.sh');
const BUILD_SCRIPT = 'scripts/k8s/build-binaries.sh';
const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];
/** A cold start takes ~10 s on the 2-core dev machine; leave room for a busy machine. */
const START_TIMEOUT_MS = 180_000;

/** Pod annotations the fake nodes obey (scripts/k8s/kwok/pod-stages.yaml). */
export const TEST_POD_ANNOTATIONS = {
  outcome: 'devops.test/outcome',
  exitCode: 'devops.test/exit-code',
  runMs: 'devops.test/run-ms',
} as const;

export type TestPodOutcome = 'succeed' | 'fail' | 'oom' | 'image-pull-error' | 'hang';

/** The annotations that make a pod on a fake node end the given way. */
export function testPodAnnotations(options: {
  outcome?: TestPodOutcome;
  exitCode?: number;
  runMs?: number;
}): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (options.outcome) annotations[TEST_POD_ANNOTATIONS.outcome] = options.outcome;
  if (options.exitCode !== undefined) annotations[TEST_POD_ANNOTATIONS.exitCode] = String(options.exitCode);
  if (options.runMs !== undefined) annotations[TEST_POD_ANNOTATIONS.runMs] = String(options.runMs);
  return annotations;
}

export type TestCluster = { kubeconfigPath: string; kubeConfig: KubeConfig };

function k8sCacheDir(): string {
  return path.join(process.env.DEVOPS_CACHE_DIR || path.join(os.homedir(), '.cache/devops-pipelines'), 'k8s');
}

function binDir(): string {
  return path.join(k8sCacheDir(), 'bin');
}

async function runClusterScript(command: 'start' | 'kubeconfig'): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(CLUSTER_SCRIPT, [command], {
      cwd: REPO_ROOT,
      timeout: START_TIMEOUT_MS,
      encoding: 'utf8',
    });
    return stdout.trim();
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(
      `scripts/k8s/start-apiserver.sh ${command} failed: ${(e.stderr || e.message).trim()}`,
    );
  }
}

let started: Promise<TestCluster> | undefined;

/**
 * Makes sure the local control plane runs (starting it if needed; start is idempotent, so
 * test files that run in parallel may all call this) and returns a client configuration
 * for it, acting as a cluster admin. Call it from a `beforeAll` with a timeout of a minute
 * or more. Fails with instructions when the binaries have not been built.
 */
export function useTestCluster(): Promise<TestCluster> {
  started ??= (async () => {
    const missing = BINARIES.filter(b => !fs.existsSync(path.join(binDir(), b)));
    if (missing.length > 0) {
      throw new Error(
        `Kubernetes test binaries missing from ${binDir()}: ${missing.join(', ')}. ` +
          `Build them once with ${BUILD_SCRIPT} (about 10 minutes on a fresh machine).`,
      );
    }
    await runClusterScript('start');
    const kubeconfigPath = await runClusterScript('kubeconfig');
    const { KubeConfig } = await loadKubernetesClient();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);
    return { kubeconfigPath, kubeConfig };
  })();
  // A failed start is not cached, so the next test file tries again.
  started.catch(() => {
    started = undefined;
  });
  return started;
}

function statusCode(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; describeLast?: () => string } = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 200 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const last = options.describeLast?.();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last seen: ${last}` : ''}`);
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/**
 * Creates a namespace with a unique name and waits until pods can be created in it (the
 * service account controller must first create its `default` service account).
 */
export async function createTestNamespace(kubeConfig: KubeConfig, prefix = 'test'): Promise<string> {
  const { CoreV1Api } = await loadKubernetesClient();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const base = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40);
  const name = `${base}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await core.createNamespace({
    body: { metadata: { name, labels: { 'devops.test/throwaway': 'true' } } },
  });
  await eventually(`service account default in namespace ${name}`, async () => {
    try {
      return await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw error;
    }
  });
  return name;
}

/**
 * Deletes a namespace. Its pods are removed first without a grace period, which spares the
 * namespace controller its wait for their termination. With `wait`, resolves once the
 * namespace is gone (about 5 s: kube-controller-manager must empty it first).
 */
export async function deleteTestNamespace(
  kubeConfig: KubeConfig,
  namespace: string,
  options: { wait?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  const { CoreV1Api } = await loadKubernetesClient();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  try {
    await core.deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 });
    await core.deleteNamespace({ name: namespace });
  } catch (error) {
    if (statusCode(error) === 404) return;
    throw error;
  }
  if (!options.wait) return;
  await eventually(
    `namespace ${namespace} to be deleted`,
    async () => {
      try {
        await core.readNamespace({ name: namespace });
        return undefined;
      } catch (error) {
        if (statusCode(error) === 404) return true;
        throw error;
      }
    },
    { timeoutMs: options.timeoutMs ?? 60_000 },
  );
}

export type TestNamespace = TestCluster & { namespace: string };

/**
 * For a test file: starts the control plane and creates a throwaway namespace in
 * `beforeAll`, deletes the namespace in `afterAll`. The returned object is filled in by
 * `beforeAll`; reading it earlier throws.
 */
export function useTestNamespace(prefix = 'test', options: { startTimeoutMs?: number } = {}): TestNamespace {
  let current: TestNamespace | undefined;
  beforeAll(async () => {
    const cluster = await useTestCluster();
    const namespace = await createTestNamespace(cluster.kubeConfig, prefix);
    current = { ...cluster, namespace };
  }, options.startTimeoutMs ?? START_TIMEOUT_MS);
  afterAll(async () => {
    if (current) await deleteTestNamespace(current.kubeConfig, current.namespace);
  }, 30_000);
  const get = <K extends keyof TestNamespace>(key: K): TestNamespace[K] => {
    if (!current) throw new Error('useTestNamespace: the test namespace exists only once beforeAll has run');
    return current[key];
  };
  return {
    get kubeconfigPath() {
      return get('kubeconfigPath');
    },
    get kubeConfig() {
      return get('kubeConfig');
    },
    get namespace() {
      return get('namespace');
    },
  };
}

/** One line per pod for timeout messages: phase, conditions and container states. */
export function describePod(pod: V1Pod | undefined): string {
  if (!pod) return 'no pod';
  const conditions = (pod.status?.conditions ?? [])
    .map(c => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ''}`)
    .join(',');
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const containers = statuses
    .map(({ name, state }) => {
      if (state?.waiting) return `${name}:waiting(${state.waiting.reason})`;
      if (state?.terminated) return `${name}:terminated(${state.terminated.reason},${state.terminated.exitCode})`;
      return `${name}:${state?.running ? 'running' : '?'}`;
    })
    .join(' ');
  return `phase=${pod.status?.phase} node=${pod.spec?.nodeName ?? '-'} [${conditions}] ${containers}`;
}

/**
 * Polls a pod until `predicate` holds and returns it; on timeout the error tells the pod's
 * last state. E.g. `waitForPod(kc, ns, 'p', p => p.status?.phase === 'Succeeded')`.
 */
export async function waitForPod(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  predicate: (pod: V1Pod) => boolean,
  options: { timeoutMs?: number; description?: string } = {},
): Promise<V1Pod> {
  const { CoreV1Api } = await loadKubernetesClient();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  let last: V1Pod | undefined;
  return eventually(
    `pod ${namespace}/${name}: ${options.description ?? predicate.toString()}`,
    async () => {
      last = await core.readNamespacedPod({ name, namespace });
      return predicate(last) ? last : undefined;
    },
    { timeoutMs: options.timeoutMs, describeLast: () => describePod(last) },
  );
}

/** Waits until the pod has condition `type` with `status` (and `reason`, if given). */
export function waitForPodCondition(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  condition: { type: string; status: 'True' | 'False' | 'Unknown'; reason?: string },
  options: { timeoutMs?: number } = {},
): Promise<V1Pod> {
  return waitForPod(
    kubeConfig,
    namespace,
    name,
    pod =>
      (pod.status?.conditions ?? []).some(
        c =>
          c.type === condition.type &&
          c.status === condition.status &&
          (condition.reason === undefined || c.reason === condition.reason),
      ),
    {
      ...options,
      description: `condition ${condition.type}=${condition.status}${condition.reason ? ` reason ${condition.reason}` : ''}`,
    },
  );
}

/** Events about a pod, oldest first. */
export async function listPodEvents(kubeConfig: KubeConfig, namespace: string, name: string): Promise<CoreV1Event[]> {
  const { CoreV1Api } = await loadKubernetesClient();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const list = await core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name}`,
  });
  const time = (e: CoreV1Event) =>
    new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? 0).getTime();
  return list.items.sort((a, b) => time(a) - time(b));
}

/** Lines in the CRI log format kwok reads: `<RFC3339 time> stdout F <text>`. */
function criLines(lines: string[]): string {
  return lines.map(line => `${new Date().toISOString()} stdout F ${line}\n`).join('');
}

/**
 * Gives a pod's containers their own log content, served by the API server's `pods/log`
 * (kwok reads the files when asked, so they can be set before or after the pod starts, and
 * appended to while someone follows them). Containers not listed keep the common log.
 * Works because the tests and kwok share this machine. Returns each container's file.
 * It takes kwok a moment to see the `Logs` object: poll the log until it shows.
 */
export async function setPodLogs(
  kubeConfig: KubeConfig,
  namespace: string,
  podName: string,
  logs: Record<string, string[]>,
): Promise<Record<string, string>> {
  const dir = path.join(k8sCacheDir(), 'run/kwok/pods');
  fs.mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  for (const [container, lines] of Object.entries(logs)) {
    files[container] = path.join(dir, `${namespace}_${podName}_${container}.log`);
    fs.writeFileSync(files[container], criLines(lines));
  }
  const { CustomObjectsApi } = await loadKubernetesClient();
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  await custom.createNamespacedCustomObject({
    group: 'kwok.x-k8s.io',
    version: 'v1alpha1',
    plural: 'logs',
    namespace,
    body: {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Logs',
      metadata: { name: podName, namespace },
      spec: {
        logs: [
          ...Object.entries(files).map(([container, logsFile]) => ({ containers: [container], logsFile })),
          // The fallback for the other containers (start-apiserver.sh, write_kwok_logs).
          { logsFile: path.join(k8sCacheDir(), 'run/kwok/container.log') },
        ],
      },
    },
  });
  return files;
}

/** Appends lines to a log file from setPodLogs; a follower sees them within ~1 s. */
export function appendPodLog(file: string, lines: string[]): void {
  fs.appendFileSync(file, criLines(lines));
}
