import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import { chartsPublishedBefore } from './publishedCharts';

const publish = (name: string, chart: string, version: string) => ({
  name,
  type: 'publishChart' as const,
  chartPath: chart,
  chart,
  version,
});

const spec: PipelineSpec = {
  stages: [
    {
      name: 'Build',
      order: 'sequential',
      tasks: [
        publish('a', 'nginx', '1.0.${BUILD_ID}'),
        publish('b', 'redis', '7.0.0'),
      ],
    },
    {
      name: 'Deploy',
      order: 'sequential',
      tasks: [publish('c', 'nginx', '2.0.0'), publish('d', 'web', '0.1.0')],
    },
  ],
};

describe('chartsPublishedBefore', () => {
  it('lists the charts of earlier stages and of earlier tasks of the stage', () => {
    expect(chartsPublishedBefore(spec, 1, 1)).toEqual([
      { chart: 'nginx', version: '1.0.${BUILD_ID}' },
      { chart: 'redis', version: '7.0.0' },
      { chart: 'nginx', version: '2.0.0' },
    ]);
  });

  it('lists the whole stage for a task added at its end', () => {
    expect(chartsPublishedBefore(spec, 0)).toHaveLength(2);
    expect(chartsPublishedBefore(spec, 1)).toHaveLength(4);
  });
});
