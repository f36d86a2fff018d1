import type { PermissionApi } from '@backstage/plugin-permission-react';
import {
  devopsPipelineExecutePermission,
  type Run,
} from '@devops-pipelines/plugin-devops-common';
import {
  act,
  configure,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import type { DevopsApi } from '../../api';
import type {
  FollowRunOptions,
  StreamRunLogOptions,
} from '../../api/DevopsApi';
import { NOT_ALLOWED } from '../../lib/usePipelinePermissions';
import { makeRun, makeStage, makeTask } from '../RunHistory/__testUtils__/runs';
import { RunDetailsPage } from './RunDetailsPage';
import { LOG_RETRY_FIRST_MS } from './useRunLog';
import {
  permissionApiDenying,
  renderWithDevopsApi,
} from '../../__testUtils__/renderWithDevopsApi';

// A whole page with the lazily loaded LogViewer: the defaults are short on a busy machine.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5000 });

/**
 * LogViewer draws lines only once its container has a size, which jsdom's layout
 * never gives; this gives the log's container the size of a screen.
 */
function sizeTheLogView() {
  const measure = HTMLElement.prototype.getBoundingClientRect;
  jest
    .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
    .mockImplementation(function rect(this: HTMLElement) {
      return this.dataset.testid === 'run-log'
        ? new DOMRect(0, 0, 1024, 600)
        : measure.call(this);
    });
}

beforeAll(sizeTheLogView);

const at = (second: number) =>
  `2026-11-21T09:00:${String(second).padStart(2, '0')}Z`;

function runningRun(overrides: Partial<Run> = {}): Run {
  return makeRun(12, {
    status: 'running',
    startedAt: at(0),
    finishedAt: undefined,
    durationMs: 20_000,
    stages: [
      makeStage('Build', 'running', [
        makeTask('t-compile', 'succeeded', {
          startedAt: at(3),
          finishedAt: at(10),
          durationMs: 7000,
        }),
        makeTask('t-package', 'running', {
          startedAt: at(10),
          durationMs: 10_000,
        }),
      ]),
      makeStage('Deploy', 'queued', [makeTask('t-deploy', 'queued')]),
    ],
    ...overrides,
  });
}

/**
 * The run's stream, as the backend sends it: the run as it is when the stream opens
 * (`first`, or `first` of the run's id), then each state the test sends.
 */
function runStream(first: Run | ((runId: string) => Run)) {
  const open: FollowRunOptions[] = [];
  const followRun = jest.fn(
    (runId: string, options: FollowRunOptions) =>
      new Promise<void>(resolve => {
        open.push(options);
        options.onRun(typeof first === 'function' ? first(runId) : first);
        options.signal?.addEventListener('abort', () => resolve());
      }),
  );
  const send = (run: Run) => act(() => open[open.length - 1].onRun(run));
  return { followRun, send };
}

/** A log stream per call that the test feeds, ends or breaks. */
function controllableStreams() {
  const calls: Array<{
    runId: string;
    options: StreamRunLogOptions;
    reject: (error: Error) => void;
  }> = [];
  const streamRunLog = jest.fn(
    (runId: string, options: StreamRunLogOptions) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ runId, options, reject });
        options.signal?.addEventListener('abort', () => resolve());
      }),
  );
  const last = () => calls[calls.length - 1];
  return { streamRunLog, calls, last };
}

async function render(
  devopsApi: Partial<DevopsApi>,
  path = '/devops/runs/run-12',
  permissionApi?: PermissionApi,
) {
  return renderWithDevopsApi(
    <Routes>
      <Route path="/devops/runs/:runId" element={<RunDetailsPage />} />
    </Routes>,
    devopsApi,
    { routeEntries: [path], permissionApi },
  );
}

