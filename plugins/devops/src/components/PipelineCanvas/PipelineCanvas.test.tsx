import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { PipelineCanvas } from './PipelineCanvas';
import { installReactFlowShims } from './__testUtils__/reactFlowShims';
import { sampleRun, sampleSpec } from './__testUtils__/pipelines';

beforeAll(installReactFlowShims);

describe('PipelineCanvas', () => {
  it('draws a pipeline read-only, coloured by a run', async () => {
    await renderInTestApp(<PipelineCanvas spec={sampleSpec()} run={sampleRun()} />);
    const canvas = screen.getByTestId('pipeline-canvas');
    expect(within(canvas).getByTestId('source-card')).toHaveTextContent('GitLab');
    expect(screen.getByTestId('stage-0')).toHaveTextContent('Build');
    expect(screen.getByTestId('task-0-1')).toHaveTextContent('package');
    expect(screen.getByTestId('task-0-1')).toHaveTextContent('Failed');
    screen.debug(screen.getByTestId('stage-0'));
  });
});
