import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  devopsAccountManagePermission,
  devopsClusterManagePermission,
  devopsClusterReadPermission,
  devopsPipelineActivatePermission,
  devopsPipelineCreatePermission,
  devopsPipelineDeletePermission,
  devopsPipelineExecutePermission,
  devopsPipelineReadPermission,
  devopsPipelineUpdatePermission,
} from '@devops-pipelines/plugin-devops-common';
import { asCell } from './__testUtils__/decisions';
import { DevopsPermissionPolicy } from './DevopsPermissionPolicy';

const userOf = (userEntityRef: string, groups: string[]): PolicyQueryUser => ({
  credentials: mockCredentials.user(userEntityRef),
  info: { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] },
});

const ADMIN = userOf('user:default/ada', ['group:default/platform-admins']);
const MANAGER = userOf('user:default/pat', ['group:default/web-team']);
const NORMAL = userOf('user:default/nora', []);

const policy = new DevopsPermissionPolicy({
  adminGroups: ['group:default/Platform-Admins'],
});

/** A decision as a readable cell: allow, deny, or the conditions it carries. */
async function cell(
  permission: Parameters<typeof policy.handle>[0]['permission'],
  user: PolicyQueryUser,
) {
  return asCell(await policy.handle({ permission }, user));
}

/** Bindings scoped to the user's groups: one of them, or `every` one. */
const IN_SCOPE = (user: PolicyQueryUser, options: { every?: boolean } = {}) => ({
  rule: 'IS_IN_BINDING_SCOPE',
  params: { claims: user.info.ownershipEntityRefs, ...options },
});

const CREATOR = (user: PolicyQueryUser) => ({
  rule: 'IS_PIPELINE_CREATOR',
  params: { userRefs: [user.info.userEntityRef] },
});
const MEMBER = (user: PolicyQueryUser) => ({
  rule: 'IS_PROJECT_MEMBER',
  params: { claims: user.info.ownershipEntityRefs },
});

/**
 * SPEC §9, row by row. A normal user's project conditions hold only for entities they
 * own themselves, which makes "projects they joined" the same rule for every role.
 */
describe('DevopsPermissionPolicy: the SPEC §9 matrix', () => {
  it.each([
    [
      'view pipelines',
      devopsPipelineReadPermission,
      'allow',
      { anyOf: [CREATOR(MANAGER), MEMBER(MANAGER)] },
      { anyOf: [CREATOR(NORMAL), MEMBER(NORMAL)] },
    ],
    [
      'create from scratch and copy',
      devopsPipelineCreatePermission,
      'allow',
      MEMBER(MANAGER),
      MEMBER(NORMAL),
    ],
    [
      'run / stop',
      devopsPipelineExecutePermission,
      'allow',
      MEMBER(MANAGER),
      MEMBER(NORMAL),
    ],
    [
      'edit pipeline, triggers, settings',
      devopsPipelineUpdatePermission,
      CREATOR(ADMIN),
      { allOf: [CREATOR(MANAGER), MEMBER(MANAGER)] },
      { allOf: [CREATOR(NORMAL), MEMBER(NORMAL)] },
    ],
    [
      'activate / deactivate',
      devopsPipelineActivatePermission,
      'allow',
      MEMBER(MANAGER),
      MEMBER(NORMAL),
    ],
    [
      'delete',
      devopsPipelineDeletePermission,
      'allow',
      MEMBER(MANAGER),
      MEMBER(NORMAL),
    ],
    [
      'code repositories (own accounts)',
      devopsAccountManagePermission,
      'allow',
      'allow',
      'allow',
    ],
    [
      'clusters: view',
      devopsClusterReadPermission,
      'allow',
      IN_SCOPE(MANAGER),
      'deny',
    ],
    [
      'clusters: add / remove',
      devopsClusterManagePermission,
      'allow',
      IN_SCOPE(MANAGER, { every: true }),
      'deny',
    ],
  ])('%s', async (_, permission, admin, manager, normal) => {
    expect(await cell(permission, ADMIN)).toEqual(admin);
    expect(await cell(permission, MANAGER)).toEqual(manager);
    expect(await cell(permission, NORMAL)).toEqual(normal);
  });

  it("refuses DevOps' permissions on no user's behalf, and leaves other plugins' to the fallback", async () => {
    expect(
      await policy.handle({ permission: devopsPipelineReadPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    const catalogRead = {
      type: 'basic' as const,
      name: 'catalog.entity.create',
      attributes: {},
    };
    expect(await policy.handle({ permission: catalogRead }, NORMAL)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    const wrapped = new DevopsPermissionPolicy({
      adminGroups: [],
      fallback: { handle: async () => ({ result: AuthorizeResult.DENY }) },
    });
    expect(await wrapped.handle({ permission: catalogRead }, NORMAL)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
