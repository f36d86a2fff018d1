import { DateTime } from 'luxon';
import { useState } from 'react';
import useInterval from 'react-use/esm/useInterval';

/** The current time, refreshed every `refreshMs`, for views that count from now. */
export function useNow(refreshMs: number): DateTime {
  const [now, setNow] = useState(() => DateTime.now());
  useInterval(() => setNow(DateTime.now()), refreshMs);
  return now;
}
