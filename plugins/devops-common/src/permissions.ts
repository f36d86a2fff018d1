import { createPermission } from '@backstage/plugin-permission-common';

/** The resource type of pipelines, for conditional decisions and rules. */
export const DEVOPS_PIPELINE_RESOURCE_TYPE = 'devops-pipeline';

/** See pipelines, their runs and their logs. */
export const devopsPipelineReadPermission = createPermission({
  name: 'devops.pipeline.read',
  attributes: { action: 'read' },
  resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
});

/**
 * Create a pipeline, from scratch, by copying or by import. A resource permission: the
 * policy's conditions are applied to the pipeline about to be made (its entity, its
 * creator), so a policy can allow creating in some projects only (SPEC §9).
 */
export const devopsPipelineCreatePermission = createPermission({
  name: 'devops.pipeline.create',
  attributes: { action: 'create' },
  resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
});

/** Edit a pipeline, its trigger rules and its advanced settings. */
export const devopsPipelineUpdatePermission = createPermission({
  name: 'devops.pipeline.update',
  attributes: { action: 'update' },
  resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
});

/** Activate or deactivate a pipeline. */
export const devopsPipelineActivatePermission = createPermission({
  name: 'devops.pipeline.activate',
  attributes: { action: 'update' },
  resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
});

/** Delete a pipeline and its run history. */
export const devopsPipelineDeletePermission = createPermission({
  name: 'devops.pipeline.delete',
  attributes: { action: 'delete' },
  resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
});

/** Run, stop and re-run a pipeline. */
export const devopsPipelineExecutePermission = createPermission({
  name: 'devops.pipeline.execute',
  attributes: {},
  resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
});

/** The resource type of cluster bindings, named by the cluster's name. */
export const DEVOPS_CLUSTER_BINDING_RESOURCE_TYPE = 'devops-cluster-binding';

/**
 * See a cluster binding with its health. A resource permission: a policy can let
 * project managers see the bindings scoped to their groups (SPEC §9).
 */
export const devopsClusterReadPermission = createPermission({
  name: 'devops.cluster.read',
  attributes: { action: 'read' },
  resourceType: DEVOPS_CLUSTER_BINDING_RESOURCE_TYPE,
});

/**
 * Bind a cluster (which creates its namespace on the cluster) and unbind it. A resource
 * permission: binding applies its conditions to the binding about to be made (its
 * scope), so a policy can let project managers bind for their own groups only.
 */
export const devopsClusterManagePermission = createPermission({
  name: 'devops.cluster.manage',
  attributes: {},
  resourceType: DEVOPS_CLUSTER_BINDING_RESOURCE_TYPE,
});

/**
 * See, connect and log out one's own code host accounts (SPEC §9: every role, own
 * accounts only). Basic: an account belongs to the user who asks.
 */
export const devopsAccountManagePermission = createPermission({
  name: 'devops.account.manage',
  attributes: {},
});

export const devopsPermissions = [
  devopsPipelineReadPermission,
  devopsPipelineCreatePermission,
  devopsPipelineUpdatePermission,
  devopsPipelineActivatePermission,
  devopsPipelineDeletePermission,
  devopsPipelineExecutePermission,
  devopsClusterReadPermission,
  devopsClusterManagePermission,
  devopsAccountManagePermission,
];
