/**
 * Pipeline model, schemas, permissions and variable expansion shared by the DevOps
 * frontend and backend plugins.
 *
 * @packageDocumentation
 */
export * from './model/names';
export * from './model/tasks';
export * from './model/taskTypes';
export * from './model/triggers';
export * from './model/triggerActivity';
export * from './model/pipeline';
export * from './model/run';
export * from './model/describeRunTrigger';
export * from './model/clusters';
export * from './model/charts';
export * from './model/accounts';
export * from './model/requests';
export * from './model/validation';
export * from './permissions';
export * from './variables/expand';
export * from './variables/outputs';
export * from './variables/builtins';
export * from './schedule/nextFireTimes';
