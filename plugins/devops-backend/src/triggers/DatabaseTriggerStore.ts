import type {
  PipelineSpec,
  RunStatus,
  Schedule,
  TriggerActivity,
} from '@devops-pipelines/plugin-devops-common';
import { nextFireTime } from '@devops-pipelines/plugin-devops-common';
import { Knex } from 'knex';
import { DateTime } from 'luxon';
import { DbTime, parseJson, toIso } from '../database/rows';
import { repositoryKey } from './events/repositoryKey';
import type {
  DueSchedule,
  EventSubscription,
  NewTriggerActivity,
  TriggerSource,
} from './types';

type RawTriggerRow = {
  pipeline_id: string;
  repository_key: string | null;
  events: string | null;
  schedule: string | null;
  next_fire_at: DbTime | null;
  fire_zone: string | null;
};

type RawActivityRow = {
  id: number;
  pipeline_id: string;
  occurred_at: DbTime;
  source: TriggerSource;
  dedup_key: string | null;
  summary: string;
  outcome: TriggerActivity['outcome'];
  reason: string | null;
  run_id: string | null;
};

/** The activity a pipeline's trigger panel lists (SPEC §5: "why did it (not) run?"). */
export const ACTIVITY_KEPT_PER_PIPELINE = 50;

/** Rows per statement where a list of ids goes into `IN (...)`. */
const CHUNK = 500;

const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) =>
    items.slice(i * CHUNK, (i + 1) * CHUNK),
  );

/**
 * The only code that reads and writes `pipeline_triggers` and `trigger_activity`: each
 * pipeline's trigger rules indexed for the timer (next fire time) and for code host
 * events (normalised repository), and what those triggers did.
 */
export class DatabaseTriggerStore {
  constructor(
    private readonly db: Knex,
    private readonly options: {
      /** The zone schedules fire in. */
      zone: string;
      now(): Date;
    },
  ) {}

  get zone() {
    return this.options.zone;
  }

  transaction<T>(work: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Indexes a pipeline's triggers as saved, in the transaction that saves it. A schedule
   * that did not change keeps its next fire time, so an unrelated edit neither skips a
   * catch-up nor fires early; a changed one fires next at its own next slot.
   */
  async writeIndex(
    tx: Knex.Transaction,
    pipelineId: string,
    spec: PipelineSpec,
  ) {
    const { source, triggers } = spec;
    const events = triggers?.events;
    const wantsEvents =
      !!source &&
      source.provider !== 'git' &&
      !!events &&
      (events.push || events.merge || events.tag);
    const schedule = triggers?.schedule
      ? JSON.stringify(triggers.schedule)
      : null;
    const previous = await tx<RawTriggerRow>('pipeline_triggers')
      .where({ pipeline_id: pipelineId })
      .first();
    const keepFireTime =
      previous &&
      previous.schedule === schedule &&
      previous.fire_zone === this.zone &&
      previous.next_fire_at !== null;
    const row: RawTriggerRow = {
      pipeline_id: pipelineId,
      repository_key: wantsEvents
        ? repositoryKey(source!.repository) ?? null
        : null,
      events: wantsEvents ? JSON.stringify(events) : null,
      schedule,
      next_fire_at: keepFireTime
        ? previous.next_fire_at
        : this.#nextFireAt(triggers?.schedule ?? undefined, this.options.now()),
      fire_zone: schedule ? this.zone : null,
    };
    await tx('pipeline_triggers')
      .insert(row as any)
      .onConflict('pipeline_id')
      .merge();
  }

  /**
   * Brings the index up to date at startup: pipelines saved before triggers were indexed
   * are indexed, and schedules computed in another zone (the setting changed) fire next
   * at their next slot in this one.
   */
  async reindex(): Promise<{ indexed: number; rezoned: number }> {
    // Read-only use of the pipelines table: which pipelines have no index row yet.
    const unindexed: Array<{ id: string; spec: string }> = await this.db(
      'pipelines',
    )
      .leftJoin(
        'pipeline_triggers',
        'pipelines.id',
        'pipeline_triggers.pipeline_id',
      )
      .whereNull('pipeline_triggers.pipeline_id')
      .select('pipelines.id', 'pipelines.spec');
    for (const batch of chunks(unindexed)) {
      await this.db.transaction(async tx => {
        for (const { id, spec } of batch) {
          await this.writeIndex(tx, id, JSON.parse(spec));
        }
      });
    }
    const rezone: RawTriggerRow[] = await this.db<RawTriggerRow>(
      'pipeline_triggers',
    )
      .whereNotNull('schedule')
      .where(qb =>
        qb.whereNull('fire_zone').orWhereNot('fire_zone', this.zone),
      );
    const now = this.options.now();
    await this.db.transaction(async tx => {
      for (const row of rezone) {
        await tx('pipeline_triggers')
          .where({ pipeline_id: row.pipeline_id })
          .update({
            next_fire_at: this.#nextFireAt(
              parseJson<Schedule>(row.schedule),
              now,
            ),
            fire_zone: this.zone,
          } as any);
      }
    });
    return { indexed: unindexed.length, rezoned: rezone.length };
  }

