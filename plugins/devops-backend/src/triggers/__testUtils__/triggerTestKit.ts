import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import { DatabasePipelineStore } from '../../database/DatabasePipelineStore';
import { DatabaseRunStore } from '../../database/DatabaseRunStore';
import { RunChanges } from '../../database/RunChanges';
import { applyMigrations } from '../../database/migrate';
import { SecretBox } from '../../secrets/SecretBox';
import { DatabaseTriggerStore } from '../DatabaseTriggerStore';
import { ScheduleFirer } from '../schedule/ScheduleFirer';
import { ManualClock } from './ManualClock';

/** The trigger stores and the timer on a fresh test database, on a clock the test moves. */
export async function createTriggerTestKit(
  databases: TestDatabases,
  id: TestDatabaseId,
  options: { start: string; zone?: string },
) {
  const db = await databases.init(id);
  await applyMigrations(db);
  const clock = new ManualClock(options.start);
  const box = new SecretBox('trigger-test-key');
  const triggers = new DatabaseTriggerStore(db, {
    zone: options.zone ?? 'UTC',
    now: () => clock.now(),
  });
  const pipelines = new DatabasePipelineStore(db, box, triggers);
  const runs = new DatabaseRunStore(db, box, new RunChanges(db));
  const onQueued = jest.fn();
  /** The timer of one backend replica; each has stores of its own on the one database. */
  const replicaTimer = () =>
    new ScheduleFirer({
      triggers: new DatabaseTriggerStore(db, {
        zone: triggers.zone,
        now: () => clock.now(),
      }),
      pipelines: new DatabasePipelineStore(db, box),
      runs: new DatabaseRunStore(db, box, new RunChanges(db)),
      clock,
      logger: mockServices.logger.mock(),
      onQueued,
    });
  const firer = replicaTimer();
  let count = 0;
  return {
    db,
    clock,
    triggers,
    pipelines,
    runs,
    firer,
    replicaTimer,
    onQueued,
    async pipeline(spec: Partial<PipelineSpec> = {}) {
      count += 1;
      return pipelines.create({
        document: {
          apiVersion: 'devops.backstage.io/v1',
          kind: 'Pipeline',
          metadata: {
            name: `timed-${count}`,
            entityRef: 'component:default/demo',
          },
          spec: {
            stages: [
              {
                name: 'Build',
                order: 'sequential',
                tasks: [
                  {
                    name: 'say',
                    type: 'runScript',
                    image: 'alpine',
                    tag: '3',
                    script: 'echo hi',
                  },
                ],
              },
            ],
            ...spec,
          },
        },
        secrets: {},
        createdBy: 'user:default/tester',
      });
    },
    /** Runs of a pipeline, oldest first, as queued. */
    async runsOf(pipelineId: string) {
      const { items } = await runs.listRuns(pipelineId, { limit: 100 });
      return items.reverse();
    },
  };
}
