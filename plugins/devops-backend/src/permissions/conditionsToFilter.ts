import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import type { QueryFilter } from '../database/types';
import type { PipelineQuery } from './resource';

/** Applies translated permission conditions to a pipelines query. */
export function conditionsToFilter(
  criteria: PermissionCriteria<PipelineQuery>,
): QueryFilter {
  return (query: Knex.QueryBuilder) => {
    if ('allOf' in criteria) {
      for (const inner of criteria.allOf) query.where(conditionsToFilter(inner));
    } else if ('anyOf' in criteria) {
      query.where(qb => {
        for (const inner of criteria.anyOf) qb.orWhere(conditionsToFilter(inner));
      });
    } else if ('not' in criteria) {
      query.whereNot(conditionsToFilter(criteria.not));
    } else {
      query.whereIn(criteria.column, criteria.values);
    }
  };
}
