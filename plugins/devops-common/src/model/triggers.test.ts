import { issuesOf } from '../__testUtils__/documents';
import { scheduleSchema, triggersSchema } from './triggers';

describe('scheduleSchema', () => {
  describe('every n minutes', () => {
    it.each([1, 5, 59])('accepts interval %d', interval => {
      expect(scheduleSchema.parse({ every: 'minutes', interval })).toEqual({
        every: 'minutes',
        interval,
      });
    });

    it('defaults the interval to 5 minutes', () => {
      expect(scheduleSchema.parse({ every: 'minutes' })).toEqual({
        every: 'minutes',
        interval: 5,
      });
    });

    it.each([
      [0, 'Too small: expected number to be >=1'],
      [-5, 'Too small: expected number to be >=1'],
      [60, 'Too big: expected number to be <=59'],
      [2.5, 'Invalid input: expected int, received number'],
      ['5', 'Invalid input: expected number, received string'],
    ])('rejects interval %j', (interval, message) => {
      expect(issuesOf(scheduleSchema, { every: 'minutes', interval })).toEqual([
        `interval: ${message}`,
      ]);
    });

    it('does not take a minute or a time', () => {
      expect(
        issuesOf(scheduleSchema, { every: 'minutes', interval: 5, minute: 3 }),
      ).toEqual([': Unrecognized key: "minute"']);
    });
  });

  describe('every n hours', () => {
    it.each([1, 5, 23])('accepts interval %d', interval => {
      expect(
        scheduleSchema.parse({ every: 'hours', interval, minute: 28 }),
      ).toEqual({ every: 'hours', interval, minute: 28 });
    });

    it('fires at minute 0 unless told otherwise', () => {
      expect(scheduleSchema.parse({ every: 'hours', interval: 2 })).toEqual({
        every: 'hours',
        interval: 2,
        minute: 0,
      });
    });

    it('requires the interval', () => {
      expect(issuesOf(scheduleSchema, { every: 'hours' })).toEqual([
        'interval: Invalid input: expected number, received undefined',
      ]);
    });

    it.each([
      [{ interval: 0 }, 'interval: Too small: expected number to be >=1'],
      [{ interval: 24 }, 'interval: Too big: expected number to be <=23'],
      [
        { interval: 2, minute: 60 },
        'minute: Too big: expected number to be <=59',
      ],
      [
        { interval: 2, minute: -1 },
        'minute: Too small: expected number to be >=0',
      ],
    ])('rejects %j', (fields, issue) => {
      expect(issuesOf(scheduleSchema, { every: 'hours', ...fields })).toEqual([
        issue,
      ]);
    });
  });

  describe('times of day', () => {
    it.each(['00:00', '02:00', '12:59', '23:59'])('accepts %s', time => {
      expect(scheduleSchema.parse({ every: 'day', time })).toEqual({
        every: 'day',
        time,
      });
    });

    it.each([
      '24:00',
      '2:00',
      '12:60',
      '12:5',
      '1200',
      '12:00:00',
      ' 12:00',
      '',
    ])('rejects %j', time => {
      expect(issuesOf(scheduleSchema, { every: 'day', time })).toEqual([
        'time: must be a time of day as HH:MM',
      ]);
    });

    it('requires the time', () => {
      expect(issuesOf(scheduleSchema, { every: 'day' })).toEqual([
        'time: Invalid input: expected string, received undefined',
      ]);
    });
  });

  describe('every week', () => {
    it.each([1, 7])('accepts ISO weekday %d', weekday => {
      expect(
        scheduleSchema.parse({ every: 'week', weekday, time: '02:00' }),
      ).toEqual({ every: 'week', weekday, time: '02:00' });
    });

    it.each([
      [0, 'Too small: expected number to be >=1'],
      [8, 'Too big: expected number to be <=7'],
    ])('rejects weekday %d', (weekday, message) => {
      expect(
        issuesOf(scheduleSchema, { every: 'week', weekday, time: '02:00' }),
      ).toEqual([`weekday: ${message}`]);
    });

    it('rejects a time of 24:00', () => {
      expect(
        issuesOf(scheduleSchema, { every: 'week', weekday: 1, time: '24:00' }),
      ).toEqual(['time: must be a time of day as HH:MM']);
    });
  });

  describe('every month', () => {
    it.each([1, 28, 31])('accepts day %d', day => {
      expect(
        scheduleSchema.parse({ every: 'month', day, time: '02:00' }),
      ).toEqual({ every: 'month', day, time: '02:00' });
    });

    it.each([
      [0, 'Too small: expected number to be >=1'],
      [32, 'Too big: expected number to be <=31'],
    ])('rejects day %d', (day, message) => {
      expect(
        issuesOf(scheduleSchema, { every: 'month', day, time: '02:00' }),
      ).toEqual([`day: ${message}`]);
    });
  });

  it('rejects an unknown period at the path of "every", listing the periods', () => {
    expect(issuesOf(scheduleSchema, { every: 'fortnight' })).toEqual([
      'every: unknown schedule "fortnight": must be one of minutes, hours, day, week, month',
    ]);
  });

  it('rejects a schedule without "every"', () => {
    expect(issuesOf(scheduleSchema, { interval: 5 })).toEqual([
      'every: a schedule needs "every": must be one of minutes, hours, day, week, month',
    ]);
  });
});

describe('triggersSchema', () => {
  it('accepts no triggers at all', () => {
    expect(triggersSchema.parse({})).toEqual({});
  });

  it('fills in event flags that are left out', () => {
    expect(triggersSchema.parse({ events: { push: true } })).toEqual({
      events: { push: true, merge: false, tag: false },
    });
  });

  it('combines events and a schedule', () => {
    expect(
      triggersSchema.parse({
        events: { tag: true },
        schedule: { every: 'hours', interval: 2, minute: 28 },
      }),
    ).toEqual({
      events: { push: false, merge: false, tag: true },
      schedule: { every: 'hours', interval: 2, minute: 28 },
    });
  });

  it('accepts a null schedule, which removes it', () => {
    expect(triggersSchema.parse({ schedule: null })).toEqual({
      schedule: null,
    });
  });

  it('rejects event flags that are not booleans', () => {
    expect(issuesOf(triggersSchema, { events: { push: 'yes' } })).toEqual([
      'events.push: Invalid input: expected boolean, received string',
    ]);
  });

  it('names the schedule field in its issues', () => {
    expect(
      issuesOf(triggersSchema, {
        schedule: { every: 'hours', interval: 24, minute: 60 },
      }),
    ).toEqual([
      'schedule.interval: Too big: expected number to be <=23',
      'schedule.minute: Too big: expected number to be <=59',
    ]);
  });
});
