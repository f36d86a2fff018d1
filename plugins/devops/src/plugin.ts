import {
  createApiFactory,
  createComponentExtension,
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

/**
 * The overview card of an entity's pipelines: the latest run of each, with a Run button
 * and a link to the Pipelines tab. Show it where the tab is shown (`isDevopsAvailable`).
 *
 * @public
 */
export const EntityPipelinesCard = devopsPlugin.provide(
  createComponentExtension({
    name: 'EntityPipelinesCard',
    component: {
      lazy: () =>
        import('./components/EntityPipelinesCard').then(
          m => m.EntityPipelinesCard,
        ),
    },
  }),
);
