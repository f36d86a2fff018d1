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
    } else if ('projectOf' in criteria) {
      throw new Error('Project conditions are resolved through the catalog before they become a filter');
    } else if (criteria.ignoreCase) {
      // The column is one of two fixed names, never user input.
      if (criteria.values.length === 0) query.whereRaw('1 = 0');
      else query.whereRaw(`lower(${criteria.column}) in (${criteria.values.map(() => '?').join(', ')})`, criteria.values);
    } else {
      query.whereIn(criteria.column, criteria.values);
    }
  };
}
