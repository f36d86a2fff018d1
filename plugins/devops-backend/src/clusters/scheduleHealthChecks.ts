import type {
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { ClusterService } from './ClusterService';

/**
 * Checks every bound cluster periodically. The scheduler runs a task on one backend
 * replica at a time, so several replicas do not probe each cluster several times.
 */
export async function scheduleClusterHealthChecks(options: {
  scheduler: SchedulerService;
  clusters: ClusterService;
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'];
}): Promise<void> {
  await options.scheduler.scheduleTask({
    id: 'devops-cluster-health',
    frequency: options.frequency,
    // Probes give up after seconds; this only bounds a check stuck in the database.
    timeout: { minutes: 5 },
    fn: () => options.clusters.checkHealth(),
  });
}
