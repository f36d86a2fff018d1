import type {
  PipelineSpec,
  Task,
} from '@devops-pipelines/plugin-devops-common';

/** A task that deploys into a cluster's namespace: Deploy YAML and Deploy chart. */
export type DeployTask = Extract<Task, { cluster: string; namespace: string }>;

export const isDeployTask = (task: Task): task is DeployTask =>
  task.type === 'deployYaml' || task.type === 'deployChart';

/** Every deploy task of a pipeline, in stage order. */
export const deployTasksOf = (spec: PipelineSpec): DeployTask[] =>
  spec.stages.flatMap(stage => stage.tasks.filter(isDeployTask));
