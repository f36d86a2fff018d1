import { randomUUID } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { RunScriptTask, Task } from '@devops-pipelines/plugin-devops-common';
import type { ClusterDirectory, ClusterHealthState } from '../../clusters/types';
import { loadKubernetesClient } from '../../kubernetes/loadKubernetesClient';
import {
  TestPodOutcome,
  eventually,
  appendPodLog,
  setPodLogs,
  testPodAnnotations,
  useTestNamespace,
  waitForPod,
} from '../../kubernetes/__testUtils__/testCluster';
import { builtInTaskTypeRegistry } from '../../taskTypes/builtInTaskTypes';
import { TestRepository } from '../../scm/__testUtils__/TestRepository';
import { RecordingLog } from '../../tasks/__testUtils__/recordingLog';
import { testTools } from '../../tasks/__testUtils__/planInput';
import type { SourceCredentialsLookup } from '../../scm/gitCredentials';
import { RunAbandoned, RunContext, TaskContext } from '../types';
import type { PodRetention } from './config';
import { KubernetesExecutor } from './KubernetesExecutor';
import { oomOverLimit } from './podState';
import type { TaskResourceSettings } from './taskResources';
import { runSelector, runSourceSecretName, taskPodName } from './names';
import { TASK_RUNNER_SERVICE_ACCOUNT, provisionNamespace } from '../../clusters/provisionNamespace';

jest.setTimeout(60_000);

const LOCAL = 'local';
const CLOSED_PORT = 'closed-port';
const WRONG_TOKEN = 'wrong-token';

/**
 * A ClusterDirectory over the test control plane (a fake of the clusters service, which
 * needs a database and the catalog): the real cluster, one on a port nothing listens
 * on, and the real one with a token it refuses. Problems reported are recorded.
 */
class TestClusterDirectory implements ClusterDirectory {
  readonly problems: Array<{ cluster: string; health: ClusterHealthState; message: string }> = [];

  constructor(private readonly real: () => KubeConfig) {}

  async bindingForPipeline(): Promise<undefined> {
    return undefined;
  }

  async hasBindings() {
    return true;
  }

  async kubeConfig(name: string): Promise<KubeConfig> {
    const { KubeConfig } = await loadKubernetesClient();
    const real = this.real();
    if (name === LOCAL) return real;
    const server = real.getCurrentCluster()!;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        name === CLOSED_PORT
          ? { name, server: 'https://127.0.0.1:1', skipTLSVerify: true }
          : { name, server: server.server, caData: server.caData, skipTLSVerify: false },
      ],
      users: [{ name: 'devops', token: 'not-a-valid-token' }],
      contexts: [{ name, cluster: name, user: 'devops' }],
      currentContext: name,
    });
    return kc;
  }

  async reportProblem(cluster: string, health: ClusterHealthState, message: string) {
    this.problems.push({ cluster, health, message });
  }
}

