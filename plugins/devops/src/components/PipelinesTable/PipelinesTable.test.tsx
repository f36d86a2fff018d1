import { alertApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makePipeline } from '../../__testUtils__/pipelines';
import { type DevopsApi, devopsApiRef } from '../../api';
import { PipelinesTable } from './PipelinesTable';

const page = (items: Pipeline[]) => ({ items, totalCount: items.length });

async function render(devopsApi: Partial<DevopsApi>, entityRef?: string) {
  const alertApi = { post: jest.fn() };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [devopsApiRef, devopsApi],
        [alertApiRef, alertApi],
      ]}
    >
      <PipelinesTable entityRef={entityRef} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { alertApi };
}

describe('PipelinesTable', () => {
  it('lists the pipelines the API returns', async () => {
    const building = makePipeline({
      name: 'deploy-2048-yaml',
      title: 'YAML deploy of the 2048 game',
      source: {
        provider: 'gitlab',
        repository: 'https://gitlab.example.com/qa/jack-2048.git',
        branch: 'master',
      },
      lastRun: {
        id: 'run-7',
        buildId: 7,
        status: 'running',
        trigger: { type: 'manual', user: 'user:default/jack' },
        queuedAt: '2026-11-21T09:00:00Z',
        startedAt: '2026-11-21T09:00:05Z',
      },
    });
    const idle = makePipeline({ name: 'nightly', active: false });
    const listPipelines = jest.fn().mockResolvedValue(page([building, idle]));

    await render({ listPipelines });

    expect(
      await screen.findByText('YAML deploy of the 2048 game'),
    ).toBeInTheDocument();
    expect(screen.getByText('Pipelines (2)')).toBeInTheDocument();
    expect(listPipelines).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: undefined }),
    );

    const buildingRow = screen.getByText('deploy-2048-yaml').closest('tr')!;
    expect(within(buildingRow).getByText('Active')).toBeInTheDocument();
    expect(
      within(buildingRow).getByText(
        'https://gitlab.example.com/qa/jack-2048.git',
      ),
    ).toBeInTheDocument();
    expect(within(buildingRow).getByText('Running')).toBeInTheDocument();
    expect(within(buildingRow).getByText(/^#7 ·/)).toBeInTheDocument();
    expect(within(buildingRow).getByText('jack-2048')).toBeInTheDocument();
    expect(within(buildingRow).getByText('jack')).toBeInTheDocument();
    // Stop is offered only while the latest run is unfinished.
    expect(
      within(buildingRow).getByRole('button', { name: 'Stop' }),
    ).toBeEnabled();

    const idleRow = screen.getByText('nightly').closest('tr')!;
    expect(within(idleRow).getByText('Inactive')).toBeInTheDocument();
    expect(within(idleRow).getByText('No source')).toBeInTheDocument();
    expect(within(idleRow).getByText('Never run')).toBeInTheDocument();
    expect(within(idleRow).queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(within(idleRow).getByRole('button', { name: 'Run' })).toBeDisabled();
  });

  it('explains how to create a pipeline when there is none', async () => {
    const listPipelines = jest.fn().mockResolvedValue(page([]));

    await render({ listPipelines }, 'component:default/jack-2048');

    expect(
      await screen.findByText('This entity has no pipelines yet'),
    ).toBeInTheDocument();
    expect(screen.getByText(/importing its YAML document/)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Import YAML' }),
    ).toBeInTheDocument();
    expect(listPipelines).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'component:default/jack-2048' }),
    );
  });

  it('asks before deleting, then deletes and reloads the list', async () => {
    const pipeline = makePipeline({ id: 'p1', name: 'nightly' });
    const listPipelines = jest
      .fn()
      .mockResolvedValueOnce(page([pipeline]))
      .mockResolvedValue(page([]));
    const deletePipeline = jest.fn().mockResolvedValue(undefined);

    await render({ listPipelines, deletePipeline });

    await userEvent.click(
      await screen.findByRole('button', { name: 'More actions' }),
    );
    await userEvent.click(screen.getByRole('menuitem', { name: 'Delete' }));

    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('Delete pipeline?')).toBeInTheDocument();
    expect(
      within(dialog).getByText(/"nightly" and its run history/),
    ).toBeInTheDocument();
    expect(deletePipeline).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );

    expect(deletePipeline).toHaveBeenCalledWith('p1');
    expect(await screen.findByText('No pipelines yet')).toBeInTheDocument();
    expect(listPipelines).toHaveBeenCalledTimes(2);
  });

  it('does nothing when the deletion is cancelled', async () => {
    const listPipelines = jest.fn().mockResolvedValue(page([makePipeline()]));
    const deletePipeline = jest.fn();

    await render({ listPipelines, deletePipeline });

    await userEvent.click(
      await screen.findByRole('button', { name: 'More actions' }),
    );
    await userEvent.click(screen.getByRole('menuitem', { name: 'Delete' }));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Cancel',
      }),
    );

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(deletePipeline).not.toHaveBeenCalled();
  });

  it('reports a failed action with the backend message', async () => {
    const listPipelines = jest
      .fn()
      .mockResolvedValue(page([makePipeline({ name: 'nightly' })]));
    const runPipeline = jest
      .fn()
      .mockRejectedValue(new Error('no cluster is bound for this project'));

    const { alertApi } = await render({ listPipelines, runPipeline });

    await userEvent.click(await screen.findByRole('button', { name: 'Run' }));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Run' }),
    );

    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message:
          'Could not run "nightly": no cluster is bound for this project',
        severity: 'error',
      }),
    );
  });
});
