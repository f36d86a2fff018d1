import type { LoggerService } from '@backstage/backend-plugin-api';
import { EventEmitter } from 'events';
import type { Knex } from 'knex';

/** PostgreSQL's channel for run changes; the payload is `<change>:<run id>`. */
const CHANNEL = 'devops_run_changes';
/** Every watch hears this: the listening connection dropped, and changes may be missed. */
const EVERY_RUN = '*';
/** After the listening connection failed, the wait before listening again. */
const RELISTEN_DELAY_MS = 1000;

/**
 * What changed in a run: its log grew, or its status moved (the run's, a task's or a set-up
 * step's). Kept apart so that a page following statuses is not woken by every log line.
 */
export type RunChange = 'log' | 'status';

const eventName = (change: RunChange, runId: string) => `${change}:${runId}`;

type RawPgConnection = {
  query(sql: string): Promise<unknown>;
  on(
    event: 'notification',
    listener: (message: { payload?: string }) => void,
  ): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  removeAllListeners(): void;
};

/**
 * Waits for the changes of one run; made before the run is read, so that a change between
 * the read and the wait is not missed.
 */
export class RunWatch {
  readonly #changed = new Set<RunChange>();
  #wake?: () => void;
  readonly #listeners: Array<[event: string, listener: () => void]>;

  constructor(
    private readonly emitter: EventEmitter,
    runId: string,
    changes: RunChange[],
  ) {
    const hear = (event: string, kinds: RunChange[]) =>
      [
        event,
        () => {
          for (const kind of kinds) this.#changed.add(kind);
          this.#wake?.();
        },
      ] as [string, () => void];
    this.#listeners = [
      ...changes.map(change => hear(eventName(change, runId), [change])),
      // The listening connection dropped: anything watched may have changed.
      hear(EVERY_RUN, changes),
    ];
    for (const [event, listener] of this.#listeners) {
      emitter.on(event, listener);
    }
  }

  /**
   * Resolves with what changed, at the run's next change (or at once for changes since
   * the last call); empty after `timeoutMs` or when `signal` aborts.
   */
  async next(
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ReadonlySet<RunChange>> {
    if (this.#changed.size === 0 && !signal?.aborted) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(done, timeoutMs);
        signal?.addEventListener('abort', done);
        this.#wake = done;
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
      });
      this.#wake = undefined;
    }
    const changed = new Set(this.#changed);
    this.#changed.clear();
    return changed;
  }

  close() {
    for (const [event, listener] of this.#listeners) {
      this.emitter.off(event, listener);
    }
  }
}

/**
 * Tells whoever follows a run (its log stream, its page) that its log grew or its status
 * moved, on this backend and, on PostgreSQL, on every replica (`NOTIFY`, sent with the
 * write's transaction, so it is heard once the write is visible). Followers so read the
 * database when something changed instead of every 200 ms each: idle followers cost it
 * nothing.
 */
export class RunChanges {
  readonly #events = new EventEmitter().setMaxListeners(0);
  #connection?: RawPgConnection;
  #closed = false;
  #relisten?: NodeJS.Timeout;
  #logger?: LoggerService;

  constructor(private readonly db: Knex) {}

  /**
   * On PostgreSQL, hears the changes other replicas write (elsewhere this backend is the
   * only writer). Until then, and without it, only this backend's own changes are heard.
   */
  async listen(logger?: LoggerService): Promise<void> {
    this.#logger = logger;
    if (this.#onPostgres) await this.#listen();
  }

  get #onPostgres() {
    return this.db.client.config.client === 'pg';
  }

  /** Within `tx` when the change is written in one: replicas hear it once it commits. */
  async notify(
    runId: string,
    change: RunChange,
    tx?: Knex.Transaction,
  ): Promise<void> {
    const event = eventName(change, runId);
    if (this.#onPostgres) {
      await (tx ?? this.db).raw('select pg_notify(?, ?)', [CHANNEL, event]);
    }
    if (tx)
      tx.executionPromise.then(
        () => this.#emitHere(event),
        () => {},
      );
    else this.#emitHere(event);
  }

  /**
   * Runs one write and tells of the change it makes. On PostgreSQL both go in one
   * statement, one round trip where a transaction around the two would take four: the
   * log's appends, the busiest writes, pay it with every batch of lines.
   */
  async writeAndNotify(
    write: Knex.QueryBuilder,
    runId: string,
    change: RunChange,
  ): Promise<void> {
    const event = eventName(change, runId);
    if (this.#onPostgres) {
      await this.db.raw('with written as (?) select pg_notify(?, ?)', [
        write,
        CHANNEL,
        event,
      ]);
    } else {
      await write;
    }
    this.#emitHere(event);
  }

  /** While listening, this backend hears its own change like the others do: once. */
  #emitHere(event: string) {
    if (!this.#connection) this.#events.emit(event);
  }

  /** Watches the given changes of a run, by default all of them. */
  watch(runId: string, changes: RunChange[] = ['log', 'status']): RunWatch {
    return new RunWatch(this.#events, runId, changes);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#relisten);
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) {
      connection.removeAllListeners();
      await this.db.client.destroyRawConnection(connection).catch(() => {});
    }
  }

  /** A connection of its own, outside the pool: LISTEN holds it for as long as it lives. */
  async #listen() {
    const connection: RawPgConnection =
      await this.db.client.acquireRawConnection();
    connection.on('notification', ({ payload }) => {
      if (payload) this.#events.emit(payload);
    });
    const lost = (error?: Error) => {
      if (this.#closed || this.#connection !== connection) return;
      this.#connection = undefined;
      connection.removeAllListeners();
      this.#logger?.warn(
        `Listening for run changes stopped (${
          error?.message ?? 'connection ended'
        }); listening again in ${RELISTEN_DELAY_MS} ms`,
      );
      // What was written meanwhile was not heard: every follower reads again.
      this.#events.emit(EVERY_RUN);
      this.#relisten = setTimeout(() => this.#listenAgain(), RELISTEN_DELAY_MS);
    };
    connection.on('error', lost);
    connection.on('end', lost);
    await connection.query(`LISTEN ${CHANNEL}`);
    this.#connection = connection;
  }

  #listenAgain() {
    if (this.#closed) return;
    this.#listen().then(
      () => this.#events.emit(EVERY_RUN),
      error => {
        this.#logger?.warn(`Listening for run changes failed: ${error}`);
        this.#relisten = setTimeout(
          () => this.#listenAgain(),
          RELISTEN_DELAY_MS,
        );
      },
    );
  }
}
