import type {
  PipelineDocument,
  PipelineSpec,
  RunStatus,
  RunTrigger,
  SetupStep,
} from '@devops-pipelines/plugin-devops-common';
import { Knex } from 'knex';

/** A pipeline as stored: the document without secret values, the values apart. */
export type PipelineRecord = {
  id: string;
  document: PipelineDocument;
  secrets: Record<string, string>;
  /** Set when the stored secret values could not be decrypted with the current key. */
  secretsUnreadable?: boolean;
  active: boolean;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

/** Narrows a query to what the caller may see (a translated permission condition). */
export type QueryFilter = (query: Knex.QueryBuilder) => void;

export type ListPipelinesOptions = {
  entityRef?: string;
  /** Matches name or title, case-insensitively. */
  search?: string;
  limit: number;
  offset: number;
  filter?: QueryFilter;
};

export type RunRecord = {
  id: string;
  pipelineId: string;
  buildId: number;
  status: RunStatus;
  trigger: RunTrigger;
  /** The pipeline name as it was when the run was created. */
  pipelineName: string;
  spec: PipelineSpec;
  secrets: Record<string, string>;
  /** Set when the run's secret values could not be decrypted with the current key. */
  secretsUnreadable?: boolean;
  params: Record<string, string>;
  commit?: string;
  branch?: string;
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  claimedBy?: string;
  heartbeatAt?: string;
  stopRequested: boolean;
  message?: string;
  /** Time spent waiting for cluster resources, which the timeout does not count. */
  waitedMs: number;
  /** Set while the run is `waiting`: when the current wait began. */
  waitingSince?: string;
};

/** A set-up step of a run (initialisation, checkout), as the engine recorded it. */
export type SetupStepRecord = {
  runId: string;
  step: SetupStep;
  status: RunStatus;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
};

export type TaskRunRecord = {
  id: string;
  runId: string;
  stageIndex: number;
  taskIndex: number;
  status: RunStatus;
  attempt: number;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  message?: string;
  outputs?: Record<string, string>;
  /** Where the task was started; set before it starts, read after a takeover. */
  executorHandle?: ExecutorHandle;
};

/** Where a task runs: the local executor, a namespace of a cluster, or a module's executor. */
export type ExecutorHandle =
  | { executor: 'local' }
  | { executor: 'module'; name: string }
  | { executor: 'kubernetes'; cluster: string; namespace: string };

export type NewRun = {
  /** Chosen by the caller when something else must refer to the run in the same transaction. */
  id?: string;
  pipelineId: string;
  trigger: RunTrigger;
  spec: PipelineSpec;
  secrets: Record<string, string>;
  params: Record<string, string>;
  pipelineName: string;
  /** A re-run pins the commit of the run it repeats. */
  commit?: string;
  branch?: string;
};
