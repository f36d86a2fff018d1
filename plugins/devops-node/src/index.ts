/**
 * Extension points of the DevOps Pipelines backend, and the types a backend module
 * implements to add task types and executors.
 *
 * @packageDocumentation
 */
export * from './executors';
export * from './taskTypes';
export * from './TaskPlanError';
export * from './extensionPoints';
