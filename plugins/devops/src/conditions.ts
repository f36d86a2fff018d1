import type { Entity } from '@backstage/catalog-model';

/**
 * Marks catalog entities that have pipelines, so the Pipelines tab is shown only where
 * it has something to show.
 *
 * @public
 */
export const DEVOPS_PIPELINES_ANNOTATION = 'devops.backstage.io/pipelines';

/** @public */
export function isDevopsAvailable(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[DEVOPS_PIPELINES_ANNOTATION] !== undefined
  );
}
