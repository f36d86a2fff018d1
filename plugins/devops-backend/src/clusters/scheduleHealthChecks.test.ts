import { mockServices } from '@backstage/backend-test-utils';
import type { ClusterService } from './ClusterService';
import { scheduleClusterHealthChecks } from './scheduleHealthChecks';

describe('scheduleClusterHealthChecks', () => {
  it('schedules one check of every cluster at the configured frequency', async () => {
    const scheduler = mockServices.scheduler.mock();
    const checkHealth = jest.fn().mockResolvedValue(undefined);

    await scheduleClusterHealthChecks({
      scheduler,
      clusters: { checkHealth } as unknown as ClusterService,
      frequency: { minutes: 5 },
    });

    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({ id: 'devops-cluster-health', frequency: { minutes: 5 }, timeout: { minutes: 5 } });
    await task.fn(new AbortController().signal);
    expect(checkHealth).toHaveBeenCalledTimes(1);
  });
});
