import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { pipelineResourceRef } from '../resource';

/** Pipelines that belong to one of the given catalog entities (the "projects" of SPEC §9). */
export const isPipelineOfEntity = createPermissionRule({
  name: 'IS_PIPELINE_OF_ENTITY',
  description: 'Allow pipelines that belong to one of the given catalog entities',
  resourceRef: pipelineResourceRef,
  paramsSchema: z.object({
    entityRefs: z.array(z.string()).describe('Catalog entity refs, e.g. component:default/jack-2048'),
  }),
  apply: (pipeline, { entityRefs }) =>
    entityRefs.includes(pipeline.document.metadata.entityRef),
  toQuery: ({ entityRefs }) => ({ column: 'entity_ref', values: entityRefs }),
});
