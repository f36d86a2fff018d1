import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  DEFAULT_RUN_NOTIFICATIONS,
  describeRunTrigger,
  type RunNotifications,
  type RunStatus,
} from '@devops-pipelines/plugin-devops-common';
import type { EntityOwners } from '../catalog/entityOwners';
import type { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import type { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { RunRecord } from '../database/types';
import type { RunObserver } from '../engine/RunDriver';

const FAILURES: RunStatus[] = ['failed', 'timedOut'];

/** A failure message longer than this is cut: the run page has all of it. */
const MAX_MESSAGE_LENGTH = 500;

/** How a run's end reads in a notification's title, "deploy-2048 #12 failed". */
const OUTCOME_WORDS: Partial<Record<RunStatus, string>> = {
  succeeded: 'succeeded',
  failed: 'failed',
  timedOut: 'timed out',
  stopped: 'stopped',
  skipped: 'skipped',
};

/** What the notifier needs to know of a run's end to decide whether it is worth saying. */
export type RunEnd = {
  status: RunStatus;
  /** The pipeline's run that ended before it, among succeeded, failed and timed out. */
  previous?: { buildId: number; status: RunStatus };
};

/**
 * The notification a pipeline's owners get for a run's end, or none: with `failures` a
 * failed or timed-out run, and the first success after one ("fixed"); with `all` every
 * ended run; with `off` nothing.
 */
export function runNotification(
  setting: RunNotifications,
  run: Pick<RunRecord, 'buildId' | 'trigger'> & { pipelineName: string },
  end: RunEnd & { message?: string },
): Omit<NotificationPayload, 'link' | 'topic' | 'scope'> | undefined {
  if (setting === 'off') return undefined;
  const failed = FAILURES.includes(end.status);
  const fixed =
    end.status === 'succeeded' &&
    end.previous !== undefined &&
    FAILURES.includes(end.previous.status);
  if (!failed && !fixed && setting !== 'all') return undefined;
  const outcome = fixed ? 'fixed' : OUTCOME_WORDS[end.status] ?? end.status;
  // What happened: the failure's reason, or the failure a success fixed.
  let what: string | undefined;
  if (fixed) {
    const { buildId, status } = end.previous!;
    what = `It succeeded after #${buildId} ${OUTCOME_WORDS[status]}.`;
  } else if (end.message && end.status !== 'succeeded') {
    what = sentence(end.message);
  }
  return {
    title: `${run.pipelineName} #${run.buildId} ${outcome}`,
    description: [what, `${describeRunTrigger(run.trigger)}.`]
      .filter(Boolean)
      .join(' '),
    severity: failed ? 'high' : 'normal',
  };
}

/** A message as a sentence of bounded length. */
function sentence(message: string): string {
  const text = message.trim();
  const cut =
    text.length > MAX_MESSAGE_LENGTH
      ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…`
      : text;
  return /[.!?…]$/.test(cut) ? cut : `${cut}.`;
}

/**
 * Tells a pipeline's owners (the owners of its catalog entity, users or groups, whose
 * members the notifications backend finds) through Backstage notifications when its runs
 * end, as its advanced settings ask (`spec.notifications`, `failures` by default). One
 * notification per pipeline and user: its scope is the pipeline's id, so the newest
 * replaces the one before and shows as unread again. Everything happens in the
 * background; a notifications backend that is missing or down never affects a run, and
 * is logged once until a notification goes out again.
 */
export class RunNotifier implements RunObserver {
  readonly #pending = new Set<Promise<void>>();
  #failing = false;

  constructor(
    private readonly deps: {
      notifications: NotificationService;
      pipelines: Pick<DatabasePipelineStore, 'get'>;
      runs: Pick<DatabaseRunStore, 'previousOutcome'>;
      owners: EntityOwners;
      /** The run's page in the portal. */
      runUrl(runId: string): string;
      logger: LoggerService;
    },
  ) {}

  runStarted() {}

  runFinished(run: RunRecord, status: RunStatus, message?: string) {
    const sent: Promise<void> = this.#notify(run, status, message)
      .then(() => {
        this.#failing = false;
      })
      .catch(error => {
        if (this.#failing) return;
        this.#failing = true;
        this.deps.logger.warn(
          `Could not notify the owners of ${run.pipelineName} of run #${run.buildId} (${status}); later failures to notify are not logged until a notification goes out: ${error}`,
        );
      })
      .finally(() => this.#pending.delete(sent));
    this.#pending.add(sent);
  }

  /** Resolves when every notification started so far was sent or given up. */
  async flush() {
    await Promise.all(this.#pending);
  }

  async #notify(run: RunRecord, status: RunStatus, message?: string) {
    const { pipelines, runs, owners, notifications } = this.deps;
    // Deleted meanwhile: nobody to tell.
    const pipeline = await pipelines.get(run.pipelineId);
    if (!pipeline) return;
    const setting =
      pipeline.document.spec.notifications ?? DEFAULT_RUN_NOTIFICATIONS;
    if (setting === 'off') return;
    // Only a success may be a fix; only then is the run before it read.
    const previous =
      status === 'succeeded' ? await runs.previousOutcome(run) : undefined;
    const { name, entityRef } = pipeline.document.metadata;
    const payload = runNotification(
      setting,
      { ...run, pipelineName: name },
      { status, previous, message },
    );
    if (!payload) return;
    const recipients = (await owners([entityRef])).get(entityRef) ?? [];
    if (recipients.length === 0) {
      this.deps.logger.debug(
        `Run #${run.buildId} of ${name} ${status}: ${entityRef} has no owner in the catalog to notify`,
      );
      return;
    }
    await notifications.send({
      recipients: { type: 'entity', entityRef: recipients },
      payload: {
        ...payload,
        link: this.deps.runUrl(run.id),
        topic: name,
        scope: pipeline.id,
        metadata: {
          pipelineId: pipeline.id,
          entityRef,
          runId: run.id,
          buildId: run.buildId,
          status,
        },
      },
    });
  }
}
