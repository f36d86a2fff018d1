import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { normalizeRef } from '../../catalog/entityOwners';
import { pipelineResourceRef } from '../resource';

/**
 * Pipelines of the projects the claims belong to (SPEC §9: project members): the
 * pipeline's entity is owned by one of them, or by a group one of them is nested in, as
 * the catalog says. A policy passes the user's ownership refs as the claims. The backend
 * reads the catalog for it: resources come with their project's members, and lists are
 * narrowed to the entities of the claims' projects.
 */
export const isProjectMember = createPermissionRule({
  name: 'IS_PROJECT_MEMBER',
  description:
    'Allow pipelines whose catalog entity is owned by one of the claims, or by a group one of them is nested in',
  resourceRef: pipelineResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        "Ownership entity refs, usually the user's: user:default/jack, group:default/web-team",
      ),
  }),
  apply: (pipeline, { claims }) => {
    const members = pipeline.projectMembers ?? [];
    return claims.some(claim => members.includes(normalizeRef(claim)));
  },
  toQuery: ({ claims }) => ({ projectOf: claims }),
});
