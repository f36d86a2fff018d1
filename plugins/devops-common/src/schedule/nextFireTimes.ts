import { DateTime } from 'luxon';
import type { Schedule } from '../model/triggers';

const parseTime = (time: string) => {
  const [hour, minute] = time.split(':').map(Number);
  return { hour, minute };
};

/** Minutes in a day as the clock shows it; DST days are longer or shorter in real time. */
const MINUTES_PER_DAY = 24 * 60;

/**
 * A day of the zone's clock, from its midnight. `instantsAt(hour, minute)` gives the
 * instants at which the clock shows that time, earliest first: one on most days, two in
 * the hour repeated when summer time ends, none in the hour skipped when it starts. For
 * that hour, `skipped: 'shift'` gives the time the clock shows an hour later instead
 * (02:30 becomes 03:30), so that a slot is not lost.
 */
function clockDay(dayStart: DateTime) {
  // Offsets change at most once a day: a day that starts and ends with the same one
  // has a plain clock, where a time of day is its distance from midnight.
  const plain = dayStart.offset === dayStart.plus({ days: 1 }).offset;
  return {
    instantsAt(
      hour: number,
      minute: number,
      skipped: 'shift' | 'drop',
    ): DateTime[] {
      if (plain) return [dayStart.plus({ minutes: hour * 60 + minute })];
      const guess = dayStart.set({ hour, minute });
      const instants = [
        guess.minus({ hours: 1 }),
        guess,
        guess.plus({ hours: 1 }),
      ].filter(t => t.hour === hour && t.minute === minute);
      // In a skipped hour luxon moves the time forward by the length of the jump.
      return instants.length || skipped === 'drop' ? instants : [guess];
    },
  };
}

/**
 * The first fire time strictly after `after`, in `zone`. "Every n minutes/hours" fires at
 * the next whole multiple of n counted from the start of the day (SPEC §5): set at
 * 14:53:21 with every 2 minutes it fires 14:54, 14:56, ...
 *
 * Times are the zone's wall-clock times. When summer time ends, "every n minutes/hours"
 * goes on firing through the repeated hour (the clock shows its slots twice), while a
 * daily, weekly or monthly time fires once, in the first pass. When summer time starts,
 * minutes the clock skips do not fire (the next slot after the jump does), while an
 * hourly, daily, weekly or monthly time the clock skips fires an hour later on the clock
 * (02:30 becomes 03:30), once.
 */
export function nextFireTime(
  schedule: Schedule,
  after: DateTime,
  zone: string,
): DateTime {
  if (!after.isValid) {
    throw new Error(
      `cannot compute fire times after an invalid time: ${after.invalidReason}`,
    );
  }
  const now = after.setZone(zone);
  if (!now.isValid) {
    throw new Error(
      `cannot compute fire times in time zone "${zone}": ${
        now.invalidExplanation ?? now.invalidReason
      }`,
    );
  }
  const dayStart = now.startOf('day');
  switch (schedule.every) {
    case 'minutes': {
      // A minute of the day is a slot when it is a whole multiple of the interval;
      // multiples restart at midnight. Search from the slot of the current minute, or,
      // within an hour of a change of offset, from an hour earlier on the clock: the
      // slots of a repeated hour fire again in its second pass.
      const { interval } = schedule;
      const nearChange =
        now.minus({ hours: 1 }).offset !== now.offset ||
        now.plus({ hours: 1 }).offset !== now.offset;
      const minuteOfDay = Math.max(
        0,
        now.hour * 60 + now.minute - (nearChange ? 60 : 0),
      );
      return earliestAfter(now, function* slots() {
        for (let day = 0; day < 2; day++) {
          const clock = clockDay(dayStart.plus({ days: day }));
          const first =
            day === 0 ? Math.floor(minuteOfDay / interval) * interval : 0;
          for (let slot = first; slot < MINUTES_PER_DAY; slot += interval) {
            // A skipped minute is not made up for: the next slot is near.
            yield clock.instantsAt(Math.floor(slot / 60), slot % 60, 'drop');
          }
        }
      });
    }
    case 'hours': {
      // Slots more than an hour before now on the clock are past even when repeated.
      const { interval, minute } = schedule;
      const firstHour =
        Math.floor(Math.max(0, now.hour - 1) / interval) * interval;
      return earliestAfter(now, function* slots() {
        for (let day = 0; day < 2; day++) {
          const clock = clockDay(dayStart.plus({ days: day }));
          for (
            let hour = day === 0 ? firstHour : 0;
            hour < 24;
            hour += interval
          ) {
            yield clock.instantsAt(hour, minute, 'shift');
          }
        }
      });
    }
    case 'day': {
      for (let day = 0; day < 2; day++) {
        const candidate = dayStart
          .plus({ days: day })
          .set(parseTime(schedule.time));
        if (candidate > now) return candidate;
      }
      break;
    }
    case 'week': {
      for (let day = 0; day <= 7; day++) {
        const date = dayStart.plus({ days: day });
        const candidate = date.set(parseTime(schedule.time));
        if (date.weekday === schedule.weekday && candidate > now)
          return candidate;
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
  throw new Error(
    `no fire time found for schedule ${JSON.stringify(schedule)}`,
  );
}

/**
 * The earliest instant after `now` among slots given in wall-clock order. In a repeated
 * hour a slot's second instant comes after the next slot's first, so the search goes on
 * until a slot starts after the best instant found.
 */
function earliestAfter(
  now: DateTime,
  slots: () => Generator<DateTime[]>,
): DateTime {
  let best: DateTime | undefined;
  for (const instants of slots()) {
    if (!instants.length) continue;
    if (best && instants[0] > best) break;
    const next = instants.find(t => t > now);
    if (next && (!best || next < best)) best = next;
  }
  if (!best) throw new Error('no fire time found within two days');
  return best;
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
