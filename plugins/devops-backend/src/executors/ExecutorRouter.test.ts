import { TestDatabases } from '@backstage/backend-test-utils';
import type { ClusterBinding, ClusterDirectory } from '../clusters/types';
import { createEngineTestKit, script } from '../engine/__testUtils__/engineTestKit';
import { ScriptedTestExecutor } from '../engine/__testUtils__/ScriptedTestExecutor';
import { RecordingLog } from '../tasks/__testUtils__/recordingLog';
import { ExecutorRouter, ExecutorRouterOptions } from './ExecutorRouter';
import type { KubernetesTarget } from './kubernetes/KubernetesExecutor';
import type { RunContext } from './types';

jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const binding = (name: string, namespace: string): ClusterBinding => ({
  name,
  namespace,
  scope: [],
  health: 'healthy',
  createdBy: 'user:default/admin',
  createdAt: new Date().toISOString(),
});

/** Bindings as the test sets them (a fake of the clusters service, which needs the catalog). */
class FixedBindings implements ClusterDirectory {
  current?: ClusterBinding;
  async bindingForPipeline() {
    return this.current && { binding: this.current, reason: 'as the test set it' };
  }
  async hasBindings() {
    return Boolean(this.current);
  }
  async kubeConfig(): Promise<never> {
    throw new Error('not used: the executors here are scripted');
  }
  async reportProblem() {}
}

