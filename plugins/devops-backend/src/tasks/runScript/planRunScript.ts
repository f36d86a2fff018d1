import type { TaskPlanner } from '../types';
import { WORKSPACE_SOURCE_DIR } from '../types';

/**
 * Run script: the user's image and tag, the script through `sh -e -c` in the checked-out
 * source, the task's own env entries on top of the run's variables. `-e` ends the script
 * at the first failing command, as the local executor does, so a script behaves the same
 * on both executors.
 */
export const planRunScript: TaskPlanner = async ({ task }) => {
  if (task.type !== 'runScript') {
    throw new Error(`planRunScript cannot plan a ${task.type} task`);
  }
  return {
    kind: 'pod',
    container: {
      image: `${task.image}:${task.tag}`,
      command: ['sh', '-e', '-c', task.script],
      workingDir: WORKSPACE_SOURCE_DIR,
      // Literal values: the executor moves them into the task's Secret.
      env: (task.env ?? []).map(({ name, value }) => ({ name, value })),
    },
  };
};
