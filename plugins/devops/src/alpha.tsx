import BuildIcon from '@material-ui/icons/Build';
import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { DevopsClient, devopsApiRef } from './api';
import { hasDevopsAnnotation } from './conditions';
import { entityContentRouteRef, rootRouteRef } from './routes';

const devopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: devopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DevopsClient({ discoveryApi, fetchApi }),
    }),
});

// This release has no nav item blueprint: the app's sidebar lists every page that has
// a route ref and an icon, so those two make the page its own nav item.
const pipelinesPage = PageBlueprint.make({
  params: {
    path: '/devops',
    title: 'Pipelines',
    icon: <BuildIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/PipelinesPage').then(m => <m.PipelinesPage />),
  },
});

const entityPipelinesContent = EntityContentBlueprint.make({
  params: {
    path: 'pipelines',
    title: 'Pipelines',
    // Pipelines build and deploy: the group of the release's Kubernetes tab. The entity
    // page shows a group of one as a plain tab and a larger one as a menu.
    group: 'deployment',
    filter: hasDevopsAnnotation,
    // Mounts the route ref here, so the overview card's links lead into this tab.
    routeRef: convertLegacyRouteRef(entityContentRouteRef),
    loader: () =>
      import('./components/EntityPipelinesContent').then(m => (
        <m.EntityPipelinesContent />
      )),
  },
});

// On the overview of the entities that have the Pipelines tab, so its links lead there.
const entityPipelinesCard = EntityCardBlueprint.make({
  name: 'pipelines',
  params: {
    type: 'content',
    filter: hasDevopsAnnotation,
    loader: () =>
      import('./components/EntityPipelinesCard').then(m => (
        <m.EntityPipelinesCard />
      )),
  },
});

/**
 * The DevOps plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'devops',
  title: 'Pipelines',
  icon: <BuildIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  }),
  extensions: [
    devopsApi,
    pipelinesPage,
    entityPipelinesContent,
    entityPipelinesCard,
  ],
});
