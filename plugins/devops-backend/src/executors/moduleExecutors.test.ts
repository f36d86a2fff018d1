import { createBackendModule } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  devopsExecutorsExtensionPoint,
  type TaskExecutor,
} from '@devops-pipelines/plugin-devops-node';
import {
  DevopsTestBackend,
  pipelineDocument,
} from '../router/__testUtils__/devopsTestBackend';

jest.setTimeout(60_000);

/**
 * An executor as a module would write one for another system: it says what it did in
 * the task's log and remembers the runs it cleaned up.
 */
function recordingExecutor(): TaskExecutor & { cleanedUp: string[] } {
  const cleanedUp: string[] = [];
  return {
    cleanedUp,
    async prepareRun(run, log) {
      log.platform('Normal', `recording prepared run #${run.buildId}`);
    },
    async execute(ctx) {
      ctx.log.output(`recording ran ${ctx.task.name} (${ctx.task.type})\n`);
      return { status: 'succeeded', exitCode: 0 };
    },
    async cleanupRun(run) {
      cleanedUp.push(run.runId);
    },
  };
}

const moduleAdding = (name: string, executor: TaskExecutor) =>
  createBackendModule({
    pluginId: 'devops',
    moduleId: `executor-${name}`,
    register(reg) {
      reg.registerInit({
        deps: { executors: devopsExecutorsExtensionPoint },
        async init({ executors }) {
          executors.addExecutor({ name, executor });
        },
      });
    },
  });

describe("a module's executor (devopsExecutorsExtensionPoint)", () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('takes every run when devops.executor.type names it', async () => {
    const executor = recordingExecutor();
    const backend = await DevopsTestBackend.start(
      await databases.init('SQLITE_3'),
      {
        devops: { executor: { type: 'recording' } },
        features: [moduleAdding('recording', executor)],
      },
    );
    try {
      const pipeline = await backend.createPipeline(pipelineDocument());
      const run = await backend.startRun(pipeline.status.id);
      const ended = await backend.waitForRun(run.id);
      expect(ended.status).toBe('succeeded');
      const log = await backend.downloadLog(run.id);
      expect(log).toContain(
        'Running on the executor recording (devops.executor.type)',
      );
      expect(log).toContain('recording prepared run #1');
      expect(log).toContain('recording ran task-1 (runScript)');
      expect(executor.cleanedUp).toEqual([run.id]);
    } finally {
      await backend.stop();
    }
  });

  it('fails startup when devops.executor.type names no executor, listing those there are', async () => {
    await expect(
      DevopsTestBackend.start(await databases.init('SQLITE_3'), {
        devops: { executor: { type: 'nomad' } },
        features: [moduleAdding('recording', recordingExecutor())],
      }),
    ).rejects.toThrow(
      'devops.executor.type must be one of auto, local, kubernetes, recording; got "nomad"',
    );
  });

  it('fails startup when a module takes the name of a built-in executor', async () => {
    await expect(
      DevopsTestBackend.start(await databases.init('SQLITE_3'), {
        features: [moduleAdding('local', recordingExecutor())],
      }),
    ).rejects.toThrow(
      'A backend module added the executor "local", a name already taken; each executor needs its own',
    );
  });
});
