import { setTimeout as sleep } from 'node:timers/promises';

/** The time as the timer sees it; tests drive a clock of their own. */
export interface TriggerClock {
  now(): Date;
  /** Resolves at `time`, or when `signal` aborts. */
  sleepUntil(time: Date, signal: AbortSignal): Promise<void>;
}

export const systemClock: TriggerClock = {
  now: () => new Date(),
  async sleepUntil(time, signal) {
    // Timers may wake a millisecond early; the fire time must have come.
    while (!signal.aborted && Date.now() < time.getTime()) {
      await sleep(time.getTime() - Date.now(), undefined, { signal }).catch(
        () => {},
      );
    }
  },
};
