import type { TaskType } from './tasks';
import type { PipelineDocument } from './pipeline';

/** @public */
export type RunStatus =
  | 'queued'
  | 'waiting'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'stopped'
  | 'skipped'
  | 'timedOut';

/** Statuses after which nothing changes any more. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'stopped',
  'skipped',
  'timedOut',
];

export const isFinalStatus = (status: RunStatus) =>
  FINAL_RUN_STATUSES.includes(status);

/** @public */
export type TriggerType =
  | 'manual'
  | 'rerun'
  | 'schedule'
  | 'push'
  | 'merge'
  | 'tag';

/** @public */
export type RunTrigger = {
  type: TriggerType;
  /** The user who started a manual run or re-run: an entity ref. */
  user?: string;
  /** That user's name as the catalog gave it when the run was queued (its display name). */
  userName?: string;
  /** For event triggers: what the code host reported, e.g. "push a6a16470 to master". */
  event?: string;
  /** For re-runs: the BUILD_ID of the run this one repeats. */
  rerunOf?: number;
  /** For timer runs: the fire time (ISO) this run is for. */
  fireTime?: string;
  /** For tag events: the tag, the run's GIT_TAG. */
  tag?: string;
};

/** @public */
export type TaskRun = {
  id: string;
  name: string;
  type: TaskType;
  status: RunStatus;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  exitCode?: number;
  message?: string;
};

/**
 * The steps every run takes before its first stage (SPEC §3): initialisation (who started
 * it, where it runs) and the checkout of its source (the branch resolved to one commit).
 * A step's log is selected by its name, as a task's by its id.
 *
 * @public
 */
export const SETUP_STEPS = ['initialisation', 'checkout'] as const;

/** @public */
export type SetupStep = (typeof SETUP_STEPS)[number];

/** @public */
export type SetupStepRun = {
  step: SetupStep;
  /** "Initialisation", "Checkout shop@a6a16470". */
  name: string;
  status: RunStatus;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** Why the step failed. */
  message?: string;
};

/** @public */
export type StageRun = {
  name: string;
  order: 'sequential' | 'parallel';
  status: RunStatus;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  tasks: TaskRun[];
};

/** @public */
export type Run = {
  id: string;
  pipelineId: string;
  pipelineName: string;
  buildId: number;
  status: RunStatus;
  trigger: RunTrigger;
  commit?: string;
  branch?: string;
  /** Names of the manual-run parameters; values are not returned (they may be secret). */
  paramNames: string[];
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  message?: string;
  /** The set-up steps the engine recorded; runs from before they were recorded have only initialisation. */
  setup: SetupStepRun[];
  stages: StageRun[];
};

/** A run as the pipeline list and detail pages summarise it. */
/** @public */
export type RunSummary = Pick<
  Run,
  | 'id'
  | 'buildId'
  | 'status'
  | 'trigger'
  | 'commit'
  | 'branch'
  | 'queuedAt'
  | 'startedAt'
  | 'finishedAt'
  | 'durationMs'
>;

/** @public */
export type PipelineStatus = {
  id: string;
  version: number;
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  lastRun?: RunSummary;
};

/** A pipeline as the API returns it: the document (secret values left out) plus status. */
/** @public */
export type Pipeline = PipelineDocument & { status: PipelineStatus };

/**
 * A batch of log lines, as the engine wrote it. Each line of `text` is
 * `<ISO time> <text>\n`; platform lines read `[Normal] ...` or `[Warning] ...`.
 */
/** @public */
export type LogChunk = {
  /** Position in the run's log, increasing from 1; resume a live log after it. */
  seq: number;
  /**
   * The step these lines belong to: a task run's id, or `checkout`; absent for the run's
   * own lines (its initialisation and its end).
   */
  taskId?: string;
  text: string;
};

/** @public */
export type Page<T> = {
  items: T[];
  totalCount: number;
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
};
