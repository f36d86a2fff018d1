import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { PipelinesTable } from '../PipelinesTable';

/** The Pipelines tab of a catalog entity: the pipelines that belong to it. */
export const EntityPipelinesContent = () => {
  const { entity } = useEntity();
  return <PipelinesTable entityRef={stringifyEntityRef(entity)} />;
};
