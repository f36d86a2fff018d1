import { makeRun, makeStage, makeTask } from '../RunHistory/__testUtils__/runs';
import type { SetupStepRun } from '@devops-pipelines/plugin-devops-common';
import { defaultStep, liveDuration, stepsOf } from './runSteps';

const started = '2026-11-21T09:00:00Z';

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
    // Before any task started: the set-up step that ran last.
    expect(defaultStep(run(['queued', 'queued']))).toBe('checkout');
  });

  it('shows a set-up step that runs or failed, and initialisation before anything started', () => {
    const withSetup = (
      initialisation: SetupStepRun['status'],
      checkout: SetupStepRun['status'],
    ) =>
      makeRun(1, {
        status: 'running',
        setup: [
          {
            step: 'initialisation',
            name: 'Initialisation',
            status: initialisation,
          },
          { step: 'checkout', name: 'Checkout shop@main', status: checkout },
        ],
        stages: [makeStage('Build', 'queued', [makeTask('t1', 'queued')])],
      });

    expect(defaultStep(withSetup('succeeded', 'running'))).toBe('checkout');
    expect(defaultStep(withSetup('succeeded', 'failed'))).toBe('checkout');
    expect(defaultStep(withSetup('queued', 'queued'))).toBe('initialisation');
  });
});

describe('stepsOf', () => {
  it('lists the set-up steps, then the tasks in order', () => {
    const run = makeRun(1, {
      stages: [
        makeStage('Build', 'succeeded', [makeTask('t1', 'succeeded')]),
        makeStage('Test', 'succeeded', [
          makeTask('t2', 'succeeded'),
          makeTask('t3', 'succeeded'),
        ]),
      ],
    });
    expect(stepsOf(run).map(s => s.name)).toEqual([
      'Initialisation',
      'Checkout 2048@a6a16470',
      't1',
      't2',
      't3',
    ]);
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
