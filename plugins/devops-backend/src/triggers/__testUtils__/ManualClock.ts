import type { TriggerClock } from '../schedule/TriggerClock';

/** A clock the test moves: sleepers wake when it passes their time. */
export class ManualClock implements TriggerClock {
  #now: Date;
  #sleepers: Array<{ time: Date; wake(): void }> = [];

  constructor(start: string) {
    this.#now = new Date(start);
  }

  now() {
    return new Date(this.#now);
  }

  sleepUntil(time: Date, signal: AbortSignal): Promise<void> {
    if (time <= this.#now || signal.aborted) return Promise.resolve();
    return new Promise(resolve => {
      const sleeper = { time, wake: resolve };
      this.#sleepers.push(sleeper);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Whether something waits for a time; a test waits for this before moving on. */
  get sleeping(): Date[] {
    return this.#sleepers.map(s => s.time);
  }

  /** Moves to `time` and wakes every sleeper whose time has come. */
  set(time: string) {
    this.#now = new Date(time);
    const woken = this.#sleepers.filter(s => s.time <= this.#now);
    this.#sleepers = this.#sleepers.filter(s => s.time > this.#now);
    woken.forEach(s => s.wake());
  }
}
