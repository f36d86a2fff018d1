import { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { PipelineQuery } from './resource';

/**
 * Whether resolved create conditions can hold for a pipeline `createdBy` makes for some
 * entity not chosen yet (the Pipelines page before an entity is picked). The creator is
 * known; of the entity only that it may be any: a condition on entities can hold when it
 * names at least one (a user whose projects own nothing can create nothing), and so can
 * its negation. Combinations of entity conditions are not intersected, so this may say
 * yes where saving then names the entity it refuses; it never says no wrongly.
 */
export function mayHoldForSomeEntity(
  criteria: PermissionCriteria<PipelineQuery>,
  createdBy: string,
): boolean {
  if ('allOf' in criteria) {
    return criteria.allOf.every(c => mayHoldForSomeEntity(c, createdBy));
  }
  if ('anyOf' in criteria) {
    return criteria.anyOf.some(c => mayHoldForSomeEntity(c, createdBy));
  }
  if ('not' in criteria) {
    const inner = criteria.not;
    return 'column' in inner && inner.column === 'created_by'
      ? !inner.values.includes(createdBy)
      : true;
  }
  if ('projectOf' in criteria) {
    throw new Error('Project conditions are resolved through the catalog first');
  }
  return criteria.column === 'created_by'
    ? criteria.values.includes(createdBy)
    : criteria.values.length > 0;
}
