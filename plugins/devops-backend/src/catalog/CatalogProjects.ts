import type { AuthService } from '@backstage/backend-plugin-api';
import {
  RELATION_CHILD_OF,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeRef, type EntityOwners } from './entityOwners';

/** Group trees deeper than this are taken as cut off there (a cycle, or a mistake). */
const MAX_NESTING = 10;

const refOf = (entity: Entity) => normalizeRef(stringifyEntityRef(entity));
const isGroupRef = (ref: string) => ref.startsWith('group:');

/**
 * A pipeline's "project" (SPEC §9) is its catalog entity; who belongs to it is the
 * entity's owners and every group nested below them, as the catalog says now. Read as
 * the plugin itself, whoever asked.
 */
export class CatalogProjects {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly owners: EntityOwners,
  ) {}

  /** The refs that count as members of each entity's project, lower-cased. */
  async members(entityRefs: string[]): Promise<Map<string, string[]>> {
    const owners = await this.owners(entityRefs);
    // Entities of one team share their owners: their group tree is walked once.
    const trees = new Map<string, Promise<string[]>>();
    const members = new Map<string, string[]>();
    for (const [ref, entityOwners] of owners) {
      const key = [...entityOwners].sort().join(',');
      if (!trees.has(key)) trees.set(key, this.#withNested(entityOwners));
      members.set(ref, await trees.get(key)!);
    }
    return members;
  }

  /**
   * The entities whose project the claims (a user's ownership refs) belong to: owned by
   * one of them, or by a group one of them is nested in. Lower-cased refs.
   */
  async entitiesOf(claims: string[]): Promise<string[]> {
    const owners = await this.#withParents(claims.map(normalizeRef));
    if (owners.length === 0) return [];
    const { items } = await this.catalog.getEntities(
      {
        filter: { 'relations.ownedBy': owners },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items.map(refOf);
  }

  /**
   * The owners of an entity with every group they are nested in, lower-cased: rights
   * given to a group cover the entities of the teams below it.
   */
  async ownersWithParents(entityRef: string): Promise<string[]> {
    const ref = normalizeRef(entityRef);
    return this.#withParents((await this.owners([ref])).get(ref) ?? []);
  }

  /** Each group with the groups nested below it (who joined its projects), lower-cased. */
  async nestedGroups(groupRefs: string[]): Promise<Map<string, string[]>> {
    const refs = [...new Set(groupRefs.map(normalizeRef))];
    const trees = await Promise.all(refs.map(ref => this.#withNested([ref])));
    return new Map(refs.map((ref, index) => [ref, trees[index]]));
  }

  /** The groups with every group nested below them, at any depth. */
  async #withNested(refs: string[]): Promise<string[]> {
    const all = new Set(refs);
    let frontier = refs.filter(isGroupRef);
    for (let depth = 0; frontier.length && depth < MAX_NESTING; depth++) {
      const { items } = await this.catalog.getEntities(
        {
          filter: { kind: 'group', 'relations.childOf': frontier },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      frontier = items.map(refOf).filter(ref => !all.has(ref));
      frontier.forEach(ref => all.add(ref));
    }
    return [...all];
  }

  /** The refs with every group the groups among them are nested in, at any depth. */
  async #withParents(refs: string[]): Promise<string[]> {
    const all = new Set(refs);
    let frontier = refs.filter(isGroupRef);
    for (let depth = 0; frontier.length && depth < MAX_NESTING; depth++) {
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: frontier, fields: ['relations'] },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      frontier = items
        .flatMap(group => group?.relations ?? [])
        .filter(relation => relation.type === RELATION_CHILD_OF)
        .map(relation => normalizeRef(relation.targetRef))
        .filter(ref => !all.has(ref));
      frontier.forEach(ref => all.add(ref));
    }
    return [...all];
  }
}
