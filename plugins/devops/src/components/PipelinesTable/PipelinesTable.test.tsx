import { discoveryApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import {
  devopsPipelineDeletePermission,
  devopsPipelineExecutePermission,
  devopsPipelineUpdatePermission,
  type Pipeline,
} from '@devops-pipelines/plugin-devops-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { makePipeline } from '../../__testUtils__/pipelines';
import type { DevopsApi } from '../../api';
import { NOT_ALLOWED } from '../../lib/usePipelinePermissions';
import { PipelinesTable } from './PipelinesTable';
import {
  permissionApiDenying,
  renderWithDevopsApi,
} from '../../__testUtils__/renderWithDevopsApi';

// MUI menus and dialogs make a test here take seconds in jsdom, more than Jest's
// default 5 on a busy machine.
jest.setTimeout(30_000);

const page = (items: Pipeline[]) => ({ items, totalCount: items.length });

/** Run #7, started by jack and still running. */
const RUNNING_RUN: Pipeline['status']['lastRun'] = {
  id: 'run-7',
  buildId: 7,
  status: 'running',
  trigger: { type: 'manual', user: 'user:default/jack' },
  queuedAt: '2026-11-21T09:00:00Z',
  startedAt: '2026-11-21T09:00:05Z',
};

/** Where a link from the list led: the DevOps pages are mounted at /devops. */
const Destination = () => {
  const location = useLocation();
  return (
    <p data-testid="destination">{`${location.pathname}${location.search}`}</p>
  );
};

async function render(
  devopsApi: Partial<DevopsApi>,
  entityRef?: string,
  permissionApi?: PermissionApi,
) {
  const discoveryApi = {
    getBaseUrl: jest.fn().mockResolvedValue('http://backstage:7007/api/devops'),
  };
  return renderWithDevopsApi(
    <Routes>
      <Route path="/" element={<PipelinesTable entityRef={entityRef} />} />
      <Route path="/devops/*" element={<Destination />} />
    </Routes>,
    devopsApi,
    {
      apis: [[discoveryApiRef, discoveryApi]],
      permissionApi,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

afterEach(() => {
  jest.useRealTimers();
});

async function openMenu(name: string) {
  await userEvent.click(
    await screen.findByRole('button', { name: `More actions for ${name}` }),
  );
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
      lastRun: RUNNING_RUN,
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
      within(buildingRow).getByRole('button', {
        name: 'Stop deploy-2048-yaml',
      }),
    ).toBeEnabled();

    const idleRow = screen.getByText('nightly').closest('tr')!;
    expect(within(idleRow).getByText('Inactive')).toBeInTheDocument();
    expect(within(idleRow).getByText('No source')).toBeInTheDocument();
    expect(within(idleRow).getByText('Never run')).toBeInTheDocument();
    expect(
      within(idleRow).queryByRole('button', { name: 'Stop nightly' }),
    ).toBeNull();
    expect(
      within(idleRow).getByRole('button', { name: 'Run nightly' }),
    ).toBeDisabled();
  });

  it('explains how to create a pipeline when there is none', async () => {
    const listPipelines = jest.fn().mockResolvedValue(page([]));

    await render({ listPipelines }, 'component:default/jack-2048');

    expect(
      await screen.findByText('This entity has no pipelines yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Create one on the canvas, or import its YAML document/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/component:default\/jack-2048 for this one/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create pipeline' }),
    ).toHaveAttribute('href', '/devops/pipelines/new');
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

    await openMenu('nightly');
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

  it('says that deleting stops a run still in progress', async () => {
    const running = makePipeline({
      id: 'p1',
      name: 'nightly',
      lastRun: RUNNING_RUN,
    });
    await render({
      listPipelines: jest.fn().mockResolvedValue(page([running])),
    });

    await openMenu('nightly');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Delete' }));

    expect(
      within(screen.getByRole('dialog')).getByText(
        /Run #7 is still running: it is stopped first\./,
      ),
    ).toBeInTheDocument();
  });

  it('does nothing when the deletion is cancelled', async () => {
    const listPipelines = jest.fn().mockResolvedValue(page([makePipeline()]));
    const deletePipeline = jest.fn();

    await render({ listPipelines, deletePipeline });

    await openMenu('deploy-2048-yaml');
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

  it('links each row to its pipeline and its last run', async () => {
    const pipeline = makePipeline({
      id: 'p1',
      name: 'deploy-2048-yaml',
      title: 'YAML deploy of the 2048 game',
      lastRun: {
        id: 'run-7',
        buildId: 7,
        status: 'succeeded',
        trigger: { type: 'schedule' },
        queuedAt: '2026-11-21T09:00:00Z',
        startedAt: '2026-11-21T09:00:05Z',
      },
    });
    await render({
      listPipelines: jest.fn().mockResolvedValue(page([pipeline])),
    });

    const row = await screen.findByTestId('pipeline-row-deploy-2048-yaml');
    expect(
      within(row).getByRole('link', { name: 'YAML deploy of the 2048 game' }),
    ).toHaveAttribute('href', '/devops/pipelines/p1');
    expect(within(row).getByRole('link', { name: /^#7 ·/ })).toHaveAttribute(
      'href',
      '/devops/runs/run-7',
    );
    expect(
      screen.getByRole('button', { name: 'Create pipeline' }),
    ).toHaveAttribute('href', '/devops/pipelines/new');
    expect(
      screen.getByRole('button', { name: 'Import YAML' }),
    ).toBeInTheDocument();
  });

  it.each([
    ['Edit', '/devops/pipelines/p1/edit'],
    // A copy is made in the editor, not by the API: nothing is stored until saved.
    ['Copy', '/devops/pipelines/new?copyOf=p1'],
  ])('"%s" in the menu opens %s', async (item, destination) => {
    const copyPipeline = jest.fn();
    await render({
      listPipelines: jest
        .fn()
        .mockResolvedValue(page([makePipeline({ id: 'p1', name: 'nightly' })])),
      copyPipeline,
    });

    await openMenu('nightly');
    await userEvent.click(screen.getByRole('menuitem', { name: item }));

    expect(await screen.findByTestId('destination')).toHaveTextContent(
      destination,
    );
    expect(copyPipeline).not.toHaveBeenCalled();
  });

  it('edits the trigger rules in a dialog and reloads the list', async () => {
    const pipeline = makePipeline({
      id: 'p1',
      name: 'nightly',
      source: {
        provider: 'github',
        repository: 'https://github.com/acme/nightly',
        branch: 'main',
      },
    });
    const listPipelines = jest.fn().mockResolvedValue(page([pipeline]));
    const updateTriggers = jest.fn().mockResolvedValue(pipeline);
    const getTriggerSettings = jest.fn().mockResolvedValue({
      timezone: 'UTC',
      webhooks: {
        github: {
          enabled: true,
          url: 'https://portal.example.com/api/events/http/github',
        },
        gitlab: {
          enabled: true,
          url: 'https://portal.example.com/api/events/http/gitlab',
        },
      },
    });
    const { alertApi } = await render({
      listPipelines,
      updateTriggers,
      getTriggerSettings,
    });

    await openMenu('nightly');
    await userEvent.click(
      screen.getByRole('menuitem', { name: 'Edit triggers' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Trigger rules of "nightly"',
    });
    // Events are offered once the backend said it receives GitHub's webhooks.
    await within(dialog).findByTestId('webhook-url');
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Push' }),
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(updateTriggers).toHaveBeenCalledWith(
      'p1',
      { events: { push: true, merge: false, tag: false }, schedule: null },
      { manualWebhook: false },
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(alertApi.post).toHaveBeenCalledWith({
      message: 'Saved the trigger rules of "nightly"',
      severity: 'success',
      display: 'transient',
    });
    expect(listPipelines).toHaveBeenCalledTimes(2);
  });

  it('edits the advanced settings in a dialog', async () => {
    const pipeline = makePipeline({ id: 'p1', name: 'nightly' });
    const listPipelines = jest.fn().mockResolvedValue(page([pipeline]));
    const updateSettings = jest.fn().mockResolvedValue(pipeline);
    // One binding serves it: the dialog offers no cluster to choose.
    const listPipelineBindings = jest.fn().mockResolvedValue({
      items: [
        { name: 'dev', namespace: 'devops-dev', scope: [], health: 'healthy' },
      ],
    });
    await render({ listPipelines, updateSettings, listPipelineBindings });

    await openMenu('nightly');
    await userEvent.click(
      screen.getByRole('menuitem', { name: 'Advanced settings' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Advanced settings of "nightly"',
    });
    fireEvent.change(within(dialog).getByLabelText('Timeout (minutes)'), {
      target: { value: '90' },
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(updateSettings).toHaveBeenCalledWith('p1', {
      timeoutMinutes: 90,
      notifications: 'failures',
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(listPipelines).toHaveBeenCalledTimes(2);
  });

  it('keeps activation, export and deletion in the menu', async () => {
    await render({
      listPipelines: jest
        .fn()
        .mockResolvedValue(page([makePipeline({ name: 'nightly' })])),
    });

    await openMenu('nightly');

    expect(
      screen.getAllByRole('menuitem').map(item => item.textContent),
    ).toEqual([
      'Edit',
      'Copy',
      'Edit triggers',
      'Advanced settings',
      'Deactivate',
      'Export YAML',
      'Delete',
    ]);
  });

  it('disables Run and Stop, saying why, where the policy refuses to execute the pipeline', async () => {
    const running = makePipeline({
      name: 'nightly',
      lastRun: {
        id: 'run-7',
        buildId: 7,
        status: 'running',
        trigger: { type: 'schedule' },
        queuedAt: '2026-11-21T09:00:00Z',
      },
    });
    await render(
      { listPipelines: jest.fn().mockResolvedValue(page([running])) },
      undefined,
      permissionApiDenying(devopsPipelineExecutePermission),
    );

    const run = await screen.findByRole('button', { name: 'Run nightly' });
    expect(run).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Stop nightly' })).toBeDisabled();
    await userEvent.hover(run.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      NOT_ALLOWED.execute,
    );

    // What the policy allows stays as it was.
    await openMenu('nightly');
    expect(
      screen.getByRole('menuitem', { name: 'Deactivate' }),
    ).not.toHaveAttribute('aria-disabled', 'true');
  });

  it('disables editing and deleting in the menu where the policy refuses them', async () => {
    await render(
      {
        listPipelines: jest
          .fn()
          .mockResolvedValue(page([makePipeline({ name: 'nightly' })])),
      },
      undefined,
      permissionApiDenying(
        devopsPipelineUpdatePermission,
        devopsPipelineDeletePermission,
      ),
    );

    expect(
      await screen.findByRole('button', { name: 'Run nightly' }),
    ).toBeEnabled();
    await openMenu('nightly');
    const disabled = (name: string) =>
      screen.getByRole('menuitem', { name }).getAttribute('aria-disabled') ===
      'true';
    expect(
      ['Edit', 'Edit triggers', 'Advanced settings', 'Delete'].filter(disabled),
    ).toHaveLength(4);
    // Copying is a create permission of its own; export only needs to see the pipeline.
    expect(['Copy', 'Deactivate', 'Export YAML'].filter(disabled)).toEqual([]);

    await userEvent.hover(
      screen.getByRole('menuitem', { name: 'Delete' }).parentElement!,
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      NOT_ALLOWED.delete,
    );
  });

  it('disables Create, Import and Copy, saying why, where the policy lets the user create no pipeline for the entity', async () => {
    const mayCreatePipeline = jest.fn().mockResolvedValue(false);
    await render(
      {
        listPipelines: jest
          .fn()
          .mockResolvedValue(page([makePipeline({ name: 'nightly' })])),
        mayCreatePipeline,
      },
      'component:default/jack-2048',
    );

    const create = await screen.findByRole('button', {
      name: 'Create pipeline',
    });
    await waitFor(() =>
      expect(create).toHaveAttribute('aria-disabled', 'true'),
    );
    expect(screen.getByRole('button', { name: 'Import YAML' })).toBeDisabled();
    await userEvent.hover(create.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      "The portal's permission policy does not let you create pipelines for component:default/jack-2048",
    );
    await openMenu('nightly');
    await waitFor(() =>
      expect(screen.getByRole('menuitem', { name: 'Copy' })).toHaveAttribute(
        'aria-disabled',
        'true',
      ),
    );
    expect(mayCreatePipeline).toHaveBeenCalledWith(
      'component:default/jack-2048',
    );
  });

  it('clears the search after an import, so that the new pipeline shows', async () => {
    const all = [makePipeline({ name: 'nightly' })];
    const listPipelines = jest.fn(async ({ q }: { q?: string }) =>
      page(all.filter(p => !q || p.metadata.name.includes(q))),
    );
    const imported = makePipeline({ id: 'p2', name: 'deploy' });
    const importPipeline = jest.fn(async () => {
      all.push(imported);
      return imported;
    });
    await render({ listPipelines, importPipeline });
    await screen.findByTestId('pipeline-row-nightly');
    const search = screen.getByRole('searchbox', { name: 'Search pipelines' });
    await userEvent.type(search, 'night');
    await waitFor(() =>
      expect(listPipelines).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'night' }),
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Import YAML' }));
    await userEvent.type(
      screen.getByLabelText('Pipeline YAML'),
      'kind: Pipeline',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));

    // A busy machine may take longer than findBy's 1 s to import and list again.
    expect(
      await screen.findByTestId('pipeline-row-deploy', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    // The page is hidden from the accessibility tree until the dialog has gone.
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(
      screen.getByRole('searchbox', { name: 'Search pipelines' }),
    ).toHaveValue('');
  });

  it('searches by name once typing pauses', async () => {
    const all = [
      makePipeline({ name: 'nightly' }),
      makePipeline({ name: 'deploy' }),
    ];
    const listPipelines = jest.fn(async ({ q }: { q?: string }) =>
      page(all.filter(p => !q || p.metadata.name.includes(q))),
    );
    await render({ listPipelines });
    await screen.findByTestId('pipeline-row-deploy');
    // Fake time, so that the keystrokes come faster than the debounce however busy
    // the machine is.
    jest.useFakeTimers();
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    const search = screen.getByRole('searchbox', { name: 'Search pipelines' });

    await user.type(search, 'night');
    expect(listPipelines).toHaveBeenCalledTimes(1);
    await act(async () => {
      jest.advanceTimersByTime(300);
    });

    // One request for the whole word, not one per keystroke.
    expect(listPipelines).toHaveBeenCalledTimes(2);
    expect(listPipelines).toHaveBeenLastCalledWith(
      expect.objectContaining({ q: 'night' }),
    );
    expect(await screen.findByText('Pipelines (1)')).toBeInTheDocument();
    expect(screen.queryByTestId('pipeline-row-deploy')).toBeNull();
    expect(screen.getByTestId('pipeline-row-nightly')).toBeInTheDocument();

    await user.type(search, 'ly-build');
    await act(async () => {
      jest.advanceTimersByTime(300);
    });

    expect(listPipelines).toHaveBeenLastCalledWith(
      expect.objectContaining({ q: 'nightly-build' }),
    );
    expect(
      await screen.findByText('No pipeline matches "nightly-build".'),
    ).toBeInTheDocument();
  });
});
