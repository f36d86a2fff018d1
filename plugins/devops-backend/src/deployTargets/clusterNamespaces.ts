import type { KubeConfig } from '@kubernetes/client-node';
import type { DeployNamespaces } from '@devops-pipelines/plugin-devops-common';
import {
  describeKubernetesError,
  withTimeout,
} from '../clusters/kubernetesErrors';
import { loadKubernetesClient } from '../kubernetes/loadKubernetesClient';

/** A dialog waits for the list: a cluster that does not answer soon is typed for. */
const LIST_TIMEOUT_MS = 5_000;

/**
 * The namespaces of a cluster, as the deploy task dialog suggests them, read with the
 * portal's credentials. Listing namespaces is a cluster-wide right the portal's account
 * may lack: then, as when the cluster does not answer, the list is empty and says why, and
 * the dialog takes any name.
 */
export async function listClusterNamespaces(
  kubeConfig: KubeConfig,
  clusterName: string,
): Promise<DeployNamespaces> {
  const { CoreV1Api } = await loadKubernetesClient();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  try {
    const list = await withTimeout(core.listNamespace(), LIST_TIMEOUT_MS);
    return {
      namespaces: list.items
        // A namespace being deleted takes no new objects.
        .filter(namespace => namespace.status?.phase !== 'Terminating')
        .map(namespace => namespace.metadata?.name ?? '')
        .filter(Boolean)
        .sort(),
    };
  } catch (error) {
    const problem = describeKubernetesError(error);
    const why = {
      forbidden: `the portal's account may not list them (${problem.reason})`,
      unauthorized: `the cluster refused the portal's credentials (${problem.reason})`,
    }[problem.kind as string] ?? `the cluster did not answer (${problem.reason})`;
    return {
      namespaces: [],
      unavailable: `The namespaces of cluster ${clusterName} could not be listed: ${why}`,
    };
  }
}
