import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import { devopsPipelineUpdatePermission } from '@devops-pipelines/plugin-devops-common';
import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { makePipeline } from '../../__testUtils__/pipelines';
import type { DevopsApi } from '../../api';
import { NOT_ALLOWED } from '../../lib/usePipelinePermissions';
import {
  makeRun,
  makeRuns,
  makeStage,
  makeTask,
  page,
} from '../RunHistory/__testUtils__/runs';
import { PipelineDetailsPage } from './PipelineDetailsPage';
import {
  permissionApiDenying,
  renderWithDevopsApi,
} from '../../__testUtils__/renderWithDevopsApi';

// The drawing is the canvas's own business; here it matters which run colours it.
jest.mock('../PipelineCanvas', () => ({
  PipelineCanvas: (props: { run?: { buildId: number } }) => (
    <div data-testid="pipeline-canvas">
      {props.run ? `drawn with run #${props.run.buildId}` : 'drawn'}
    </div>
  ),
}));

// A whole page; the defaults are short on a busy machine.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5000 });

const running = makeRun(12, {
  status: 'running',
  finishedAt: undefined,
  stages: [makeStage('Test', 'running', [makeTask('unit-tests', 'running')])],
});

const pipeline = makePipeline({
  id: 'p1',
  title: 'YAML deploy of the 2048 game',
  source: {
    provider: 'gitlab',
    repository: 'https://gitlab.example.com/qa/jack-2048.git',
    branch: 'master',
  },
  lastRun: running,
});

