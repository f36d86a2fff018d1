import { SchedulerService } from '@backstage/backend-plugin-api';
import { DatabaseTriggerStore } from '../DatabaseTriggerStore';
import { ScheduleFirer } from './ScheduleFirer';

/**
 * Puts the timer on Backstage's scheduler. The task is global, so one replica at a time
 * runs it; each run waits for one whole minute and fires it, and a frequency shorter
 * than that run starts the next one as soon as it ends. If the replica dies, another
 * claims the task once its timeout passes, and the minutes missed fire once (catch-up).
 */
export async function scheduleTriggerFires(options: {
  scheduler: SchedulerService;
  firer: ScheduleFirer;
  triggers: DatabaseTriggerStore;
}) {
  const { scheduler, firer, triggers } = options;
  await scheduler.scheduleTask({
    id: 'devops-trigger-schedules',
    scope: 'global',
    frequency: { seconds: 10 },
    timeout: { seconds: 90 },
    // A run blocks until the next whole minute, so nothing may wait for the first one:
    // Backstage's test scheduler runs every undelayed task at startup and waits for it.
    initialDelay: { seconds: 5 },
    fn: signal => firer.fireNextMinute(signal),
  });
  await scheduler.scheduleTask({
    id: 'devops-trigger-activity-prune',
    scope: 'global',
    frequency: { minutes: 10 },
    timeout: { minutes: 2 },
    fn: async () => {
      await triggers.pruneActivity();
    },
  });
}
