import { createConditionExports } from '@backstage/plugin-permission-node';
import { pipelineResourceRef } from './resource';
import { pipelineRules } from './rules';

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
