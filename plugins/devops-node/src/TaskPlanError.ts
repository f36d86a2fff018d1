/**
 * A task that cannot run as configured (no registry set up, a path outside the
 * repository): planners throw it before anything starts, and its message, which says
 * what to change, is the task's failure message.
 */
export class TaskPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskPlanError';
  }
}
