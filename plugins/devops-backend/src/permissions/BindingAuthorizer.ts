import type {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  devopsClusterManagePermission,
  devopsClusterReadPermission,
} from '@devops-pipelines/plugin-devops-common';
import type { CatalogProjects } from '../catalog/CatalogProjects';
import { normalizeRef } from '../catalog/entityOwners';
import { bindingResourceRef, type BindingResource } from './bindingResource';

/** What the authorizer needs of the catalog (CatalogProjects). */
export type ScopeLookup = Pick<CatalogProjects, 'nestedGroups'>;

/** A binding, or one about to be made, as far as a decision needs it. */
type Binding = Pick<BindingResource, 'name' | 'scope'>;

/** Every decision about cluster bindings goes through the portal's permission policy. */
export class BindingAuthorizer {
  readonly #isAllowed: (decision: any, binding: BindingResource) => boolean;

  constructor(
    private readonly permissions: PermissionsService,
    registry: PermissionsRegistryService,
    private readonly scopes: ScopeLookup,
  ) {
    this.#isAllowed = createConditionAuthorizer(
      registry.getPermissionRuleset(bindingResourceRef),
    );
  }

  /**
   * The bindings the caller may see. Bindings are few and never paged, so conditions
   * are applied to each; a policy that lets the caller see none is a NotAllowedError.
   */
  async readable<T extends Binding>(
    credentials: BackstageCredentials,
    bindings: T[],
  ): Promise<T[]> {
    const decision = await this.#decide(
      credentials,
      devopsClusterReadPermission,
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('You are not allowed to read clusters');
    }
    if (decision.result === AuthorizeResult.ALLOW) return bindings;
    const resources = await withScopeMembers(bindings, this.scopes);
    return bindings.filter((_, index) =>
      this.#isAllowed(decision, resources[index]),
    );
  }

  /**
   * Throws NotAllowedError unless the policy lets the caller bind some cluster for some
   * scope: asked before a request is read, so a caller who may manage nothing learns
   * nothing from it.
   */
  async authorizeSomeManage(credentials: BackstageCredentials) {
    if (!(await this.maySomeManage(credentials))) {
      throw new NotAllowedError('You are not allowed to manage clusters');
    }
  }

  /** Whether the policy lets the caller bind some cluster for some scope. */
  async maySomeManage(credentials: BackstageCredentials): Promise<boolean> {
    return (
      (await this.#decide(credentials, devopsClusterManagePermission))
        .result !== AuthorizeResult.DENY
    );
  }

  /**
   * Throws NotAllowedError unless the policy lets the caller bind or unbind `binding`;
   * for a binding about to be made, its scope is what the conditions see.
   */
  async authorizeManage(
    credentials: BackstageCredentials,
    binding: Binding,
    action: 'bind' | 'unbind',
  ) {
    const decision = await this.#decide(
      credentials,
      devopsClusterManagePermission,
    );
    const allowed =
      decision.result === AuthorizeResult.CONDITIONAL
        ? this.#isAllowed(
            decision,
            (await withScopeMembers([binding], this.scopes))[0],
          )
        : decision.result === AuthorizeResult.ALLOW;
    if (!allowed) {
      const scope = binding.scope.length
        ? binding.scope.join(', ')
        : 'the whole portal';
      throw new NotAllowedError(
        `You are not allowed to ${action} cluster '${binding.name}' for ${scope}`,
      );
    }
  }

  async #decide(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ) {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return decision;
  }
}

/** The bindings with, for each group of their scope, the groups that joined its projects. */
export async function withScopeMembers<T extends Binding>(
  bindings: T[],
  scopes: ScopeLookup,
): Promise<Array<T & BindingResource>> {
  const nested = await scopes.nestedGroups(
    bindings.flatMap(binding => binding.scope),
  );
  return bindings.map(binding => ({
    ...binding,
    scopeMembers: binding.scope.map(
      group => nested.get(normalizeRef(group)) ?? [],
    ),
  }));
}
