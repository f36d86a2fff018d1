import type { RunSummary } from '@devops-pipelines/plugin-devops-common';
import { runCause } from './runCause';

const run = (overrides: Partial<RunSummary>): RunSummary => ({
  id: 'r1',
  buildId: 1,
  status: 'succeeded',
  trigger: { type: 'manual', user: 'user:default/guest' },
  queuedAt: '2026-11-21T09:00:00Z',
  ...overrides,
});

describe('runCause', () => {
  it('names the user and the short commit of a manual run', () => {
    expect(
      runCause(run({ commit: 'a6a16470e1f2c3d4e5f60718293a4b5c6d7e8f90' })),
    ).toBe('Started by user guest (a6a16470)');
    expect(
      runCause(
        run({
          trigger: {
            type: 'manual',
            user: 'user:default/jack',
            userName: 'Jack Smith',
          },
        }),
      ),
    ).toBe('Started by user Jack Smith');
  });

  it('describes re-runs, timers and runs without a source', () => {
    expect(
      runCause(
        run({
          trigger: { type: 'rerun', user: 'user:default/jack', rerunOf: 4 },
        }),
      ),
    ).toBe('Started by user jack (re-run of #4)');
    expect(
      runCause(run({ trigger: { type: 'schedule' }, commit: 'b7c8d9e0f1' })),
    ).toBe('Started by timer (b7c8d9e0)');
  });

  it('does not repeat a commit the event already names', () => {
    expect(
      runCause(
        run({
          trigger: { type: 'push', event: 'push a6a16470 to master' },
          commit: 'a6a16470e1f2',
        }),
      ),
    ).toBe('Started by push a6a16470 to master');
  });
});
