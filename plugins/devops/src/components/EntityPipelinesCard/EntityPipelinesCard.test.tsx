import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import {
  devopsPipelineExecutePermission,
  type Pipeline,
  type RunSummary,
} from '@devops-pipelines/plugin-devops-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makePipeline } from '../../__testUtils__/pipelines';
import {
  permissionApiDenying,
  renderWithDevopsApi,
} from '../../__testUtils__/renderWithDevopsApi';
import type { DevopsApi } from '../../api';
import { NOT_ALLOWED } from '../../lib/usePipelinePermissions';
import { entityContentRouteRef, rootRouteRef } from '../../routes';
import { RUN_POLL_MS } from '../RunHistory/useRunHistory';
import { EntityPipelinesCard } from './EntityPipelinesCard';
import { CARD_PIPELINES_LIMIT } from './useEntityPipelines';

// MUI dialogs and tooltips make a test here take seconds in jsdom, more than Jest's
// default 5 on a busy machine.
jest.setTimeout(30_000);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'jack-2048',
    annotations: { 'devops.backstage.io/pipelines': 'true' },
  },
  spec: { type: 'website', owner: 'group:default/qa', lifecycle: 'production' },
};

/** Where the app mounts jack-2048's Pipelines tab. */
const TAB = '/catalog/default/component/jack-2048/pipelines';

const page = (items: Pipeline[], totalCount = items.length) => ({
  items,
  totalCount,
});

/** Run #7, started by Jack Smith, that took 65 s. */
const SUCCEEDED_RUN: RunSummary = {
  id: 'run-7',
  buildId: 7,
  status: 'succeeded',
  trigger: {
    type: 'manual',
    user: 'user:default/jack',
    userName: 'Jack Smith',
  },
  queuedAt: '2026-11-21T09:00:00Z',
  startedAt: '2026-11-21T09:00:05Z',
  finishedAt: '2026-11-21T09:01:10Z',
  durationMs: 65_000,
};

async function render(
  devopsApi: Partial<DevopsApi>,
  options: {
    permissionApi?: PermissionApi;
    /** Whether the app mounts the entity's Pipelines tab (a legacy app may not). */
    withTab?: boolean;
  } = {},
) {
  const { permissionApi, withTab = true } = options;
  return renderWithDevopsApi(
    <EntityProvider entity={entity}>
      <EntityPipelinesCard />
    </EntityProvider>,
    devopsApi,
    {
      permissionApi,
      mountedRoutes: {
        '/devops': rootRouteRef,
        ...(withTab ? { [TAB]: entityContentRouteRef } : {}),
      },
    },
  );
}

afterEach(() => {
  jest.useRealTimers();
});