async function render(
  devopsApi: Partial<DevopsApi>,
  path = '/devops/pipelines/p1',
  permissionApi?: PermissionApi,
) {
  return renderWithDevopsApi(
    <Routes>
      <Route
        path="/devops/pipelines/:pipelineId"
        element={<PipelineDetailsPage />}
      />
    </Routes>,
    devopsApi,
    {
      routeEntries: [path],
      permissionApi,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('PipelineDetailsPage', () => {
  it('shows the basic info, the latest run, the drawing and the 5 latest runs', async () => {
    const getPipeline = jest.fn().mockResolvedValue(pipeline);
    const listRuns = jest
      .fn()
      .mockResolvedValue(page([running, ...makeRuns(8, 11)], 'c8', 12));

    await render({ getPipeline, listRuns });

    expect(
      await screen.findByRole('heading', {
        name: 'YAML deploy of the 2048 game',
      }),
    ).toBeInTheDocument();
    expect(getPipeline).toHaveBeenCalledWith('p1');
    expect(listRuns).toHaveBeenCalledWith('p1', { limit: 5 });
    const info = screen.getByText('Code source').closest('tbody')!;
    expect(
      within(info).getByText('https://gitlab.example.com/qa/jack-2048.git'),
    ).toBeInTheDocument();
    expect(within(info).getByText('jack-2048')).toBeInTheDocument();
    expect(within(info).getByText('jack')).toBeInTheDocument();
    expect(screen.getByTestId('latest-run-status')).toHaveAttribute(
      'data-status',
      'running',
    );
    expect(screen.getByText('Periodic').nextSibling).toHaveTextContent('None');

    expect(await screen.findByTestId('run-record-12')).toBeInTheDocument();
    expect(screen.getAllByTestId(/^run-record-/)).toHaveLength(5);
    expect(screen.getByText('Run records (12)')).toBeInTheDocument();
    // The drawing is coloured by the newest run, which carries its stages.
    expect(screen.getByText('Coloured by run #12')).toBeInTheDocument();
    expect(screen.getByTestId('pipeline-canvas')).toHaveTextContent(
      'drawn with run #12',
    );
    // Stop is offered while the latest run is unfinished.
    expect(screen.getByText('Stop').closest('button')).toBeInTheDocument();
    expect(screen.getByText('Edit').closest('a')).toHaveAttribute(
      'href',
      '/devops/pipelines/p1/edit',
    );
  });

  it("shows the backend's next fire times and why each trigger did (not) start a run", async () => {
    const scheduled = {
      ...pipeline,
      spec: {
        ...pipeline.spec,
        triggers: {
          events: { push: true, merge: false, tag: false },
          schedule: { every: 'minutes' as const, interval: 2 },
        },
      },
    };
    const getPipelineTriggers = jest.fn().mockResolvedValue({
      timezone: 'Asia/Tokyo',
      nextFireTimes: ['2026-12-03T05:54:00.000Z', '2026-12-03T05:56:00.000Z'],
      activity: [
        {
          id: 2,
          occurredAt: '2026-12-03T05:52:00.000Z',
          source: 'gitlab',
          summary: 'push a6a16470 to feature-x',
          outcome: 'skipped',
          reason: 'branch feature-x did not match master',
        },
        {
          id: 1,
          occurredAt: '2026-12-03T05:50:00.000Z',
          source: 'schedule',
          summary: 'fire time 2026-12-03 14:50 Asia/Tokyo',
          outcome: 'started',
          run: { id: 'r12', buildId: 12, status: 'running' },
        },
      ],
    });

    await render({
      getPipeline: jest.fn().mockResolvedValue(scheduled),
      listRuns: jest.fn().mockResolvedValue(page([running], undefined, 1)),
      getPipelineTriggers,
    });

    const activity = await screen.findByRole('list', {
      name: 'Trigger activity',
    });
    expect(getPipelineTriggers).toHaveBeenCalledWith('p1');
    const [skipped, started] = within(activity).getAllByRole('listitem');
    expect(skipped).toHaveTextContent('GitLab: push a6a16470 to feature-x');
    expect(skipped).toHaveTextContent(
      'Not started: branch feature-x did not match master',
    );
    expect(started).toHaveTextContent(
      'Timer: fire time 2026-12-03 14:50 Asia/Tokyo',
    );
    expect(within(started).getByRole('link', { name: '#12' })).toHaveAttribute(
      'href',
      '/devops/runs/r12',
    );
    // The times the timer will fire, in its zone, not the browser's.
    const next = screen.getByText('Next runs').nextSibling as HTMLElement;
    expect(next).toHaveTextContent('Thu 3 Dec 2026, 14:54');
    expect(next).toHaveTextContent('Thu 3 Dec 2026, 14:56');
    expect(next).toHaveTextContent(
      "Asia/Tokyo, the zone of the portal's timer",
    );
  });

  it('opens the records tab with 50 runs, in a timeline or a list, more on demand', async () => {
    const getPipeline = jest.fn().mockResolvedValue(pipeline);
    const listRuns = jest.fn(async (_id: string, { limit, cursor }) =>
      cursor
        ? page(makeRuns(1, 10), undefined, 110)
        : page(makeRuns(111 - limit, 110), 'c61', 110),
    );

    await render({ getPipeline, listRuns });
    await userEvent.click(await screen.findByText('View more'));

    await waitFor(() =>
      expect(listRuns).toHaveBeenLastCalledWith('p1', { limit: 50 }),
    );
    expect(await screen.findByTestId('run-record-61')).toBeInTheDocument();
    expect(screen.getAllByTestId(/^run-record-/)).toHaveLength(50);

    await userEvent.click(screen.getByText('List'));
    expect(screen.getByTestId('run-record-110').tagName).toBe('TR');

    await userEvent.click(screen.getByText('Load more'));
    expect(await screen.findByTestId('run-record-1')).toBeInTheDocument();
    expect(listRuns).toHaveBeenLastCalledWith('p1', {
      limit: 50,
      cursor: 'c61',
    });
    expect(screen.queryByText('Load more')).toBeNull();
  });

  it('runs with parameters after asking, then reads the pipeline again', async () => {
    const getPipeline = jest
      .fn()
      .mockResolvedValue(makePipeline({ id: 'p1', name: 'nightly' }));
    const listRuns = jest.fn().mockResolvedValue(page([]));
    const runPipeline = jest.fn().mockResolvedValue(makeRun(1));

    const { alertApi } = await render({ getPipeline, listRuns, runPipeline });
    expect(await screen.findByText('No runs yet.')).toBeInTheDocument();
    // Nothing runs: nothing to stop.
    expect(screen.queryByText('Stop')).toBeNull();

    await userEvent.click(screen.getByText('Run'));
    const dialog = screen.getByRole('dialog');
    expect(
      within(dialog).getByText('Start a new run of "nightly" now?'),
    ).toBeInTheDocument();
    await userEvent.click(within(dialog).getByText('Add parameter'));
    await userEvent.type(
      within(dialog).getByLabelText('Parameter 1 name'),
      'VERSION',
    );
    await userEvent.type(
      within(dialog).getByLabelText('Parameter 1 value'),
      '1.2',
    );
    await userEvent.click(within(dialog).getByText('Run'));

    await waitFor(() =>
      expect(runPipeline).toHaveBeenCalledWith('p1', { VERSION: '1.2' }),
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({ message: 'Started run #1 of "nightly"' }),
      ),
    );
    expect(getPipeline).toHaveBeenCalledTimes(2);
  });

  it('stops the running run and deactivates after asking', async () => {
    const getPipeline = jest.fn().mockResolvedValue(pipeline);
    const listRuns = jest.fn().mockResolvedValue(page([running]));
    const stopPipeline = jest.fn().mockResolvedValue(undefined);
    const deactivatePipeline = jest.fn().mockResolvedValue(pipeline);

    await render({ getPipeline, listRuns, stopPipeline, deactivatePipeline });

    await userEvent.click(await screen.findByText('Stop'));
    await userEvent.click(within(screen.getByRole('dialog')).getByText('Stop'));
    await waitFor(() => expect(stopPipeline).toHaveBeenCalledWith('p1'));

    await userEvent.click(screen.getByText('Deactivate'));
    expect(
      within(screen.getByRole('dialog')).getByText(/manual runs are refused/),
    ).toBeInTheDocument();
    await userEvent.click(
      within(screen.getByRole('dialog')).getByText('Deactivate'),
    );
    await waitFor(() => expect(deactivatePipeline).toHaveBeenCalledWith('p1'));
  });

  it('edits the advanced settings in their dialog and shows what was saved', async () => {
    const saved = {
      ...pipeline,
      spec: { ...pipeline.spec, timeoutMinutes: 30 },
    };
    const getPipeline = jest
      .fn()
      .mockResolvedValueOnce(pipeline)
      .mockResolvedValue(saved);
    const listRuns = jest.fn().mockResolvedValue(page([running]));
    const updateSettings = jest.fn().mockResolvedValue(saved);

    await render({ getPipeline, listRuns, updateSettings });
    const timeout = (await screen.findByText('Timeout')).nextSibling;
    expect(timeout).toHaveTextContent('None (a run still ends after 14 days)');
    expect(screen.getByText('Notifications').nextSibling).toHaveTextContent(
      'Failures and fixes',
    );

    await userEvent.click(screen.getByLabelText('Edit advanced settings'));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Timeout (minutes)'),
      '30',
    );
    await userEvent.click(within(dialog).getByText('Save'));

    await waitFor(() =>
      expect(updateSettings).toHaveBeenCalledWith('p1', {
        timeoutMinutes: 30,
        notifications: 'failures',
      }),
    );
    await waitFor(() => expect(timeout).toHaveTextContent('30 minutes'));
  });

  it("disables Edit and the cards' pencils, saying why, where the policy refuses to update", async () => {
    await render(
      {
        getPipeline: jest.fn().mockResolvedValue(pipeline),
        listRuns: jest.fn().mockResolvedValue(page([running])),
      },
      undefined,
      permissionApiDenying(devopsPipelineUpdatePermission),
    );

    const edit = await screen.findByRole('button', { name: 'Edit' });
    expect(edit).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByLabelText('Edit trigger rules')).toBeDisabled();
    expect(screen.getByLabelText('Edit advanced settings')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Run' })).toBeEnabled();
    await userEvent.hover(edit.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      NOT_ALLOWED.update,
    );
  });

  it('keeps the actions disabled, without a reason, while the policy is asked', async () => {
    await render(
      {
        getPipeline: jest.fn().mockResolvedValue(pipeline),
        listRuns: jest.fn().mockResolvedValue(page([running])),
      },
      undefined,
      { authorize: () => new Promise(() => {}) },
    );

    expect(await screen.findByRole('button', { name: 'Run' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Deactivate' })).toBeDisabled();
    // A link, which takes aria-disabled rather than disabled.
    expect(screen.getByRole('button', { name: 'Edit' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    expect(screen.queryByTitle(/permission policy/)).toBeNull();
  });

  it('says when the pipeline cannot be read', async () => {
    const getPipeline = jest
      .fn()
      .mockRejectedValue(new Error('No pipeline p9'));

    await render({ getPipeline, listRuns: jest.fn() }, '/devops/pipelines/p9');

    expect(
      (await screen.findAllByText(/No pipeline p9/)).length,
    ).toBeGreaterThan(0);
  });
});
