import type { TaskPlanner } from '../types';
import { deployYaml } from './deployYaml';

/** Deploy YAML runs in the backend, so every object's result reaches the log. */
export const planDeployYaml: TaskPlanner = async ({ task, env }) => {
  if (task.type !== 'deployYaml') {
    throw new Error(`planDeployYaml cannot plan a ${task.type} task`);
  }
  return { kind: 'backend', run: ctx => deployYaml(task, env, ctx) };
};
