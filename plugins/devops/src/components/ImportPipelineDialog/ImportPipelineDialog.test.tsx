import { ResponseError } from '@backstage/errors';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makePipeline } from '../../__testUtils__/pipelines';
import { type DevopsApi, devopsApiRef } from '../../api';
import { ImportPipelineDialog } from './ImportPipelineDialog';

// MUI dialogs make a test here take seconds in jsdom, more on a busy machine.
jest.setTimeout(30_000);

async function render(devopsApi: Partial<DevopsApi>) {
  const onImported = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[devopsApiRef, devopsApi]]}>
      <ImportPipelineDialog open onClose={jest.fn()} onImported={onImported} />
    </TestApiProvider>,
  );
  return { onImported };
}

describe('ImportPipelineDialog', () => {
  it('shows the message of the backend when it refuses the document', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'InputError',
          message: 'spec.stages: a pipeline needs at least one stage',
        },
        request: { method: 'POST', url: '/pipelines/import' },
        response: { statusCode: 400 },
      }),
      { status: 400, headers: { 'Content-Type': 'application/json' } },
    );
    const importPipeline = jest
      .fn()
      .mockRejectedValue(await ResponseError.fromResponse(response));
    const { onImported } = await render({ importPipeline });

    await userEvent.type(
      screen.getByLabelText('Pipeline YAML'),
      'kind: Pipeline',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'spec.stages: a pipeline needs at least one stage',
    );
    expect(importPipeline).toHaveBeenCalledWith('kind: Pipeline', {});
    expect(onImported).not.toHaveBeenCalled();
  });

  it('hands the created pipeline over', async () => {
    const pipeline = makePipeline();
    const importPipeline = jest.fn().mockResolvedValue(pipeline);
    const { onImported } = await render({ importPipeline });

    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled();
    await userEvent.type(
      screen.getByLabelText('Pipeline YAML'),
      'kind: Pipeline',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));

    expect(onImported).toHaveBeenCalledWith(pipeline);
  });

  it('imports under another name when one is given', async () => {
    const importPipeline = jest.fn().mockResolvedValue(makePipeline());
    await render({ importPipeline });

    await userEvent.type(
      screen.getByLabelText('Pipeline YAML'),
      'kind: Pipeline',
    );
    await userEvent.type(
      screen.getByLabelText('Name (optional)'),
      ' nightly-copy ',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));

    expect(importPipeline).toHaveBeenCalledWith('kind: Pipeline', {
      name: 'nightly-copy',
    });
  });
});
