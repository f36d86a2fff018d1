import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  DEVOPS_CLUSTER_BINDING_RESOURCE_TYPE,
  DEVOPS_PIPELINE_RESOURCE_TYPE,
  devopsAccountManagePermission,
  devopsClusterManagePermission,
  devopsPipelineUpdatePermission,
  devopsPipelineReadPermission,
} from '@devops-pipelines/plugin-devops-common';
import { normalizeRef } from '../../catalog/entityOwners';
import {
  createDevopsClusterBindingConditionalDecision,
  createDevopsPipelineConditionalDecision,
  devopsClusterBindingConditions,
  devopsPipelineConditions,
} from '../conditionExports';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

export type DevopsPermissionPolicyOptions = {
  /** Groups whose members are admins: `group:default/platform-admins`. */
  adminGroups: string[];
  /**
   * Decides every permission that is not DevOps' own (the catalog's, the scaffolder's):
   * the portal's policy before this one. Default: allow.
   */
  fallback?: PermissionPolicy;
};

/**
 * SPEC §9's role matrix as a permission policy. Admins (members of `adminGroups`) see
 * and do everything, but edit only pipelines they created. Project members (members of
 * the group that owns a pipeline's catalog entity, or of a group nested in it) see,
 * create, copy, run, activate and delete their projects' pipelines, and edit those they
 * created. Everyone else sees the pipelines they created and nothing more. Every user
 * manages their own code host accounts. Admins see and manage every cluster binding;
 * group members see the bindings scoped to a group they are in (directly or through a
 * nested group), and bind and unbind those all of whose scope is such groups.
 */
export class DevopsPermissionPolicy implements PermissionPolicy {
  readonly #adminGroups: Set<string>;

  constructor(private readonly options: DevopsPermissionPolicyOptions) {
    this.#adminGroups = new Set(
      options.adminGroups.map(ref =>
        normalizeRef(
          stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'group' })),
        ),
      ),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('devops.')) {
      return this.options.fallback?.handle(request, user) ?? ALLOW;
    }
    // DevOps acts for people: a request on no user's behalf is refused.
    if (!user) return DENY;
    const { userEntityRef, ownershipEntityRefs } = user.info;
    const isAdmin = ownershipEntityRefs.some(ref =>
      this.#adminGroups.has(normalizeRef(ref)),
    );

    if (permission.name === devopsAccountManagePermission.name) return ALLOW;
    if (
      isResourcePermission(permission, DEVOPS_CLUSTER_BINDING_RESOURCE_TYPE)
    ) {
      if (isAdmin) return ALLOW;
      // In no group, a user joined no project and has no project's clusters.
      if (
        !ownershipEntityRefs.some(ref => normalizeRef(ref).startsWith('group:'))
      ) {
        return DENY;
      }
      return createDevopsClusterBindingConditionalDecision(
        permission,
        devopsClusterBindingConditions.isInBindingScope({
          claims: ownershipEntityRefs,
          // Binding for another team besides one's own is not managing one's project.
          ...(permission.name === devopsClusterManagePermission.name
            ? { every: true }
            : {}),
        }),
      );
    }
    if (!isResourcePermission(permission, DEVOPS_PIPELINE_RESOURCE_TYPE)) {
      return DENY;
    }

    const created = devopsPipelineConditions.isPipelineCreator({
      userRefs: [userEntityRef],
    });
    const member = devopsPipelineConditions.isProjectMember({
      claims: ownershipEntityRefs,
    });
    const decide = createDevopsPipelineConditionalDecision;
    switch (permission.name) {
      case devopsPipelineReadPermission.name:
        return isAdmin
          ? ALLOW
          : decide(permission, { anyOf: [created, member] });
      case devopsPipelineUpdatePermission.name:
        // Editing is for a pipeline's creator, whatever the role (SPEC §9).
        return isAdmin
          ? decide(permission, created)
          : decide(permission, { allOf: [created, member] });
      default:
        // Create (and copy), run and stop, activate, delete.
        return isAdmin ? ALLOW : decide(permission, member);
    }
  }
}
