// The executor contract is public, for modules' executors (devopsExecutorsExtensionPoint).
export type {
  RunContext,
  RunSource,
  TaskContext,
  TaskExecutor,
  TaskLog,
  TaskResult,
} from '@devops-pipelines/plugin-devops-node';
export {
  RunAbandoned,
  SourceError,
} from '@devops-pipelines/plugin-devops-node';
