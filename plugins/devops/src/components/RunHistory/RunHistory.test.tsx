import {
  act,
  configure,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import { devopsPipelineExecutePermission } from '@devops-pipelines/plugin-devops-common';
import userEvent from '@testing-library/user-event';
import type { DevopsApi } from '../../api';
import { NOT_ALLOWED } from '../../lib/usePipelinePermissions';
import { makeRun, makeRuns, page } from './__testUtils__/runs';
import { RunHistory } from './RunHistory';
import { RUN_POLL_MS, useRunHistory } from './useRunHistory';
import {
  permissionApiDenying,
  renderWithDevopsApi,
} from '../../__testUtils__/renderWithDevopsApi';

// Renders MUI tables and dialogs; the defaults are short on a busy machine.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5000 });

const History = ({ pageSize }: { pageSize: number }) => (
  <RunHistory history={useRunHistory('p1', { pageSize })} />
);

const render = (
  devopsApi: Partial<DevopsApi>,
  pageSize = 50,
  permissionApi?: PermissionApi,
) =>
  renderWithDevopsApi(<History pageSize={pageSize} />, devopsApi, {
    permissionApi,
  });

describe('RunHistory', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows runs as timeline cards with their cause, and as a list', async () => {
    const listRuns = jest
      .fn()
      .mockResolvedValue(
        page([makeRun(12, { status: 'running' }), makeRun(11)]),
      );

    await render({ listRuns });

    const card = await screen.findByTestId('run-record-12');
    expect(card).toHaveAttribute('data-status', 'running');
    expect(within(card).getByRole('link', { name: '#12' })).toHaveAttribute(
      'href',
      '/devops/runs/run-12',
    );
    expect(
      within(card).getByText(/Started by user guest \(a6a16470\)/),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(/Branch master · 3 min 05 s/),
    ).toBeInTheDocument();
    expect(within(card).getByLabelText('Stop #12')).toBeInTheDocument();
    // A finished run can only be run again.
    const finished = screen.getByTestId('run-record-11');
    expect(within(finished).queryByLabelText('Stop #11')).toBeNull();
    expect(listRuns).toHaveBeenCalledWith('p1', { limit: 50 });

    await userEvent.click(screen.getByText('List'));

    expect(screen.getByText('List').closest('button')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    const row = screen.getByTestId('run-record-12');
    expect(row.tagName).toBe('TR');
    expect(within(row).getByLabelText('Select #12')).toBeInTheDocument();
  });

  it('loads older runs on demand, after the cursor of the last page', async () => {
    const listRuns = jest
      .fn()
      .mockResolvedValueOnce(page(makeRuns(8, 10), 'c8', 10))
      .mockResolvedValueOnce(page(makeRuns(5, 7), 'c5', 10));

    await render({ listRuns }, 3);

    expect(await screen.findByText('Run records (10)')).toBeInTheDocument();
    expect(screen.getAllByTestId(/^run-record-/)).toHaveLength(3);

    await userEvent.click(screen.getByText('Load more'));

    expect(await screen.findByTestId('run-record-5')).toBeInTheDocument();
    expect(screen.getAllByTestId(/^run-record-/)).toHaveLength(6);
    expect(listRuns).toHaveBeenLastCalledWith('p1', { limit: 3, cursor: 'c8' });
    expect(screen.getByText('Load more')).toBeInTheDocument();
  });

  it('re-runs and stops the selected runs after asking', async () => {
    const runs = [makeRun(3, { status: 'running' }), makeRun(2), makeRun(1)];
    const listRuns = jest
      .fn()
      .mockResolvedValueOnce(page(runs))
      .mockResolvedValue(page([makeRun(12), makeRun(11), ...runs]));
    const rerun = jest
      .fn()
      .mockImplementation(async (id: string) =>
        makeRun(Number(id.replace('run-', '')) + 10),
      );
    const stopRun = jest.fn().mockResolvedValue(undefined);

    const { alertApi } = await render({ listRuns, rerun, stopRun });
    await userEvent.click(await screen.findByText('List'));

    expect(screen.getByLabelText('Re-run selected')).toBeDisabled();
    await userEvent.click(screen.getByLabelText('Select #2'));
    await userEvent.click(screen.getByLabelText('Select #1'));
    // Only unfinished runs can be stopped.
    expect(screen.getByLabelText('Stop selected')).toBeDisabled();
    await userEvent.click(screen.getByLabelText('Re-run selected'));

    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('Re-run #2, #1?')).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByLabelText(
        'Use the latest commit of the branch instead',
      ),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Re-run' }),
    );

    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({ message: 'Started #12, #11' }),
      ),
    );
    expect(rerun.mock.calls).toEqual([
      ['run-2', { latestCommit: true }],
      ['run-1', { latestCommit: true }],
    ]);
    // The list is read again and shows the new runs.
    expect(await screen.findByTestId('run-record-12')).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('Select all runs'));
    await userEvent.click(screen.getByLabelText('Stop selected'));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Stop' }),
    );

    await waitFor(() => expect(stopRun).toHaveBeenCalledWith('run-3'));
    expect(stopRun).toHaveBeenCalledTimes(1);
  });

  it('disables re-run and stop, saying why, where the policy refuses to execute the pipeline', async () => {
    const listRuns = jest
      .fn()
      .mockResolvedValue(page([makeRun(2, { status: 'running' })]));

    await render(
      { listRuns },
      50,
      permissionApiDenying(devopsPipelineExecutePermission),
    );

    const card = within(await screen.findByTestId('run-record-2'));
    expect(card.getByLabelText('Re-run #2')).toBeDisabled();
    expect(card.getByLabelText('Stop #2')).toBeDisabled();
    await userEvent.hover(card.getByLabelText('Stop #2').parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      NOT_ALLOWED.execute,
    );

    await userEvent.click(screen.getByText('List'));
    await userEvent.click(screen.getByLabelText('Select #2'));
    expect(screen.getByLabelText('Re-run selected')).toBeDisabled();
    expect(screen.getByLabelText('Stop selected')).toBeDisabled();
  });

  it('reads the newest runs again while one is unfinished', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const listRuns = jest
      .fn()
      .mockResolvedValueOnce(page([makeRun(5, { status: 'running' })]))
      .mockResolvedValue(page([makeRun(5, { status: 'failed' })]));

    await render({ listRuns }, 5);

    expect(await screen.findByTestId('run-record-5')).toHaveAttribute(
      'data-status',
      'running',
    );
    await act(() => jest.advanceTimersByTimeAsync(RUN_POLL_MS));

    await waitFor(() =>
      expect(screen.getByTestId('run-record-5')).toHaveAttribute(
        'data-status',
        'failed',
      ),
    );
    await act(() => jest.advanceTimersByTimeAsync(RUN_POLL_MS * 3));
    // Finished: no more polling.
    expect(listRuns).toHaveBeenCalledTimes(2);
  });
});
