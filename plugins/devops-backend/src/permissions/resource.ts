import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { DEVOPS_PIPELINE_RESOURCE_TYPE } from '@devops-pipelines/plugin-devops-common';
import type { PipelineRecord } from '../database/types';

/** A condition on pipelines as the database can apply it: a column among values. */
export type PipelineQuery = {
  column: 'created_by' | 'entity_ref';
  values: string[];
};

export const pipelineResourceRef = createPermissionResourceRef<
  PipelineRecord,
  PipelineQuery
>().with({ pluginId: 'devops', resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE });
