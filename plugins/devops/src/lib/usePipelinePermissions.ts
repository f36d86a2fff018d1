import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import useAsync from 'react-use/esm/useAsync';
import { devopsApiRef } from '../api';
import {
  devopsPipelineActivatePermission,
  devopsPipelineDeletePermission,
  devopsPipelineExecutePermission,
  devopsPipelineUpdatePermission,
} from '@devops-pipelines/plugin-devops-common';

/**
 * The permissions the UI checks on a pipeline. Reading needs no check (a pipeline the
 * user sees is one the backend let them read, so export is always offered). Creating is
 * asked of the DevOps backend instead ({@link useCreatePermission}): its conditions apply
 * to a pipeline not yet made, which the permission backend cannot be asked about.
 */
const permissions = {
  /** Run, stop and re-run. */
  execute: devopsPipelineExecutePermission,
  /** Edit the pipeline, its trigger rules and its advanced settings. */
  update: devopsPipelineUpdatePermission,
  /** Activate and deactivate. */
  activate: devopsPipelineActivatePermission,
  delete: devopsPipelineDeletePermission,
};

export type PipelinePermissionName = keyof typeof permissions;

const refused = (what: string) =>
  `The portal's permission policy does not let you ${what}`;

/** Why a control is disabled when the policy refuses its permission. */
export const NOT_ALLOWED: Record<PipelinePermissionName, string> = {
  execute: refused('run or stop this pipeline'),
  update: refused('edit this pipeline'),
  activate: refused('activate or deactivate this pipeline'),
  delete: refused('delete this pipeline'),
};

/** What the portal's permission policy says about one action on one pipeline. */
export type ActionPermission = {
  allowed: boolean;
  /** The policy is still being asked: the control is disabled, without a reason yet. */
  loading: boolean;
  /** Why the action is refused, once the policy said so: the disabled control's tooltip. */
  reason?: string;
};

/** An action the UI does not check (exporting): the backend decides when it is taken. */
export const NOT_CHECKED: ActionPermission = { allowed: true, loading: false };

/**
 * Whether the user may take one action on a pipeline. Without an id (a pipeline not
 * created yet) nothing is asked and nothing is allowed.
 */
export function usePipelinePermission(
  name: PipelinePermissionName,
  pipelineId: string | undefined,
): ActionPermission {
  const { allowed, loading } = usePermission({
    permission: permissions[name],
    resourceRef: pipelineId,
  });
  return {
    allowed,
    loading,
    reason: allowed || loading ? undefined : NOT_ALLOWED[name],
  };
}

export type PipelinePermissions = Record<
  PipelinePermissionName,
  ActionPermission
>;

/**
 * Everything the user may do to one pipeline. The permission API batches the checks
 * that components make together into one request, so each row of a list asks for its
 * own pipeline.
 */
export function usePipelinePermissions(
  pipelineId: string,
): PipelinePermissions {
  return {
    execute: usePipelinePermission('execute', pipelineId),
    update: usePipelinePermission('update', pipelineId),
    activate: usePipelinePermission('activate', pipelineId),
    delete: usePipelinePermission('delete', pipelineId),
  };
}

/**
 * Whether the user may create a pipeline for `entityRef` (Create, Copy, Import), or,
 * without one, for some entity. Should the question fail, the control stays enabled:
 * the backend decides when the pipeline is saved.
 */
export function useCreatePermission(entityRef?: string): ActionPermission {
  const devopsApi = useApi(devopsApiRef);
  const { value, loading } = useAsync(
    () => devopsApi.mayCreatePipeline(entityRef),
    [devopsApi, entityRef],
  );
  const allowed = value ?? true;
  return {
    allowed: allowed && !loading,
    loading,
    reason:
      allowed || loading
        ? undefined
        : refused(`create pipelines${entityRef ? ` for ${entityRef}` : ''}`),
  };
}