  /** How many schedules are due at `now`. */
  async countDue(now: Date): Promise<number> {
    const [{ count }] = await this.db('pipeline_triggers')
      .whereNotNull('schedule')
      .where('next_fire_at', '<=', now)
      .count({ count: '*' });
    return Number(count);
  }

  /** The next fire time of a pipeline's saved schedule, as the timer will fire it. */
  async nextFireAt(pipelineId: string): Promise<Date | undefined> {
    const row = await this.db<RawTriggerRow>('pipeline_triggers')
      .where({ pipeline_id: pipelineId })
      .first('next_fire_at');
    return row?.next_fire_at ? new Date(row.next_fire_at) : undefined;
  }

  /** Schedules due at `now`, oldest fire time first; in `tx` when given. */
  async dueSchedules(
    now: Date,
    limit: number,
    tx?: Knex.Transaction,
  ): Promise<DueSchedule[]> {
    const rows: RawTriggerRow[] = await (tx ?? this.db)<RawTriggerRow>(
      'pipeline_triggers',
    )
      .whereNotNull('schedule')
      .where('next_fire_at', '<=', now)
      .orderBy('next_fire_at', 'asc')
      .limit(limit);
    return rows.map(row => ({
      pipelineId: row.pipeline_id,
      schedule: JSON.parse(row.schedule!) as Schedule,
      fireAt: new Date(row.next_fire_at!),
    }));
  }

  /**
   * Moves fired schedules to their next fire time after `now`. Only rows still at the
   * fire time that was handled move, so a schedule edited meanwhile keeps its new time.
   */
  async advanceSchedules(
    tx: Knex.Transaction,
    fired: DueSchedule[],
    now: Date,
  ) {
    // Pipelines due at one time with the same next one (most, at a busy minute) move
    // together in one statement.
    const moves = new Map<
      string,
      { from: Date; to: Date | null; ids: string[] }
    >();
    for (const { pipelineId, schedule, fireAt } of fired) {
      const to = this.#nextFireAt(schedule, now);
      const key = `${fireAt.getTime()}>${to?.getTime()}`;
      const move = moves.get(key) ?? { from: fireAt, to, ids: [] };
      move.ids.push(pipelineId);
      moves.set(key, move);
    }
    for (const { from, to, ids } of moves.values()) {
      for (const batch of chunks(ids)) {
        await tx('pipeline_triggers')
          .whereIn('pipeline_id', batch)
          .where('next_fire_at', from)
          .update({ next_fire_at: to } as any);
      }
    }
  }

