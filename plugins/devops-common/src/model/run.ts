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
  /** The task run these lines belong to; absent for lines about the whole run. */
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
