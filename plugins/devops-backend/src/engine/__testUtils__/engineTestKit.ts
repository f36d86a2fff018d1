import { builtInTaskTypeRegistry } from '../../taskTypes/builtInTaskTypes';
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import { isFinalStatus } from '@devops-pipelines/plugin-devops-common';
import { DatabaseLogStore } from '../../database/DatabaseLogStore';
import { DatabasePipelineStore } from '../../database/DatabasePipelineStore';
import { DatabaseRunStore } from '../../database/DatabaseRunStore';
import { RunChanges } from '../../database/RunChanges';
import { applyMigrations } from '../../database/migrate';
import type { TaskExecutor } from '../../executors/types';
import { SecretBox } from '../../secrets/SecretBox';
import { separateSecrets } from '../../secrets/parameters';
import { queueRun } from '../queueRun';
import { RunEngine, RunEngineOptions } from '../RunEngine';

/** Stores on a fresh test database, plus helpers to create pipelines and await runs. */
export async function createEngineTestKit(
  databases: TestDatabases,
  id: TestDatabaseId,
) {
  const db = await databases.init(id);
  await applyMigrations(db);
  const box = new SecretBox('engine-test-key');
  const pipelines = new DatabasePipelineStore(db, box);
  const changes = new RunChanges(db);
  const runs = new DatabaseRunStore(db, box, changes);
  const logs = new DatabaseLogStore(db, changes);
  const engines: RunEngine[] = [];
  let pipelineCount = 0;

  const kit = {
    db,
    pipelines,
    runs,
    logs,
    engine(executor: TaskExecutor, options: Partial<RunEngineOptions> = {}) {
      const engine = new RunEngine({
        runs,
        logs,
        executor,
        taskTypes: builtInTaskTypeRegistry(),
        logger: mockServices.logger.mock(),
        resolveCommit: async () => 'a6a16470'.padEnd(40, '0'),
        maxLogBytesPerTask: 1024 * 1024,
        heartbeatIntervalMs: 50,
        pollIntervalMs: 50,
        staleAfterMs: 60_000,
        ...options,
      });
      engines.push(engine);
      engine.start();
      return engine;
    },
    async pipeline(spec: PipelineSpec) {
      pipelineCount += 1;
      const separated = separateSecrets(spec);
      return pipelines.create({
        document: {
          apiVersion: 'devops.backstage.io/v1',
          kind: 'Pipeline',
          metadata: {
            name: `p-${pipelineCount}`,
            entityRef: 'component:default/demo',
          },
          spec: separated.spec,
        },
        secrets: separated.secrets,
        createdBy: 'user:default/tester',
      });
    },
    async run(spec: PipelineSpec, params?: Record<string, string>) {
      const pipeline = await kit.pipeline(spec);
      return queueRun(
        runs,
        pipeline,
        { type: 'manual', user: 'user:default/tester' },
        params,
      );
    },
    async waitFor(
      runId: string,
      predicate = (s: string) => isFinalStatus(s as any),
      timeoutMs = 15_000,
    ) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await runs.getRunOrThrow(runId);
        if (predicate(run.status)) {
          return {
            run,
            setup: await runs.listSetupSteps(runId),
            tasks: await runs.listTaskRuns(runId),
          };
        }
        if (Date.now() > deadline) {
          throw new Error(
            `run ${runId} still ${run.status} after ${timeoutMs} ms`,
          );
        }
        await new Promise(r => setTimeout(r, 20));
      }
    },
    /** The run's whole log, or one step's: a task run's id, `checkout`, `null` for the run's own lines. */
    async logText(runId: string, taskId?: string | null) {
      const chunks = await logs.list(runId, {
        afterSeq: 0,
        limit: 10_000,
        taskId,
      });
      return chunks.map(c => c.text).join('');
    },
    async close() {
      await Promise.all(engines.map(e => e.shutdown()));
    },
  };
  return kit;
}

export const script = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'runScript' as const,
  image: 'alpine',
  tag: '3',
  script: `echo ${name}`,
  ...extra,
});
