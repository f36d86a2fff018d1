import { DateTime } from 'luxon';
import type { Schedule } from '../model/triggers';

const parseTime = (time: string) => {
  const [hour, minute] = time.split(':').map(Number);
  return { hour, minute };
};

/**
 * The first fire time strictly after `after`, in `zone`. "Every n minutes/hours" fires at
 * the next whole multiple of n counted from the start of the day (SPEC §5): set at
 * 14:53:21 with every 2 minutes it fires 14:54, 14:56, ...
 */
export function nextFireTime(schedule: Schedule, after: DateTime, zone: string): DateTime {
  const now = after.setZone(zone);
  const dayStart = now.startOf('day');
  switch (schedule.every) {
    case 'minutes': {
      const minutesOfDay = now.diff(dayStart, 'minutes').minutes;
      const next = (Math.floor(minutesOfDay / schedule.interval) + 1) * schedule.interval;
      // Multiples restart at midnight, so the day's last slot is followed by 00:00.
      return next >= 24 * 60 ? dayStart.plus({ days: 1 }) : dayStart.plus({ minutes: next });
    }
    case 'hours': {
      for (let day = 0; day < 2; day++) {
        const base = dayStart.plus({ days: day });
        for (let hour = 0; hour < 24; hour += schedule.interval) {
          const candidate = base.set({ hour, minute: schedule.minute });
          if (candidate > now) return candidate;
        }
      }
      break;
    }
    case 'day': {
      const at = dayStart.set(parseTime(schedule.time));
      return at > now ? at : dayStart.plus({ days: 1 }).set(parseTime(schedule.time));
    }
    case 'week': {
      for (let day = 0; day <= 7; day++) {
        const date = dayStart.plus({ days: day });
        const candidate = date.set(parseTime(schedule.time));
        if (date.weekday === schedule.weekday && candidate > now) return candidate;
      }
      break;
    }
    case 'month': {
      for (let month = 0; month <= 1; month++) {
        const monthStart = now.startOf('month').plus({ months: month });
        const day = Math.min(schedule.day, monthStart.daysInMonth ?? 28);
        const candidate = monthStart.set({ day, ...parseTime(schedule.time) });
        if (candidate > now) return candidate;
      }
      break;
    }
    default:
      break;
  }
  throw new Error(`no fire time found for schedule ${JSON.stringify(schedule)}`);
}

/** The next `count` fire times after `after`, for the trigger dialog's preview. */
export function nextFireTimes(
  schedule: Schedule,
  after: DateTime,
  zone: string,
  count: number,
): DateTime[] {
  const times: DateTime[] = [];
  let cursor = after;
  while (times.length < count) {
    cursor = nextFireTime(schedule, cursor, zone);
    times.push(cursor);
  }
  return times;
}
