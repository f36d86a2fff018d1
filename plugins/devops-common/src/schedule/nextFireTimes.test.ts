import { DateTime } from 'luxon';
import type { Schedule } from '../model/triggers';
import { nextFireTime, nextFireTimes } from './nextFireTimes';

const BERLIN = 'Europe/Berlin';

/** A wall-clock time in a zone, e.g. at('2026-05-12T14:53:21'). */
const at = (iso: string, zone = BERLIN) => DateTime.fromISO(iso, { zone });

/** Fire times as ISO strings with offset, which shows both wall clock and instant. */
const iso = (times: DateTime[]) =>
  times.map(t => t.toISO({ suppressMilliseconds: true }));

const fires = (
  schedule: Schedule,
  after: string,
  count: number,
  zone = BERLIN,
) => iso(nextFireTimes(schedule, at(after, zone), zone, count));

describe('nextFireTimes', () => {
  describe('the examples of SPEC §5', () => {
    it('every 2 minutes, set at 14:53:21, fires 14:54:00, 14:56:00, 14:58:00 ...', () => {
      expect(
        fires({ every: 'minutes', interval: 2 }, '2026-05-12T14:53:21', 4),
      ).toEqual([
        '2026-05-12T14:54:00+02:00',
        '2026-05-12T14:56:00+02:00',
        '2026-05-12T14:58:00+02:00',
        '2026-05-12T15:00:00+02:00',
      ]);
    });

    it('every 2 hours at minute 28, set at 14:53:21, fires 16:28, 18:28, 20:28 ...', () => {
      expect(
        fires(
          { every: 'hours', interval: 2, minute: 28 },
          '2026-05-12T14:53:21',
          6,
        ),
      ).toEqual([
        '2026-05-12T16:28:00+02:00',
        '2026-05-12T18:28:00+02:00',
        '2026-05-12T20:28:00+02:00',
        '2026-05-12T22:28:00+02:00',
        '2026-05-13T00:28:00+02:00',
        '2026-05-13T02:28:00+02:00',
      ]);
    });
  });

  describe('every n minutes', () => {
    it('fires strictly after the given time, even when it is exactly on a slot', () => {
      expect(
        fires({ every: 'minutes', interval: 2 }, '2026-05-12T14:54:00', 1),
      ).toEqual(['2026-05-12T14:56:00+02:00']);
      expect(
        fires({ every: 'minutes', interval: 2 }, '2026-05-12T14:53:59.999', 1),
      ).toEqual(['2026-05-12T14:54:00+02:00']);
    });

    it('fires every minute with interval 1', () => {
      expect(
        fires({ every: 'minutes', interval: 1 }, '2026-05-12T23:58:30', 3),
      ).toEqual([
        '2026-05-12T23:59:00+02:00',
        '2026-05-13T00:00:00+02:00',
        '2026-05-13T00:01:00+02:00',
      ]);
    });

    it('restarts the multiples at midnight: every 7 minutes at 23:58 fires 00:00 next day', () => {
      expect(
        fires({ every: 'minutes', interval: 7 }, '2026-05-12T23:58:00', 3),
      ).toEqual([
        '2026-05-13T00:00:00+02:00',
        '2026-05-13T00:07:00+02:00',
        '2026-05-13T00:14:00+02:00',
      ]);
    });

    it('fires the last slot of the day before midnight', () => {
      // 23:55 is 1435 minutes after midnight = 205 * 7.
      expect(
        fires({ every: 'minutes', interval: 7 }, '2026-05-12T23:50:10', 3),
      ).toEqual([
        '2026-05-12T23:55:00+02:00',
        '2026-05-13T00:00:00+02:00',
        '2026-05-13T00:07:00+02:00',
      ]);
    });

    it('fires at the full hour with every 59 minutes only at midnight', () => {
      expect(
        fires({ every: 'minutes', interval: 59 }, '2026-05-12T23:30:00', 3),
      ).toEqual([
        '2026-05-12T23:36:00+02:00', // 1416 = 24 * 59
        '2026-05-13T00:00:00+02:00',
        '2026-05-13T00:59:00+02:00',
      ]);
    });

    it('crosses the end of a month and a year', () => {
      expect(
        fires({ every: 'minutes', interval: 5 }, '2026-12-31T23:57:00', 2),
      ).toEqual(['2027-01-01T00:00:00+01:00', '2027-01-01T00:05:00+01:00']);
    });
  });

  describe('every n hours', () => {
    it('fires later the same day when the minute is still ahead', () => {
      expect(
        fires(
          { every: 'hours', interval: 2, minute: 28 },
          '2026-05-12T14:10:00',
          2,
        ),
      ).toEqual(['2026-05-12T14:28:00+02:00', '2026-05-12T16:28:00+02:00']);
    });

    it('restarts at midnight when the interval does not divide 24', () => {
      expect(
        fires(
          { every: 'hours', interval: 5, minute: 0 },
          '2026-05-12T19:30:00',
          7,
        ),
      ).toEqual([
        '2026-05-12T20:00:00+02:00',
        '2026-05-13T00:00:00+02:00',
        '2026-05-13T05:00:00+02:00',
        '2026-05-13T10:00:00+02:00',
        '2026-05-13T15:00:00+02:00',
        '2026-05-13T20:00:00+02:00',
        '2026-05-14T00:00:00+02:00',
      ]);
    });

    it('with every 23 hours fires at 00:mm and 23:mm', () => {
      expect(
        fires(
          { every: 'hours', interval: 23, minute: 15 },
          '2026-05-12T00:20:00',
          3,
        ),
      ).toEqual([
        '2026-05-12T23:15:00+02:00',
        '2026-05-13T00:15:00+02:00',
        '2026-05-13T23:15:00+02:00',
      ]);
    });

    it('fires strictly after a time exactly on a slot', () => {
      expect(
        fires(
          { every: 'hours', interval: 1, minute: 0 },
          '2026-05-12T10:00:00',
          1,
        ),
      ).toEqual(['2026-05-12T11:00:00+02:00']);
    });
  });

  describe('every day', () => {
    it('fires today when the time is ahead, otherwise tomorrow', () => {
      expect(
        fires({ every: 'day', time: '02:00' }, '2026-05-12T01:59:59', 2),
      ).toEqual(['2026-05-12T02:00:00+02:00', '2026-05-13T02:00:00+02:00']);
      expect(
        fires({ every: 'day', time: '02:00' }, '2026-05-12T02:00:00', 1),
      ).toEqual(['2026-05-13T02:00:00+02:00']);
    });

    it('fires at midnight and at 23:59', () => {
      expect(
        fires({ every: 'day', time: '00:00' }, '2026-05-12T00:00:00', 1),
      ).toEqual(['2026-05-13T00:00:00+02:00']);
      expect(
        fires({ every: 'day', time: '23:59' }, '2026-05-12T23:59:30', 1),
      ).toEqual(['2026-05-13T23:59:00+02:00']);
    });
  });

  describe('every week', () => {
    it('fires on the next given ISO weekday', () => {
      // 2026-05-13 is a Wednesday.
      expect(
        fires(
          { every: 'week', weekday: 1, time: '02:00' },
          '2026-05-13T12:00:00',
          3,
        ),
      ).toEqual([
        '2026-05-18T02:00:00+02:00',
        '2026-05-25T02:00:00+02:00',
        '2026-06-01T02:00:00+02:00',
      ]);
    });

    it('fires the same day when the time is still ahead, else a week later', () => {
      // 2026-05-18 is a Monday.
      expect(
        fires(
          { every: 'week', weekday: 1, time: '02:00' },
          '2026-05-18T01:00:00',
          1,
        ),
      ).toEqual(['2026-05-18T02:00:00+02:00']);
      expect(
        fires(
          { every: 'week', weekday: 1, time: '02:00' },
          '2026-05-18T02:00:00',
          1,
        ),
      ).toEqual(['2026-05-25T02:00:00+02:00']);
    });

    it('knows Sunday as weekday 7', () => {
      expect(
        fires(
          { every: 'week', weekday: 7, time: '23:30' },
          '2026-05-13T12:00:00',
          1,
        ),
      ).toEqual(['2026-05-17T23:30:00+02:00']);
    });
  });

  describe('every month', () => {
    it('fires on the day of each month', () => {
      expect(
        fires(
          { every: 'month', day: 1, time: '02:00' },
          '2026-01-15T00:00:00',
          3,
        ),
      ).toEqual([
        '2026-02-01T02:00:00+01:00',
        '2026-03-01T02:00:00+01:00',
        '2026-04-01T02:00:00+02:00',
      ]);
    });

    it('fires on the last day of months without that day (31 in February)', () => {
      expect(
        fires(
          { every: 'month', day: 31, time: '02:00' },
          '2026-01-31T03:00:00',
          5,
        ),
      ).toEqual([
        '2026-02-28T02:00:00+01:00',
        '2026-03-31T02:00:00+02:00',
        '2026-04-30T02:00:00+02:00',
        '2026-05-31T02:00:00+02:00',
        '2026-06-30T02:00:00+02:00',
      ]);
    });

    it('fires on 29 February in a leap year', () => {
      expect(
        fires(
          { every: 'month', day: 30, time: '12:00' },
          '2028-02-01T00:00:00',
          2,
        ),
      ).toEqual(['2028-02-29T12:00:00+01:00', '2028-03-30T12:00:00+02:00']);
    });

    it('fires later this month when the day is still ahead', () => {
      expect(
        fires(
          { every: 'month', day: 31, time: '02:00' },
          '2026-02-27T12:00:00',
          1,
        ),
      ).toEqual(['2026-02-28T02:00:00+01:00']);
    });

    it('crosses the end of the year', () => {
      expect(
        fires(
          { every: 'month', day: 15, time: '08:00' },
          '2026-12-15T08:00:00',
          1,
        ),
      ).toEqual(['2027-01-15T08:00:00+01:00']);
    });
  });

  describe('time zones', () => {
    it('returns times in the given zone, whatever the zone of the start', () => {
      const after = DateTime.fromISO('2026-05-12T12:53:21Z', { zone: 'utc' });
      const [first] = nextFireTimes(
        { every: 'minutes', interval: 2 },
        after,
        BERLIN,
        1,
      );
      expect(first.zoneName).toBe(BERLIN);
      expect(first.toISO({ suppressMilliseconds: true })).toBe(
        '2026-05-12T14:54:00+02:00',
      );
    });

    it('reads the schedule in the zone, not in UTC', () => {
      const after = DateTime.fromISO('2026-05-12T00:00:00Z', { zone: 'utc' });
      const daily: Schedule = { every: 'day', time: '02:00' };
      expect(iso(nextFireTimes(daily, after, 'Asia/Tokyo', 1))).toEqual([
        '2026-05-13T02:00:00+09:00',
      ]);
      expect(iso(nextFireTimes(daily, after, 'America/New_York', 1))).toEqual([
        '2026-05-12T02:00:00-04:00',
      ]);
      expect(iso(nextFireTimes(daily, after, 'UTC', 1))).toEqual([
        '2026-05-12T02:00:00Z',
      ]);
    });

    it('counts the multiples from the start of the day in the zone', () => {
      // Kathmandu is UTC+05:45: its midnight is no whole multiple of 2 hours in UTC.
      const after = DateTime.fromISO('2026-05-12T00:00:00Z', { zone: 'utc' });
      expect(
        iso(
          nextFireTimes(
            { every: 'hours', interval: 2, minute: 0 },
            after,
            'Asia/Kathmandu',
            2,
          ),
        ),
      ).toEqual(['2026-05-12T06:00:00+05:45', '2026-05-12T08:00:00+05:45']);
    });

    it('refuses an unknown time zone, naming it', () => {
      expect(() =>
        nextFireTime(
          { every: 'day', time: '02:00' },
          DateTime.now(),
          'Mars/Olympus_Mons',
        ),
      ).toThrow(/time zone "Mars\/Olympus_Mons"/);
    });

    it('refuses an invalid start time', () => {
      expect(() =>
        nextFireTime(
          { every: 'day', time: '02:00' },
          DateTime.invalid('broken'),
          BERLIN,
        ),
      ).toThrow(/invalid time/);
    });
  });

  describe('summer time in Europe/Berlin (clocks jump from 02:00 to 03:00 on 2026-03-29)', () => {
    it('fires a daily time the clock skips once, after the jump, in summer time', () => {
      expect(
        fires({ every: 'day', time: '02:30' }, '2026-03-28T12:00:00', 3),
      ).toEqual([
        '2026-03-29T03:30:00+02:00',
        '2026-03-30T02:30:00+02:00',
        '2026-03-31T02:30:00+02:00',
      ]);
    });

    it('keeps the wall-clock time across the change, though that day has 23 hours', () => {
      const times = nextFireTimes(
        { every: 'day', time: '03:00' },
        at('2026-03-27T12:00:00'),
        BERLIN,
        3,
      );
      expect(iso(times)).toEqual([
        '2026-03-28T03:00:00+01:00',
        '2026-03-29T03:00:00+02:00',
        '2026-03-30T03:00:00+02:00',
      ]);
      expect(times[1].diff(times[0], 'hours').hours).toBe(23);
      expect(times[2].diff(times[1], 'hours').hours).toBe(24);
      expect(times.map(t => t.zoneName)).toEqual([BERLIN, BERLIN, BERLIN]);
    });

    it('fires a weekly and a monthly time on the day of the change', () => {
      // 2026-03-29 is a Sunday.
      expect(
        fires(
          { every: 'week', weekday: 7, time: '02:15' },
          '2026-03-28T00:00:00',
          2,
        ),
      ).toEqual(['2026-03-29T03:15:00+02:00', '2026-04-05T02:15:00+02:00']);
      expect(
        fires(
          { every: 'month', day: 29, time: '04:00' },
          '2026-03-28T00:00:00',
          2,
        ),
      ).toEqual(['2026-03-29T04:00:00+02:00', '2026-04-29T04:00:00+02:00']);
    });

    it('fires hourly slots in real hours through the jump, without repeating one', () => {
      expect(
        fires(
          { every: 'hours', interval: 1, minute: 30 },
          '2026-03-29T00:45:00',
          4,
        ),
      ).toEqual([
        '2026-03-29T01:30:00+01:00',
        '2026-03-29T03:30:00+02:00',
        '2026-03-29T04:30:00+02:00',
        '2026-03-29T05:30:00+02:00',
      ]);
    });

    it('does not fire minute slots the clock skips; the next slot after the jump fires', () => {
      expect(
        fires({ every: 'minutes', interval: 15 }, '2026-03-29T01:40:00', 4),
      ).toEqual([
        '2026-03-29T01:45:00+01:00',
        '2026-03-29T03:00:00+02:00',
        '2026-03-29T03:15:00+02:00',
        '2026-03-29T03:30:00+02:00',
      ]);
      // 01:59 is 17 * 7 minutes after midnight, 03:02 is 26 * 7.
      expect(
        fires({ every: 'minutes', interval: 7 }, '2026-03-29T01:55:00', 3),
      ).toEqual([
        '2026-03-29T01:59:00+01:00',
        '2026-03-29T03:02:00+02:00',
        '2026-03-29T03:09:00+02:00',
      ]);
    });

    it('fires an hourly slot the clock skips an hour later on the clock', () => {
      expect(
        fires(
          { every: 'hours', interval: 2, minute: 30 },
          '2026-03-29T00:00:00',
          3,
        ),
      ).toEqual([
        '2026-03-29T00:30:00+01:00',
        '2026-03-29T03:30:00+02:00',
        '2026-03-29T04:30:00+02:00',
      ]);
    });

    it('restarts minute multiples at the next midnight of the shorter day', () => {
      expect(
        fires({ every: 'minutes', interval: 7 }, '2026-03-29T23:58:00', 2),
      ).toEqual(['2026-03-30T00:00:00+02:00', '2026-03-30T00:07:00+02:00']);
    });
  });

  describe('end of summer time in Europe/Berlin (03:00 goes back to 02:00 on 2026-10-25)', () => {
    it('keeps firing every n minutes through the last hour of the longer day', () => {
      expect(
        fires({ every: 'minutes', interval: 1 }, '2026-10-25T22:59:00', 2),
      ).toEqual(['2026-10-25T23:00:00+01:00', '2026-10-25T23:01:00+01:00']);
    });

    it('fires every n minutes in both passes of the repeated hour, every n real minutes', () => {
      expect(
        fires({ every: 'minutes', interval: 30 }, '2026-10-25T01:45:00', 5),
      ).toEqual([
        '2026-10-25T02:00:00+02:00',
        '2026-10-25T02:30:00+02:00',
        '2026-10-25T02:00:00+01:00',
        '2026-10-25T02:30:00+01:00',
        '2026-10-25T03:00:00+01:00',
      ]);
    });

    it('fires every n hours in both passes of the repeated hour', () => {
      expect(
        fires(
          { every: 'hours', interval: 1, minute: 30 },
          '2026-10-25T01:00:00',
          4,
        ),
      ).toEqual([
        '2026-10-25T01:30:00+02:00',
        '2026-10-25T02:30:00+02:00',
        '2026-10-25T02:30:00+01:00',
        '2026-10-25T03:30:00+01:00',
      ]);
    });

    it('fires a daily time of the repeated hour once', () => {
      expect(
        fires({ every: 'day', time: '02:30' }, '2026-10-25T00:00:00', 2),
      ).toEqual(['2026-10-25T02:30:00+02:00', '2026-10-26T02:30:00+01:00']);
    });

    it('continues from a start inside the second pass of the repeated hour', () => {
      const secondPass = DateTime.fromISO('2026-10-25T02:40:00+01:00').setZone(
        BERLIN,
      );
      expect(secondPass.offset).toBe(60);
      expect(
        iso(
          nextFireTimes(
            { every: 'minutes', interval: 10 },
            secondPass,
            BERLIN,
            2,
          ),
        ),
      ).toEqual(['2026-10-25T02:50:00+01:00', '2026-10-25T03:00:00+01:00']);
      expect(
        iso(
          nextFireTimes({ every: 'day', time: '02:30' }, secondPass, BERLIN, 1),
        ),
      ).toEqual(['2026-10-26T02:30:00+01:00']);
    });
  });

  it('returns no times for a count of 0', () => {
    expect(
      nextFireTimes(
        { every: 'minutes', interval: 5 },
        at('2026-05-12T00:00:00'),
        BERLIN,
        0,
      ),
    ).toEqual([]);
  });

  describe('returns strictly increasing times that match the schedule', () => {
    const schedules: Schedule[] = [
      { every: 'minutes', interval: 1 },
      { every: 'minutes', interval: 7 },
      { every: 'minutes', interval: 45 },
      { every: 'hours', interval: 1, minute: 30 },
      { every: 'hours', interval: 5, minute: 0 },
      { every: 'hours', interval: 23, minute: 59 },
      { every: 'day', time: '02:30' },
      { every: 'week', weekday: 7, time: '02:30' },
      { every: 'month', day: 31, time: '00:00' },
    ];
    const starts = [
      '2026-03-29T00:00:00', // summer time starts
      '2026-10-24T22:00:00', // summer time ends
      '2026-02-27T23:59:59.999',
      '2028-02-28T12:34:56',
    ];

    /** Whether a time is a slot of the schedule as the clock shows it. */
    const onSchedule = (schedule: Schedule, t: DateTime) => {
      if (t.second !== 0 || t.millisecond !== 0) return false;
      switch (schedule.every) {
        case 'minutes':
          return (t.hour * 60 + t.minute) % schedule.interval === 0;
        case 'hours':
          return (
            t.hour % schedule.interval === 0 && t.minute === schedule.minute
          );
        case 'day':
          return t.toFormat('HH:mm') === schedule.time;
        case 'week':
          return (
            t.weekday === schedule.weekday &&
            t.toFormat('HH:mm') === schedule.time
          );
        case 'month':
          return (
            t.day === Math.min(schedule.day, t.daysInMonth!) &&
            t.toFormat('HH:mm') === schedule.time
          );
        default:
          return false;
      }
    };
    /** The wall-clock time a time shows, as a zone-less (UTC) time. */
    const wallClock = (t: DateTime) =>
      DateTime.fromObject(
        {
          year: t.year,
          month: t.month,
          day: t.day,
          hour: t.hour,
          minute: t.minute,
          second: t.second,
          millisecond: t.millisecond,
        },
        { zone: 'UTC' },
      );
    /**
     * A slot the clock skipped when summer time started fires an hour later on the
     * clock (02:30 becomes 03:30).
     */
    const shiftedSlot = (schedule: Schedule, t: DateTime) =>
      schedule.every !== 'minutes' &&
      t.startOf('day').offset < t.offset &&
      onSchedule(schedule, wallClock(t).minus({ hours: 1 }));

    it.each(schedules.map(s => [JSON.stringify(s), s] as const))(
      '%s',
      (_, schedule) => {
        for (const start of starts) {
          const after = at(start);
          const times = nextFireTimes(schedule, after, BERLIN, 60);
          expect(times).toHaveLength(60);
          let previous: DateTime = after;
          for (const t of times) {
            expect(t.zoneName).toBe(BERLIN);
            if (!(t > previous)) {
              throw new Error(
                `${t.toISO()} does not follow ${previous.toISO()} (from ${start})`,
              );
            }
            if (!onSchedule(schedule, t) && !shiftedSlot(schedule, t)) {
              throw new Error(
                `${t.toISO()} is not a slot of the schedule (from ${start})`,
              );
            }
            previous = t;
          }
        }
      },
    );
  });

  describe('every n minutes matches a minute-by-minute count of the clock', () => {
    /** Every real minute after `after` whose clock time is a multiple of `interval`. */
    const bruteForce = (interval: number, after: DateTime, count: number) => {
      const times: DateTime[] = [];
      let t = after.startOf('minute');
      while (times.length < count) {
        t = t.plus({ minutes: 1 });
        if ((t.hour * 60 + t.minute) % interval === 0) times.push(t);
      }
      return times;
    };

    it.each([
      [1, '2026-10-25T01:50:00'],
      [2, '2026-10-25T01:59:30'],
      [7, '2026-10-25T01:00:00'],
      [13, '2026-10-25T02:31:00'],
      [30, '2026-10-24T23:10:00'],
      [59, '2026-10-24T22:00:00'],
      [1, '2026-03-29T01:55:00'],
      [7, '2026-03-29T01:00:00'],
      [13, '2026-03-29T00:00:00'],
      [45, '2026-03-28T20:00:00'],
      [11, '2026-05-12T23:01:00'],
    ])('every %d minutes from %s', (interval, start) => {
      const after = at(start);
      const count = Math.ceil((4 * 60) / interval) + 5;
      expect(
        iso(
          nextFireTimes({ every: 'minutes', interval }, after, BERLIN, count),
        ),
      ).toEqual(iso(bruteForce(interval, after, count)));
    });

    it('from a start in the second pass of the repeated hour', () => {
      const after = DateTime.fromISO('2026-10-25T02:05:00+01:00').setZone(
        BERLIN,
      );
      expect(
        iso(
          nextFireTimes({ every: 'minutes', interval: 7 }, after, BERLIN, 20),
        ),
      ).toEqual(iso(bruteForce(7, after, 20)));
    });
  });
});
