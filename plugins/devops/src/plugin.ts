import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DevopsClient, devopsApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The DevOps plugin for apps on the legacy frontend system; apps on the new system
 * install the default export of `@devops-pipelines/plugin-devops/alpha` instead.
 *
 * @public
 */
export const devopsPlugin = createPlugin({
  id: 'devops',
  apis: [
    createApiFactory({
      api: devopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DevopsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * The page listing all pipelines the user may see.
 *
 * @public
 */
export const DevopsPage = devopsPlugin.provide(
  createRoutableExtension({
    name: 'DevopsPage',
    component: () =>
      import('./components/PipelinesPage').then(m => m.LegacyPipelinesPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Pipelines tab of an entity page; show it where `isDevopsAvailable` holds.
 *
 * @public
 */
export const EntityDevopsContent = devopsPlugin.provide(
  createRoutableExtension({
    name: 'EntityDevopsContent',
    component: () =>
      import('./components/EntityPipelinesContent').then(
        m => m.EntityPipelinesContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);
