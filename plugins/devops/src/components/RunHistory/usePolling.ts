import { useCallback, useEffect, useRef, useState } from 'react';

export type PollingState<T> = {
  value?: T;
  /** The latest failure; the last value read stays shown meanwhile. */
  error?: Error;
  loading: boolean;
  /** Reads again now, e.g. after an action changed what is shown. */
  reload: () => void;
};

/**
 * Reads a value and reads it again after the interval `intervalFor` picks for it, so
 * statuses move on the page while something runs and polling stops once it is over.
 * `load` must be memoised: a new function starts over.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  intervalFor: (value: T) => number | undefined,
): PollingState<T> {
  const [state, setState] = useState<Omit<PollingState<T>, 'reload'>>({
    loading: true,
  });
  const [reloads, setReloads] = useState(0);
  // Read at each tick, so that callers may pass an inline function.
  const intervalForRef = useRef(intervalFor);
  intervalForRef.current = intervalFor;

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let interval: number | undefined;
    const tick = async () => {
      try {
        const value = await load();
        if (cancelled) return;
        setState({ value, loading: false });
        interval = intervalForRef.current(value);
      } catch (e) {
        if (cancelled) return;
        setState(previous => ({
          value: previous.value,
          error: e instanceof Error ? e : new Error(String(e)),
          loading: false,
        }));
        // A failed poll is retried at the pace it had; a failed first read is final.
      }
      if (interval !== undefined) {
        timer = setTimeout(tick, interval);
      }
    };
    tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [load, reloads]);

  const reload = useCallback(() => setReloads(n => n + 1), []);
  return { ...state, reload };
}
