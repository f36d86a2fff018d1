import type { RunStatus } from './run';

/**
 * One fire time or code host delivery as it concerned a pipeline, and what it did: the
 * answer to "why did (not) it run?" (SPEC §5).
 *
 * @public
 */
export type TriggerActivity = {
  id: number;
  occurredAt: string;
  source: 'schedule' | 'github' | 'gitlab';
  /** What arrived, e.g. "fire time 14:54 UTC" or "push a6a16470 to main". */
  summary: string;
  outcome: 'started' | 'skipped' | 'duplicate';
  /** Why no run was started, e.g. "branch feature-x did not match main". */
  reason?: string;
  /** The run it started. */
  run?: { id: string; buildId: number; status: RunStatus };
};

/**
 * A pipeline's triggers as the backend runs them.
 *
 * @public
 */
export type PipelineTriggerState = {
  /** The time zone schedules fire in (`devops.triggers.timezone`). */
  timezone: string;
  /** The next fire times of the saved schedule (ISO), from the backend's own clock. */
  nextFireTimes: string[];
  /** The latest fire times and deliveries that concerned the pipeline, newest first. */
  activity: TriggerActivity[];
};

/**
 * How the backend runs triggers, for the trigger dialog.
 *
 * @public
 */
export type TriggerSettings = {
  /** The time zone schedules fire in (`devops.triggers.timezone`). */
  timezone: string;
  /** Event triggers, per code host. */
  webhooks: Record<'github' | 'gitlab', WebhookProviderSettings>;
};

/**
 * Whether a code host's deliveries reach the portal, and where it sends them.
 *
 * @public
 */
export type WebhookProviderSettings =
  | {
      enabled: true;
      /** The events ingress URL the webhook posts to; it answers. */
      url: string;
    }
  | {
      enabled: false;
      /** Why not, and who fixes it. */
      problem: string;
    };
