import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makePipeline } from '../../__testUtils__/pipelines';
import { type DevopsApi, devopsApiRef } from '../../api';
import { AdvancedSettingsDialog } from './AdvancedSettingsDialog';

function pipelineWith(timeoutMinutes?: number): Pipeline {
  const pipeline = makePipeline({ id: 'p1', name: 'nightly' });
  return { ...pipeline, spec: { ...pipeline.spec, timeoutMinutes } };
}

/** One binding serves the pipeline's project: there is no cluster to choose. */
const oneBinding = async () => ({
  items: [
    {
      name: 'dev',
      namespace: 'devops-dev',
      scope: [],
      health: 'healthy' as const,
    },
  ],
  current: { name: 'dev', reason: 'bound for the whole portal' },
});

async function renderDialog(
  pipeline: Pipeline,
  devopsApi: Partial<DevopsApi> = {},
) {
  const onSaved = jest.fn();
  const onClose = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [devopsApiRef, { listPipelineBindings: oneBinding, ...devopsApi }],
      ]}
    >
      <AdvancedSettingsDialog
        open
        pipeline={pipeline}
        onClose={onClose}
        onSaved={onSaved}
      />
    </TestApiProvider>,
  );
  return { onSaved, onClose };
}

const timeoutField = () => screen.getByLabelText('Timeout (minutes)');
const setTimeoutField = (value: string) =>
  fireEvent.change(timeoutField(), { target: { value } });
const saveButton = () => screen.getByRole('button', { name: 'Save' });

