import type {
  Page,
  Run,
  RunStatus,
  StageRun,
  TaskRun,
} from '@devops-pipelines/plugin-devops-common';

/** A task run with the parts a test cares about. */
export function makeTask(
  id: string,
  status: RunStatus,
  overrides: Partial<TaskRun> = {},
): TaskRun {
  return { id, name: id, type: 'runScript', status, ...overrides };
}

/** A stage run holding the given tasks; its status is the one given, not derived. */
export function makeStage(
  name: string,
  status: RunStatus,
  tasks: TaskRun[],
): StageRun {
  return { name, order: 'sequential', status, tasks };
}

/** A run as the API returns it, by default #buildId of pipeline p1, succeeded. */
export function makeRun(buildId: number, overrides: Partial<Run> = {}): Run {
  return {
    id: `run-${buildId}`,
    pipelineId: 'p1',
    pipelineName: 'deploy-2048-yaml',
    buildId,
    status: 'succeeded',
    trigger: { type: 'manual', user: 'user:default/guest' },
    commit: 'a6a16470e1f2c3d4e5f60718293a4b5c6d7e8f90',
    branch: 'master',
    paramNames: [],
    queuedAt: '2026-11-21T09:00:00Z',
    startedAt: '2026-11-21T09:00:01Z',
    finishedAt: '2026-11-21T09:03:06Z',
    durationMs: 185_000,
    setup: [
      {
        step: 'initialisation',
        name: 'Initialisation',
        status: 'succeeded',
        startedAt: '2026-11-21T09:00:01Z',
        finishedAt: '2026-11-21T09:00:02Z',
        durationMs: 1000,
      },
      {
        step: 'checkout',
        name: 'Checkout 2048@a6a16470',
        status: 'succeeded',
        startedAt: '2026-11-21T09:00:02Z',
        finishedAt: '2026-11-21T09:00:04Z',
        durationMs: 2000,
      },
    ],
    stages: [],
    ...overrides,
  };
}

/** Runs `to` down to `from`, newest first, as the run records list them. */
export function makeRuns(from: number, to: number): Run[] {
  return Array.from({ length: to - from + 1 }, (_, i) => makeRun(to - i));
}

export function page(
  items: Run[],
  nextCursor?: string,
  totalCount = items.length,
): Page<Run> {
  return { items, totalCount, nextCursor };
}
