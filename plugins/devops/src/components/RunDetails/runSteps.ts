import {
  isFinalStatus,
  type Run,
  type RunStatus,
  type SetupStepRun,
  type TaskRun,
} from '@devops-pipelines/plugin-devops-common';

/** What the step list shows for a step: its status and how long it took so far. */
export type StepTiming = {
  status: RunStatus;
  startedAt?: string;
  durationMs?: number;
};

/** A set-up step or a task, in the order the run takes them. */
type Step = SetupStepRun | TaskRun;

/**
 * The key a step is selected by, in the address and in the log request: a set-up step's
 * name (`initialisation`, `checkout`), a task run's id.
 */
export const stepKey = (step: Step) => ('step' in step ? step.step : step.id);

/** The run's set-up steps, then every task of every stage. */
export const stepsOf = (run: Run): Step[] => [
  ...run.setup,
  ...run.stages.flatMap(stage => stage.tasks),
];

/**
 * The step to show when the user picked none: the one that runs (or waits) now, else
 * the one that failed, else the last one that started; initialisation before any did.
 */
export function defaultStep(run: Run): string {
  const steps = stepsOf(run);
  const current =
    steps.find(s => s.status === 'running' || s.status === 'waiting') ??
    steps.find(s => s.status === 'failed' || s.status === 'timedOut') ??
    [...steps].reverse().find(s => s.startedAt);
  return current ? stepKey(current) : 'initialisation';
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