  /**
   * Records fire times or deliveries. An entry whose pipeline already has its key (the
   * same fire time on another replica, a delivery sent again) is not written; the keys
   * of the entries written are returned, so only those start runs.
   */
  async recordActivity(
    tx: Knex.Transaction,
    entries: NewTriggerActivity[],
    occurredAt: Date,
  ): Promise<Set<string>> {
    const written = new Set<string>();
    // In one order, by pipeline: two replicas writing the same delivery wait for each
    // other's rows, and in different orders each would hold a row the other waits for.
    const ordered = [...entries].sort((a, b) =>
      a.pipelineId < b.pipelineId ? -1 : Number(a.pipelineId > b.pipelineId),
    );
    for (const batch of chunks(ordered)) {
      const rows = batch.map(entry => ({
        pipeline_id: entry.pipelineId,
        occurred_at: occurredAt,
        source: entry.source,
        dedup_key: entry.dedupKey,
        summary: entry.summary,
        outcome: entry.runId ? 'started' : 'skipped',
        reason: entry.reason ?? null,
        run_id: entry.runId ?? null,
      }));
      const inserted: Array<{ pipeline_id: string }> = await tx(
        'trigger_activity',
      )
        .insert(rows as any[])
        .onConflict(['pipeline_id', 'dedup_key'])
        .ignore()
        .returning(['pipeline_id']);
      inserted.forEach(row => written.add(row.pipeline_id));
    }
    return written;
  }

  /** Records that a delivery came again and started nothing. */
  async recordDuplicates(entries: NewTriggerActivity[], occurredAt: Date) {
    for (const batch of chunks(entries)) {
      await this.db('trigger_activity').insert(
        batch.map(entry => ({
          pipeline_id: entry.pipelineId,
          occurred_at: occurredAt,
          source: entry.source,
          dedup_key: null,
          summary: entry.summary,
          outcome: 'duplicate',
          reason: 'the same delivery was processed before',
          run_id: null,
        })) as any[],
      );
    }
  }

  /** The latest activity of a pipeline, newest first, with the runs it started. */
  async listActivity(pipelineId: string): Promise<TriggerActivity[]> {
    const rows: Array<
      RawActivityRow & { build_id: number | null; run_status: RunStatus | null }
    > = await this.db('trigger_activity')
      .leftJoin('runs', 'runs.id', 'trigger_activity.run_id')
      .where('trigger_activity.pipeline_id', pipelineId)
      .orderBy('trigger_activity.id', 'desc')
      .limit(ACTIVITY_KEPT_PER_PIPELINE)
      .select(
        'trigger_activity.*',
        'runs.build_id',
        'runs.status as run_status',
      );
    return rows.map(row => ({
      id: row.id,
      occurredAt: toIso(row.occurred_at)!,
      source: row.source,
      summary: row.summary,
      outcome: row.outcome,
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.run_id && row.build_id !== null
        ? {
            run: {
              id: row.run_id,
              buildId: row.build_id,
              status: row.run_status!,
            },
          }
        : {}),
    }));
  }

  /** Deletes activity beyond the newest ones each pipeline's panel shows. */
  async pruneActivity(): Promise<number> {
    const ranked = this.db('trigger_activity')
      .select('id')
      .select(
        this.db.raw(
          'row_number() over (partition by pipeline_id order by id desc) as position',
        ),
      )
      .as('ranked');
    return this.db('trigger_activity')
      .whereIn(
        'id',
        this.db
          .from(ranked)
          .where('position', '>', ACTIVITY_KEPT_PER_PIPELINE)
          .select('id'),
      )
      .delete();
  }

  /** The pipelines with event triggers on a repository (a normalised key). */
  async subscriptions(repository: string): Promise<EventSubscription[]> {
    const rows: RawTriggerRow[] = await this.db<RawTriggerRow>(
      'pipeline_triggers',
    )
      .where({ repository_key: repository })
      .whereNotNull('events');
    return rows.map(row => ({
      pipelineId: row.pipeline_id,
      events: JSON.parse(row.events!),
    }));
  }

  #nextFireAt(schedule: Schedule | undefined, now: Date): Date | null {
    if (!schedule) return null;
    return nextFireTime(
      schedule,
      DateTime.fromJSDate(now),
      this.zone,
    ).toJSDate();
  }
}
