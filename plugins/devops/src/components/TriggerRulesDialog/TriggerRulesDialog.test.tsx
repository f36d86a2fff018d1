import { discoveryApiRef } from '@backstage/core-plugin-api';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  nextFireTimes,
  type Pipeline,
  type Schedule,
  type Triggers,
} from '@devops-pipelines/plugin-devops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime, Settings } from 'luxon';
import { makePipeline } from '../../__testUtils__/pipelines';
import { type DevopsApi, devopsApiRef } from '../../api';
import { TriggerRulesDialog } from './TriggerRulesDialog';

// Opening MUI selects and computing accessible names is slow in jsdom: a test here takes
// seconds, more than Jest's default 5 on a busy machine.
jest.setTimeout(30_000);

/** The backend's zone (devops.triggers.timezone), which the preview uses whatever the browser's. */
const BACKEND_ZONE = 'Asia/Tokyo';

// The SPEC §5 example: set at 14:53:21 on the backend's clock.
const NOW = DateTime.fromISO('2026-11-21T14:53:21', { zone: BACKEND_ZONE });

const noEvents = { push: false, merge: false, tag: false };

const GITHUB_SOURCE = {
  provider: 'github' as const,
  repository: 'https://github.com/acme/jack-2048',
  branch: 'main',
};
const GITHUB_INGRESS = 'https://backstage.example.com/api/events/http/github';

/** The backend's trigger settings: GitHub deliveries received, GitLab's not. */
const triggerSettings = {
  timezone: BACKEND_ZONE,
  webhooks: {
    github: { enabled: true, url: GITHUB_INGRESS },
    gitlab: {
      enabled: false,
      problem:
        'GitLab events are not received by this portal: its admin sets events.modules.gitlab.webhookSecret',
    },
  },
};

function pipelineWith(
  triggers?: Triggers,
  source?: Pipeline['spec']['source'],
): Pipeline {
  const pipeline = makePipeline({ id: 'p1', name: 'nightly', source });
  return { ...pipeline, spec: { ...pipeline.spec, triggers } };
}

async function renderDialog(
  pipeline: Pipeline,
  devopsApi: Partial<DevopsApi> = {},
) {
  const onSaved = jest.fn();
  const onClose = jest.fn();
  const discoveryApi = {
    getBaseUrl: jest.fn().mockResolvedValue('http://backstage:7007/api/devops'),
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          devopsApiRef,
          {
            getTriggerSettings: jest.fn().mockResolvedValue(triggerSettings),
            ...devopsApi,
          },
        ],
        [discoveryApiRef, discoveryApi],
      ]}
    >
      <TriggerRulesDialog
        open
        pipeline={pipeline}
        onClose={onClose}
        onSaved={onSaved}
      />
    </TestApiProvider>,
  );
  return { onSaved, onClose };
}

async function chooseSchedule(label: string) {
  await userEvent.click(
    screen.getByRole('button', { name: /Periodic trigger/ }),
  );
  await userEvent.click(screen.getByRole('option', { name: label }));
}

/** One change event per field: typing key by key re-renders the dialog for each. */
async function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function shownFireTimes() {
  const preview = screen.getByRole('region', { name: 'Next fire times' });
  return Array.from(preview.querySelectorAll('time')).map(time =>
    time.getAttribute('datetime'),
  );
}

/** The preview once the backend's zone has arrived. */
async function findFireTimes() {
  await screen.findByRole('region', { name: 'Next fire times' });
  return shownFireTimes();
}

function expectedFireTimes(schedule: Schedule) {
  return nextFireTimes(schedule, NOW, BACKEND_ZONE, 5).map(time =>
    time.toISO(),
  );
}

const saveButton = () => screen.getByRole('button', { name: 'Save' });

