import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  AllOfCriteria,
  BasicPermission,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import { devopsPipelineCreatePermission, type PipelineDocument } from '@devops-pipelines/plugin-devops-common';
import type { PipelineRecord, QueryFilter } from '../database/types';
import { conditionsToFilter } from './conditionsToFilter';
import { mayHoldForSomeEntity } from './mayHoldForSomeEntity';
import type { CatalogProjects } from '../catalog/CatalogProjects';
import { normalizeRef } from '../catalog/entityOwners';
import { pipelineResourceRef, type PipelineQuery, type PipelineResource } from './resource';
import { isProjectMember } from './rules/isProjectMember';

/** "devops.pipeline.delete" reads as "delete pipelines". */
const describe = (permission: { name: string }) => {
  const [, resource, action] = permission.name.split('.');
  return `${action} ${resource}s`;
};

/** Every decision about pipelines goes through the portal's permission policy. */
export class PipelineAuthorizer {
  readonly #isAllowed: (decision: any, pipeline: PipelineRecord) => boolean;
  readonly #toCriteria: ReturnType<typeof createConditionTransformer<any>>;

  constructor(
    private readonly permissions: PermissionsService,
    registry: PermissionsRegistryService,
    /** Who belongs to a pipeline's project, for the IS_PROJECT_MEMBER rule. */
    private readonly projects: ProjectLookup,
  ) {
    const ruleset = registry.getPermissionRuleset(pipelineResourceRef);
    this.#isAllowed = createConditionAuthorizer(ruleset);
    this.#toCriteria = createConditionTransformer(ruleset);
  }

  /** Throws NotAllowedError unless the policy allows the action without a resource. */
  async authorize(credentials: BackstageCredentials, permission: BasicPermission) {
    const [decision] = await this.permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You are not allowed to ${describe(permission)}`);
    }
  }

  /** Whether the policy allows the action on this pipeline. */
  async isAllowed(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    pipeline: PipelineRecord,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional([{ permission }], {
      credentials,
    });
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      // The catalog is read only when a condition compares project members.
      const needsMembers = JSON.stringify(decision.conditions).includes(`"${isProjectMember.name}"`);
      const [resource] = needsMembers ? await withProjectMembers([pipeline], this.projects) : [pipeline];
      return this.#isAllowed(decision, resource);
    }
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Throws NotAllowedError unless the policy allows the action on this pipeline. */
  async authorizePipeline(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    pipeline: PipelineRecord,
  ) {
    if (!(await this.isAllowed(credentials, permission, pipeline))) {
      throw new NotAllowedError(
        `You are not allowed to ${describe(permission)} "${pipeline.document.metadata.name}"`,
      );
    }
  }

  /**
   * Throws NotAllowedError unless the policy allows creating this pipeline: the create
   * permission's conditions are applied to the pipeline about to be made, so a policy
   * can allow creating for some entities (projects) only.
   */
  async authorizeCreate(credentials: BackstageCredentials, document: PipelineDocument, createdBy: string) {
    if (!(await this.isAllowed(credentials, devopsPipelineCreatePermission, candidate(document, createdBy)))) {
      throw new NotAllowedError(`You are not allowed to create pipelines for ${document.metadata.entityRef}`);
    }
  }

  /**
   * Whether the policy would let the caller create a pipeline for `entityRef`, or, without
   * one, for some entity: what the pages ask before they offer Create, Copy and Import.
   */
  async mayCreate(credentials: BackstageCredentials, entityRef: string | undefined, createdBy: string) {
    if (entityRef) {
      const document = { metadata: { name: '', entityRef }, spec: { stages: [] } } as unknown as PipelineDocument;
      return this.isAllowed(credentials, devopsPipelineCreatePermission, candidate(document, createdBy));
    }
    const [decision] = await this.permissions.authorizeConditional([{ permission: devopsPipelineCreatePermission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.CONDITIONAL) return decision.result === AuthorizeResult.ALLOW;
    // Conditions on the project hold for no entity when the user's projects own none.
    const criteria = await this.#resolveProjects(this.#toCriteria(decision.conditions));
    return mayHoldForSomeEntity(criteria, createdBy);
  }

  /**
   * The filter a list query needs: undefined for everything, 'none' when nothing may be
   * seen, or the policy's conditions translated to SQL.
   */
  async listFilter(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<QueryFilter | 'none' | undefined> {
    const [decision] = await this.permissions.authorizeConditional([{ permission }], {
      credentials,
    });
    if (decision.result === AuthorizeResult.DENY) return 'none';
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return conditionsToFilter(await this.#resolveProjects(this.#toCriteria(decision.conditions)));
    }
    return undefined;
  }

  /** Project conditions become the entities of the claims' projects, read from the catalog. */
  async #resolveProjects(criteria: PermissionCriteria<PipelineQuery>): Promise<PermissionCriteria<PipelineQuery>> {
    type Criteria = AllOfCriteria<PipelineQuery>['allOf'];
    const each = (list: Criteria) =>
      Promise.all(list.map(c => this.#resolveProjects(c))) as Promise<Criteria>;
    if ('allOf' in criteria) return { allOf: await each(criteria.allOf) };
    if ('anyOf' in criteria) return { anyOf: await each(criteria.anyOf) };
    if ('not' in criteria) return { not: await this.#resolveProjects(criteria.not) };
    if (!('projectOf' in criteria)) return criteria;
    return { column: 'entity_ref', values: await this.projects.entitiesOf(criteria.projectOf), ignoreCase: true };
  }
}

/** A pipeline about to be created, as the create permission's conditions see it. */
function candidate(document: PipelineDocument, createdBy: string): PipelineRecord {
  const now = new Date().toISOString();
  return { id: '', document, secrets: {}, active: true, version: 0, createdBy, createdAt: now, updatedAt: now };
}

/** What the authorizer needs of the catalog (CatalogProjects). */
export type ProjectLookup = Pick<CatalogProjects, 'members' | 'entitiesOf'>;

/** The pipelines with the members of their projects, for rules that compare them. */
export async function withProjectMembers(
  pipelines: PipelineRecord[],
  projects: ProjectLookup,
): Promise<PipelineResource[]> {
  const members = await projects.members(pipelines.map(p => normalizeRef(p.document.metadata.entityRef)));
  return pipelines.map(pipeline => ({
    ...pipeline,
    projectMembers: members.get(normalizeRef(pipeline.document.metadata.entityRef)) ?? [],
  }));
}
