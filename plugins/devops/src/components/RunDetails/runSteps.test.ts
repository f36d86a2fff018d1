import { makeRun, makeStage, makeTask } from '../RunHistory/__testUtils__/runs';
import { SETUP_STEP, defaultStep, liveDuration, setupTiming } from './runSteps';

const started = '2026-11-21T09:00:00Z';

describe('setupTiming', () => {
  it('ends when the first task starts', () => {
    const run = makeRun(1, {
      status: 'running',
      startedAt: started,
      stages: [
        makeStage('Build', 'running', [
          makeTask('t1', 'running', { startedAt: '2026-11-21T09:00:04Z' }),
        ]),
      ],
    });

    expect(setupTiming(run)).toEqual({
      status: 'succeeded',
      startedAt: started,
      durationMs: 4000,
    });
  });

  it('runs while no task started, and fails with a run that failed before one did', () => {
    const stages = [makeStage('Build', 'queued', [makeTask('t1', 'queued')])];
    expect(
      setupTiming(
        makeRun(1, {
          status: 'running',
          startedAt: started,
          finishedAt: undefined,
          durationMs: 2000,
          stages,
        }),
      ),
    ).toEqual({ status: 'running', startedAt: started, durationMs: 2000 });
    expect(setupTiming(makeRun(1, { status: 'failed', stages }))).toMatchObject(
      {
        status: 'failed',
      },
    );
    expect(
      setupTiming(
        makeRun(1, { status: 'queued', startedAt: undefined, stages }),
      ).status,
    ).toBe('queued');
  });
});

describe('defaultStep', () => {
  it('prefers the running task, then the failed one, then the last started', () => {
    const run = (
      statuses: Array<'queued' | 'running' | 'failed' | 'succeeded'>,
    ) =>
      makeRun(1, {
        stages: [
          makeStage(
            'S',
            'running',
            statuses.map((status, i) =>
              makeTask(`t${i}`, status, {
                startedAt: status === 'queued' ? undefined : started,
              }),
            ),
          ),
        ],
      });

    expect(defaultStep(run(['succeeded', 'running', 'queued']))).toBe('t1');
    expect(defaultStep(run(['failed', 'succeeded']))).toBe('t0');
    expect(defaultStep(run(['succeeded', 'succeeded']))).toBe('t1');
    expect(defaultStep(run(['queued', 'queued']))).toBe(SETUP_STEP);
  });
});

describe('liveDuration', () => {
  it('counts on from the read for unfinished steps only', () => {
    expect(
      liveDuration(
        { status: 'running', startedAt: started, durationMs: 5000 },
        1000,
        4000,
      ),
    ).toBe(8000);
    expect(
      liveDuration(
        { status: 'succeeded', startedAt: started, durationMs: 5000 },
        1000,
        4000,
      ),
    ).toBe(5000);
    expect(liveDuration({ status: 'queued' }, 1000, 4000)).toBe(undefined);
  });
});
