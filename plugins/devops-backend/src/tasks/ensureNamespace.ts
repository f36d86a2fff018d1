import type { KubeConfig } from '@kubernetes/client-node';
import { kubeRequest, serverMessage } from './deployYaml/kubeRequest';

/**
 * Makes sure a deploy task's namespace exists: says whether it existed or was created,
 * and fails naming the task's "Create the namespace if it is missing" option when it is missing and
 * the option is off (SPEC §1: Deploy YAML and Deploy chart offer it, off by default).
 */
export async function ensureNamespace(options: {
  kubeConfig: KubeConfig;
  clusterName: string;
  namespace: string;
  create: boolean;
  signal?: AbortSignal;
}): Promise<'exists' | 'created'> {
  const { kubeConfig, clusterName, namespace: name, create, signal } = options;
  const found = await kubeRequest(kubeConfig, {
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(name)}`,
    signal,
  });
  if (found.status === 200) return 'exists';
  if (found.status !== 404) {
    throw new Error(
      `Could not look up namespace ${name} on cluster ${clusterName}: ${serverMessage(
        found,
      )}`,
    );
  }
  if (!create) {
    throw new Error(
      `Namespace ${name} does not exist on cluster ${clusterName}; create it, or turn on "Create the namespace if it is missing" in the task`,
    );
  }
  const created = await kubeRequest(kubeConfig, {
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    signal,
  });
  // 409: another run created it in the meantime, which is just as good.
  if (created.status === 201 || created.status === 409) return 'created';
  throw new Error(
    `Could not create namespace ${name} on cluster ${clusterName}: ${serverMessage(
      created,
    )}`,
  );
}
