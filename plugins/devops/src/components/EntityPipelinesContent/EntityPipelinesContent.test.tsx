import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { makePipeline } from '../../__testUtils__/pipelines';
import { renderWithDevopsApi } from '../../__testUtils__/renderWithDevopsApi';
import { EntityPipelinesContent } from './EntityPipelinesContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'jack-2048',
    annotations: { 'devops.backstage.io/pipelines': 'true' },
  },
  spec: { type: 'website', owner: 'group:default/qa', lifecycle: 'production' },
};

describe('EntityPipelinesContent', () => {
  it('lists the pipelines of the entity on the page', async () => {
    const listPipelines = jest.fn().mockResolvedValue({
      items: [makePipeline({ name: 'deploy-2048-yaml' })],
      totalCount: 1,
    });

    await renderWithDevopsApi(
      <EntityProvider entity={entity}>
        <EntityPipelinesContent />
      </EntityProvider>,
      { listPipelines },
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(await screen.findByText('deploy-2048-yaml')).toBeInTheDocument();
    expect(listPipelines).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'component:default/jack-2048' }),
    );
  });
});