describe('ExecutorRouter', () => {
  let kit: Awaited<ReturnType<typeof createEngineTestKit>>;
  const clusters = new FixedBindings();
  let local: ScriptedTestExecutor;
  let pods: Map<string, ScriptedTestExecutor>;

  beforeEach(async () => {
    kit = await createEngineTestKit(databases, 'SQLITE_3');
    clusters.current = undefined;
    local = new ScriptedTestExecutor();
    pods = new Map();
  });

  afterEach(() => kit.close());

  const router = (options: Partial<ExecutorRouterOptions> = {}) =>
    new ExecutorRouter({
      type: 'auto',
      local,
      clusters,
      runs: kit.runs,
      pipelineBindingKey: async id => {
        const pipeline = await kit.pipelines.get(id);
        return pipeline && { entityRef: pipeline.document.metadata.entityRef };
      },
      // One scripted executor per target, shared by every router, as the cluster is.
      kubernetes: (target: KubernetesTarget) => {
        const key = `${target.cluster}/${target.namespace}`;
        if (!pods.has(key)) pods.set(key, new ScriptedTestExecutor({}, true));
        return pods.get(key)!;
      },
      ...options,
    });

  const queuedRun = async (): Promise<RunContext> => {
    const run = await kit.run({ stages: [{ name: 'A', order: 'sequential', tasks: [script('one')] }] });
    return { runId: run.id, pipelineId: run.pipelineId, pipelineName: run.pipelineName, buildId: run.buildId };
  };

  const execute = async (executor: ExecutorRouter, run: RunContext) => {
    const [task] = await kit.runs.listTaskRuns(run.runId);
    return executor.execute({
      run,
      taskRunId: task.id,
      attempt: 1,
      task: script('one'),
      env: {},
      log: new RecordingLog(),
      signal: new AbortController().signal,
      waiting: () => {},
      resumed: () => {},
    });
  };

  it("runs on the pipeline's bound cluster and records where each task went", async () => {
    clusters.current = binding('prod', 'devops-ci');
    const executor = router();
    const run = await queuedRun();
    const log = new RecordingLog();
    await executor.prepareRun(run, log);
    // The run's log says which binding and why.
    expect(log.platformLines).toContain('[Normal] Running on cluster prod (namespace devops-ci): as the test set it');
    expect(executor.canReattach(run)).toBe(true);
    expect(await execute(executor, run)).toEqual({ status: 'succeeded' });
    expect(pods.get('prod/devops-ci')?.starts).toHaveLength(1);
    expect(local.starts).toHaveLength(0);
    expect((await kit.runs.listTaskRuns(run.runId))[0].executorHandle).toEqual({
      executor: 'kubernetes',
      cluster: 'prod',
      namespace: 'devops-ci',
    });
  });

  it('falls back to the local executor without a binding', async () => {
    const executor = router();
    const run = await queuedRun();
    const log = new RecordingLog();
    await executor.prepareRun(run, log);
    expect(log.platformLines).toContain(
      '[Normal] Running on the local executor: no cluster is bound for the project of this pipeline',
    );
    expect(executor.canReattach(run)).toBe(false);
    await execute(executor, run);
    expect(local.starts).toHaveLength(1);
  });

  it('fails the tasks saying what to do when nothing can run them', async () => {
    const executor = router({ local: undefined });
    const run = await queuedRun();
    await executor.prepareRun(run, new RecordingLog());
    expect(await execute(executor, run)).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/bind a Kubernetes cluster to DevOps, or enable the local executor/),
    });
    // The task went nowhere, so no executor is named on it.
    expect((await kit.runs.listTaskRuns(run.runId))[0].executorHandle).toBeUndefined();
  });

  it('refuses to run locally when the type is kubernetes', async () => {
    const run = await queuedRun();
    await expect(router({ type: 'kubernetes' }).prepareRun(run, new RecordingLog())).rejects.toThrow(
      /No Kubernetes cluster is bound for the project of pipeline .* \(devops\.executor\.type is kubernetes\); bind one on the Clusters page/,
    );
  });

  it('uses the local executor when the type is local, even with a binding', async () => {
    clusters.current = binding('prod', 'devops-ci');
    const executor = router({ type: 'local' });
    const run = await queuedRun();
    await executor.prepareRun(run, new RecordingLog());
    await execute(executor, run);
    expect(local.starts).toHaveLength(1);
  });

  it('continues a taken-over run where its tasks went, even when the bindings changed', async () => {
    clusters.current = binding('old', 'ns-a');
    const run = await queuedRun();
    const first = router();
    await first.prepareRun(run, new RecordingLog());
    await execute(first, run);

    clusters.current = binding('new', 'ns-b');
    const second = router();
    const log = new RecordingLog();
    await second.prepareRun(run, log);
    await execute(second, run);
    expect([...pods.keys()]).toEqual(['old/ns-a']);
    expect(pods.get('old/ns-a')?.starts).toHaveLength(2);
    expect(log.platformLines).toContain('[Normal] Continuing on the executor the run started its tasks on');
  });

  describe("a module's executor", () => {
    it('takes the run when the type names it, even with a binding, and records it on the task', async () => {
      clusters.current = binding('prod', 'devops-ci');
      const nomad = new ScriptedTestExecutor();
      const executor = router({ type: 'nomad', moduleExecutors: new Map([['nomad', nomad]]) });
      const run = await queuedRun();
      const log = new RecordingLog();
      await executor.prepareRun(run, log);
      expect(log.platformLines).toContain('[Normal] Running on the executor nomad (devops.executor.type)');
      await execute(executor, run);
      expect(nomad.starts).toHaveLength(1);
      expect(local.starts).toHaveLength(0);
      expect((await kit.runs.listTaskRuns(run.runId))[0].executorHandle).toEqual({
        executor: 'module',
        name: 'nomad',
      });
    });

    it('continues a taken-over run on it, and fails its tasks when no module adds it any more', async () => {
      const nomad = new ScriptedTestExecutor();
      const run = await queuedRun();
      const first = router({ type: 'nomad', moduleExecutors: new Map([['nomad', nomad]]) });
      await first.prepareRun(run, new RecordingLog());
      await execute(first, run);

      const same = router({ type: 'auto', moduleExecutors: new Map([['nomad', nomad]]) });
      await same.prepareRun(run, new RecordingLog());
      await execute(same, run);
      expect(nomad.starts).toHaveLength(2);

      const without = router({ type: 'auto' });
      await without.prepareRun(run, new RecordingLog());
      expect(await execute(without, run)).toMatchObject({
        status: 'failed',
        message: expect.stringContaining('The run started on the executor nomad, which no module of this backend adds any more'),
      });
      expect(local.starts).toHaveLength(0);
    });
  });
});
