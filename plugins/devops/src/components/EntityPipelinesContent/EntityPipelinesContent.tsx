import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DevopsRouter } from '../DevopsRouter';

/** The Pipelines tab of a catalog entity: the pipelines that belong to it. */
export const EntityPipelinesContent = () => {
  const { entity } = useEntity();
  return <DevopsRouter entityRef={stringifyEntityRef(entity)} />;
};
