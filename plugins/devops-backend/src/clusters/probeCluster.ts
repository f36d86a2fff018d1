import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubernetesClient } from '../kubernetes/loadKubernetesClient';
import { KubernetesProblem, describeKubernetesError, withTimeout } from './kubernetesErrors';
import type { ClusterHealthState } from './types';

/** What a check of a bound cluster saw; the message is for the user and says what to do. */
export type ClusterHealth = { health: ClusterHealthState; message?: string };

const PROBE_TIMEOUT_MS = 10_000;

/** The binding's cluster is no longer in the portal's Kubernetes configuration (SPEC §8). */
export const REMOVED_FROM_CONFIG: ClusterHealth = {
  health: 'removed',
  message: "cluster was deleted from the portal's configuration; bind another cluster",
};

/**
 * The health a cluster problem stands for. Shared by the periodic check and by binding,
 * so that a user reads the same words for the same cause wherever they meet it.
 */
export function healthOf(problem: KubernetesProblem): ClusterHealth {
  switch (problem.kind) {
    case 'unauthorized':
      return {
        health: 'unauthorized',
        message: `credentials refused by the cluster (${problem.reason}); update the cluster's token in the portal's Kubernetes configuration`,
      };
    case 'forbidden':
      return {
        health: 'unauthorized',
        message: `credentials refused: the portal's account lacks a right it needs (${problem.reason}); grant it in the cluster's RBAC`,
      };
    default:
      return {
        health: 'unreachable',
        message: `cluster unhealthy or unreachable: ${problem.reason}; check it in the Kubernetes console`,
      };
  }
}

/**
 * Checks that the cluster answers, accepts the portal's credentials, and still holds
 * the binding's namespace, by reading that namespace: one request proves all three.
 */
export async function probeCluster(kubeConfig: KubeConfig, namespace: string): Promise<ClusterHealth> {
  const { CoreV1Api } = await loadKubernetesClient();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  try {
    const found = await withTimeout(core.readNamespace({ name: namespace }), PROBE_TIMEOUT_MS);
    // A terminating namespace refuses new pods, so runs could not start there either.
    if (found.status?.phase === 'Terminating') {
      return {
        health: 'namespaceMissing',
        message: `namespace '${namespace}' is being deleted from the cluster; once it is gone, unbind and bind the cluster again to recreate it`,
      };
    }
    return { health: 'healthy' };
  } catch (error) {
    const problem = describeKubernetesError(error);
    if (problem.kind === 'notFound') {
      return {
        health: 'namespaceMissing',
        message: `namespace '${namespace}' no longer exists in the cluster; unbind and bind the cluster again to recreate it`,
      };
    }
    return healthOf(problem);
  }
}
