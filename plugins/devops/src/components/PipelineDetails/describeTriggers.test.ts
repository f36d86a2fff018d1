import { describeEvents, describeSchedule } from './describeTriggers';

describe('describeTriggers', () => {
  it('lists the enabled events', () => {
    expect(describeEvents({ push: true, merge: false, tag: true })).toBe(
      'Push, tag',
    );
    expect(describeEvents({ push: false, merge: false, tag: false })).toBe(
      undefined,
    );
    expect(describeEvents(undefined)).toBe(undefined);
  });

  it('says when a schedule fires', () => {
    expect(describeSchedule({ every: 'minutes', interval: 5 })).toBe(
      'Every 5 minutes',
    );
    expect(describeSchedule({ every: 'hours', interval: 2, minute: 28 })).toBe(
      'Every 2 hours at minute 28',
    );
    expect(describeSchedule({ every: 'day', time: '02:00' })).toBe(
      'Every day at 02:00',
    );
    expect(describeSchedule({ every: 'month', day: 31, time: '23:30' })).toBe(
      'Every month on day 31 at 23:30',
    );
    expect(
      describeSchedule({ every: 'week', weekday: 1, time: '02:00' }),
    ).toMatch(/^Every \S+ at 02:00$/);
  });
});
