import { LoggerService } from '@backstage/backend-plugin-api';
import { hostname } from 'os';
import { randomBytes } from 'crypto';
import type { RunRecord } from '../database/types';
import { RunDriver, RunDriverDeps } from './RunDriver';

export type RunEngineOptions = Omit<RunDriverDeps, 'engineId'> & {
  logger: LoggerService;
  /** Defaults to host, pid and a random suffix, unique per engine. */
  engineId?: string;
  /** Runs driven at once by this engine. */
  concurrency?: number;
  /** How often the engine stamps its runs and reads stop requests. */
  heartbeatIntervalMs?: number;
  /** A run whose heartbeat is older than this is taken over by another engine. */
  staleAfterMs?: number;
  /** How often the database is asked for queued runs another replica created. */
  pollIntervalMs?: number;
};

/**
 * Claims queued runs from the database and drives them, heartbeats the runs it drives,
 * and takes over runs whose engine stopped heartbeating. Any number of engines (backend
 * replicas) can share one database.
 */
export class RunEngine {
  readonly engineId: string;
  readonly #drivers = new Map<string, RunDriver>();
  readonly #idle = new Set<() => void>();
  #wake?: () => void;
  /** A notify() that came while the loop was busy claiming: look again before sleeping. */
  #wakeRequested = false;
  #running = false;
  #recovering = false;
  /** The last check left stale runs for lack of room: a freed slot takes the next one. */
  #staleRunsLeft = false;
  #timers: NodeJS.Timeout[] = [];
  #loop?: Promise<void>;

  constructor(private readonly options: RunEngineOptions) {
    this.engineId =
      options.engineId ??
      `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  }

  start() {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#claimLoop();
    this.#timers.push(
      setInterval(
        () => this.#heartbeat(),
        this.options.heartbeatIntervalMs ?? 1000,
      ),
      setInterval(() => this.#recover(), Math.max(250, this.#staleAfterMs / 3)),
    );
  }

  /** A run was queued by this replica: look now instead of at the next poll. */
  notify() {
    this.#wakeRequested = true;
    this.#wake?.();
  }

  /** Stops a run this engine drives at once, without waiting for the next heartbeat. */
  stopRun(runId: string) {
    this.#drivers.get(runId)?.stop();
  }

  /** Runs currently driven here. */
  get activeRunIds(): string[] {
    return [...this.#drivers.keys()];
  }

  /** Resolves when no run is being driven. */
  async waitUntilIdle(): Promise<void> {
    if (this.#drivers.size === 0) return;
    await new Promise<void>(resolve => this.#idle.add(resolve));
  }

  /**
   * Stops claiming and lets go of the runs in progress without ending them, so that
   * another replica (or this one after a restart) takes them over.
   */
  async shutdown(): Promise<void> {
    this.#running = false;
    this.#timers.forEach(clearInterval);
    this.#timers = [];
    for (const driver of this.#drivers.values()) driver.abandon();
    this.notify();
    await this.#loop;
    // A run claimed while the loop was finishing is let go as well.
    for (const driver of this.#drivers.values()) driver.abandon();
    await this.waitUntilIdle();
  }

  get #staleAfterMs() {
    return this.options.staleAfterMs ?? 30_000;
  }

  async #claimLoop() {
    while (this.#running) {
      this.#wakeRequested = false;
      let claimed: RunRecord | undefined;
      if (this.#drivers.size < (this.options.concurrency ?? 10)) {
        try {
          claimed = await this.options.runs.claimNextRun(this.engineId);
        } catch (error) {
          this.options.logger.warn(`Claiming a run failed: ${error}`);
        }
      }
      if (claimed) {
        this.#drive(claimed);
      } else if (!this.#wakeRequested) {
        await new Promise<void>(resolve => {
          const timer = setTimeout(
            resolve,
            this.options.pollIntervalMs ?? 1000,
          );
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  #drive(run: RunRecord, takeover?: { previousEngine?: string }) {
    const driver = new RunDriver(
      run,
      { ...this.options, engineId: this.engineId },
      takeover,
    );
    this.#drivers.set(run.id, driver);
    driver
      .drive()
      .catch(error =>
        this.options.logger.error(
          `Driving run ${run.id} failed`,
          error as Error,
        ),
      )
      .finally(() => {
        this.#drivers.delete(run.id);
        // A slot is free: look for more work, orphaned runs first, which started earlier
        // than anything queued; waiting for the next check would take them over only a
        // slotful per check (10 per 10 s by default).
        if (this.#staleRunsLeft) this.#recover().finally(() => this.notify());
        else this.notify();
        if (this.#drivers.size === 0) {
          this.#idle.forEach(resolve => resolve());
          this.#idle.clear();
        }
      });
  }

  async #heartbeat() {
    try {
      const { lost, stopRequested } = await this.options.runs.heartbeat(
        this.engineId,
        this.activeRunIds,
      );
      for (const id of lost) this.#drivers.get(id)?.abandon();
      for (const id of stopRequested) this.#drivers.get(id)?.stop();
    } catch (error) {
      this.options.logger.warn(`Heartbeat failed: ${error}`);
    }
  }

  /**
   * Takes over every stale run there is room for, not one per tick: the runs of a backend
   * that died all go on within one check (taken one at a time, they went on about 10 s
   * apart), and those there was no room for as slots free. Another check waits for this
   * one to end.
   */
  async #recover() {
    if (this.#recovering) return;
    this.#recovering = true;
    try {
      for (;;) {
        if (!this.#running) break;
        if (this.#drivers.size >= (this.options.concurrency ?? 10)) {
          this.#staleRunsLeft = true;
          break;
        }
        const taken = await this.options.runs.takeOverStaleRun(
          this.engineId,
          new Date(Date.now() - this.#staleAfterMs),
        );
        if (!taken) {
          this.#staleRunsLeft = false;
          break;
        }
        this.options.logger.info(
          `Took over run ${taken.run.id} from engine ${taken.previousEngine}`,
        );
        this.#drive(taken.run, { previousEngine: taken.previousEngine });
      }
    } catch (error) {
      this.options.logger.warn(`Recovering stale runs failed: ${error}`);
    } finally {
      this.#recovering = false;
    }
  }
}
