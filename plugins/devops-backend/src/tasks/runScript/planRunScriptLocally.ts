import type { LocalTaskPlanner } from '@devops-pipelines/plugin-devops-node';

/**
 * Run script on the local executor: the script as it is, with the task's own env
 * entries. The backend's host has no container runtime to give it, so the image is
 * named in a warning rather than silently left out.
 */
export const planRunScriptLocally: LocalTaskPlanner = async ({ task }) => {
  if (task.type !== 'runScript') {
    throw new Error(`planRunScriptLocally cannot plan a ${task.type} task`);
  }
  return {
    kind: 'script',
    script: task.script,
    env: Object.fromEntries((task.env ?? []).map(e => [e.name, e.value])),
    notice: `The local executor does not use the image ${task.image}:${task.tag}; it runs the script with the backend's own shell and tools`,
  };
};
