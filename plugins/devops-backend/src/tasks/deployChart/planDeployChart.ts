import { stringify } from 'yaml';
import type { ClusterDirectory } from '../../clusters/types';
import {
  chartCredentialsMount,
  requireChartRepository,
} from '../chartRepository';
import { TaskPlanError } from '../TaskPlanError';
import type { TaskPlanner } from '../types';
import { DEPLOY_CHART_SCRIPT, DEPLOY_FILES_DIR } from './deployChartScript';
import { portableKubeConfig } from './portableKubeConfig';

/**
 * Deploy chart: `helm upgrade --install` of the chart version from the chart repository
 * into the task's cluster and namespace, with the task's parameters as values.
 */
export const planDeployChart: TaskPlanner = async ({
  task,
  tools,
  clusters,
}) => {
  if (task.type !== 'deployChart') {
    throw new Error(`planDeployChart cannot plan a ${task.type} task`);
  }
  const repository = requireChartRepository(tools, 'install the chart from');
  const kubeconfig = await targetKubeConfig(clusters, task.cluster);
  return {
    kind: 'pod',
    container: {
      image: tools.images.helm,
      command: [
        'sh',
        '-c',
        DEPLOY_CHART_SCRIPT,
        'deploy-chart',
        task.release,
        task.chart,
        task.version,
        task.namespace,
        repository.type,
        repository.url,
      ],
    },
    // Both are files rather than arguments: the kubeconfig holds credentials, and the
    // values may hold expanded secret parameters.
    secretFiles: {
      mountPath: DEPLOY_FILES_DIR,
      files: {
        kubeconfig,
        'values.yaml': stringify(task.values ?? {}),
      },
    },
    mountedSecrets: chartCredentialsMount(repository),
  };
};

/** The target cluster's credentials, or a failure of this task naming the cluster. */
async function targetKubeConfig(
  clusters: ClusterDirectory,
  cluster: string,
): Promise<string> {
  try {
    return await portableKubeConfig(await clusters.kubeConfig(cluster));
  } catch (error) {
    throw new TaskPlanError(
      `Cannot deploy to cluster ${cluster}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}
