import { stringify } from 'yaml';
import {
  chartCredentialsMount,
  requireChartRepository,
} from '../chartRepository';
import { ensureNamespace } from '../ensureNamespace';
import { TaskPlanError } from '@devops-pipelines/plugin-devops-node';
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
  const kubeConfig = await clusters
    .kubeConfig(task.cluster)
    .catch(cannotDeployTo(task.cluster));
  const kubeconfig = await portableKubeConfig(kubeConfig).catch(
    cannotDeployTo(task.cluster),
  );
  const createNamespace = task.createNamespace ?? false;
  if (!createNamespace) {
    // Said here, before a pod starts, rather than by helm's "namespaces not found".
    await ensureNamespace({
      kubeConfig,
      clusterName: task.cluster,
      namespace: task.namespace,
      create: false,
    }).catch(error => {
      throw new TaskPlanError(errorText(error));
    });
  }
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
        String(createNamespace),
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

function errorText(error: unknown) {
  return error instanceof Error ? error.message : String(error);
}

/** A failure of this task naming the cluster it cannot reach. */
function cannotDeployTo(cluster: string) {
  return (error: unknown): never => {
    throw new TaskPlanError(
      `Cannot deploy to cluster ${cluster}: ${errorText(error)}`,
    );
  };
}
