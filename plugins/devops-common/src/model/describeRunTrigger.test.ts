import { describeRunTrigger } from './describeRunTrigger';

describe('describeRunTrigger', () => {
  it('names the user by their display name, else by the name of their ref', () => {
    expect(
      describeRunTrigger({
        type: 'manual',
        user: 'user:default/jack',
        userName: 'Jack Smith',
      }),
    ).toBe('Started by user Jack Smith');
    expect(
      describeRunTrigger({ type: 'manual', user: 'user:default/jack' }),
    ).toBe('Started by user jack');
    expect(describeRunTrigger({ type: 'manual' })).toBe(
      'Started by user unknown',
    );
  });

  it('describes re-runs, timers and code host events', () => {
    expect(
      describeRunTrigger({
        type: 'rerun',
        user: 'user:default/jack',
        userName: 'Jack Smith',
        rerunOf: 4,
      }),
    ).toBe('Started by user Jack Smith (re-run of #4)');
    expect(describeRunTrigger({ type: 'schedule' })).toBe('Started by timer');
    expect(
      describeRunTrigger({ type: 'push', event: 'push a6a16470 to main' }),
    ).toBe('Started by push a6a16470 to main');
  });
});
