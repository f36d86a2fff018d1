import { type RouteRef, useRouteRef } from '@backstage/core-plugin-api';
import type { DevopsMount } from '../../links';
import { entityContentRouteRef, rootRouteRef } from '../../routes';

/**
 * The path of a route the app may not have mounted. The legacy `useRouteRef` throws
 * then (the new system's returns undefined); either way the caller gets undefined. The
 * hook's own hooks have all run before it throws, so their order never changes.
 */
function useOptionalRoutePath(routeRef: RouteRef): string | undefined {
  try {
    return useRouteRef(routeRef)?.();
  } catch {
    return undefined;
  }
}

const withoutTrailingSlash = (path: string) => path.replace(/\/$/, '');

/**
 * Where the entity card's links lead. The card sits on the entity's overview, outside
 * the router of the Pipelines tab, so it sets up the mount that router would: the tab's
 * path and the entity, so that a pipeline or a run opens in the tab and a new pipeline
 * belongs to the entity. In an app without the tab the links lead to the DevOps page.
 */
export function useEntityPipelinesMount(entityRef: string): DevopsMount {
  const tabPath = useOptionalRoutePath(entityContentRouteRef);
  const rootPath = useOptionalRoutePath(rootRouteRef);
  if (tabPath) {
    return { basePath: withoutTrailingSlash(tabPath), entityRef };
  }
  return { basePath: withoutTrailingSlash(rootPath ?? '/devops') };
}
