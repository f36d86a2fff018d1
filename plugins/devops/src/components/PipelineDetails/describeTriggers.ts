import type {
  Schedule,
  Triggers,
} from '@devops-pipelines/plugin-devops-common';
import { weekdayNames } from '../../lib/weekdays';

/** The enabled code-host events, e.g. "Push, tag"; undefined when none is. */
export function describeEvents(events: Triggers['events']): string | undefined {
  const names = (['push', 'merge', 'tag'] as const).filter(e => events?.[e]);
  if (names.length === 0) {
    return undefined;
  }
  const text = names.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type ScheduleOf<E extends Schedule['every']> = Extract<Schedule, { every: E }>;

const scheduleDescriptions: {
  [E in Schedule['every']]: (schedule: ScheduleOf<E>) => string;
} = {
  minutes: s => `Every ${s.interval} minutes`,
  hours: s => `Every ${s.interval} hours at minute ${s.minute}`,
  day: s => `Every day at ${s.time}`,
  week: s => `Every ${weekdayNames()[s.weekday - 1]} at ${s.time}`,
  month: s => `Every month on day ${s.day} at ${s.time}`,
};

/** A periodic trigger in words, e.g. "Every 2 hours at minute 28". */
export function describeSchedule(schedule: Schedule): string {
  // The map's type pairs each kind with its own fields; the lookup cannot show it.
  const describe = scheduleDescriptions[schedule.every] as (
    s: Schedule,
  ) => string;
  return describe(schedule);
}
