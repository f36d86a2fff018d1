import { mockServices } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { RunNotifications } from '@devops-pipelines/plugin-devops-common';
import type { PipelineRecord, RunRecord } from '../database/types';
import { RunNotifier, runNotification } from './RunNotifier';

const run = {
  id: 'run-12',
  pipelineId: 'p1',
  pipelineName: 'deploy-2048',
  buildId: 12,
  trigger: {
    type: 'manual',
    user: 'user:default/jack',
    userName: 'Jack Smith',
  },
} as RunRecord;

describe('runNotification', () => {
  const failed = { status: 'failed' as const, message: 'Task compile failed' };

  it('tells of failures and time-outs with their reason and who started the run, as high', () => {
    for (const setting of ['failures', 'all'] as const) {
      expect(runNotification(setting, run, failed)).toEqual({
        title: 'deploy-2048 #12 failed',
        description: 'Task compile failed. Started by user Jack Smith.',
        severity: 'high',
      });
    }
    expect(
      runNotification('failures', run, {
        status: 'timedOut',
        message: 'The run exceeded its timeout of 10 minutes',
      }),
    ).toEqual({
      title: 'deploy-2048 #12 timed out',
      description:
        'The run exceeded its timeout of 10 minutes. Started by user Jack Smith.',
      severity: 'high',
    });
  });

  it('tells of the first success after a failure as fixed', () => {
    for (const previousStatus of ['failed', 'timedOut'] as const) {
      const fixed = runNotification('failures', run, {
        status: 'succeeded',
        previous: { buildId: 11, status: previousStatus },
      });
      expect(fixed).toEqual({
        title: 'deploy-2048 #12 fixed',
        description: `It succeeded after #11 ${
          previousStatus === 'failed' ? 'failed' : 'timed out'
        }. Started by user Jack Smith.`,
        severity: 'normal',
      });
    }
  });

  it('says nothing of other runs unless every run is asked for', () => {
    const quiet = [
      { status: 'succeeded' as const },
      {
        status: 'succeeded' as const,
        previous: { buildId: 11, status: 'succeeded' as const },
      },
      { status: 'stopped' as const, message: 'Stopped on request' },
    ];
    for (const end of quiet) {
      expect(runNotification('failures', run, end)).toBeUndefined();
    }
    expect(runNotification('all', run, quiet[1])).toEqual({
      title: 'deploy-2048 #12 succeeded',
      description: 'Started by user Jack Smith.',
      severity: 'normal',
    });
    expect(runNotification('all', run, quiet[2])).toEqual({
      title: 'deploy-2048 #12 stopped',
      description: 'Stopped on request. Started by user Jack Smith.',
      severity: 'normal',
    });
  });

  it('says nothing at all when off', () => {
    expect(runNotification('off', run, failed)).toBeUndefined();
    expect(
      runNotification('off', run, {
        status: 'succeeded',
        previous: { buildId: 11, status: 'failed' },
      }),
    ).toBeUndefined();
  });

  it('cuts a long failure message', () => {
    const long = runNotification('failures', run, {
      status: 'failed',
      message: 'x'.repeat(2000),
    });
    expect(long!.description).toBe(
      `${'x'.repeat(499)}… Started by user Jack Smith.`,
    );
  });
});