describe('EntityPipelinesCard', () => {
  it("shows each pipeline's latest run, linking into the entity's Pipelines tab", async () => {
    const listPipelines = jest.fn().mockResolvedValue(
      page(
        [
          makePipeline({
            id: 'p1',
            name: 'deploy-2048-yaml',
            title: 'YAML deploy of the 2048 game',
            lastRun: SUCCEEDED_RUN,
          }),
          makePipeline({ id: 'p2', name: 'nightly' }),
        ],
        12,
      ),
    );

    await render({ listPipelines });

    const item = await screen.findByTestId('entity-pipeline-deploy-2048-yaml');
    expect(
      within(item).getByRole('link', { name: 'YAML deploy of the 2048 game' }),
    ).toHaveAttribute('href', `${TAB}/p1`);
    expect(within(item).getByRole('link', { name: '#7' })).toHaveAttribute(
      'href',
      `${TAB}/runs/run-7`,
    );
    expect(within(item).getByText('Succeeded')).toBeInTheDocument();
    expect(within(item).getByLabelText('Duration')).toHaveTextContent(
      '1 min 05 s',
    );
    expect(
      within(item).getByText('Started by user Jack Smith'),
    ).toBeInTheDocument();
    // A finished run shows no progress.
    expect(within(item).queryByRole('progressbar')).toBeNull();

    expect(
      within(screen.getByTestId('entity-pipeline-nightly')).getByText(
        'Never run',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('2 of 12 pipelines')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /View all/ })).toHaveAttribute(
      'href',
      TAB,
    );
    expect(listPipelines).toHaveBeenCalledWith({
      entityRef: 'component:default/jack-2048',
      limit: CARD_PIPELINES_LIMIT,
    });
  });

  it('links to the DevOps page in an app without the Pipelines tab', async () => {
    await render(
      {
        listPipelines: jest
          .fn()
          .mockResolvedValue(
            page([makePipeline({ id: 'p1', lastRun: SUCCEEDED_RUN })]),
          ),
      },
      { withTab: false },
    );

    expect(await screen.findByRole('link', { name: '#7' })).toHaveAttribute(
      'href',
      '/devops/runs/run-7',
    );
    expect(screen.getByRole('link', { name: /View all/ })).toHaveAttribute(
      'href',
      '/devops',
    );
  });

  it('runs a pipeline as the list does: asked first, then said, then shown', async () => {
    const listPipelines = jest
      .fn()
      .mockResolvedValue(page([makePipeline({ id: 'p1', name: 'nightly' })]));
    const runPipeline = jest
      .fn()
      .mockResolvedValue({ id: 'run-8', buildId: 8 });

    const { alertApi } = await render({ listPipelines, runPipeline });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Run nightly' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('Start a new run of "nightly" now?');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Run' }));

    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message: 'Started run #8 of "nightly"',
        severity: 'success',
        display: 'transient',
      }),
    );
    expect(runPipeline).toHaveBeenCalledWith('p1');
    // Read again, so the new run shows.
    await waitFor(() => expect(listPipelines).toHaveBeenCalledTimes(2));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('reports a run that could not start with the backend message', async () => {
    const runPipeline = jest
      .fn()
      .mockRejectedValue(new Error('no cluster is bound for this project'));
    const { alertApi } = await render({
      listPipelines: jest
        .fn()
        .mockResolvedValue(page([makePipeline({ name: 'nightly' })])),
      runPipeline,
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Run nightly' }),
    );
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

  it('disables Run, saying why, where the policy refuses to execute the pipeline', async () => {
    await render(
      {
        listPipelines: jest
          .fn()
          .mockResolvedValue(page([makePipeline({ name: 'nightly' })])),
      },
      { permissionApi: permissionApiDenying(devopsPipelineExecutePermission) },
    );

    const run = await screen.findByRole('button', { name: 'Run nightly' });
    await waitFor(() => expect(run).toBeDisabled());
    await userEvent.hover(run.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      NOT_ALLOWED.execute,
    );
  });

  it('enables Run where the policy allows it, and disables it for an inactive pipeline', async () => {
    await render({
      listPipelines: jest
        .fn()
        .mockResolvedValue(
          page([
            makePipeline({ name: 'nightly' }),
            makePipeline({ name: 'retired', active: false }),
          ]),
        ),
    });

    await waitFor(async () =>
      expect(
        await screen.findByRole('button', { name: 'Run nightly' }),
      ).toBeEnabled(),
    );
    const retired = screen.getByRole('button', { name: 'Run retired' });
    expect(retired).toBeDisabled();
    await userEvent.hover(retired.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Activate the pipeline to run it',
    );
  });

  it('shows an unfinished run moving, reading the pipelines again until it ends', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const running: RunSummary = {
      ...SUCCEEDED_RUN,
      status: 'running',
      finishedAt: undefined,
      durationMs: 5_000,
    };
    const listPipelines = jest
      .fn()
      .mockResolvedValueOnce(
        page([makePipeline({ name: 'nightly', lastRun: running })]),
      )
      .mockResolvedValue(
        page([makePipeline({ name: 'nightly', lastRun: SUCCEEDED_RUN })]),
      );

    await render({ listPipelines });

    const item = await screen.findByTestId('entity-pipeline-nightly');
    expect(within(item).getByTestId('latest-run-status')).toHaveAttribute(
      'data-status',
      'running',
    );
    expect(within(item).getByLabelText('Duration')).toHaveTextContent('5 s');
    expect(
      within(item).getByRole('progressbar', { name: 'Run #7 in progress' }),
    ).toBeInTheDocument();

    await act(() => jest.advanceTimersByTimeAsync(RUN_POLL_MS));

    await waitFor(() =>
      expect(within(item).getByTestId('latest-run-status')).toHaveAttribute(
        'data-status',
        'succeeded',
      ),
    );
    expect(within(item).getByLabelText('Duration')).toHaveTextContent(
      '1 min 05 s',
    );
    expect(within(item).queryByRole('progressbar')).toBeNull();
    // Finished: read again only at the idle pace.
    await act(() => jest.advanceTimersByTimeAsync(RUN_POLL_MS * 3));
    expect(listPipelines).toHaveBeenCalledTimes(2);
  });

  it('says the entity has no pipelines yet, with a link to create one', async () => {
    await render({ listPipelines: jest.fn().mockResolvedValue(page([])) });

    expect(
      await screen.findByText('No pipelines for this component yet'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Create a pipeline' }),
    ).toHaveAttribute('href', `${TAB}/new`);
  });

  it('offers no link to create a pipeline where the policy refuses it', async () => {
    const mayCreatePipeline = jest.fn().mockResolvedValue(false);
    await render({
      listPipelines: jest.fn().mockResolvedValue(page([])),
      mayCreatePipeline,
    });

    expect(
      await screen.findByText('No pipelines for this component yet'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(mayCreatePipeline).toHaveBeenCalledWith(
        'component:default/jack-2048',
      ),
    );
    // The link is hidden while the question is open too: wait for the answer.
    await act(() => Promise.resolve());
    expect(
      screen.queryByRole('link', { name: 'Create a pipeline' }),
    ).toBeNull();
  });

  it('shows why the pipelines could not be read', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'Error', message: 'the database is unreachable' },
        response: { statusCode: 503 },
      }),
      {
        status: 503,
        statusText: 'Service Unavailable',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    await render({ listPipelines: jest.fn().mockRejectedValue(error) });

    // Backstage's error panel, with the backend's reason among its details.
    expect(
      (await screen.findAllByText(/the database is unreachable/))[0],
    ).toBeInTheDocument();
    expect(screen.getByText('Pipelines')).toBeInTheDocument();
    expect(screen.queryByText(/No pipelines/)).toBeNull();
  });
});
