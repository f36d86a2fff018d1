import { type TaskPlanner, WORKSPACE_SOURCE_DIR } from '../types';
import {
  chartCredentialsMount,
  requireChartRepository,
} from '../chartRepository';
import { sourcePath } from '../sourcePath';
import { PUBLISH_CHART_SCRIPT } from './publishChartScript';

/**
 * Build and publish chart: in the helm image, substitutes the run's variables in the
 * chart's values.yaml, packages the chart with the task's version and pushes it to the
 * chart repository (OCI or ChartMuseum).
 */
export const planPublishChart: TaskPlanner = async ({ task, env, tools }) => {
  if (task.type !== 'publishChart') {
    throw new Error(`planPublishChart cannot plan a ${task.type} task`);
  }
  const repository = requireChartRepository(tools, 'publish the chart');
  return {
    kind: 'pod',
    container: {
      image: tools.images.helm,
      command: [
        'sh',
        '-c',
        PUBLISH_CHART_SCRIPT,
        'publish-chart',
        sourcePath(task.chartPath, 'chartPath'),
        task.chart,
        task.version,
        repository.type,
        repository.url,
        // Names only: the values come from the environment, so secrets stay out of the pod spec.
        Object.keys(env).join(' '),
      ],
      workingDir: WORKSPACE_SOURCE_DIR,
    },
    mountedSecrets: chartCredentialsMount(repository),
  };
};
