import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { normalizeRef } from '../../catalog/entityOwners';
import { bindingResourceRef } from '../bindingResource';

/**
 * Cluster bindings scoped to the claims' groups (SPEC §9: project managers see and manage
 * the clusters of the projects they joined): a group of the binding's scope is one of the
 * claims, or a claim is nested in it. With `every`, each group of the scope must be, so
 * binding for another team too is refused. A portal-wide binding is no project's.
 */
export const isInBindingScope = createPermissionRule({
  name: 'IS_IN_BINDING_SCOPE',
  description:
    "Allow cluster bindings scoped to a group the claims are in (or nested below); with every, only bindings all of whose groups are the claims'",
  resourceRef: bindingResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        "Ownership entity refs, usually the user's: user:default/jack, group:default/web-team",
      ),
    every: z
      .boolean()
      .optional()
      .describe('Require every group of the scope, not one'),
  }),
  apply: (binding, { claims, every }) => {
    const refs = claims.map(normalizeRef);
    const joined = (members: string[]) =>
      refs.some(ref => members.includes(ref));
    const groups = binding.scopeMembers ?? [];
    if (groups.length === 0) return false;
    return every ? groups.every(joined) : groups.some(joined);
  },
  toQuery: params => params,
});
