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
import { browserTimeZone } from '../../lib/timeZone';
import { TriggerRulesDialog } from './TriggerRulesDialog';

// Opening MUI selects and computing accessible names is slow in jsdom: a test here takes
// seconds, more than Jest's default 5 on a busy machine.
jest.setTimeout(30_000);

// The SPEC §5 example: set at 14:53:21.
const NOW = DateTime.fromISO('2026-11-21T14:53:21');

const noEvents = { push: false, merge: false, tag: false };

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
        [devopsApiRef, devopsApi],
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

function expectedFireTimes(schedule: Schedule) {
  return nextFireTimes(schedule, NOW, browserTimeZone(), 5).map(time =>
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

    expect(shownFireTimes()).toEqual(expectedFireTimes(schedule));
    // 14:53:21 with every 2 hours at minute 28 fires first at 16:28 (SPEC §5).
    expect(shownFireTimes()[0]).toMatch(/T16:28:00/);
    expect(
      screen.getByText(
        `Times in ${browserTimeZone()} (your browser's time zone)`,
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

    expect(updateTriggers).toHaveBeenCalledWith('p1', {
      events: noEvents,
      schedule,
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
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
      pipelineWith({
        events: noEvents,
        schedule: { every: 'day', time: '02:00' },
      }),
      { updateTriggers },
    );

    await userEvent.click(screen.getByRole('checkbox', { name: 'Push' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Tag' }));
    await chooseSchedule('None');

    expect(
      screen.queryByRole('region', { name: 'Next fire times' }),
    ).toBeNull();
    await userEvent.click(saveButton());

    expect(updateTriggers).toHaveBeenCalledWith('p1', {
      events: { push: true, merge: false, tag: true },
      schedule: null,
    });
  });

  it('shows the webhook URL the code host must reach', async () => {
    await renderDialog(
      pipelineWith(undefined, {
        provider: 'github',
        repository: 'https://github.com/acme/jack-2048',
        branch: 'main',
      }),
    );

    expect(await screen.findByTestId('webhook-url')).toHaveTextContent(
      'http://backstage:7007/api/devops/webhooks/github',
    );
    expect(
      screen.getByText(/https:\/\/github.com\/acme\/jack-2048 in a connected/),
    ).toBeInTheDocument();
  });

  it('says when event triggers cannot work', async () => {
    await renderDialog(pipelineWith());

    expect(screen.getByText(/this pipeline has none yet/)).toBeInTheDocument();
    expect(screen.queryByTestId('webhook-url')).toBeNull();
  });

  it('shows the server error and stays open', async () => {
    const updateTriggers = jest
      .fn()
      .mockRejectedValue(
        new Error('GitHub refused the webhook: the account lacks admin rights'),
      );
    const { onSaved } = await renderDialog(pipelineWith(), {
      updateTriggers,
    });

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
