import { LoggerService } from '@backstage/backend-plugin-api';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import { createHash } from 'crypto';
import { DatabasePipelineStore } from '../../database/DatabasePipelineStore';
import { DatabaseRunStore } from '../../database/DatabaseRunStore';
import type { NewRun } from '../../database/types';
import { newRunOf } from '../../engine/queueRun';
import { DatabaseTriggerStore } from '../DatabaseTriggerStore';
import { recordAndQueue, runOrReason } from '../triggeredRuns';
import type { NewTriggerActivity } from '../types';
import { describeEvent } from './describeEvent';
import { matchEvent } from './matchEvent';
import { parseGithubEvent } from './parseGithubEvent';
import { parseGitlabEvent } from './parseGitlabEvent';
import { repositoryKey } from './repositoryKey';
import type { CodeHostEvent } from './types';

/**
 * The topics the events backend's GitHub and GitLab modules publish deliveries on
 * (`<provider>.<X-GitHub-Event>` and `gitlab.<object_kind>`).
 */
export const EVENT_TOPICS = [
  'github.push',
  'github.pull_request',
  'gitlab.push',
  'gitlab.tag_push',
  'gitlab.merge_request',
];

const header = (params: EventParams, name: string) => {
  const value = params.metadata?.[name];
  return Array.isArray(value) ? value[0] : value;
};

/** A delivery as one of our events, or undefined when it is nothing pipelines start on. */
export function parseDelivery(params: EventParams): CodeHostEvent | undefined {
  const [provider, eventName] = params.topic.split('.');
  if (provider === 'github') {
    return parseGithubEvent(
      eventName,
      params.eventPayload,
      header(params, 'x-github-delivery'),
    );
  }
  if (provider === 'gitlab') {
    return parseGitlabEvent(
      params.eventPayload,
      header(params, 'x-gitlab-event-uuid'),
    );
  }
  return undefined;
}

/** The length of trigger_activity.dedup_key (PostgreSQL enforces it, SQLite does not). */
const DEDUP_KEY_LENGTH = 255;

/** What makes a delivery the same when the host sends it again. */
function dedupKey(event: CodeHostEvent): string {
  // Hosts too old to send a delivery id: the same change of the same ref is one event.
  const ref =
    event.kind === 'tag' ? `tag:${event.tag}` : `${event.kind}:${event.branch}`;
  const key = event.deliveryId
    ? `${event.provider}:${event.deliveryId}`
    : `${event.provider}:${ref}:${event.commit}`;
  if (key.length <= DEDUP_KEY_LENGTH) return key;
  // A long delivery id or branch name: its hash is as unique, and fits the column.
  const hash = createHash('sha256').update(key).digest('hex');
  return `${event.provider}:sha256:${hash}`;
}

/**
 * Starts pipelines on code host events that reach the portal through Backstage's events
 * system: the events backend's HTTP ingress receives the webhook, the provider's module
 * checks its signature and publishes it, and this service subscribes to those topics.
 * Each delivery is recorded per pipeline under a unique key in the transaction that
 * queues its run, so a delivery sent again (or seen by two replicas) starts nothing more.
 */
export class EventTriggerService {
  constructor(
    private readonly deps: {
      triggers: DatabaseTriggerStore;
      pipelines: DatabasePipelineStore;
      runs: DatabaseRunStore;
      logger: LoggerService;
      now(): Date;
      /** Runs were queued: the engine should look now. */
      onQueued(): void;
    },
  ) {}

  async subscribe(events: EventsService) {
    await events.subscribe({
      id: 'devops-event-triggers',
      topics: EVENT_TOPICS,
      onEvent: async params => {
        await this.handle(params);
      },
    });
  }

  /** Handles one published delivery; returns what it did, for tests and logs. */
  async handle(
    params: EventParams,
  ): Promise<{ started: number; skipped: number; duplicates: number }> {
    const event = parseDelivery(params);
    const none = { started: 0, skipped: 0, duplicates: 0 };
    if (!event) return none;
    const keys = new Set(
      event.repositoryUrls
        .map(url => repositoryKey(url))
        .filter((k): k is string => !!k),
    );
    const subscriptions = (
      await Promise.all(
        [...keys].map(key => this.deps.triggers.subscriptions(key)),
      )
    ).flat();
    if (!subscriptions.length) return none;
    const records = await this.deps.pipelines.getMany(
      subscriptions.map(s => s.pipelineId),
    );
    const summary = describeEvent(event);
    const activity: NewTriggerActivity[] = [];
    const newRuns: NewRun[] = [];
    for (const { pipelineId, events } of subscriptions) {
      const pipeline = records.get(pipelineId);
      const source = pipeline?.document.spec.source;
      if (!pipeline || !source) continue;
      const entry: NewTriggerActivity = {
        pipelineId,
        source: event.provider,
        dedupKey: dedupKey(event),
        summary,
      };
      const decision = matchEvent(event, {
        branch: source.branch,
        events,
        active: pipeline.active,
      });
      if (!decision.start) {
        entry.reason = decision.reason;
      } else {
        const run = runOrReason(entry, pipeline, () =>
          newRunOf(
            pipeline,
            {
              type: event.kind,
              event: summary,
              ...(event.kind === 'tag' ? { tag: event.tag } : {}),
            },
            // A tag runs on its commit whatever the pipeline's branch; the run shows it.
            {
              commit: event.commit,
              branch: event.kind === 'tag' ? source.branch : event.branch,
            },
          ),
        );
        if (run) newRuns.push(run);
      }
      activity.push(entry);
    }
    const now = this.deps.now();
    const { written, started } = await this.deps.triggers.transaction(tx =>
      recordAndQueue(tx, this.deps, activity, newRuns, now),
    );
    const duplicates = activity.filter(entry => !written.has(entry.pipelineId));
    await this.deps.triggers.recordDuplicates(duplicates, now);
    if (started) this.deps.onQueued();
    this.deps.logger.info(
      `${summary} (${event.provider} delivery ${
        event.deliveryId ?? 'without id'
      }): ${started} runs started, ${duplicates.length} duplicates`,
    );
    return {
      started,
      skipped: written.size - started,
      duplicates: duplicates.length,
    };
  }
}
