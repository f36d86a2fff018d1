import { describeKubernetesError } from '../../clusters/kubernetesErrors';
import type { ClusterHealthState } from '../../clusters/types';

/** Something wrong with the cluster itself: the task fails fast and the cluster is flagged. */
export type ClusterProblem = { health: ClusterHealthState; message: string };

/**
 * Tells a problem of the cluster (unreachable, credentials refused, namespace gone) from
 * a problem of one request, with a message saying what to do (SPEC §8, §10).
 */
export function clusterProblemOf(
  error: unknown,
  cluster: string,
  namespace: string,
): ClusterProblem | undefined {
  const problem = describeKubernetesError(error);
  switch (problem.kind) {
    case 'unreachable':
      return {
        health: 'unreachable',
        message: `Cluster "${cluster}" is unhealthy or unreachable (${problem.reason}); check it in the Kubernetes console and that the backend can reach it, then re-run`,
      };
    case 'unauthorized':
      return {
        health: 'unauthorized',
        message: `Cluster "${cluster}" refused DevOps's credentials (${problem.reason}); they were revoked or expired: update them in the portal's Kubernetes configuration, then re-run`,
      };
    case 'forbidden':
      return {
        health: 'unauthorized',
        message: `DevOps's account on cluster "${cluster}" lacks a right in namespace "${namespace}" (${problem.reason}); grant it create, read, watch and delete on pods, pods/log, events and secrets there`,
      };
    case 'notFound':
      return problem.reason.includes(`namespaces "${namespace}" not found`)
        ? {
            health: 'namespaceMissing',
            message: `Namespace "${namespace}" was deleted from cluster "${cluster}"; remove the cluster binding and bind the cluster again (which recreates it), then re-run`,
          }
        : undefined;
    default:
      return undefined;
  }
}

export function describeError(error: unknown): string {
  return describeKubernetesError(error).reason;
}
