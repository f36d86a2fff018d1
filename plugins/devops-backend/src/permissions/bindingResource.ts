import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { DEVOPS_CLUSTER_BINDING_RESOURCE_TYPE } from '@devops-pipelines/plugin-devops-common';
import type { ClusterBinding } from '../clusters/types';

/**
 * A cluster binding as permission rules see it: with, for each group of its scope, that
 * group and the groups nested below it (who belongs to the projects it serves).
 */
export type BindingResource = Pick<ClusterBinding, 'name' | 'scope'> & {
  scopeMembers?: string[][];
};

/**
 * The rule's parameters: bindings are few and never paged, so their conditions are
 * applied to each binding rather than translated into a database query.
 */
export type BindingQuery = { claims: string[]; every?: boolean };

export const bindingResourceRef = createPermissionResourceRef<
  BindingResource,
  BindingQuery
>().with({
  pluginId: 'devops',
  resourceType: DEVOPS_CLUSTER_BINDING_RESOURCE_TYPE,
});
