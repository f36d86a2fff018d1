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

async function renderDialog(
  pipeline: Pipeline,
  devopsApi: Partial<DevopsApi> = {},
) {
  const onSaved = jest.fn();
  const onClose = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[devopsApiRef, devopsApi]]}>
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

    expect(updateSettings).toHaveBeenCalledWith('p1', { timeoutMinutes: 45 });
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
  });

  it('saves an empty field as 0, no timeout', async () => {
    const updateSettings = jest.fn().mockResolvedValue(pipelineWith(0));
    await renderDialog(pipelineWith(20), { updateSettings });

    setTimeoutField('');
    await userEvent.click(saveButton());

    expect(updateSettings).toHaveBeenCalledWith('p1', { timeoutMinutes: 0 });
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

  it('closes on cancel without saving', async () => {
    const updateSettings = jest.fn();
    const { onClose } = await renderDialog(pipelineWith(), {
      updateSettings,
    });

    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(onClose).toHaveBeenCalled();
    expect(updateSettings).not.toHaveBeenCalled();
  });
});
