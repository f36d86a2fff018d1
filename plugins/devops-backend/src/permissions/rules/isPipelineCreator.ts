import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { pipelineResourceRef } from '../resource';

/** Pipelines created by one of the given users (SPEC §9: normal users see their own). */
export const isPipelineCreator = createPermissionRule({
  name: 'IS_PIPELINE_CREATOR',
  description: 'Allow pipelines created by one of the given users',
  resourceRef: pipelineResourceRef,
  paramsSchema: z.object({
    userRefs: z.array(z.string()).describe('User entity refs, e.g. user:default/jack'),
  }),
  apply: (pipeline, { userRefs }) => userRefs.includes(pipeline.createdBy),
  toQuery: ({ userRefs }) => ({ column: 'created_by', values: userRefs }),
});