describe('RunNotifier', () => {
  const pipeline = (notifications?: RunNotifications) =>
    ({
      id: 'p1',
      document: {
        metadata: {
          name: 'deploy-2048',
          entityRef: 'component:default/game',
        },
        spec: { stages: [], ...(notifications ? { notifications } : {}) },
      },
    } as unknown as PipelineRecord);

  const notifierWith = (
    options: {
      pipeline?: PipelineRecord;
      owners?: string[];
      previous?: { buildId: number; status: 'failed' | 'succeeded' };
      send?: (options: NotificationSendOptions) => Promise<void>;
    } = {},
  ) => {
    const sent: NotificationSendOptions[] = [];
    const logger = mockServices.logger.mock();
    const previousOutcome = jest.fn(async () => options.previous);
    const notifier = new RunNotifier({
      notifications: {
        send:
          options.send ??
          (async notification => {
            sent.push(notification);
          }),
      },
      pipelines: {
        get: async () =>
          'pipeline' in options ? options.pipeline : pipeline(),
      },
      runs: { previousOutcome },
      owners: async refs =>
        new Map(
          refs.map(ref => [ref, options.owners ?? ['group:default/team-a']]),
        ),
      runUrl: id => `http://localhost:3000/devops/runs/${id}`,
      logger,
    });
    return { notifier, sent, logger, previousOutcome };
  };

  it("sends a failure to the owners of the pipeline's entity, scoped to the pipeline", async () => {
    const { notifier, sent, previousOutcome } = notifierWith({
      owners: ['group:default/team-a', 'user:default/ada'],
    });

    notifier.runFinished(run, 'failed', 'Task compile failed');
    await notifier.flush();

    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: ['group:default/team-a', 'user:default/ada'],
        },
        payload: {
          title: 'deploy-2048 #12 failed',
          description: 'Task compile failed. Started by user Jack Smith.',
          severity: 'high',
          link: 'http://localhost:3000/devops/runs/run-12',
          topic: 'deploy-2048',
          scope: 'p1',
          metadata: {
            pipelineId: 'p1',
            entityRef: 'component:default/game',
            runId: 'run-12',
            buildId: 12,
            status: 'failed',
          },
        },
      },
    ]);
    // Only a success may be a fix: a failure needs no look at the run before.
    expect(previousOutcome).not.toHaveBeenCalled();
  });

  it('reads the run before a success to tell a fix', async () => {
    const fixed = notifierWith({ previous: { buildId: 11, status: 'failed' } });
    fixed.notifier.runFinished(run, 'succeeded');
    await fixed.notifier.flush();
    expect(fixed.previousOutcome).toHaveBeenCalledWith(run);
    expect(fixed.sent.map(n => n.payload.title)).toEqual([
      'deploy-2048 #12 fixed',
    ]);

    const still = notifierWith({
      previous: { buildId: 11, status: 'succeeded' },
    });
    still.notifier.runFinished(run, 'succeeded');
    await still.notifier.flush();
    expect(still.sent).toEqual([]);
  });

  it("follows the pipeline's setting as it is now", async () => {
    const off = notifierWith({ pipeline: pipeline('off') });
    off.notifier.runFinished(run, 'failed', 'boom');
    await off.notifier.flush();
    expect(off.sent).toEqual([]);

    const all = notifierWith({ pipeline: pipeline('all') });
    all.notifier.runFinished(run, 'succeeded');
    await all.notifier.flush();
    expect(all.sent.map(n => n.payload.title)).toEqual([
      'deploy-2048 #12 succeeded',
    ]);
  });

  it('sends nothing for a deleted pipeline or an entity without owners', async () => {
    const deleted = notifierWith({ pipeline: undefined });
    deleted.notifier.runFinished(run, 'failed', 'boom');
    await deleted.notifier.flush();
    expect(deleted.sent).toEqual([]);

    const unowned = notifierWith({ owners: [] });
    unowned.notifier.runFinished(run, 'failed', 'boom');
    await unowned.notifier.flush();
    expect(unowned.sent).toEqual([]);
  });

  it('returns at once, and logs a failing notifications backend once until it answers again', async () => {
    let answer: 'fail' | 'ok' = 'fail';
    const { notifier, logger } = notifierWith({
      send: async () => {
        if (answer === 'fail')
          throw new Error('Request failed with status 404');
      },
    });

    expect(notifier.runFinished(run, 'failed', 'boom')).toBeUndefined();
    notifier.runFinished(run, 'failed', 'boom');
    await notifier.flush();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not notify the owners of deploy-2048 of run #12 (failed)',
      ),
    );

    answer = 'ok';
    notifier.runFinished(run, 'failed', 'boom');
    await notifier.flush();
    answer = 'fail';
    notifier.runFinished(run, 'failed', 'boom');
    await notifier.flush();
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
