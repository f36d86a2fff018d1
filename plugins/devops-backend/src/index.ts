/**
 * Backend for DevOps Pipelines: pipeline store, run engine, executors and the HTTP API.
 *
 * @packageDocumentation
 */
export { devopsPlugin as default } from './plugin';
export {
  createDevopsPipelineConditionalDecision,
  devopsPipelineConditions,
} from './permissions/conditionExports';
