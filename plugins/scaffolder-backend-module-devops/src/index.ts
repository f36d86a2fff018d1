/**
 * Software template actions for DevOps Pipelines: `devops:pipeline:create` and
 * `devops:pipeline:run`, for the scaffolder backend.
 *
 * @packageDocumentation
 */
export { scaffolderModuleDevops as default } from './module';
export {
  CREATE_PIPELINE_ACTION_ID,
  createPipelineAction,
} from './actions/createPipeline';
export {
  DEFAULT_WAIT_TIMEOUT_MINUTES,
  RUN_PIPELINE_ACTION_ID,
  runPipelineAction,
} from './actions/runPipeline';
export {
  DRY_RUN_PIPELINE_ID,
  DRY_RUN_RUN_ID,
  appLinks,
  type AppLinks,
} from './actions/links';
export { DevopsApiClient } from './client/DevopsApiClient';
