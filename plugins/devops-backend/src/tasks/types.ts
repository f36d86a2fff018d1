// The planner contract is public, for modules' task types (devopsTaskTypesExtensionPoint).
export type {
  BackendTaskContext,
  BackendTaskPlan,
  MountedSecret,
  PlanInput,
  PodTaskPlan,
  TaskPlan,
  TaskPlanner,
  TaskToolSettings,
} from '@devops-pipelines/plugin-devops-node';
export { WORKSPACE_SOURCE_DIR } from '@devops-pipelines/plugin-devops-node';
