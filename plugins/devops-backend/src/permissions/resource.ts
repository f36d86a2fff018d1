import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { DEVOPS_PIPELINE_RESOURCE_TYPE } from '@devops-pipelines/plugin-devops-common';
import type { PipelineRecord } from '../database/types';

/**
 * A pipeline as permission rules see it: the record, with the members of its project
 * (its entity's owners and the groups nested below them) where a rule needs them.
 */
export type PipelineResource = PipelineRecord & { projectMembers?: string[] };

/**
 * A condition on pipelines as the database applies it: a column among values (entity
 * refs compared without case), or the entities of the claims' projects, which the
 * authorizer looks up in the catalog first.
 */
export type PipelineQuery =
  | { column: 'created_by' | 'entity_ref'; values: string[]; ignoreCase?: boolean }
  | { projectOf: string[] };

export const pipelineResourceRef = createPermissionResourceRef<
  PipelineResource,
  PipelineQuery
>().with({ pluginId: 'devops', resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE });
