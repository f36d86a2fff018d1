/**
 * Backend for DevOps Pipelines: pipeline store, run engine, executors and the HTTP API.
 *
 * @packageDocumentation
 */
export { devopsPlugin as default } from './plugin';
export {
  createDevopsClusterBindingConditionalDecision,
  createDevopsPipelineConditionalDecision,
  devopsClusterBindingConditions,
  devopsPipelineConditions,
} from './permissions/conditionExports';
export {
  DevopsPermissionPolicy,
  type DevopsPermissionPolicyOptions,
} from './permissions/policy/DevopsPermissionPolicy';
export { devopsPermissionPolicyModule } from './permissions/policy/policyModule';
export { devopsWebhookGuardModule } from './triggers/webhooks/webhookGuardModule';
