import type { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The owner refs of each catalog entity, lower-cased (entity refs compare without case).
 * An entity the catalog does not hold owns nothing: only portal-wide bindings cover it.
 */
export type EntityOwners = (entityRefs: string[]) => Promise<Map<string, string[]>>;

/** Normalises an entity ref for comparison; refs compare case-insensitively. */
export const normalizeRef = (ref: string) => ref.toLocaleLowerCase('en-US');

/** Reads owners from the catalog as the plugin itself, whoever asked. */
export function catalogEntityOwners(catalog: CatalogService, auth: AuthService): EntityOwners {
  return async entityRefs => {
    const refs = [...new Set(entityRefs)];
    const owners = new Map<string, string[]>();
    if (refs.length === 0) return owners;
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.namespace', 'metadata.name', 'spec.owner', 'relations'] },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    refs.forEach((ref, index) => {
      const entity = items[index];
      owners.set(ref, entity ? ownersOf(entity) : []);
    });
    return owners;
  };
}

/** The ownedBy relations the catalog computed, else `spec.owner` resolved the same way. */
function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(relation => relation.type === RELATION_OWNED_BY)
    .map(relation => normalizeRef(relation.targetRef));
  if (related.length > 0) return related;
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return [];
  return [
    normalizeRef(
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ),
  ];
}
