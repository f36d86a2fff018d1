/**
 * A run's timeout as a budget of execution time: it runs down while tasks execute and
 * is paused while they wait for cluster resources, which SPEC §3 says must not count.
 */
export class TimeoutBudget {
  #remainingMs: number;
  #resumedAt?: number;
  #timer?: NodeJS.Timeout;
  #stopped = false;

  constructor(
    limitMs: number,
    usedMs: number,
    private readonly onExpired: () => void,
  ) {
    this.#remainingMs = Math.max(0, limitMs - usedMs);
  }

  /** Starts or continues counting. */
  resume() {
    if (this.#stopped || this.#resumedAt !== undefined) return;
    this.#resumedAt = Date.now();
    this.#timer = setTimeout(() => {
      this.#stopped = true;
      this.onExpired();
    }, this.#remainingMs);
  }

  /** Stops counting until `resume`, keeping what is left. */
  pause() {
    if (this.#resumedAt === undefined) return;
    clearTimeout(this.#timer);
    this.#remainingMs = Math.max(0, this.#remainingMs - (Date.now() - this.#resumedAt));
    this.#resumedAt = undefined;
  }

  /** The run ended: never fire. */
  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}
