import {
  isFinalStatus,
  type Run,
  type RunStatus,
  type TaskRun,
} from '@devops-pipelines/plugin-devops-common';

/** The step whose log is the run's own lines: who started it, the checkout. */
export const SETUP_STEP = 'setup';

/** What the step list shows for a step: its status and how long it took so far. */
export type StepTiming = {
  status: RunStatus;
  startedAt?: string;
  durationMs?: number;
};

const tasksOf = (run: Run): TaskRun[] => run.stages.flatMap(s => s.tasks);

/**
 * The run's first step, before any task: starting, resolving the branch, checking out
 * the source. The API reports no status of its own for it, so it follows from the run:
 * over once the first task started, or with the run when the run ended before that.
 */
export function setupTiming(run: Run): StepTiming {
  const starts = tasksOf(run)
    .map(t => t.startedAt)
    .filter((s): s is string => Boolean(s))
    .sort();
  const firstTaskStart = starts[0];
  if (run.startedAt && firstTaskStart) {
    return {
      status: 'succeeded',
      startedAt: run.startedAt,
      durationMs: Date.parse(firstTaskStart) - Date.parse(run.startedAt),
    };
  }
  if (isFinalStatus(run.status) || !run.startedAt) {
    return {
      status: run.status,
      startedAt: run.startedAt,
      durationMs: run.durationMs,
    };
  }
  return {
    status: 'running',
    startedAt: run.startedAt,
    durationMs: run.durationMs,
  };
}

/**
 * The step to show when the user picked none: the task that runs (or waits) now, else
 * the one that failed, else the last one that started; the setup step before any did.
 */
export function defaultStep(run: Run): string {
  const tasks = tasksOf(run);
  const current =
    tasks.find(t => t.status === 'running' || t.status === 'waiting') ??
    tasks.find(t => t.status === 'failed' || t.status === 'timedOut') ??
    [...tasks].reverse().find(t => t.startedAt);
  return current?.id ?? SETUP_STEP;
}

/**
 * A duration as of `now`: the backend's figure for an unfinished step counts up to when
 * it was read, so the time since then is added (this also keeps clock skew out).
 */
export function liveDuration(
  timing: StepTiming,
  readAt: number,
  now: number,
): number | undefined {
  if (
    timing.durationMs === undefined ||
    !timing.startedAt ||
    isFinalStatus(timing.status)
  ) {
    return timing.durationMs;
  }
  return timing.durationMs + Math.max(0, now - readAt);
}
