import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { ApiHolder } from '@backstage/core-plugin-api';
import { devopsApiRef } from './api';

/**
 * Marks catalog entities that have pipelines, so the Pipelines tab is shown only where
 * it has something to show.
 *
 * @public
 */
export const DEVOPS_PIPELINES_ANNOTATION = 'devops.backstage.io/pipelines';

/**
 * Whether the entity carries the pipelines annotation. Synchronous, for filters that
 * cannot wait (the new frontend system's entity content filter).
 *
 * @public
 */
export function hasDevopsAnnotation(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[DEVOPS_PIPELINES_ANNOTATION] !== undefined
  );
}

/**
 * Whether the Pipelines tab has something to show: the entity carries the annotation,
 * or pipelines belong to it. Use it with the legacy `EntitySwitch.Case if={...}`, which
 * passes the app's APIs and waits for the answer.
 *
 * @public
 */
export function isDevopsAvailable(
  entity: Entity,
  context?: { apis: ApiHolder },
): boolean | Promise<boolean> {
  if (hasDevopsAnnotation(entity)) return true;
  const devopsApi = context?.apis.get(devopsApiRef);
  if (!devopsApi) return false;
  return (
    devopsApi
      .listPipelines({ entityRef: stringifyEntityRef(entity), limit: 1 })
      .then(page => page.totalCount > 0)
      // A backend that cannot answer must not break the entity page; the tab stays hidden.
      .catch(() => false)
  );
}