describe('AdvancedSettingsDialog', () => {
  it('shows the stored timeout and saves a new one', async () => {
    const saved = pipelineWith(45);
    const updateSettings = jest.fn().mockResolvedValue(saved);
    const { onSaved } = await renderDialog(pipelineWith(20), {
      updateSettings,
    });

    expect(timeoutField()).toHaveValue(20);
    setTimeoutField('45');
    await userEvent.click(saveButton());

    expect(updateSettings).toHaveBeenCalledWith('p1', {
      timeoutMinutes: 45,
      notifications: 'failures',
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
  });

  it('saves an empty field as 0, no timeout', async () => {
    const updateSettings = jest.fn().mockResolvedValue(pipelineWith(0));
    await renderDialog(pipelineWith(20), { updateSettings });

    setTimeoutField('');
    await userEvent.click(saveButton());

    expect(updateSettings).toHaveBeenCalledWith('p1', {
      timeoutMinutes: 0,
      notifications: 'failures',
    });
  });

  it('shows no timeout as an empty field and explains the 14-day cap', async () => {
    await renderDialog(pipelineWith(0));

    expect(timeoutField()).toHaveValue(null);
    expect(
      screen.getByText(/every run ends 14 days after it started/),
    ).toBeInTheDocument();
  });

  it.each([
    ['20161', 'must be at most 20160 minutes (14 days)'],
    ['-1', 'must be 0 (no timeout) or a positive number of minutes'],
    ['1.5', 'must be a whole number'],
  ])('rejects %s at the field', async (value, message) => {
    const updateSettings = jest.fn();
    await renderDialog(pipelineWith(), { updateSettings });

    setTimeoutField(value);

    expect(timeoutField()).toHaveAttribute('aria-invalid', 'true');
    expect(timeoutField()).toHaveAccessibleDescription(message);
    expect(saveButton()).toBeDisabled();
  });

  it('accepts the largest timeout, 14 days', async () => {
    const updateSettings = jest.fn().mockResolvedValue(pipelineWith(20160));
    await renderDialog(pipelineWith(), { updateSettings });

    setTimeoutField('20160');
    await userEvent.click(saveButton());

    expect(updateSettings).toHaveBeenCalledWith('p1', {
      timeoutMinutes: 20160,
      notifications: 'failures',
    });
  });

  it('shows the server error and stays open', async () => {
    const updateSettings = jest
      .fn()
      .mockRejectedValue(new Error('you may not edit this pipeline'));
    const { onSaved } = await renderDialog(pipelineWith(), {
      updateSettings,
    });

    setTimeoutField('30');
    await userEvent.click(saveButton());

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'you may not edit this pipeline',
    );
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('shows who is notified of ended runs, failures by default, and saves another choice', async () => {
    const updateSettings = jest.fn().mockResolvedValue(pipelineWith(20));
    await renderDialog(pipelineWith(20), { updateSettings });

    const field = screen.getByRole('button', { name: /Notifications/ });
    expect(field).toHaveTextContent('Failures and fixes');
    expect(
      screen.getByText(/notified when a run fails or times out/),
    ).toBeInTheDocument();
    await userEvent.click(field);
    await userEvent.click(
      await screen.findByRole('option', { name: 'Every run' }),
    );
    expect(
      screen.getByText(/notified whenever a run ends/),
    ).toBeInTheDocument();
    await userEvent.click(saveButton());

    expect(updateSettings).toHaveBeenCalledWith('p1', {
      timeoutMinutes: 20,
      notifications: 'all',
    });
  });

  it('starts from the stored notification setting', async () => {
    const pipeline = pipelineWith(20);
    pipeline.spec.notifications = 'off';
    const updateSettings = jest.fn().mockResolvedValue(pipeline);
    await renderDialog(pipeline, { updateSettings });

    expect(
      screen.getByRole('button', { name: /Notifications/ }),
    ).toHaveTextContent('Off');
    expect(
      screen.getByText(/Nobody is notified of its runs/),
    ).toBeInTheDocument();
    await userEvent.click(saveButton());

    expect(updateSettings).toHaveBeenCalledWith('p1', {
      timeoutMinutes: 20,
      notifications: 'off',
    });
  });

  it('closes on cancel without saving', async () => {
    const updateSettings = jest.fn();
    const { onClose } = await renderDialog(pipelineWith(), {
      updateSettings,
    });

    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(onClose).toHaveBeenCalled();
    expect(updateSettings).not.toHaveBeenCalled();
  });

  describe('the cluster', () => {
    const bindings = {
      items: [
        {
          name: 'shared',
          namespace: 'devops-shared',
          scope: [],
          health: 'healthy' as const,
        },
        {
          name: 'web',
          namespace: 'devops-web',
          scope: ['group:default/web-team'],
          health: 'healthy' as const,
        },
      ],
      current: {
        name: 'web',
        reason:
          "bound for group:default/web-team, which owns the pipeline's entity",
      },
    };

    it('offers the bindings that serve the project, says which one runs it now and why, and saves the choice', async () => {
      const updateSettings = jest.fn().mockResolvedValue(pipelineWith(20));
      await renderDialog(pipelineWith(20), {
        updateSettings,
        listPipelineBindings: jest.fn().mockResolvedValue(bindings),
      });

      const field = await screen.findByRole('button', { name: /Cluster/ });
      expect(
        screen.getByText(
          "Its runs take web now: bound for group:default/web-team, which owns the pipeline's entity.",
        ),
      ).toBeInTheDocument();
      await userEvent.click(field);
      await userEvent.click(
        await screen.findByRole('option', {
          name: 'shared (namespace devops-shared, for the whole portal)',
        }),
      );
      await userEvent.click(saveButton());

      expect(updateSettings).toHaveBeenCalledWith('p1', {
        timeoutMinutes: 20,
        notifications: 'failures',
        cluster: 'shared',
      });
    });

    it('gives the choice back to the rule with Automatic', async () => {
      const updateSettings = jest.fn().mockResolvedValue(pipelineWith(20));
      const chosen = pipelineWith(20);
      chosen.spec.cluster = 'shared';
      await renderDialog(chosen, {
        updateSettings,
        listPipelineBindings: jest
          .fn()
          .mockResolvedValue({ ...bindings, chosen: 'shared' }),
      });

      await userEvent.click(
        await screen.findByRole('button', { name: /Cluster/ }),
      );
      await userEvent.click(
        await screen.findByRole('option', { name: /^Automatic/ }),
      );
      await userEvent.click(saveButton());

      expect(updateSettings).toHaveBeenCalledWith('p1', {
        timeoutMinutes: 20,
        notifications: 'failures',
        cluster: null,
      });
    });

    it('offers no choice with one binding, and leaves the cluster alone when the bindings cannot be read', async () => {
      const updateSettings = jest.fn().mockResolvedValue(pipelineWith(20));
      await renderDialog(pipelineWith(20), {
        updateSettings,
        listPipelineBindings: jest
          .fn()
          .mockRejectedValue(new Error('503 Service Unavailable')),
      });

      expect(
        await screen.findByText(
          /could not be read \(503 Service Unavailable\)/,
        ),
      ).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /Cluster/ })).toBeNull();
      await userEvent.click(saveButton());
      expect(updateSettings).toHaveBeenCalledWith('p1', {
        timeoutMinutes: 20,
        notifications: 'failures',
      });
    });
  });
});