describe('RunDetailsPage', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows the run, its steps with status and duration, and follows the changes', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const { followRun, send } = runStream(runningRun());
    const failed = runningRun({
      status: 'failed',
      finishedAt: at(30),
      durationMs: 30_000,
      message: 'Task "package" failed with exit code 2',
      stages: [
        makeStage('Build', 'failed', [
          makeTask('t-compile', 'succeeded', {
            startedAt: at(3),
            durationMs: 7000,
          }),
          makeTask('t-package', 'failed', {
            startedAt: at(10),
            finishedAt: at(30),
            durationMs: 20_000,
            exitCode: 2,
          }),
        ]),
        makeStage('Deploy', 'skipped', [makeTask('t-deploy', 'skipped')]),
      ],
    });
    const { streamRunLog } = controllableStreams();

    await render({ followRun, streamRunLog });

    expect(
      await screen.findByText('Run #12', { selector: 'h1' }),
    ).toBeInTheDocument();
    expect(followRun).toHaveBeenCalledWith('run-12', expect.anything());
    expect(screen.getByTestId('run-status')).toHaveAttribute(
      'data-status',
      'running',
    );
    expect(
      screen.getByText('Started by user guest (a6a16470)'),
    ).toBeInTheDocument();
    expect(screen.getByText('deploy-2048-yaml').closest('a')).toHaveAttribute(
      'href',
      '/devops/pipelines/p1',
    );
    // The set-up steps as the backend recorded them.
    const initialisation = screen.getByTestId('run-step-initialisation');
    expect(initialisation).toHaveAttribute('data-status', 'succeeded');
    expect(initialisation).toHaveTextContent('Initialisation');
    expect(initialisation).toHaveTextContent('1 s');
    const checkout = screen.getByTestId('run-step-checkout');
    expect(checkout).toHaveTextContent('Checkout 2048@a6a16470');
    expect(checkout).toHaveTextContent('2 s');
    expect(screen.getByTestId('run-stage-0')).toHaveTextContent('Build');
    expect(screen.getByTestId('run-task-0-0')).toHaveAttribute(
      'data-status',
      'succeeded',
    );
    expect(screen.getByTestId('run-task-0-0')).toHaveTextContent('7 s');
    const packaging = screen.getByTestId('run-task-0-1');
    expect(packaging).toHaveAttribute('data-status', 'running');
    expect(packaging).toHaveTextContent('10 s');
    expect(screen.getByTestId('run-task-1-0')).toHaveAttribute(
      'data-status',
      'queued',
    );
    // The running task's log is shown when none was picked.
    expect(packaging).toHaveAttribute('aria-current', 'step');
    expect(streamRunLog).toHaveBeenCalledWith(
      'run-12',
      expect.objectContaining({ step: 't-package', after: 0 }),
    );
    expect(screen.getByText('Stop')).toBeInTheDocument();

    // Durations count while the task runs.
    await act(() => jest.advanceTimersByTimeAsync(1000));
    expect(screen.getByTestId('run-task-0-1')).toHaveTextContent('11 s');

    // The backend sends the run again when it failed.
    send(failed);
    await waitFor(() =>
      expect(screen.getByTestId('run-status')).toHaveAttribute(
        'data-status',
        'failed',
      ),
    );
    expect(screen.getByTestId('run-task-0-1')).toHaveAttribute(
      'data-status',
      'failed',
    );
    expect(screen.getByTestId('run-task-0-1')).toHaveTextContent(
      'Exited with code 2',
    );
    expect(screen.getByTestId('run-task-1-0')).toHaveAttribute(
      'data-status',
      'skipped',
    );
    expect(
      screen.getByText('Task "package" failed with exit code 2'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Stop')).toBeNull();
    // One stream the whole time: no reads between the changes.
    expect(followRun).toHaveBeenCalledTimes(1);
  });

  it('appends the lines of the stream as they arrive, and stops at its end', async () => {
    const { followRun } = runStream(runningRun());
    const { streamRunLog, last } = controllableStreams();

    await render({ followRun, streamRunLog });
    await screen.findByText('Run #12', { selector: 'h1' });

    act(() =>
      last().options.onChunk({
        seq: 3,
        taskId: 't-package',
        text: `${at(11)} npm run package\n${at(
          12,
        )} [Warning] FailedScheduling: Insufficient memory\n`,
      }),
    );
    const log = screen.getByTestId('run-log');
    expect(await within(log).findByText(/npm run package/)).toBeInTheDocument();
    expect(
      within(log).getByText(/FailedScheduling: Insufficient memory/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Following the log as it is written.'),
    ).toBeInTheDocument();

    act(() =>
      last().options.onChunk({
        seq: 4,
        taskId: 't-package',
        text: `${at(13)} packed 42 files\n`,
      }),
    );
    expect(await within(log).findByText(/packed 42 files/)).toBeInTheDocument();
    expect(within(log).getByText(/npm run package/)).toBeInTheDocument();

    act(() => last().options.onEnd?.('succeeded'));
    await waitFor(() => expect(log).toHaveAttribute('data-ended', 'true'));
    // The run's own stream brings its end: the log's end does not read it again.
    expect(followRun).toHaveBeenCalledTimes(1);
  });

  it('opens the stream again after a failure, after the last chunk received', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const { followRun } = runStream(runningRun());
    const { streamRunLog, last } = controllableStreams();

    await render({ followRun, streamRunLog });
    await screen.findByText('Run #12', { selector: 'h1' });
    expect(streamRunLog).toHaveBeenCalledTimes(1);

    act(() =>
      last().options.onChunk({
        seq: 7,
        taskId: 't-package',
        text: `${at(11)} step 1\n`,
      }),
    );
    act(() => last().reject(new Error('Failed to fetch')));

    expect(
      await screen.findByText(
        'The log stream failed (Failed to fetch); trying again.',
      ),
    ).toBeInTheDocument();
    await act(() => jest.advanceTimersByTimeAsync(LOG_RETRY_FIRST_MS));

    await waitFor(() => expect(streamRunLog).toHaveBeenCalledTimes(2));
    expect(last().options).toMatchObject({ step: 't-package', after: 7 });
    act(() =>
      last().options.onChunk({
        seq: 8,
        taskId: 't-package',
        text: `${at(12)} step 2\n`,
      }),
    );
    const log = screen.getByTestId('run-log');
    expect(await within(log).findByText(/step 2/)).toBeInTheDocument();
    expect(within(log).getByText(/step 1/)).toBeInTheDocument();
    expect(screen.queryByText(/The log stream failed/)).toBeNull();
  });

  it('shows the run-level lines as the first step, and another task on demand', async () => {
    const { followRun } = runStream(runningRun());
    const { streamRunLog, last } = controllableStreams();

    await render(
      { followRun, streamRunLog },
      '/devops/runs/run-12?step=initialisation',
    );
    await screen.findByText('Run #12', { selector: 'h1' });

    // The backend filters: "initialisation" asks for the run's own lines.
    expect(last().options.step).toBe('initialisation');
    act(() => {
      last().options.onChunk({
        seq: 1,
        text: `${at(0)} [Normal] Started by user guest\n`,
      });
    });
    const log = screen.getByTestId('run-log');
    expect(
      await within(log).findByText(/Started by user guest/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('run-task-0-0'));

    await waitFor(() =>
      expect(last().options).toMatchObject({ step: 't-compile', after: 0 }),
    );
    expect(screen.getByText('Log: t-compile')).toBeInTheDocument();
  });

  it('opens a failed checkout by itself, with its reason and its own log', async () => {
    const failedCheckout = makeRun(12, {
      status: 'failed',
      message:
        'Branch main of https://git.example.com/acme/shop.git does not exist',
      setup: [
        {
          step: 'initialisation',
          name: 'Initialisation',
          status: 'succeeded',
          startedAt: at(0),
          finishedAt: at(1),
          durationMs: 1000,
        },
        {
          step: 'checkout',
          name: 'Checkout shop@main',
          status: 'failed',
          startedAt: at(1),
          finishedAt: at(2),
          durationMs: 1000,
          message:
            'Branch main of https://git.example.com/acme/shop.git does not exist',
        },
      ],
      stages: [
        makeStage('Build', 'skipped', [makeTask('t-compile', 'skipped')]),
      ],
    });
    const { followRun } = runStream(failedCheckout);
    const { streamRunLog, last } = controllableStreams();

    await render({ followRun, streamRunLog });
    await screen.findByText('Run #12', { selector: 'h1' });

    const checkout = screen.getByTestId('run-step-checkout');
    expect(checkout).toHaveAttribute('data-status', 'failed');
    expect(checkout).toHaveAttribute('aria-current', 'step');
    expect(checkout).toHaveTextContent('does not exist');
    expect(screen.getByText('Log: Checkout shop@main')).toBeInTheDocument();
    expect(last().options.step).toBe('checkout');
  });

  it('stops the run and re-runs it after asking, then opens the new run', async () => {
    const rerunOf12 = makeRun(13, { id: 'run-13', status: 'queued' });
    const { followRun } = runStream(id =>
      id === 'run-13' ? rerunOf12 : runningRun(),
    );
    const stopRun = jest.fn().mockResolvedValue(undefined);
    const rerun = jest.fn().mockResolvedValue(rerunOf12);
    const { streamRunLog } = controllableStreams();

    await render({ followRun, streamRunLog, stopRun, rerun });

    await userEvent.click(await screen.findByText('Stop'));
    let dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('Stop #12?')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByText('Stop'));
    await waitFor(() => expect(stopRun).toHaveBeenCalledWith('run-12'));

    await userEvent.click(screen.getByText('Re-run'));
    dialog = screen.getByRole('dialog');
    await userEvent.click(within(dialog).getByText('Re-run'));

    await waitFor(() =>
      expect(rerun).toHaveBeenCalledWith('run-12', { latestCommit: false }),
    );
    expect(
      await screen.findByText('Run #13', { selector: 'h1' }),
    ).toBeInTheDocument();
    expect(followRun).toHaveBeenLastCalledWith('run-13', expect.anything());
  });

  it('disables Stop and Re-run, saying why, where the policy refuses to execute the pipeline', async () => {
    const { streamRunLog } = controllableStreams();

    await render(
      { followRun: runStream(runningRun()).followRun, streamRunLog },
      undefined,
      permissionApiDenying(devopsPipelineExecutePermission),
    );

    expect(
      await screen.findByText('Run #12', { selector: 'h1' }),
    ).toBeInTheDocument();
    // The pipeline is asked about once the run names it.
    await waitFor(() =>
      expect(screen.getAllByTitle(NOT_ALLOWED.execute)).toHaveLength(2),
    );
    expect(screen.getByRole('button', { name: 'Stop' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Re-run' })).toBeDisabled();
  });

  it('downloads the full log through the API', async () => {
    const { followRun } = runStream(runningRun());
    const downloadRunLog = jest.fn().mockResolvedValue('[compile] ok\n');
    const { streamRunLog } = controllableStreams();
    const createObjectURL = jest.fn().mockReturnValue('blob:log');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });

    await render({ followRun, streamRunLog, downloadRunLog });
    await userEvent.click(await screen.findByText('Download full log'));

    await waitFor(() => expect(downloadRunLog).toHaveBeenCalledWith('run-12'));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
  });

  it('shows the log full screen, the same stream going on, until Escape', async () => {
    const { followRun } = runStream(runningRun());
    const { streamRunLog } = controllableStreams();
    await render({ followRun, streamRunLog });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Full screen' }),
    );
    const panel = screen.getByTestId('run-log').parentElement!;
    expect(panel).toHaveAttribute('data-fullscreen', 'true');
    expect(streamRunLog).toHaveBeenCalledTimes(1);

    await userEvent.keyboard('{Escape}');
    expect(panel).toHaveAttribute('data-fullscreen', 'false');
    expect(
      screen.getByRole('button', { name: 'Full screen' }),
    ).toBeInTheDocument();
    expect(streamRunLog).toHaveBeenCalledTimes(1);
  });

  it("says which tasks ran beside a parallel stage's task, and opens theirs", async () => {
    const run = runningRun();
    run.stages[0] = { ...run.stages[0], order: 'parallel' };
    const { streamRunLog, last } = controllableStreams();
    await render(
      { followRun: runStream(run).followRun, streamRunLog },
      '/devops/runs/run-12?step=t-compile',
    );

    expect(
      await screen.findByText(
        /^This is t-compile's log. Beside it in stage Build ran/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 't-package' }));

    await waitFor(() =>
      expect(last().options).toMatchObject({ step: 't-package' }),
    );
    expect(screen.getByText('Log: t-package')).toBeInTheDocument();
    // A sequential stage's tasks ran one after the other: nothing to say.
    expect(
      screen.getByText(/Beside it in stage Build ran/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('run-task-1-0'));
    await waitFor(() =>
      expect(screen.queryByText(/Beside it in stage/)).toBeNull(),
    );
  });
});
