import { createRouteRef } from '@backstage/core-plugin-api';

/** The DevOps page. */
export const rootRouteRef = createRouteRef({ id: 'devops' });

/** The Pipelines tab of an entity page (legacy frontend system). */
export const entityContentRouteRef = createRouteRef({
  id: 'devops:entity-content',
});
