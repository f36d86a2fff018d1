import type {
  Schedule,
  TriggerActivity,
} from '@devops-pipelines/plugin-devops-common';

/** The code hosts whose events start pipelines. */
export type { CodeHostProvider } from '@devops-pipelines/plugin-devops-common';

export type TriggerSource = TriggerActivity['source'];

/** A fire time or delivery to record for a pipeline, with the run it starts if any. */
export type NewTriggerActivity = {
  pipelineId: string;
  source: TriggerSource;
  /** Unique per pipeline: the same fire time or delivery is recorded (and run) once. */
  dedupKey: string;
  summary: string;
  /** Set when the activity starts a run: the id the run will be created with. */
  runId?: string;
  reason?: string;
};

/** A pipeline whose schedule is due. */
export type DueSchedule = {
  pipelineId: string;
  schedule: Schedule;
  /** The fire time that is due: the oldest one not yet fired. */
  fireAt: Date;
};

/** A pipeline with event triggers on a repository. */
export type EventSubscription = {
  pipelineId: string;
  events: { push: boolean; merge: boolean; tag: boolean };
};
