import { discoveryApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { makePipeline } from '../../__testUtils__/pipelines';
import { renderWithDevopsApi } from '../../__testUtils__/renderWithDevopsApi';
import { page } from '../RunHistory/__testUtils__/runs';
import type { DevopsApi } from '../../api';
import { DevopsRouter } from './DevopsRouter';

jest.setTimeout(30_000);

// The drawing is the canvas's own business; here it matters which page is shown.
jest.mock('../PipelineCanvas', () => ({
  PipelineCanvas: () => <div data-testid="pipeline-canvas" />,
}));

async function render(options: {
  path: string;
  entityRef?: string;
  devopsApi?: Partial<DevopsApi>;
}) {
  const devopsApi: Partial<DevopsApi> = {
    listPipelines: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    listClusters: jest.fn().mockResolvedValue({ items: [], canBind: true }),
    ...options.devopsApi,
  };
  await renderWithDevopsApi(
    <Routes>
      <Route
        path="/devops/*"
        element={<DevopsRouter entityRef={options.entityRef} />}
      />
    </Routes>,
    devopsApi,
    {
      apis: [
        [
          discoveryApiRef,
          {
            getBaseUrl: jest
              .fn()
              .mockResolvedValue('http://backstage:7007/api/devops'),
          },
        ],
      ],
      routeEntries: [options.path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('DevopsRouter', () => {
  it('switches between the pipelines and the clusters with tabs that are links', async () => {
    await render({ path: '/devops' });

    expect(await screen.findByText('No pipelines yet')).toBeInTheDocument();
    const clustersTab = screen.getByRole('tab', { name: 'Clusters' });
    expect(clustersTab).toHaveAttribute('href', '/devops/clusters');
    expect(screen.getByRole('tab', { name: 'Pipelines' })).toHaveAttribute(
      'aria-selected',
      'true',
    );

    await userEvent.click(clustersTab);

    expect(await screen.findByText('No cluster bound')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Clusters' })).toHaveAttribute(
      'aria-selected',
      'true',
    );

    await userEvent.click(screen.getByRole('tab', { name: 'Pipelines' }));
    expect(await screen.findByText('No pipelines yet')).toBeInTheDocument();
  });

  it('opens the clusters page at its own URL', async () => {
    await render({ path: '/devops/clusters' });

    expect(await screen.findByText('No cluster bound')).toBeInTheDocument();
  });

  it("shows no tabs in an entity's Pipelines tab: bindings belong to the portal", async () => {
    await render({ path: '/devops', entityRef: 'component:default/jack-2048' });

    expect(
      await screen.findByText('This entity has no pipelines yet'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('tab')).toBeNull();
  });

  it("opens a pipeline right under an entity's tab", async () => {
    const getPipeline = jest
      .fn()
      .mockResolvedValue(
        makePipeline({ id: 'p1', title: 'Deploy the 2048 game' }),
      );
    const devopsApi = {
      getPipeline,
      listRuns: jest.fn().mockResolvedValue(page([])),
    };

    // The tab is itself "pipelines": no second "pipelines/" in the address.
    await render({
      path: '/devops/p1',
      entityRef: 'component:default/jack-2048',
      devopsApi,
    });
    expect(
      await screen.findByRole('heading', { name: 'Deploy the 2048 game' }),
    ).toBeInTheDocument();
    expect(getPipeline).toHaveBeenLastCalledWith('p1');
    expect((await screen.findByText('Edit')).closest('a')).toHaveAttribute(
      'href',
      '/devops/p1/edit',
    );
  });

  it('still opens a pipeline from an entity tab address of before', async () => {
    const getPipeline = jest
      .fn()
      .mockResolvedValue(
        makePipeline({ id: 'p1', title: 'Deploy the 2048 game' }),
      );
    await render({
      path: '/devops/pipelines/p1',
      entityRef: 'component:default/jack-2048',
      devopsApi: {
        getPipeline,
        listRuns: jest.fn().mockResolvedValue(page([])),
      },
    });
    expect(
      await screen.findByRole('heading', { name: 'Deploy the 2048 game' }),
    ).toBeInTheDocument();
    expect(getPipeline).toHaveBeenLastCalledWith('p1');
  });
});