describe('TriggerRulesDialog', () => {
  beforeEach(() => {
    Settings.now = () => NOW.toMillis();
  });
  afterEach(() => {
    Settings.now = () => Date.now();
  });

  it('starts from the stored rules and previews them', async () => {
    const schedule: Schedule = { every: 'hours', interval: 2, minute: 28 };
    await renderDialog(
      pipelineWith({ events: { ...noEvents, push: true }, schedule }),
    );

    expect(screen.getByRole('checkbox', { name: 'Push' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Merge' })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Tag' })).not.toBeChecked();
    expect(
      screen.getByRole('button', { name: /Periodic trigger/ }),
    ).toHaveTextContent('Every n hours');
    expect(screen.getByLabelText('Interval (hours)')).toHaveValue(2);
    expect(screen.getByLabelText('At minute')).toHaveValue(28);

    expect(await findFireTimes()).toEqual(expectedFireTimes(schedule));
    // 14:53:21 with every 2 hours at minute 28 fires first at 16:28 (SPEC §5).
    expect(shownFireTimes()[0]).toMatch(/T16:28:00/);
    expect(
      screen.getByText(
        `Times in ${BACKEND_ZONE} (the portal's timer, devops.triggers.timezone)`,
      ),
    ).toBeInTheDocument();
  });

  it.each<[string, () => Promise<void>, Schedule]>([
    ['Every day', () => fill('Time', '07:30'), { every: 'day', time: '07:30' }],
    [
      'Every n hours',
      async () => {
        await fill('Interval (hours)', '3');
        await fill('At minute', '15');
      },
      { every: 'hours', interval: 3, minute: 15 },
    ],
    [
      'Every n minutes',
      () => fill('Interval (minutes)', '2'),
      { every: 'minutes', interval: 2 },
    ],
    [
      'Every week',
      async () => {
        await userEvent.click(screen.getByRole('button', { name: /Weekday/ }));
        await userEvent.click(
          screen.getByRole('option', { name: 'Wednesday' }),
        );
        await fill('Time', '18:05');
      },
      { every: 'week', weekday: 3, time: '18:05' },
    ],
    [
      'Every month',
      async () => {
        await fill('Day of month', '31');
        await fill('Time', '00:45');
      },
      { every: 'month', day: 31, time: '00:45' },
    ],
  ])('previews and saves "%s"', async (label, fillFields, schedule) => {
    const saved = pipelineWith({ events: noEvents, schedule });
    const updateTriggers = jest.fn().mockResolvedValue(saved);
    const { onSaved } = await renderDialog(pipelineWith(), {
      updateTriggers,
    });

    await chooseSchedule(label);
    await fillFields();

    expect(shownFireTimes()).toEqual(expectedFireTimes(schedule));
    await userEvent.click(saveButton());

    expect(updateTriggers).toHaveBeenCalledWith(
      'p1',
      { events: noEvents, schedule },
      { manualWebhook: false },
    );
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
  });

  it('says so when the backend cannot tell its time zone, instead of guessing one', async () => {
    await renderDialog(
      pipelineWith({ schedule: { every: 'day', time: '08:00' } }),
      {
        getTriggerSettings: jest
          .fn()
          .mockRejectedValue(new Error('503 Service Unavailable')),
      },
    );

    expect(
      await screen.findByText(
        /The next fire times cannot be shown: the time zone of the portal's timer could not be read \(503 Service Unavailable\)/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Next fire times' }),
    ).not.toBeInTheDocument();
  });

  it('fires every 2 minutes from 14:54 when set at 14:53:21', async () => {
    await renderDialog(pipelineWith());

    await chooseSchedule('Every n minutes');
    expect(screen.getByLabelText('Interval (minutes)')).toHaveValue(5);
    await fill('Interval (minutes)', '2');

    expect(shownFireTimes().map(iso => iso?.slice(11, 19))).toEqual([
      '14:54:00',
      '14:56:00',
      '14:58:00',
      '15:00:00',
      '15:02:00',
    ]);
  });

  it.each<[string, string, string, string]>([
    ['Every n minutes', 'Interval (minutes)', '0', 'must be at least 1'],
    ['Every n minutes', 'Interval (minutes)', '60', 'must be at most 59'],
    ['Every n minutes', 'Interval (minutes)', '2.5', 'must be a whole number'],
    ['Every n hours', 'Interval (hours)', '24', 'must be at most 23'],
    ['Every n hours', 'Interval (hours)', '', 'required'],
    ['Every n hours', 'At minute', '60', 'must be at most 59'],
    ['Every day', 'Time', '', 'required'],
    ['Every week', 'Time', '', 'required'],
    ['Every month', 'Day of month', '32', 'must be at most 31'],
    ['Every month', 'Day of month', '0', 'must be at least 1'],
  ])(
    '"%s" rejects %s = "%s" at the field',
    async (kind, label, value, message) => {
      const updateTriggers = jest.fn();
      await renderDialog(pipelineWith(), { updateTriggers });

      await chooseSchedule(kind);
      await fill(label, value);

      const field = screen.getByLabelText(label);
      expect(field).toHaveAttribute('aria-invalid', 'true');
      expect(field).toHaveAccessibleDescription(message);
      expect(
        screen.getByText('Correct the schedule to see when it fires.'),
      ).toBeInTheDocument();
      expect(saveButton()).toBeDisabled();
    },
  );

  it('keeps the empty minutes interval at the schema default of 5', async () => {
    await renderDialog(pipelineWith());

    await chooseSchedule('Every n minutes');
    await fill('Interval (minutes)', '');

    expect(shownFireTimes()).toEqual(
      expectedFireTimes({ every: 'minutes', interval: 5 }),
    );
  });

  it('saves events alone and removes the schedule with "None"', async () => {
    const updateTriggers = jest.fn().mockResolvedValue(pipelineWith());
    await renderDialog(
      pipelineWith(
        { events: noEvents, schedule: { every: 'day', time: '02:00' } },
        GITHUB_SOURCE,
      ),
      { updateTriggers },
    );

    await screen.findByTestId('webhook-url');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Push' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Tag' }));
    await chooseSchedule('None');

    expect(
      screen.queryByRole('region', { name: 'Next fire times' }),
    ).toBeNull();
    await userEvent.click(saveButton());

    expect(updateTriggers).toHaveBeenCalledWith(
      'p1',
      { events: { push: true, merge: false, tag: true }, schedule: null },
      { manualWebhook: false },
    );
  });

  it('shows the ingress URL to register by hand, and saves with the webhook registered by hand', async () => {
    const updateTriggers = jest.fn().mockResolvedValue(pipelineWith());
    await renderDialog(pipelineWith(undefined, GITHUB_SOURCE), {
      updateTriggers,
    });

    expect(await screen.findByTestId('webhook-url')).toHaveTextContent(
      GITHUB_INGRESS,
    );
    expect(
      screen.getByText(
        /registers a webhook on https:\/\/github.com\/acme\/jack-2048/,
      ),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('checkbox', { name: 'Push' }));
    await userEvent.click(
      screen.getByRole('checkbox', {
        name: 'I registered the webhook by hand',
      }),
    );
    await userEvent.click(saveButton());

    expect(updateTriggers).toHaveBeenCalledWith(
      'p1',
      { events: { push: true, merge: false, tag: false }, schedule: null },
      { manualWebhook: true },
    );
  });

  it('does not offer events the portal does not receive, and says who can change that', async () => {
    await renderDialog(
      pipelineWith(undefined, {
        ...GITHUB_SOURCE,
        provider: 'gitlab',
        repository: 'https://gitlab.com/acme/app',
      }),
    );

    expect(
      await screen.findByText(/GitLab events are not received by this portal/),
    ).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Push' })).toBeDisabled();
    expect(screen.queryByTestId('webhook-url')).toBeNull();
  });

  it('says when event triggers cannot work', async () => {
    await renderDialog(pipelineWith());

    expect(screen.getByText(/this pipeline has none yet/)).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Push' })).toBeDisabled();
    expect(screen.queryByTestId('webhook-url')).toBeNull();
  });

  it('shows the server error and stays open', async () => {
    const updateTriggers = jest
      .fn()
      .mockRejectedValue(
        new Error('GitHub refused the webhook: the account lacks admin rights'),
      );
    const { onSaved } = await renderDialog(
      pipelineWith(undefined, GITHUB_SOURCE),
      {
        updateTriggers,
      },
    );

    await screen.findByTestId('webhook-url');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Push' }));
    await userEvent.click(saveButton());

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'GitHub refused the webhook: the account lacks admin rights',
    );
    expect(onSaved).not.toHaveBeenCalled();
    expect(saveButton()).toBeEnabled();
  });

  it('closes on cancel without saving', async () => {
    const updateTriggers = jest.fn();
    const { onClose } = await renderDialog(pipelineWith(), {
      updateTriggers,
    });

    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Cancel',
      }),
    );

    expect(onClose).toHaveBeenCalled();
    expect(updateTriggers).not.toHaveBeenCalled();
  });
});
