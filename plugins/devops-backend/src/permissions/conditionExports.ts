import { createConditionExports } from '@backstage/plugin-permission-node';
import { bindingResourceRef } from './bindingResource';
import { pipelineResourceRef } from './resource';
import { bindingRules, pipelineRules } from './rules';

const exports = createConditionExports({
  resourceRef: pipelineResourceRef,
  rules: pipelineRules,
});

/**
 * Conditions on pipelines for an adopter's permission policy, e.g.
 * `devopsPipelineConditions.isPipelineOfEntity({ entityRefs })`: the pipelines of the
 * given catalog entities, or `isPipelineCreator({ userRefs })`: those the users created.
 * Lists are filtered by them in the database.
 *
 * @public
 */
export const devopsPipelineConditions = exports.conditions;

/**
 * A conditional decision on a pipeline permission (read, create, update, activate,
 * delete, execute) from {@link devopsPipelineConditions}.
 *
 * @public
 */
export const createDevopsPipelineConditionalDecision =
  exports.createConditionalDecision;

const bindingExports = createConditionExports({
  resourceRef: bindingResourceRef,
  rules: bindingRules,
});

/**
 * Conditions on cluster bindings for an adopter's policy:
 * `devopsClusterBindingConditions.isInBindingScope({ claims, every })`, the bindings
 * scoped to the claims' groups (all of them with `every`).
 *
 * @public
 */
export const devopsClusterBindingConditions = bindingExports.conditions;

/**
 * A conditional decision on a cluster permission (read, manage) from
 * {@link devopsClusterBindingConditions}.
 *
 * @public
 */
export const createDevopsClusterBindingConditionalDecision =
  bindingExports.createConditionalDecision;