describe('KubernetesExecutor on a real API server with kwok nodes', () => {
  const cluster = useTestNamespace('executor');
  let core: CoreV1Api;
  const directory = new TestClusterDirectory(() => cluster.kubeConfig);
  let buildId = 0;

  beforeAll(async () => {
    const { CoreV1Api } = await loadKubernetesClient();
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    // What binding the cluster does: the task runner's account the pods run as.
    await provisionNamespace(cluster.kubeConfig, cluster.namespace);
  });

  type TestTask = {
    outcome?: TestPodOutcome;
    exitCode?: number;
    runMs?: number;
    nodeSelector?: Record<string, string>;
  };

  const executor = (
    options: {
      target?: string;
      namespace?: string;
      podRetention?: PodRetention;
      tasks?: Record<string, TestTask>;
      sourceCredentials?: SourceCredentialsLookup;
      taskResources?: TaskResourceSettings;
    } = {},
  ) =>
    new KubernetesExecutor({
      target: { cluster: options.target ?? LOCAL, namespace: options.namespace ?? cluster.namespace },
      clusters: directory,
      taskTypes: builtInTaskTypeRegistry(),
      tools: testTools,
      podRetention: options.podRetention ?? 'none',
      imagePullTimeoutMs: 2000,
      allowFileUrls: true,
      requestTimeoutMs: 5000,
      sourceCredentials: options.sourceCredentials,
      taskResources: options.taskResources,
      testHooks: {
        podAnnotations: ctx => testPodAnnotations(options.tasks?.[ctx.task.name] ?? {}),
        nodeSelector: ctx => options.tasks?.[ctx.task.name]?.nodeSelector,
      },
    });

  const newRun = (): RunContext => {
    buildId += 1;
    return { runId: randomUUID(), pipelineId: randomUUID(), pipelineName: 'demo', buildId };
  };

  const script = (name: string, extra: Partial<RunScriptTask> = {}): RunScriptTask => ({
    name,
    type: 'runScript',
    image: 'alpine',
    tag: '3.20',
    script: 'echo hello',
    ...extra,
  });

  const context = (run: RunContext, task: Task, signal = new AbortController().signal) => {
    const log = new RecordingLog();
    const waits: string[] = [];
    let resumed = 0;
    const ctx: TaskContext = {
      run,
      taskRunId: randomUUID(),
      attempt: 1,
      task,
      env: { BUILD_ID: String(run.buildId), TOKEN: 'very-secret-token' },
      log,
      signal,
      waiting: reason => waits.push(reason),
      resumed: () => {
        resumed += 1;
      },
    };
    return { ctx, log, waits, resumedCount: () => resumed };
  };

  const podOf = (ctx: TaskContext) => taskPodName(ctx.run, ctx.taskRunId, ctx.attempt);

  const podExists = async (name: string) =>
    core.readNamespacedPod({ name, namespace: cluster.namespace }).then(
      () => true,
      (error: { code?: number }) => {
        if (error.code === 404) return false;
        throw error;
      },
    );

  const waitUntilRunning = async (ctx: TaskContext) => {
    await eventually('the pod to be created', async () => ((await podExists(podOf(ctx))) ? true : undefined));
    return waitForPod(cluster.kubeConfig, cluster.namespace, podOf(ctx), p => p.status?.phase === 'Running');
  };

  it('runs a task as a pod the API server accepts and follows it to success', async () => {
    const exec = executor();
    const run = newRun();
    await exec.prepareRun(run, new RecordingLog());
    const { ctx, log } = context(run, script('build', { env: [{ name: 'MODE', value: 'release' }] }));
    const name = podOf(ctx);
    await setPodLogs(cluster.kubeConfig, cluster.namespace, name, {
      source: ['Checked out abc'],
      task: ['compiling', 'done'],
    });

    const result = await exec.execute(ctx);

    expect(result).toEqual({ status: 'succeeded', exitCode: 0, outputs: {} });
    const pod = await core.readNamespacedPod({ name, namespace: cluster.namespace });
    expect(pod.spec?.restartPolicy).toBe('Never');
    expect(pod.spec?.serviceAccountName).toBe(TASK_RUNNER_SERVICE_ACCOUNT);
    expect(pod.spec?.automountServiceAccountToken).toBe(false);
    expect(pod.metadata?.labels).toMatchObject({
      'devops.backstage.io/pipeline': run.pipelineId,
      'devops.backstage.io/run': run.runId,
      'devops.backstage.io/task-run': ctx.taskRunId,
    });
    expect(pod.spec?.initContainers?.map(c => c.name)).toEqual(['source']);
    const task = pod.spec!.containers[0];
    expect(task.image).toBe('alpine:3.20');
    expect(task.command).toEqual(['sh', '-e', '-c', 'echo hello']);
    expect(task.env).toEqual([{ name: 'DEVOPS_OUTPUT', value: '/dev/termination-log' }]);
    expect(task.terminationMessagePath).toBe('/dev/termination-log');
    // Variables, secret or not, reach the container through its Secret only.
    expect(JSON.stringify(pod.spec)).not.toContain('very-secret-token');
    expect(JSON.stringify(pod.spec)).not.toContain('release');

    expect(log.lines).toEqual(['Checked out abc', 'compiling', 'done']);
    const platform = log.platformLines.join('\n');
    expect(platform).toMatch(/\[Normal\] Created pod /);
    expect(platform).toMatch(/\[Normal\] Scheduled at \S+ from default-scheduler: Successfully assigned/);
    expect(platform).toMatch(/\[Normal\] Pulled at /);
    expect(platform).toMatch(/\[Normal\] Started at /);
    // The task's Secret is gone once the task ended.
    await expect(
      core.readNamespacedSecret({ name: `${name}-env`, namespace: cluster.namespace }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it("gives a private source's credentials to the source init container through the run's Secret only", async () => {
    const token = 'gho_private-source-token';
    const sourceCredentials = jest.fn(async () => ({ username: 'x-access-token', password: token }));
    const exec = executor({ sourceCredentials });
    const run: RunContext = {
      ...newRun(),
      source: {
        provider: 'github',
        repository: 'https://github.com/acme/private.git',
        branch: 'main',
        accountId: 'account-1',
        commit: 'c'.repeat(40),
      },
    };
    await exec.prepareRun(run, new RecordingLog());
    const { ctx } = context(run, script('build'));
    await setPodLogs(cluster.kubeConfig, cluster.namespace, podOf(ctx), { source: ['Checked out'], task: ['ok'] });

    expect(await exec.execute(ctx)).toMatchObject({ status: 'succeeded' });

    expect(sourceCredentials).toHaveBeenCalledWith(run.source);
    const secret = await core.readNamespacedSecret({
      name: runSourceSecretName(run.runId),
      namespace: cluster.namespace,
    });
    const data = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
    );
    expect(data).toMatchObject({ GIT_USERNAME: 'x-access-token', GIT_PASSWORD: token });
    const pod = await core.readNamespacedPod({ name: podOf(ctx), namespace: cluster.namespace });
    expect(pod.spec?.initContainers?.[0].envFrom).toEqual([
      { secretRef: { name: runSourceSecretName(run.runId) } },
    ]);
    expect(JSON.stringify(pod)).not.toContain(token);
  });

  it('fails with the exit code of a failing container', async () => {
    const exec = executor({ tasks: { test: { outcome: 'fail', exitCode: 3, runMs: 200 } } });
    const run = newRun();
    await exec.prepareRun(run, new RecordingLog());
    const { ctx } = context(run, script('test'));
    expect(await exec.execute(ctx)).toMatchObject({
      status: 'failed',
      exitCode: 3,
      message: "The task's container exited with code 3",
    });
  });

  it('says what to do when the container is OOMKilled', async () => {
    const exec = executor({ tasks: { big: { outcome: 'oom', runMs: 200 } } });
    const run = newRun();
    await exec.prepareRun(run, new RecordingLog());
    const { ctx, log } = context(run, script('big'));
    expect(await exec.execute(ctx)).toMatchObject({
      status: 'failed',
      exitCode: 137,
      message: 'OOMKilled: give the task or the nodes more memory',
    });
    expect(log.platformLines.join('\n')).toMatch(/\[Warning\] Pod \S+: OOMKilled: give the task/);
  });

  it('gives the task pod its resources over the portal defaults, names the limit when OOMKilled, and refuses more than the maximum', async () => {
    const taskResources: TaskResourceSettings = {
      defaults: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      maximums: { memory: '1Gi' },
    };
    const exec = executor({ tasks: { big: { outcome: 'oom', runMs: 200 } }, podRetention: 'all', taskResources });
    const run = newRun();
    await exec.prepareRun(run, new RecordingLog());
    const { ctx } = context(run, script('big', { resources: { limits: { memory: '256Mi' } } }));
    expect(await exec.execute(ctx)).toMatchObject({ status: 'failed', exitCode: 137, message: oomOverLimit('256Mi') });
    const { CoreV1Api } = await loadKubernetesClient();
    const pods = await cluster.kubeConfig
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: cluster.namespace, labelSelector: runSelector(run.runId) });
    expect(pods.items[0].spec?.containers[0].resources).toEqual({
      requests: { cpu: '100m', memory: '64Mi' },
      limits: { memory: '256Mi' },
    });
    await exec.cleanupRun(run);

    const greedy = context(newRun(), script('greedy', { resources: { limits: { memory: '2Gi' } } }));
    expect(await exec.execute(greedy.ctx)).toEqual({
      status: 'failed',
      message:
        "The task's memory limit 2Gi is above the portal's maximum of 1Gi (devops.kubernetes.taskResources.maximums.memory); ask for at most 1Gi in the task's resources",
    });
  });

  it('fails a task whose image cannot be pulled after the bounded wait', async () => {
    const exec = executor({ tasks: { pull: { outcome: 'image-pull-error' } } });
    const run = newRun();
    await exec.prepareRun(run, new RecordingLog());
    const { ctx, log } = context(run, script('pull', { image: 'registry.example.com/nope' }));
    const started = Date.now();
    const result = await exec.execute(ctx);
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(
      /^Cannot pull image registry\.example\.com\/nope:3\.20 \((ErrImagePull|ImagePullBackOff): .*\) for 2 s; check the image name and tag/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(log.platformLines.join('\n')).toMatch(/\[Warning\] Failed at .*Failed to pull image/);
  });

  it('reports waiting while no node can take the pod, and runs once one can', async () => {
    const label = `devops.test/pool-${Date.now().toString(36)}`;
    const exec = executor({ tasks: { heavy: { nodeSelector: { [label]: 'yes' }, runMs: 200 } } });
    const run = newRun();
    await exec.prepareRun(run, new RecordingLog());
    const { ctx, log, waits, resumedCount } = context(run, script('heavy'));
    const execution = exec.execute(ctx);

    await eventually('the task to wait', async () => (waits.length ? true : undefined));
    expect(waits[0]).toMatch(
      /^no node of the cluster can take its pod \(0\/2 nodes are available: .*node\(s\) didn't match Pod's node affinity\/selector.*\); scale out the cluster/,
    );
    await eventually('the FailedScheduling event in the log', async () =>
      log.platformLines.some(l => /\[Warning\] FailedScheduling at .* from default-scheduler/.test(l))
        ? true
        : undefined,
    );

    const { setHeaderOptions, PatchStrategy } = await loadKubernetesClient();
    const labelNode = (value: string | null) =>
      core.patchNode(
        { name: 'kwok-node-0', body: { metadata: { labels: { [label]: value } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    await labelNode('yes');
    try {
      expect(await execution).toMatchObject({ status: 'succeeded' });
      expect(resumedCount()).toBe(1);
    } finally {
      await labelNode(null);
    }
  });

  it('deletes the pod when the task is stopped', async () => {
    const exec = executor({ tasks: { forever: { outcome: 'hang' } } });
    const run = newRun();
    await exec.prepareRun(run, new RecordingLog());
    const stop = new AbortController();
    const { ctx, log } = context(run, script('forever'), stop.signal);
    const execution = exec.execute(ctx);
    await waitUntilRunning(ctx);
    stop.abort();
    expect((await execution).status).toBe('failed');
    await eventually('the pod to be deleted', async () => ((await podExists(podOf(ctx))) ? undefined : true));
    expect(log.platformLines.join('\n')).toMatch(/Deleted pod .*, as the task was stopped/);
  });

  it('re-attaches to the pod of a task after a takeover instead of creating another, its output continued where it stopped', async () => {
    const run = newRun();
    const first = executor({ tasks: { deploy: { runMs: 5000 } } });
    await first.prepareRun(run, new RecordingLog());
    const letGo = new AbortController();
    const { ctx, log: firstLog } = context(run, script('deploy'), letGo.signal);
    const files = await setPodLogs(cluster.kubeConfig, cluster.namespace, podOf(ctx), {
      source: ['Checked out abc'],
      task: ['step one', 'step two'],
    });
    const abandoned = first.execute(ctx);
    const running = await waitUntilRunning(ctx);
    await eventually('the first lines', async () =>
      firstLog.lines.includes('step two') ? true : undefined,
    );
    // The first engine lets go of the run (it shuts down): the pod must stay.
    letGo.abort(new RunAbandoned());
    await abandoned;
    expect(await podExists(podOf(ctx))).toBe(true);
    expect(firstLog.lines).toEqual(['Checked out abc', 'step one', 'step two']);
    appendPodLog(files.task, ['step three']);

    // The engine taking over passes the mark stored with the last line it has.
    const second = executor({ tasks: { deploy: { runMs: 5000 } } });
    await second.prepareRun(run, new RecordingLog());
    const log = new RecordingLog();
    const result = await second.execute({
      ...ctx,
      log,
      signal: new AbortController().signal,
      resumeMark: firstLog.resumeMark,
    });

    expect(result).toMatchObject({ status: 'succeeded' });
    expect(log.platformLines.join('\n')).toMatch(/already exists \(started before the run was taken over\); following it, its output from where the log stopped/);
    expect(log.lines).toEqual(['step three']);
    const pods = await core.listNamespacedPod({
      namespace: cluster.namespace,
      labelSelector: `devops.backstage.io/task-run=${ctx.taskRunId}`,
    });
    expect(pods.items.map(p => p.metadata?.uid)).toEqual([running.metadata?.uid]);
  });

  it('does a backend task itself, with the files of the run\'s commit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'executor-deploy-yaml-'));
    try {
      const repository = TestRepository.create(dir);
      const commit = repository.commit(
        { 'deploy/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  build: "${BUILD_ID}"\n' },
        'Add a manifest',
      );
      const exec = executor();
      const run: RunContext = { ...newRun(), source: { provider: 'git', repository: repository.url, branch: 'main', commit } };
      const log = new RecordingLog();
      await exec.prepareRun(run, log);
      expect(log.platformLines.join('\n')).toMatch(/is on the backend's disk: pods cannot clone it, only Deploy YAML tasks can read it/);
      const { ctx } = context(run, {
        name: 'deploy',
        type: 'deployYaml',
        file: 'deploy/config.yaml',
        cluster: LOCAL,
        namespace: cluster.namespace,
      });

      expect(await exec.execute(ctx)).toMatchObject({ status: 'succeeded' });
      const configMap = await core.readNamespacedConfigMap({ name: 'app-config', namespace: cluster.namespace });
      expect(configMap.data).toEqual({ build: String(run.buildId) });
      expect(await podExists(podOf(ctx))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('cleanupRun', () => {
    const runTwoTasks = async (podRetention: PodRetention) => {
      const exec = executor({ podRetention, tasks: { bad: { outcome: 'fail', runMs: 100 }, good: { runMs: 100 } } });
      const run = newRun();
      await exec.prepareRun(
        { ...run, source: { provider: 'git', repository: 'https://git.example.com/demo.git', branch: 'main', commit: 'a'.repeat(40) } },
        new RecordingLog(),
      );
      const good = context(run, script('good'));
      const bad = context(run, script('bad'));
      await exec.execute(good.ctx);
      await exec.execute(bad.ctx);
      await exec.cleanupRun(run);
      const selector = { namespace: cluster.namespace, labelSelector: runSelector(run.runId) };
      const remaining = async () => {
        const pods = await core.listNamespacedPod(selector);
        return pods.items.filter(p => !p.metadata?.deletionTimestamp).map(p => p.metadata!.name);
      };
      return { good: podOf(good.ctx), bad: podOf(bad.ctx), remaining, secrets: () => core.listNamespacedSecret(selector) };
    };

    it("deletes the run's pods and Secrets", async () => {
      const { remaining, secrets } = await runTwoTasks('none');
      expect(await remaining()).toEqual([]);
      expect((await secrets()).items).toEqual([]);
    });

    it('keeps the pods of failed tasks with podRetention failed, but not the Secrets', async () => {
      const { bad, remaining, secrets } = await runTwoTasks('failed');
      expect(await remaining()).toEqual([bad]);
      expect((await secrets()).items).toEqual([]);
    });

    it('keeps every pod with podRetention all', async () => {
      const { good, bad, remaining } = await runTwoTasks('all');
      expect((await remaining()).sort()).toEqual([good, bad].sort());
    });
  });

  describe('when the cluster has a problem', () => {
    it('fails fast when the cluster is unreachable, and flags it', async () => {
      const exec = executor({ target: CLOSED_PORT });
      const run = newRun();
      const { ctx } = context(run, script('any'));
      const started = Date.now();
      const result = await exec.execute(ctx);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(result.status).toBe('failed');
      expect(result.message).toMatch(/^Cluster "closed-port" is unhealthy or unreachable \(.*ECONNREFUSED.*\); check it in the Kubernetes console/);
      expect(directory.problems).toContainEqual(
        expect.objectContaining({ cluster: CLOSED_PORT, health: 'unreachable' }),
      );
    });

    it('fails fast when the credentials are refused, and flags it', async () => {
      const exec = executor({ target: WRONG_TOKEN });
      const { ctx } = context(newRun(), script('any'));
      const result = await exec.execute(ctx);
      expect(result.message).toMatch(/^Cluster "wrong-token" refused DevOps's credentials \(401 Unauthorized/);
      expect(directory.problems).toContainEqual(
        expect.objectContaining({ cluster: WRONG_TOKEN, health: 'unauthorized' }),
      );
    });

    it('fails fast when the namespace is gone, and flags it', async () => {
      const exec = executor({ namespace: 'devops-deleted-namespace' });
      const { ctx } = context(newRun(), script('any'));
      const result = await exec.execute(ctx);
      expect(result.message).toMatch(/^Namespace "devops-deleted-namespace" was deleted from cluster "local"; remove the cluster binding and bind the cluster again/);
      expect(directory.problems).toContainEqual(
        expect.objectContaining({ cluster: LOCAL, health: 'namespaceMissing' }),
      );
    });
  });
});
